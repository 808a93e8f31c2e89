"""Benchmarks of Sasae-ai on this machine, in one run (see bench/README.md).

    .venv/bin/python bench/run.py [--scale national|okayama] [--db sqlite|postgres]

(a) Excel import: the generated registry written as .xlsx (one workbook of corporations and
    one of facilities per prefecture), read by a raw python-calamine parse, then imported
    with the project's import into an empty database; the ratio of the two.
(b) HTTP: ``sasaeai serve`` (gunicorn, production settings) on 127.0.0.1 over the generated
    database; p50/p95 latency and requests/s of the membership KPI endpoint and of the
    corporation list page against a minimal Django JSON view on the same server.
(c) Registration rush: on the same server, 500 registrations for the 100 seats of a fresh
    public event posted at once by a pool of client threads; every attempt must be answered
    201, exactly 100 confirmed and the rest waitlisted, in the answers and in the database.
    Throughput and p95 latency against the minimal view, fired the same way.
(d) Survey results: a survey of 40 questions over 5 yearly rounds to every corporation of the
    generated data; the project's cross-tab by municipality and year-over-year table against
    DuckDB computing the same tables from the same answers exported to Parquet (needs duckdb).

Only 127.0.0.1 is contacted; every request count is fixed in advance.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_HOST = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
KPI_PATH = "/api/v1/kpis/membership/?prefecture=33&as_of=2020-03-31"
LIST_PATH = "/members/corporations/"
MINIMAL_PATH = "/bench/minimal/"
GOAL = 3.0
RUSH_ATTEMPTS = 500


# Databases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """One benchmark database and the environment that selects it."""

    env: dict[str, str]
    label: str


def _sqlite(directory: Path, *, fresh: bool) -> Database:
    if fresh and directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return Database({"SASAEAI_DATA_DIR": str(directory)}, str(directory / "sasaeai.sqlite3"))


def _pg_tool(name: str, *arguments: str) -> subprocess.CompletedProcess:
    """Run a PostgreSQL client tool (createdb, dropdb) against the bench's server."""
    tool = shutil.which(name)
    if tool is None:
        sys.exit(f"bench: {name} is not installed")
    server = urllib.parse.urlsplit(PG_HOST)
    connection = ["-h", server.hostname or "127.0.0.1", "-p", str(server.port or 5432)]
    connection += ["-U", server.username or "postgres"]
    command = [tool, *connection, *arguments]
    return subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603


def _postgres(name: str, *, fresh: bool, data_dir: Path) -> Database:
    if fresh:
        _pg_tool("dropdb", "--if-exists", name)
    created = _pg_tool("createdb", "-T", "template0", "-E", "UTF8", "--lc-ctype=C.UTF-8", name)
    if created.returncode and "already exists" not in created.stderr:
        sys.exit(f"bench: createdb {name} failed: {created.stderr.strip()}")
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {"DATABASE_URL": f"{PG_HOST}/{name}", "SASAEAI_DATA_DIR": str(data_dir)}
    return Database(env, f"PostgreSQL {name}")


def databases(db: str, scale: str, work: Path) -> tuple[Database, Database]:
    """The generated database (kept between runs) and an empty one for the import."""
    if db == "sqlite":
        return _sqlite(work / "main", fresh=False), _sqlite(work / "import", fresh=True)
    return (
        _postgres(f"sasaeai_bench_{scale}", fresh=False, data_dir=work / "main"),
        _postgres(f"sasaeai_bench_{scale}_import", fresh=True, data_dir=work / "import"),
    )


