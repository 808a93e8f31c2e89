"""Schemathesis against ``/api/schema/``: every operation of the API, as each persona, with
generated valid and invalid input. No answer is a 5xx, and every answer is what the schema
says (a documented status code, its content type, its body's schema).

The app is Django's WSGI handler on the demo's Okayama, so that ids exist; each persona
calls with its API token (``rest_framework.authtoken``). Schemathesis generates the requests
(positive: what the schema allows; negative: what it forbids) and checks the answers;
Hypothesis runs a fixed number of them per operation with a fixed seed (``derandomize``), so
that CI repeats the same requests. Failures of every operation are collected and reported
together. Not checked: ``positive_data_acceptance`` (a valid body may still break a rule:
409) and the stateful phase (links between operations are not declared).

    pytest sasaeai/core/tests/test_api_fuzz.py -s    # prints the time of the demo and fuzz
"""

from __future__ import annotations

import time

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

PERSONAS = {
    "center": "center-okayama",
    "council": "council-tsuyama",
    "corp_staff": "corp-staff",
    "anonymous": None,
}

# Requests per operation, persona and mode: valid requests as every persona; invalid ones as
# a signed-in persona and anonymously (past authentication, validation is the same for all
# staff). 58 operations × (4 + 2) × 3 ≈ 1,000 requests.
MAX_EXAMPLES = 3
INVALID_AS = {"center", "anonymous"}

# Operations the fuzz does not call, each with its reason. None: the API takes no upload.
SKIPPED: dict[str, str] = {}

CONFIG = {"seed": 20261128, "generation": {"deterministic": True, "database": "none"}}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo's Okayama (corporations, networks, events, surveys, grants, stockyard) with an
    API token for each staff persona; rolled back after the module."""
    from rest_framework.authtoken.models import Token

    from sasaeai.accounts.models import User
    from sasaeai.demo import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        started = time.monotonic()
        load_demo()
        print(f"demo loaded in {time.monotonic() - started:.1f} s")
        tokens = {
            persona: Token.objects.get_or_create(user=User.objects.get(username=username))[0].key
            for persona, username in PERSONAS.items()
            if username
        }
        yield tokens
        transaction.set_rollback(True)


@pytest.fixture
def wsgi_app(world, db):
    """Django's own WSGI handler, as gunicorn runs it; the test transaction stays open across
    requests (as Django's test client arranges it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app):
    config = schemathesis.Config.from_dict(CONFIG)
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, config=config)


@pytest.fixture(params=list(PERSONAS))
def persona(request, world):
    """(headers, generation modes) of a persona."""
    token = world.get(request.param)
    headers = {"Authorization": f"Token {token}"} if token else {}
    modes = [GenerationMode.POSITIVE]
    if request.param in INVALID_AS:
        modes.append(GenerationMode.NEGATIVE)
    return headers, modes


def fuzz_operation(operation, mode, headers, max_examples):
    """Call ``operation`` with ``max_examples`` generated requests; raise on the first answer
    that fails a check."""

    @hypothesis.settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def call(case):
        sent = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        case.headers = {**sent, **headers}
        case.call_and_validate(checks=CHECKS)

    call()


@pytest.mark.django_db
def test_api_answers_as_its_schema_says(api_schema, persona):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    labels = {operation.label for operation in operations}
    assert len(labels) >= 50, "the schema lost its operations"
    assert set(SKIPPED) <= labels, "a skipped operation no longer exists"
    headers, modes = persona
    failures, nothing_invalid = [], []
    started = time.monotonic()
    for operation in operations:
        if operation.label in SKIPPED:
            continue
        for mode in modes:
            try:
                fuzz_operation(operation, mode, headers, MAX_EXAMPLES)
            except hypothesis.errors.Unsatisfiable:
                nothing_invalid.append(operation.label)  # every request it takes is valid
            except (Exception, FailureGroup) as failure:
                failures.append(f"{operation.label} ({mode.value}): {failure}")
    print(f"fuzzed {len(operations)} operations in {time.monotonic() - started:.1f} s")
    if nothing_invalid:
        print("no invalid request to make:", ", ".join(nothing_invalid))
    assert not failures, "\n\n".join(failures)
