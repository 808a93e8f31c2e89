"""``/healthz``: what a monitor and an operator read about the database and the task queue."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, ProgrammingError, connection
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def noop() -> None:
    """A task for the queue to hold; no worker runs here."""


def age_queued(result, minutes: int) -> None:
    queued = timezone.now() - timedelta(minutes=minutes)
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=queued)


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_an_empty_queue_and_a_working_database_are_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "tasks": {"backend": "database", "status": "ok", "ready": 0, "oldest_ready_seconds": None},
    }


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_the_health_check_reports_how_long_the_oldest_ready_task_has_waited(client):
    age_queued(noop.enqueue(), minutes=3)
    noop.enqueue()
    tasks = client.get("/healthz").json()["tasks"]
    assert tasks["status"] == "ok"
    assert tasks["ready"] == 2
    assert 175 <= tasks["oldest_ready_seconds"] <= 240


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_task_deferred_to_later_is_not_waiting_yet(client):
    noop.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()
    tasks = client.get("/healthz").json()["tasks"]
    assert tasks["ready"] == 0
    assert tasks["oldest_ready_seconds"] is None


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_deferred_task_waits_from_the_time_it_was_due_not_from_when_it_was_queued(client):
    result = noop.using(run_after=timezone.now() - timedelta(minutes=2)).enqueue()
    age_queued(result, minutes=60 * 24)
    tasks = client.get("/healthz").json()["tasks"]
    assert tasks["ready"] == 1
    assert 115 <= tasks["oldest_ready_seconds"] <= 180
    assert tasks["status"] == "ok"


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_task_waiting_too_long_means_a_stuck_worker_but_the_site_still_serves(client):
    age_queued(noop.enqueue(), minutes=16)
    response = client.get("/healthz")
    # 200: a load balancer must not take the web servers out for a stopped worker.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["tasks"]["status"] == "stale"
    assert body["tasks"]["oldest_ready_seconds"] >= 16 * 60


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_database_that_does_not_answer_makes_the_check_fail_with_503(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error",
        "tasks": {"backend": "database", "status": "unknown"},
    }
    assert "gone" not in response.content.decode()  # details go to the log, not the public


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_queue_table_that_does_not_answer_makes_the_check_fail_with_503(client):
    missing = ProgrammingError('relation "django_tasks_database_dbtaskresult" does not exist')
    with mock.patch("sasaeai.core.health.DBTaskResult.objects.ready", side_effect=missing):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["tasks"] == {"backend": "database", "status": "error"}


@pytest.mark.django_db
def test_a_queue_outside_the_database_is_named_and_not_checked(client):
    # The test profile runs tasks immediately; Redis-backed queues are checked by their own tools.
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["tasks"] == {"backend": "ImmediateBackend", "status": "not checked"}


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_the_health_check_is_never_cached_and_costs_two_queries(
    client, django_assert_max_num_queries
):
    for minutes in (1, 2, 3):
        age_queued(noop.enqueue(), minutes=minutes)
    with django_assert_max_num_queries(2):
        response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]
    assert response.json()["tasks"]["ready"] == 3