def worker(step: str, argument: str, database: Database) -> dict:
    """Run one Django-side step (bench/worker.py) against ``database``."""
    env = {**os.environ, **database.env, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "bench.worker", step, argument]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        sys.exit(f"bench: step {step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# (a) Excel import -----------------------------------------------------------------------------


def calamine_parse(paths: list[str]) -> tuple[float, int]:
    """The raw parse: every row of every workbook read by python-calamine, nothing else."""
    from python_calamine import CalamineWorkbook

    started, rows = time.perf_counter(), 0
    for path in paths:
        for _row in CalamineWorkbook.from_path(path).get_sheet_by_index(0).iter_rows():
            rows += 1
    return time.perf_counter() - started, rows


def openpyxl_parse(paths: list[str]) -> float:
    """openpyxl's read-only mode on the same files, for reference."""
    from openpyxl import load_workbook

    started = time.perf_counter()
    for path in paths:
        workbook = load_workbook(path, read_only=True)
        for _row in workbook.worksheets[0].iter_rows(values_only=True):
            pass
        workbook.close()
    return time.perf_counter() - started


def bench_import(main: Database, empty: Database, work: Path) -> list[str]:
    xlsx = work / "xlsx"
    shutil.rmtree(xlsx, ignore_errors=True)
    xlsx.mkdir(parents=True)
    started = time.perf_counter()
    files = worker("export", str(xlsx), main)["files"]
    written = time.perf_counter() - started
    listing = work / "files.json"
    listing.write_text(json.dumps({"files": files}))
    paths = [item["path"] for item in files]
    calamine, rows_read = calamine_parse(paths)
    openpyxl = openpyxl_parse(paths)
    worker("fresh", "", empty)
    imported = worker("import", str(listing), empty)["files"]
    return import_table(imported, calamine, openpyxl, rows_read, written)


def import_table(imported, calamine, openpyxl, rows_read, written) -> list[str]:
    rows = sum(item["rows"] for item in imported)
    seconds = sum(item["seconds"] for item in imported)
    size = sum(Path(item["path"]).stat().st_size for item in imported) / 1e6
    by_kind = {
        kind: sum(i["seconds"] for i in imported if i["kind"] == kind)
        for kind in ("corporations", "facilities")
    }
    counts = {kind: sum(i["rows"] for i in imported if i["kind"] == kind) for kind in by_kind}
    line = "  {:<46} {:>9,} {:>9.2f} {:>10,.0f} {:>8}"
    return [
        f"(a) Excel import: {len(imported)} workbooks ({size:.1f} MB), {counts['corporations']:,}"
        f" corporations + {counts['facilities']:,} facilities; written by openpyxl in"
        f" {written:.1f} s",
        "  {:<46} {:>9} {:>9} {:>10} {:>8}".format("", "rows", "seconds", "rows/s", "ratio"),
        line.format("raw python-calamine parse (iter_rows)", rows_read, calamine,
                    rows_read / calamine, "1.00x"),
        line.format("openpyxl read-only parse (reference)", rows_read, openpyxl,
                    rows_read / openpyxl, f"{openpyxl / calamine:.2f}x"),
        line.format("project import, commit_import (all files)", rows, seconds, rows / seconds,
                    f"{seconds / calamine:.2f}x"),
        line.format("  of which corporations", counts["corporations"], by_kind["corporations"],
                    counts["corporations"] / by_kind["corporations"], ""),
        line.format("  of which facilities", counts["facilities"], by_kind["facilities"],
                    counts["facilities"] / by_kind["facilities"], ""),
        f"  import / calamine = {seconds / calamine:.2f}x (goal <= {GOAL:.0f}x:"
        f" {'met' if seconds / calamine <= GOAL else 'NOT met'})",
    ]  # fmt: skip


# (b) HTTP -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database: Database) -> dict[str, str]:
    """Production settings, with what a plain-HTTP loopback bench needs switched off: the
    HTTPS redirect, and the second factor that center staff must otherwise set up first."""
    return {
        **os.environ,
        **database.env,
        "PYTHONPATH": str(ROOT),
        "SASAEAI_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SASAEAI_REQUIRE_CENTER_STAFF_MFA": "false",
        "LOG_LEVEL": "WARNING",
    }


def start_server(database: Database, port: int, workers: int, log: Path) -> subprocess.Popen:
    env = server_env(database)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    command = [sys.executable, "-m", "sasaeai.cli", "serve"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    with log.open("ab") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"bench: the server stopped while starting; see {log}")
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("bench: the server did not answer /healthz within 60 s")


def request(port: int, method: str, path: str, *, body: bytes | None = None, headers=None):
    """One request on a new connection (gunicorn's sync workers close after each)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def _cookies(headers, jar: dict[str, str]) -> dict[str, str]:
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return jar


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{key}={value}" for key, value in jar.items())


def log_in(port: int, username: str, password: str) -> dict[str, str]:
    """A session as a person gets one: the login page's form, posted with its CSRF token."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    jar = _cookies(headers, {})
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None:
        sys.exit(f"bench: the login page answered {status}")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1).decode(), "login": username, "password": password}
    ).encode()
    status, headers, _ = request(
        port, "POST", "/accounts/login/", body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Cookie": _cookie_header(jar), "Referer": f"http://127.0.0.1:{port}/"},
    )  # fmt: skip
    jar = _cookies(headers, jar)
    if status != 302 or "sessionid" not in jar:
        sys.exit(f"bench: logging in as {username} failed ({status})")
    return {"Cookie": _cookie_header(jar)}


