"""A worker killed mid-task: its task is run again when the worker starts again."""

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from sasaeai.core import taskqueue

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def double(n: int) -> int:
    return 2 * n


def _left_running(result, worker: str) -> None:
    """What a worker killed by SIGKILL leaves behind: the task claimed and never finished."""
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker)


@pytest.mark.django_db(transaction=True)  # db_worker closes connections between tasks
@override_settings(TASKS=DB_TASKS)
def test_a_task_left_running_by_a_killed_worker_is_run_when_that_worker_starts_again():
    killed = double.enqueue(21)
    _left_running(killed, "worker-a")
    taskqueue.run_worker(["--batch", "--no-startup-delay", "--worker-id", "worker-a"])
    killed.refresh()
    assert killed.status == TaskResultStatus.SUCCESSFUL
    assert killed.return_value == 42
    assert killed.worker_ids == ["worker-a", "worker-a"]


@override_settings(TASKS=DB_TASKS)
def test_the_tasks_another_worker_is_running_are_left_alone():
    other = double.enqueue(1)
    _left_running(other, "worker-b")
    assert taskqueue.requeue_abandoned(worker="worker-a") == 0
    row = DBTaskResult.objects.get(pk=other.id)
    assert row.status == TaskResultStatus.RUNNING
    assert row.started_at <= timezone.now()


@override_settings(TASKS=DB_TASKS)
def test_the_worker_takes_its_stable_name_from_the_environment(monkeypatch):
    monkeypatch.setenv("SASAEAI_WORKER_ID", "web-1-worker")
    assert taskqueue.worker_id() == "web-1-worker"
    killed = double.enqueue(5)
    _left_running(killed, "web-1-worker")
    assert taskqueue.requeue_abandoned(worker=taskqueue.worker_id()) == 1
    killed.refresh()
    assert killed.status == TaskResultStatus.READY


def test_a_database_error_after_the_start_starts_the_worker_again(monkeypatch):
    from django.core import management
    from django.db import InterfaceError, OperationalError

    calls = []

    def flaky(name, *arguments):
        calls.append(arguments)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        if len(calls) == 2:
            raise InterfaceError("connection already closed")

    monkeypatch.setattr(management, "call_command", flaky)
    monkeypatch.setattr(taskqueue, "RESTART_DELAY", 0)
    monkeypatch.setattr(taskqueue, "requeue_abandoned", lambda worker: 0)
    taskqueue.run_worker(["--batch", "--worker-id", "w"])
    assert len(calls) == 3
    assert calls[0] == ("--batch", "--worker-id", "w")
