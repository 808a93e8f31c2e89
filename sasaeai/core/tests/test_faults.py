"""Load and faults, CI-sized: ``bench/load.py`` with small numbers (8 clients for 10 s, a
gunicorn worker killed, the task worker killed mid-import of 6,000 rows and mid-newsletter,
PostgreSQL restarted) on a private PostgreSQL cluster of its own. Nothing may be lost and no
5xx may come outside the planned outages; the script's table is printed on failure."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TIMEOUT = 600  # far above what it takes, only to end it cleanly if it hangs

pytestmark = pytest.mark.slow


def _unavailable() -> str | None:
    sys.path.insert(0, str(ROOT))
    try:
        from bench.pgcluster import unavailable_reason
    finally:
        sys.path.remove(str(ROOT))
    return unavailable_reason()


def test_killed_processes_and_a_restarted_database_lose_nothing():
    reason = _unavailable()
    if reason:
        pytest.skip(f"no private PostgreSQL cluster: {reason}")
    command = [
        sys.executable, str(ROOT / "bench" / "load.py"), "--clients", "8", "--seconds", "10",
        "--workers", "2", "--subscribers", "200", "--import-rows", "6000", "--plain-static",
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SASAEAI_", "DJANGO_"))}
    run = subprocess.Popen(  # noqa: S603 — the repository's own script
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        output, _ = run.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        run.send_signal(signal.SIGTERM)  # the script stops its processes and cluster
        output, _ = run.communicate(timeout=60)
        pytest.fail(f"bench/load.py did not end within {TIMEOUT} s:\n{output[-4000:]}")
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == 0, output[-6000:]
    assert "gunicorn worker SIGKILL" in output
    assert "task worker SIGKILL mid-newsletter" in output
    assert (
        "6,000 rows written, not committed, at the kill: 0 after it (all or nothing: yes),"
        in output
    )
    assert "6,000 after the restart (job done" in output
    assert "PostgreSQL restart" in output
    assert "NOT tried" not in output
    assert "5xx outside the planned outages 0, lost 0, faults not tried 0: held" in output
