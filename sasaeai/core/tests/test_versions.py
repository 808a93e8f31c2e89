"""Version tokens: replaced after the commit, once per name and transaction, and not lost when
a savepoint that queued the replacement rolls back."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sasaeai.core.versions import bump, tokens

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_token_changes_after_the_commit_only():
    before = tokens("probe")
    with transaction.atomic():
        bump("probe")
        assert tokens("probe") == before
    assert tokens("probe") != before


def test_many_writes_in_one_transaction_replace_a_token_once():
    bump("probe", "other")  # the rows exist: a replacement is then one UPDATE
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        for _ in range(50):
            bump("probe", "other")
    writes = [q["sql"] for q in captured.captured_queries if "dataversion" in q["sql"]]
    assert len(writes) == 2, writes


def test_a_rolled_back_savepoint_does_not_swallow_the_next_bump():
    before = tokens("probe")
    with transaction.atomic():
        try:
            with transaction.atomic():
                bump("probe")
                raise RuntimeError
        except RuntimeError:
            pass
        bump("probe")  # queued again: the rolled-back one was dropped
    assert tokens("probe") != before


def test_a_rolled_back_transaction_leaves_the_token():
    bump("probe")  # outside a transaction: at once
    before = tokens("probe")
    try:
        with transaction.atomic():
            bump("probe")
            raise RuntimeError
    except RuntimeError:
        pass
    assert tokens("probe") == before
    bump("probe")
    assert tokens("probe") != before