def api_token(port: int, username: str, password: str) -> dict[str, str]:
    body = json.dumps({"username": username, "password": password}).encode()
    status, _, answer = request(
        port, "POST", "/api/v1/auth/token/", body=body,
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    if status != 200:
        sys.exit(f"bench: no API token ({status}): {answer[:200]!r}")
    return {"Authorization": f"Token {json.loads(answer)['token']}"}


@dataclass(frozen=True)
class Measure:
    label: str
    status: int
    p50: float
    p95: float
    per_second: float
    errors: int


def measure(port: int, label: str, path: str, headers, *, count: int, warmup: int, threads: int):
    """``warmup`` requests, then ``count`` requests shared by ``threads`` client threads."""
    status = request(port, "GET", path, headers=headers)[0]
    if status != 200:
        return Measure(label, status, 0, 0, 0, count)
    for _ in range(warmup):
        request(port, "GET", path, headers=headers)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(share: int) -> None:
        for _ in range(share):
            started = time.perf_counter()
            answer = request(port, "GET", path, headers=headers)[0]
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors[0] += answer != 200

    shares = [count // threads + (i < count % threads) for i in range(threads)]
    pool = [threading.Thread(target=client, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return Measure(
        label, status, _percentile(latencies, 50), _percentile(latencies, 95), count / wall,
        errors[0],
    )  # fmt: skip


def _percentile(values: list[float], percent: int) -> float:
    return values[min(len(values) - 1, round(percent / 100 * (len(values) - 1)))] * 1000


def bench_http(main: Database, args: argparse.Namespace, work: Path) -> tuple[list[str], bool]:
    """(b) and (c) on one server; the lines to print, and whether (c)'s invariants held."""
    from bench.worker import BENCH_PASSWORD, BENCH_USER

    lines, held = [], True
    port = free_port()
    server = start_server(main, port, args.workers, work / "server.log")
    try:
        if not args.skip_http:
            token = api_token(port, BENCH_USER, BENCH_PASSWORD)
            session = log_in(port, BENCH_USER, BENCH_PASSWORD)
            options = {"count": args.requests, "warmup": args.warmup, "threads": args.threads}
            results = [
                measure(port, f"GET {MINIMAL_PATH} (anonymous)", MINIMAL_PATH, {}, **options),
                measure(port, f"GET {KPI_PATH} (token)", KPI_PATH, token, **options),
                measure(port, f"GET {LIST_PATH} (session)", LIST_PATH, session, **options),
            ]
            lines += http_table(results, args)
        if not args.skip_rush:
            rush_lines, held = bench_rush(main, port, args, work / "server.log")
            lines += rush_lines
    finally:
        server.terminate()
        server.wait(timeout=30)
    return lines, held


def http_table(results: list[Measure], args: argparse.Namespace) -> list[str]:
    base = results[0]
    lines = [
        f"(b) HTTP: sasaeai serve (gunicorn, production settings, bench.settings URLs),"
        f" {args.workers} workers; {args.requests} requests after {args.warmup} warm-up,"
        f" {args.threads} client threads, 127.0.0.1",
        "  {:<78} {:>7} {:>7} {:>7} {:>9} {:>9}".format(
            "endpoint", "p50 ms", "p95 ms", "req/s", "p50 ratio", "req/s ratio"
        ),
    ]
    for result in results:
        if result.status != 200:
            lines.append(f"  {result.label:<78} not measured: answered {result.status}")
            continue
        lines.append(
            "  {:<78} {:>7.1f} {:>7.1f} {:>7.0f} {:>8.2f}x {:>8.2f}x{}".format(
                result.label, result.p50, result.p95, result.per_second,
                result.p50 / base.p50, base.per_second / result.per_second,
                f"  ({result.errors} errors)" if result.errors else "",
            )
        )  # fmt: skip
    kpi = results[1]
    if kpi.status == 200 and base.status == 200:
        ratio = kpi.p50 / base.p50
        verdict = "met" if ratio <= GOAL else "NOT met"
        lines.append(f"  KPI p50 / minimal p50 = {ratio:.2f}x (goal <= {GOAL:.0f}x: {verdict})")
    return lines


# (c) Registration rush ------------------------------------------------------------------------


@dataclass(frozen=True)
class Shot:
    """One request of a volley: HTTP status (0: no answer), body or error, seconds."""

    status: int
    body: bytes
    seconds: float


def volley(count: int, threads: int, fire) -> tuple[list[Shot], float]:
    """``fire(n)`` for n = 1..count, shared by ``threads`` client threads that a barrier
    releases together; the shots in order of n, and the wall time from the release to the
    last answer."""
    shots: list[Shot | None] = [None] * count
    released: list[float] = []
    barrier = threading.Barrier(threads, action=lambda: released.append(time.perf_counter()))

    def client(numbers: range) -> None:
        barrier.wait()
        for n in numbers:
            started = time.perf_counter()
            try:
                status, body = fire(n)
            except (OSError, http.client.HTTPException) as error:  # no answer: an error too
                status, body = 0, f"{type(error).__name__}: {error}".encode()
            shots[n - 1] = Shot(status, body, time.perf_counter() - started)

    pool = [
        threading.Thread(target=client, args=(range(first, count + 1, threads),))
        for first in range(1, threads + 1)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return shots, time.perf_counter() - released[0]


@dataclass(frozen=True)
class Volley:
    label: str
    count: int
    errors: int
    wall: float
    p50: float
    p95: float

    @property
    def per_second(self) -> float:
        return self.count / self.wall


def summary(label: str, shots: list[Shot], wall: float, expected: int) -> Volley:
    latencies = sorted(shot.seconds for shot in shots)
    errors = sum(shot.status != expected for shot in shots)
    return Volley(
        label, len(shots), errors, wall, _percentile(latencies, 50), _percentile(latencies, 95)
    )


def _registration_status(shot: Shot) -> str:
    try:
        return json.loads(shot.body).get("status", "?")
    except (ValueError, AttributeError):
        return "?"


def _error_examples(shots: list[Shot], expected: int) -> list[str]:
    """The refusals and failures, grouped by status and body, most frequent first."""
    groups: dict[tuple[int, str], int] = {}
    for shot in shots:
        if shot.status != expected:
            key = (shot.status, shot.body[:160].decode(errors="replace").replace("\n", " "))
            groups[key] = groups.get(key, 0) + 1
    ordered = sorted(groups.items(), key=lambda item: -item[1])
    return [f"    {n} x HTTP {status or 'no answer'}: {body}" for (status, body), n in ordered[:5]]


def bench_rush(
    main: Database, port: int, args: argparse.Namespace, log: Path
) -> tuple[list[str], bool]:
    """(c) Every attempt posted at once, anonymously (the event is public); the minimal view
    fired the same way as the baseline; the registrations counted again in the database."""
    from bench.worker import RUSH_CAPACITY

    attempts, threads = RUSH_ATTEMPTS, args.rush_threads
    event = worker("rush-event", "", main)["id"]
    path = f"/api/v1/events/{event}/registrations/"
    header = (
        f"(c) Registration rush: {attempts} POST {path} (anonymous, JSON) for"
        f" {RUSH_CAPACITY} seats of a fresh public event of Okayama, {threads} client threads"
        f" released together, {args.workers} workers"
    )
    shown = request(port, "GET", f"/api/v1/events/{event}/")[0]
    if shown != 200:
        return [header, f"  not run: GET /api/v1/events/{event}/ answered {shown}"], False
    for _ in range(args.warmup):
        request(port, "GET", MINIMAL_PATH)

    def minimal(_n: int) -> tuple[int, bytes]:
        return request(port, "GET", MINIMAL_PATH)[::2]

    def register(n: int) -> tuple[int, bytes]:
        body = json.dumps({"name": f"参加者{n}", "email": f"p{n}@example.jp"}, ensure_ascii=False)
        headers = {"Content-Type": "application/json; charset=utf-8"}
        return request(port, "POST", path, body=body.encode(), headers=headers)[::2]

    base_shots, base_wall = volley(attempts, threads, minimal)
    rush_shots, rush_wall = volley(attempts, threads, register)
    counted = worker("rush-count", str(event), main)
    base = summary(f"GET {MINIMAL_PATH} (baseline, anonymous)", base_shots, base_wall, 200)
    rush = summary(f"POST {path}", rush_shots, rush_wall, 201)
    answered = [_registration_status(shot) for shot in rush_shots if shot.status == 201]
    confirmed, waitlisted = answered.count("confirmed"), answered.count("waitlisted")
    created = len(answered)
    lines = [
        header,
        "  {:<52} {:>8} {:>6} {:>7} {:>7} {:>7} {:>7}".format(
            "", "requests", "errors", "wall s", "req/s", "p50 ms", "p95 ms"
        ),
    ]
    row = "  {:<52} {:>8} {:>6} {:>7.2f} {:>7.0f} {:>7.1f} {:>7.1f}"
    for result in (base, rush):
        lines.append(
            row.format(
                result.label, result.count, result.errors, result.wall, result.per_second,
                result.p50, result.p95,
            )
        )  # fmt: skip
    lines += [
        f"  ratios: req/s minimal / rush = {base.per_second / rush.per_second:.2f}x,"
        f" p95 rush / minimal = {rush.p95 / base.p95:.2f}x,"
        f" p50 rush / minimal = {rush.p50 / base.p50:.2f}x",
        f"  answers: {attempts} attempts, {created} HTTP 201, {attempts - created} not 201;"
        f" status confirmed {confirmed}, waitlisted {waitlisted}",
        f"  database: confirmed {counted['confirmed']}, waitlisted {counted['waitlisted']},"
        f" cancelled {counted['cancelled']}, total {counted['total']} (event {event})",
    ]
    if base.errors:
        lines.append(f"  baseline errors (not 200): {base.errors}")
        lines += _error_examples(base_shots, 200)
    if rush.errors:
        lines.append(f"  registration errors (not 201): {rush.errors}; server log: {log}")
        lines += _error_examples(rush_shots, 201)
    invariants = [
        (
            f"confirmed == {RUSH_CAPACITY} (answers {confirmed}, database {counted['confirmed']})",
            confirmed == counted["confirmed"] == RUSH_CAPACITY,
        ),
        (f"no error responses ({rush.errors} not 201)", rush.errors == 0),
        (
            f"none lost (database total {counted['total']} == {attempts} =="
            f" confirmed + waitlisted {counted['confirmed'] + counted['waitlisted']})",
            counted["total"] == attempts == counted["confirmed"] + counted["waitlisted"],
        ),
    ]
    lines += [f"  {text}: {'held' if ok else 'NOT held'}" for text, ok in invariants]
    return lines, all(ok for _text, ok in invariants)


# Main -----------------------------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["national", "okayama"], default="national")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-rush", action="store_true", help="skip (c), the registration rush")
    parser.add_argument("--skip-surveys", action="store_true", help="skip (d), survey results")
    parser.add_argument("--survey-runs", type=int, default=5, help="runs of each (d) table")
    parser.add_argument(
        "--rush-threads", type=int, default=50,
        help="client threads of (c), released together",
    )  # fmt: skip
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "sasaeai-bench",
        help="where databases and workbooks go (kept between runs)",
    )  # fmt: skip
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    work = args.work / f"{args.scale}-{args.db}"
    main_db, import_db = databases(args.db, args.scale, work)
    started = time.perf_counter()
    setup = worker("setup", args.scale, main_db)
    lines = [
        f"Sasae-ai benchmark: scale {args.scale}, database {args.db} ({main_db.label}),"
        f" {os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.2f}),"
        f" Python {platform.python_version()}",
        f"  data: generated now in {setup['seconds']:.1f} s ({setup['corporations']:,}"
        f" corporations, {setup['facilities']:,} facilities, {setup['events']:,} events)"
        if setup["generated"]
        else "  data: generated by an earlier run (kept in the work directory)",
    ]
    if not args.skip_import:
        lines += bench_import(main_db, import_db, work)
    held = True
    if not (args.skip_http and args.skip_rush):
        http_lines, held = bench_http(main_db, args, work)
        lines += http_lines
    identical = True
    if not args.skip_surveys:
        from bench.surveys import bench_surveys

        survey_lines, identical = bench_surveys(main_db, args.scale, args.survey_runs, work, worker)
        lines += survey_lines
    lines.append(f"  total {time.perf_counter() - started:.0f} s. Reproduce:")
    lines.append(
        f"  cd {ROOT} && .venv/bin/python bench/run.py --scale {args.scale} --db {args.db}"
    )
    print("\n".join(lines))
    if not held:
        sys.exit("bench: an invariant of (c), the registration rush, was NOT held")
    if not identical:
        sys.exit("bench: (d) the project's survey figures differ from DuckDB's")


if __name__ == "__main__":
    main()
