"""Load and faults: Sasae-ai under a mixed load on PostgreSQL, with processes killed and the
database restarted in the middle of it (see bench/README.md, "Load and faults").

    .venv/bin/python bench/load.py [--clients 32] [--seconds 60] [--workers 3]

A private PostgreSQL cluster (bench/pgcluster.py) gets the demo's data; ``sasaeai serve``
(gunicorn) and ``sasaeai worker`` run as real processes; staff and public clients send
requests for ``--seconds`` while, one after the other: a gunicorn worker is killed (SIGKILL);
the task worker is killed in the writing pass of a large member import, then while a newsletter
goes to every subscriber, and started again each time; PostgreSQL is restarted. A table says
what was tried, the 5xx answers inside each planned outage and outside them (must be 0), and
what was lost (must be 0). Exit status 1 when anything was lost, a 5xx came outside a planned
outage, or a fault could not be tried. Everything runs on 127.0.0.1 and is removed at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import faults
from bench.loadclients import Load
from bench.pgcluster import PrivateCluster, unavailable_reason
from bench.report import report

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "sasaeai_load"
CACHE = Path(tempfile.gettempdir()) / "sasaeai-load-cache"
LOGS = Path(tempfile.gettempdir()) / "sasaeai-load-logs"


def data_key(subscribers: int) -> str:
    """What the demo's database depends on: the project's code and data files (migrations,
    demo, generator, regions) and the bench's set-up step; any change makes it again."""
    digest = hashlib.sha256(f"{subscribers}".encode())
    files = [
        path
        for path in sorted((ROOT / "sasaeai").rglob("*"))
        if path.suffix in {".py", ".json", ".csv"} and "tests" not in path.parts
    ]
    for path in [*files, ROOT / "bench" / "loadsteps.py"]:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=60, help="length of the load")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--subscribers", type=int, default=3000, help="newsletter subscribers")
    parser.add_argument("--import-rows", type=int, default=30000, help="0: no import fault")
    parser.add_argument("--grace", type=float, default=2.0, help="seconds after an outage")
    parser.add_argument(
        "--restart-mode", choices=["fast", "immediate"], default="fast",
        help="pg_ctl restart -m (immediate: as a crash)",
    )  # fmt: skip
    parser.add_argument(
        "--no-cache", action="store_true",
        help=f"make the demo database afresh and keep no copy (cache: {CACHE})",
    )  # fmt: skip
    parser.add_argument(
        "--plain-static", action="store_true",
        help="skip collectstatic (pages only; the CI-sized test)",
    )  # fmt: skip
    return parser.parse_args(argv)


def recipe_gunicorn_args() -> str:
    """``GUNICORN_CMD_ARGS`` of ``deploy/sasaeai.env.example``, so that the bench's gunicorn
    has the timeouts a deployment has (gunicorn's own default is 30 s)."""
    example = (ROOT / "deploy" / "sasaeai.env.example").read_text(encoding="utf-8")
    found = re.search(r"^GUNICORN_CMD_ARGS=(.*)$", example, flags=re.M)
    if found is None:
        raise RuntimeError("deploy/sasaeai.env.example sets no GUNICORN_CMD_ARGS")
    return found.group(1).strip().strip("'\"")


