"""The database's part of a backup: one consistent copy out, and back into an empty database.

PostgreSQL: ``pg_dump`` in its custom format reads a snapshot exported by a REPEATABLE READ
transaction, in which the manifest's row counts and migrations are read too, so that the
manifest describes exactly the dump, whatever is written meanwhile. ``pg_restore`` loads it in
one transaction: an error leaves the database as empty as it was. SQLite: the online backup API
copies the database in one step (writers wait; nobody sees half), and the counts are read from
the copy; restoring copies the file's pages back into the empty database the same way.

The tools run with list arguments, never through a shell; the password goes in ``PGPASSWORD``.
This module knows no app of the project: tables are whatever the database holds.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

DATABASE_DIR = "database"
LOCKED_FOR = 120  # seconds


class BackupError(Exception):
    """A backup or a restore refused or failed: one line, in Japanese and in English."""

    def __init__(self, japanese: str, english: str):
        super().__init__(f"{japanese} / {english}")


@dataclass(frozen=True)
class DatabaseCopy:
    path: Path
    details: dict  # the manifest's "database": vendor, member, versions, tables and their rows
    migrations: dict[str, list[str]]


def dump(connection, directory: Path) -> DatabaseCopy:
    """Copy the database into ``directory``, with its row counts and migrations."""
    if connection.vendor == "postgresql":
        return _dump_postgresql(connection, directory)
    if connection.vendor == "sqlite":
        return _dump_sqlite(connection, directory)
    raise BackupError(
        f"{connection.vendor} のバックアップには対応していません",
        f"backing up {connection.vendor} is not supported",
    )


def load(connection, path: Path, details: dict) -> None:
    """Load a copy made by ``dump`` into the (empty, checked) database of ``connection``."""
    if connection.vendor == "postgresql":
        _run_tool(
            "pg_restore",
            ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"],
            connection.settings_dict,
            str(path),
        )
    else:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            _copy_sqlite(source, connection.connection)
        finally:
            source.close()


def check_restorable(connection, details: dict) -> None:
    """Refuse a copy that the tools here cannot load into this database."""
    if connection.vendor != "postgresql":
        return
    made_by = details.get("tool_major", 0)
    restorer, text = tool_version("pg_restore")
    if restorer < made_by:
        raise BackupError(
            f"この保存ファイルは pg_dump {made_by} で作られ、ここの pg_restore は {restorer} です。"
            f"postgresql-client-{made_by} 以上を入れてください",
            f"the archive was made by pg_dump {made_by} and {text} cannot read it:"
            f" install postgresql-client-{made_by} or newer",
        )


def prepare(connection) -> None:
    """A SQLite database in a folder not made yet (a fresh data directory) gets its folder."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and not name.startswith("file:") and name != ":memory:":
        Path(name).parent.mkdir(parents=True, exist_ok=True)


def relations(connection) -> list[str]:
    """The tables, views and sequences of the database: none in an empty one."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
                " AND n.nspname = ANY(current_schemas(false)) ORDER BY 1"
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]


def table_counts(cursor, vendor: str) -> dict[str, int]:
    """Rows per table (SQLite's virtual full-text tables are counted through their shadows)."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(current_schemas(false))"
            " ORDER BY 1"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY 1"
        )
    counts = {}
    for (table,) in cursor.fetchall():
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608 — a name the database gave
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor, tables) -> dict[str, list[str]]:
    """Django's record of applied migrations, per app: the schema's version."""
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _copy_sqlite(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """The whole database in one step. Python retries a locked database for ever: give up
    after LOCKED_FOR seconds with a message instead of hanging a nightly job."""
    started = time.monotonic()

    def waited(status, remaining, total):
        if time.monotonic() - started > LOCKED_FOR:
            raise BackupError(
                f"データベースが {LOCKED_FOR} 秒ロックされたままでした。あとで試してください",
                f"the database stayed locked for {LOCKED_FOR} s: try again later",
            )

    source.backup(target, progress=waited)


def _dump_sqlite(connection, directory: Path) -> DatabaseCopy:
    path = directory / "sasaeai.sqlite3"
    copy = sqlite3.connect(path)
    try:
        connection.ensure_connection()
        _copy_sqlite(connection.connection, copy)
        cursor = copy.cursor()
        tables = table_counts(cursor, "sqlite")
        migrations = applied_migrations(cursor, tables)
    finally:
        copy.close()
    details = {
        "vendor": "sqlite",
        "member": f"{DATABASE_DIR}/{path.name}",
        "sqlite_version": sqlite3.sqlite_version,
        "tables": tables,
    }
    return DatabaseCopy(path=path, details=details, migrations=migrations)


def _dump_postgresql(connection, directory: Path) -> DatabaseCopy:
    major, text = tool_version("pg_dump")
    path = directory / "sasaeai.pgdump"
    snapshot = connection.copy()  # a connection of its own, whatever the caller's transaction
    try:
        snapshot.ensure_connection()
        server = snapshot.connection.info.server_version
        if server // 10000 > major:
            raise BackupError(
                f"サーバーは PostgreSQL {server // 10000}、pg_dump は {major} です。"
                f"postgresql-client-{server // 10000} を入れてください",
                f"the server is PostgreSQL {server // 10000} and {text} cannot dump it:"
                f" install postgresql-client-{server // 10000}",
            )
        snapshot.set_autocommit(False)
        with snapshot.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (name,) = cursor.fetchone()
            tables = table_counts(cursor, "postgresql")
            migrations = applied_migrations(cursor, tables)
            options = ["--format=custom", f"--snapshot={name}", f"--file={path}"]
            _run_tool("pg_dump", options, snapshot.settings_dict)
        snapshot.rollback()
    finally:
        snapshot.close()
    details = {
        "vendor": "postgresql",
        "member": f"{DATABASE_DIR}/{path.name}",
        "server_version": f"{server // 10000}.{server % 10000}",
        "tool": text,
        "tool_major": major,
        "tables": tables,
    }
    return DatabaseCopy(path=path, details=details, migrations=migrations)


def tool_version(tool: str) -> tuple[int, str]:
    """The major version of a PostgreSQL client program, and its own words."""
    try:
        result = subprocess.run(  # noqa: S603 — a fixed program name, no shell
            [tool, "--version"], capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.CalledProcessError) as error:
        raise BackupError(
            f"{tool} を実行できません。Debian の postgresql-client を入れてください",
            f"cannot run {tool} ({error}): install Debian's postgresql-client",
        ) from None
    text = result.stdout.strip()
    found = re.search(r"\(PostgreSQL\) (\d+)", text)
    if not found:
        raise BackupError(
            f"{tool} の版が読めません: {text}", f"cannot read {tool}'s version: {text}"
        )
    return int(found.group(1)), text


def _run_tool(tool: str, options: list[str], settings_dict: dict, *files: str) -> None:
    from psycopg.conninfo import make_conninfo

    parameters = {"dbname": settings_dict["NAME"]}
    for key in ("HOST", "PORT", "USER"):
        if settings_dict.get(key):
            parameters[key.lower()] = str(settings_dict[key])
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        if settings_dict.get("OPTIONS", {}).get(option):
            env[variable] = str(settings_dict["OPTIONS"][option])
    command = [tool, "--no-password", *options, f"--dbname={make_conninfo(**parameters)}", *files]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = next(iter(result.stderr.strip().splitlines()), f"exit status {result.returncode}")
        raise BackupError(f"{tool} が失敗しました: {detail}", f"{tool} failed: {detail}")
