"""What ``/healthz`` checks: the database answers, and the task queue answers and moves.

Two queries at most, both cheap: ``SELECT 1``, then one aggregate over the ready tasks (the
queue's partial index on ready rows serves it). The answer, documented in README 本番環境への配置:

``status``
    ``ok``; ``degraded`` when a ready task has waited longer than ``STALE_AFTER`` (the worker
    is stopped or stuck: the site still serves, mail and imports wait); ``error`` when the
    database or the queue's table does not answer (HTTP 503).
``database``
    ``ok`` or ``error``.
``tasks``
    ``backend`` (``database`` for django-tasks-db, else the backend's class name, which is
    ``not checked`` here), ``status`` (``ok``, ``stale``, ``error``; ``unknown`` when the
    database is down), ``ready`` (tasks due and not started) and ``oldest_ready_seconds``
    (how long the longest-waiting of them has been due; ``null`` when none).

Errors are logged with their cause; the public answer never carries it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import DatabaseError, connection
from django.db.models import Count, Min, Q
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

# The worker polls every second; a task due for this long means no worker is taking work.
STALE_AFTER = timedelta(minutes=15)


def check_health() -> tuple[dict, bool]:
    """The health report and whether the site can serve (False: answer 503)."""
    database_ok = _database_answers()
    tasks = _queue_report() if database_ok else _unknown_queue()
    if not database_ok or tasks["status"] == "error":
        status = "error"
    elif tasks["status"] == "stale":
        status = "degraded"
    else:
        status = "ok"
    report = {"status": status, "database": "ok" if database_ok else "error", "tasks": tasks}
    return report, status != "error"


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("healthz: the database does not answer")
        return False
    return True


def _backend():
    return task_backends[DEFAULT_TASK_BACKEND_ALIAS]


def _unknown_queue() -> dict:
    if isinstance(_backend(), DatabaseBackend):
        return {"backend": "database", "status": "unknown"}
    return _not_checked()


def _not_checked() -> dict:
    return {"backend": type(_backend()).__name__, "status": "not checked"}


def _queue_report() -> dict:
    if not isinstance(_backend(), DatabaseBackend):
        return _not_checked()
    undeferred = Q(run_after=get_date_max())
    try:
        waiting = DBTaskResult.objects.ready().aggregate(
            ready=Count("pk"),
            queued=Min("enqueued_at", filter=undeferred),
            due=Min("run_after", filter=~undeferred),
        )
    except DatabaseError:
        logger.exception("healthz: the task queue's table does not answer")
        return {"backend": "database", "status": "error"}
    # A task is waiting from when it was queued, or from when it fell due if it was deferred.
    since = min((moment for moment in (waiting["queued"], waiting["due"]) if moment), default=None)
    waited = max(timezone.now() - since, timedelta(0)) if since else None
    return {
        "backend": "database",
        "status": "stale" if waited and waited > STALE_AFTER else "ok",
        "ready": waiting["ready"],
        "oldest_ready_seconds": int(waited.total_seconds()) if waited is not None else None,
    }