class Stack:
    """The processes of one run: the private cluster, gunicorn and the task worker."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args, self.work = args, work
        self.mail = work / "mail"
        self.mail.mkdir()
        self.pg = PrivateCluster()
        self.server: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.port = faults.free_port()
        self.env: dict[str, str] = {}

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_database(self) -> None:
        self.pg.start()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SASAEAI_", "DJANGO_"))},
            "DATABASE_URL": f"{self.pg.url}/{DATABASE}",
            "SASAEAI_DATA_DIR": str(self.work / "data"),
            "SASAEAI_LOAD_MAIL_DIR": str(self.mail),
            "SASAEAI_LOAD_PLAIN_STATIC": "1" if self.args.plain_static else "0",
            "PYTHONPATH": str(ROOT),
            "SASAEAI_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "bench.load_settings",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SASAEAI_REQUIRE_CENTER_STAFF_MFA": "false",
            "SASAEAI_SITE_URL": self.base,
            "SASAEAI_WORKER_ID": "load-worker-1",
            "LOG_LEVEL": "WARNING",
            # gunicorn as the deployment recipe runs it (timeouts, recycling).
            "GUNICORN_CMD_ARGS": recipe_gunicorn_args(),
        }

    def data(self) -> dict:
        """The demo's database: restored from the cache made by an earlier run of the same
        code, or migrated and loaded now (then cached, unless ``--no-cache``)."""
        key = data_key(self.args.subscribers)
        dump, meta = CACHE / f"{key}.pgc", CACHE / f"{key}.json"
        if not self.args.no_cache and dump.exists() and meta.exists():
            started = time.monotonic()
            self.pg.restore(DATABASE, dump)
            return {**json.loads(meta.read_text()), "restored": time.monotonic() - started}
        self.pg.createdb(DATABASE)
        setup = self.step("setup", str(self.args.subscribers))
        if not self.args.no_cache:
            self.pg.dump(DATABASE, dump)
            staged = meta.with_suffix(f".{os.getpid()}.tmp")
            staged.write_text(json.dumps(setup))
            staged.replace(meta)  # whole or absent, for a run started at the same time
        return setup

    def step(self, name: str, argument: str = "") -> dict:
        command = [sys.executable, "-m", "bench.loadsteps", name, argument]
        done = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True)  # noqa: S603
        if done.returncode:
            raise RuntimeError(f"step {name} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start_server(self) -> None:
        if not self.args.plain_static:
            command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
            subprocess.run(command, cwd=ROOT, env=self.env, check=True)  # noqa: S603
        command = [sys.executable, "-m", "sasaeai.cli", "serve", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(self.args.workers)]
        self.server = self._spawn(command, "server.log")
        faults.wait_for_health(self.base, self.server, self.work / "server.log")

    def start_worker(self) -> None:
        command = [sys.executable, "-m", "sasaeai.cli", "worker", "--interval", "0.2"]
        self.worker = self._spawn([*command, "--no-startup-delay"], "worker.log")

    def kill_worker(self) -> None:
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def _spawn(self, command: list[str], log: str) -> subprocess.Popen:
        with (self.work / log).open("ab") as output:
            return subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=self.env, stdout=output, stderr=output,
                start_new_session=True,
            )  # fmt: skip

    def stop(self) -> None:
        """Every process of the run ended and the cluster removed, whatever happened."""
        for process in (self.server, self.worker):
            if process is not None and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(10)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        self.pg.stop()


def run(args: argparse.Namespace, work: Path) -> tuple[list[str], bool]:
    """One run in ``work``; the lines to print and whether every invariant held."""
    stack = Stack(args, work)
    try:
        begun = time.monotonic()
        stack.start_database()
        setup = stack.data()
        import_file = None
        if args.import_rows:
            spec = f"{work / 'members.csv'}:{args.import_rows}"
            import_file = stack.step("import-file", spec)
        stack.start_server()
        stack.start_worker()
        prepared = time.monotonic() - begun
        load = Load(stack.base, args.clients, setup, (setup["staff"], setup["password"]))
        sessions = load.sessions()
        wrong = load.check(sessions)
        if wrong:
            raise RuntimeError("requests of the mix do not answer as expected: " + "; ".join(wrong))
        load.start(sessions)
        records = faults.inject(stack, load, args, import_file)
        while load.now() < args.seconds:
            time.sleep(0.2)
        load.finish()
        records.append(faults.writes_kept(stack, load))
        records.append(faults.queue_drained(stack))
        return report(load, records, args, setup, prepared)
    finally:
        keep_logs(work, stack.pg.log)
        stack.stop()


def keep_logs(work: Path, postgres_log: Path) -> None:
    """The run's logs (gunicorn, worker, PostgreSQL) copied to ``LOGS``, replacing the last
    run's: the work directory is removed."""
    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    for log in [*work.glob("*.log"), postgres_log]:
        if log.exists():
            shutil.copyfile(log, LOGS / ("postgresql.log" if log == postgres_log else log.name))


def main(argv=None) -> int:
    args = parse_args(argv)
    reason = unavailable_reason()
    if reason:
        print(f"bench/load.py: cannot run: {reason}", file=sys.stderr)
        return 2
    # SIGTERM (a test's timeout) ends the run through its clean-up, as Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with tempfile.TemporaryDirectory(prefix="sasaeai-load-") as work:
        lines, held = run(args, Path(work))
    print("\n".join(lines))
    print(f"  logs of this run: {LOGS}")
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
