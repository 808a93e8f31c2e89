"""The worker of the database task queue (``sasaeai worker``), made to survive crashes.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when it
ends. A worker killed in between (SIGKILL, out of memory, the machine stopping) leaves the task
RUNNING for ever: nothing runs it again. So each worker has a stable name
(``SASAEAI_WORKER_ID``, else the host's name; one name per worker process), and a worker that
starts puts the tasks still RUNNING under its own name back in the queue: they can only be
left over from its previous life. The tasks of this project are written to be run again (an
import is one transaction; a newsletter batch skips what was sent).

A lost database connection (PostgreSQL restarted) ends ``db_worker`` with an error; the worker
then waits and starts again with the same name, so that the task it held is run again too.
"""

from __future__ import annotations

import logging
import os
import socket
import time

logger = logging.getLogger(__name__)

RESTART_DELAY = 2.0


def worker_id() -> str:
    """The stable name of this worker process: ``SASAEAI_WORKER_ID`` or the host's name."""
    return (os.environ.get("SASAEAI_WORKER_ID") or socket.gethostname() or "worker")[:64]


def requeue_abandoned(*, worker: str) -> int:
    """Put back in the queue the tasks left RUNNING by an earlier run of ``worker``."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    abandoned = [
        pk
        for pk, workers in running.values_list("pk", "worker_ids")
        if workers and workers[-1] == worker
    ]
    if not abandoned:
        return 0
    count = DBTaskResult.objects.filter(pk__in=abandoned, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )
    logger.warning("worker %s: %d abandoned task(s) queued again", worker, count)
    return count


def _with_worker_id(arguments: list[str], worker: str) -> list[str]:
    if any(arg == "--worker-id" or arg.startswith("--worker-id=") for arg in arguments):
        return arguments
    return [*arguments, "--worker-id", worker]


def _given_worker_id(arguments: list[str]) -> str | None:
    for index, arg in enumerate(arguments):
        if arg.startswith("--worker-id="):
            return arg.split("=", 1)[1]
        if arg == "--worker-id" and index + 1 < len(arguments):
            return arguments[index + 1]
    return None


def run_worker(arguments: list[str]) -> None:
    """``db_worker`` under a stable name, after queueing again what that name left running;
    started again after a database error (a lost connection) until it ends by itself. A
    database that cannot be reached at the start is an error for the caller to report."""
    from django.core.management import call_command
    from django.db import DatabaseError, InterfaceError, close_old_connections, connections

    worker = _given_worker_id(arguments) or worker_id()
    arguments = _with_worker_id(arguments, worker)
    started = False
    while True:
        try:
            requeue_abandoned(worker=worker)
            started = True
            call_command("db_worker", *arguments)
            return
        except (DatabaseError, InterfaceError) as error:  # a lost or closed connection
            if not started:
                raise  # no database at all: a configuration error, said once
            logger.warning("worker %s: database error, starting again: %s", worker, error)
            connections.close_all()
            close_old_connections()
            time.sleep(RESTART_DELAY)
