"""The faults of bench/load.py, each injected during the load and checked for what it lost,
and the report: throughput, latency, errors by kind, and the table of faults."""

from __future__ import annotations

import email
import json
import os
import signal
import socket
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.loadclients import log_in, post_form

MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"
IMPORT_PREFIX = "812345"  # bench.loadsteps.IMPORT_BASE's first digits
RECOVERY_TIMEOUT = 180.0


@dataclass
class Fault:
    """A fault tried (or not), when, its planned HTTP outage (None: none planned, so any 5xx
    during it counts as outside), and what it lost."""

    name: str
    at: float | None
    window: tuple[float, float] | None
    lost: int
    detail: str
    tried: bool = True
    until: float | None = None  # when a fault without a planned outage was over


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_health(base: str, server, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped while starting: {log.read_text()[-2000:]}")
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server did not answer /healthz within {timeout:.0f} s")


def _until(condition, what: str, timeout: float = RECOVERY_TIMEOUT, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


def _wait_until(load, at: float) -> None:
    while load.now() < at:
        time.sleep(0.05)


def inject(stack, load, args, import_file: dict | None) -> list[Fault]:
    """The faults one after the other, each at its share of the load's length (or right after
    the one before, if that took longer)."""
    planned = [(0.1, "gunicorn worker SIGKILL", kill_gunicorn_worker)]
    if import_file:
        planned.append(
            (
                0.25,
                "task worker SIGKILL mid-import",
                lambda s, ld, a: kill_worker_mid_import(s, ld, import_file),
            )
        )
    planned += [
        (0.45, "task worker SIGKILL mid-newsletter", kill_worker_mid_newsletter),
        (0.75, "PostgreSQL restart", restart_postgres),
    ]
    records = []
    for share, name, fault in planned:
        _wait_until(load, share * args.seconds)
        try:
            records.append(fault(stack, load, args))
        except requests.RequestException as error:
            # The fault's own set-up (a staff login, a button) got no answer under the load:
            # a row that says so, and the verdict "not held", rather than a traceback.
            reason = f"could not be tried: {type(error).__name__} {error}"[:200]
            records.append(Fault(name, None, None, 0, reason, False))
        time.sleep(1.0)
    return records


# (1) a gunicorn worker ------------------------------------------------------------------------


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def kill_gunicorn_worker(stack, load, args) -> Fault:
    before = children(stack.server.pid)
    victim = min(before)
    at = load.now()
    os.kill(victim, signal.SIGKILL)

    def replaced() -> set[int] | None:
        now = children(stack.server.pid)
        return now if now - before and len(now) == len(before) else None

    respawned = _until(replaced, "the gunicorn master to start a new worker")
    back = load.now()
    return Fault(
        "gunicorn worker SIGKILL", at, (at, back + args.grace), 0,
        f"pid {victim} of {len(before)}; master started pid {min(respawned - before)}"
        f" after {back - at:.1f} s",
    )  # fmt: skip


# (2) the task worker --------------------------------------------------------------------------


def _row(stack, sql: str) -> list[str]:
    """One row of a query on the private cluster; the SQL is the bench's own, with integers
    and constants only."""
    return stack.pg.psql("sasaeai_load", sql).split("|")


def kill_worker_mid_import(stack, load, import_file: dict) -> Fault:
    """Killed in the import's writing pass with every row written and none committed, then
    started again: the rows are none after the kill, and all once the job ran again.

    To land the kill there whatever the machine's load, the bench holds two locks in turn: the
    corporations' table (``SHARE``, which reads pass) from before the upload, so that the
    writing pass's first ``COPY`` waits, the check pass done; then the job's row (``FOR
    UPDATE``), before letting the ``COPY`` go, so that the pass's last statement, the job's
    summary, waits inside the transaction with every row written. The worker is killed while
    it waits, and the row released."""
    import psycopg

    rows = import_file["rows"]
    url = f"{stack.pg.url}/sasaeai_load"
    with (
        psycopg.connect(url) as hold_table,
        psycopg.connect(url) as hold_row,
        psycopg.connect(url, autocommit=True) as watch,
    ):
        hold_table.execute("LOCK TABLE members_corporation IN SHARE MODE")
        job = stack.step("import-start", import_file["path"])
        if "error" in job:
            return Fault("task worker SIGKILL mid-import", None, None, rows, job["error"], False)
        job_id = int(job["job"])

        def waiting_in(statement: str):
            def check() -> tuple | None:
                status = watch.execute(
                    "SELECT status FROM members_importjob WHERE id = %s", [job_id]
                ).fetchone()[0]
                found = watch.execute(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND starts_with(query, %s)",
                    [statement],
                ).fetchone()
                return (
                    (status, found[0] if found else None) if found or status != "running" else None
                )

            return check

        status, backend = _until(waiting_in('COPY "members_corporation"'), "the writing pass")
        if backend is not None:
            hold_row.execute("SELECT 1 FROM members_importjob WHERE id = %s FOR UPDATE", [job_id])
            hold_table.rollback()  # the COPYs go on, up to the job's summary
            status, backend = _until(
                waiting_in('UPDATE "members_importjob"'), "the writing pass's last statement"
            )
        if backend is None:
            return Fault(
                "task worker SIGKILL mid-import", None, None, 0,
                f"the import ended ({status}) before the kill: not tried", False,
            )  # fmt: skip
        at = load.now()
        stack.kill_worker()
        hold_row.rollback()  # the row released: the killed worker's backend ends its transaction
        _until(
            lambda: (
                not watch.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]
                ).fetchone()
            ),
            "the killed worker's backend to end",
        )
    query = f"SELECT status FROM members_importjob WHERE id={job_id}"  # noqa: S608
    count = (
        f"SELECT count(*) FROM members_corporation WHERE corporate_number LIKE '_{IMPORT_PREFIX}%'"  # noqa: S608
    )
    after_kill = int(_row(stack, count)[0])
    stack.start_worker()
    _until(lambda: _row(stack, query)[0] in {"done", "failed"}, "the import run again", every=0.3)
    final_status = _row(stack, query)[0]
    final = int(_row(stack, count)[0])
    half = after_kill not in {0, rows}
    lost = (rows - final) + (after_kill if half else 0)
    return Fault(
        "task worker SIGKILL mid-import", at, None, lost,
        f"{rows:,} rows written, not committed, at the kill: {after_kill:,} after it (all or"
        f" nothing: {'NO' if half else 'yes'}), {final:,} after the restart (job"
        f" {final_status}, {load.now() - at:.1f} s)", until=load.now(),
    )  # fmt: skip


def kill_worker_mid_newsletter(stack, load, args) -> Fault:
    """Killed while an issue goes to every subscriber, then started again: each subscriber
    has the issue, under one Message-ID, and never two different messages."""
    issue, subscribers = load.ids["newsletter"]["issue"], load.ids["newsletter"]["subscribers"]
    staff = log_in(stack.base, *load.staff)
    answer = post_form(staff, f"{stack.base}/publishing/newsletters/{issue}/send/")
    if answer.status_code != 302:
        return Fault(
            "task worker SIGKILL mid-newsletter", None, None, 0,
            f"the send button answered {answer.status_code}: not tried", False,
        )  # fmt: skip
    counts = (
        "SELECT count(*) FILTER (WHERE sent_at IS NOT NULL), count(*),"  # noqa: S608
        " count(*) FILTER (WHERE claimed_by <> '' AND sent_at IS NULL)"
        f" FROM publishing_delivery WHERE newsletter_id={int(issue)}"
    )

    def progress() -> tuple[int, int, int]:
        return tuple(int(value) for value in _row(stack, counts))

    target = max(1, len(subscribers) // 4)
    _until(lambda: progress()[0] >= target, "a quarter of the issue's mail", every=0.02)
    at = load.now()
    stack.kill_worker()
    sent_at_kill, _total, in_doubt = progress()
    if sent_at_kill >= len(subscribers):
        return Fault(
            "task worker SIGKILL mid-newsletter", None, None, 0,
            "the issue was sent before the kill: not tried", False,
        )  # fmt: skip
    stack.start_worker()
    _until(
        lambda: progress()[:2] == (len(subscribers), len(subscribers)),
        "every delivery marked sent", every=0.3,
    )  # fmt: skip
    files, ids = mails_of_issue(stack.mail, issue)
    missing = [address for address in subscribers if not ids.get(address)]
    twice = [address for address, found in ids.items() if len(found) > 1]
    resent = sum(count - 1 for count in files.values() if count > 1)
    return Fault(
        "task worker SIGKILL mid-newsletter", at, None, len(missing) + len(twice),
        f"{len(subscribers):,} subscribers; {sent_at_kill:,} sent at the kill ({in_doubt} claimed"
        f" in flight); after the restart {len(subscribers) - len(missing):,} have it, {len(twice)}"
        f" two different messages, {resent} the same message again ({load.now() - at:.1f} s)",
        until=load.now(),
    )  # fmt: skip


def mails_of_issue(directory: Path, issue: int) -> tuple[Counter, dict[str, set[str]]]:
    """Messages of the issue in the file backend's files: how many per recipient, and their
    Message-IDs."""
    prefix = f"<newsletter-{issue}."
    files: Counter = Counter()
    ids: dict[str, set[str]] = {}
    for path in directory.iterdir():
        for chunk in path.read_bytes().split(MAIL_SEPARATOR):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk)
            message_id, to = message.get("Message-ID", ""), message.get("To", "")
            if message_id.startswith(prefix):
                files[to] += 1
                ids.setdefault(to, set()).add(message_id)
    return files, ids


# (3) PostgreSQL -------------------------------------------------------------------------------


def restart_postgres(stack, load, args) -> Fault:
    at = load.now()
    seconds = stack.pg.restart(mode=args.restart_mode)
    back = load.now()
    return Fault(
        f"PostgreSQL restart (-m {args.restart_mode})", at, (at, back + args.grace), 0,
        f"down and up again in {seconds:.1f} s; no manual action",
    )  # fmt: skip


# After the load -------------------------------------------------------------------------------


def writes_kept(stack, load) -> Fault:
    listing = stack.work / "acknowledged.json"
    listing.write_text(json.dumps(load.acknowledged))
    found = stack.step("registrations", str(listing))
    return Fault(
        "acknowledged writes (201)", None, None, found["acknowledged"] - found["found"],
        f"{found['found']:,} of {found['acknowledged']:,} registrations answered 201 are in"
        " the database",
    )  # fmt: skip


def queue_drained(stack) -> Fault:
    """Every queued task (mails of the registrations too) ran, none failed, none stuck."""
    counts = "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"

    def statuses() -> dict[str, int]:
        text = stack.pg.psql("sasaeai_load", counts)
        return {line.split("|")[0]: int(line.split("|")[1]) for line in text.splitlines() if line}

    def drained() -> dict[str, int] | None:
        found = statuses()
        return None if found.get("READY") or found.get("RUNNING") else found

    try:
        done = _until(drained, "the task queue to drain", timeout=120, every=0.5)
    except RuntimeError:
        done = statuses()
    left = done.get("READY", 0) + done.get("RUNNING", 0) + done.get("FAILED", 0)
    detail = ", ".join(f"{status.lower()} {n:,}" for status, n in sorted(done.items()))
    return Fault("task queue after the load", None, None, left, detail)
