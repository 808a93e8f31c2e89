"""Backups that restore: the demo's data goes through ``backup`` and ``restore`` into a new,
empty database with every table equal (row count and a hash of its rows), the uploaded files
come back byte for byte, and a damaged, truncated, foreign or mismatched archive, or a database
that is not empty, is refused in one line before anything is written."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import override_settings

from sasaeai.core import backup
from sasaeai.core.backup import BackupError

MEDIA = {
    "casebook/photos/2026/子ども食堂.jpg": bytes(range(256)) * 40,
    "publishing/newsletters/第12号.pdf": b"%PDF-1.7\n" + os.urandom(5000),
    "empty.txt": b"",
}
pytestmark = pytest.mark.django_db

COLLATION = ["--lc-ctype=C.UTF-8", "--lc-collate=C.UTF-8"]  # as the CI's databases, for pg_trgm
ARCHIVE_NAME = re.compile(r"sasaeai-\d{8}-\d{6}\.tar")


# -- an independent look at a database: every table's rows, in primary-key order ---------------


def normalised(value) -> str:
    if value is None:
        return "\u2205"
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return "x" + value.hex()
    if isinstance(value, datetime.datetime) and value.tzinfo:
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def fingerprint(conn) -> dict[str, tuple[int, str]]:
    """Each table's row count and the SHA-256 of its rows, and the sequences' positions."""
    quote = conn.ops.quote_name
    prints = {}
    with conn.cursor() as cursor:
        for table in conn.introspection.table_names(cursor):
            columns = [c.name for c in conn.introspection.get_table_description(cursor, table)]
            order = conn.introspection.get_primary_key_columns(cursor, table) or columns
            cursor.execute(
                f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)}"  # noqa: S608
                f" ORDER BY {', '.join(map(quote, order))}"
            )
            digest = hashlib.sha256()
            rows = cursor.fetchall()
            for row in rows:
                digest.update("\x1f".join(map(normalised, row)).encode() + b"\x1e")
            prints[table] = (len(rows), digest.hexdigest())
        if conn.vendor == "postgresql":
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences ORDER BY 1")
        else:
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY 1")
        positions = cursor.fetchall()
        prints["(sequences)"] = (len(positions), repr(positions))
    return prints


def postgres_client(settings_dict) -> tuple[list[str], dict[str, str]]:
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [option, str(settings_dict[key])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


@contextmanager
def fresh_database(directory: Path):
    """A new, empty database of the test database's vendor, as the connection "restored";
    dropped afterwards."""
    settings_dict = {**connection.settings_dict}
    args, env = postgres_client(settings_dict)
    if connection.vendor == "postgresql":
        settings_dict["NAME"] = f"{settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
        createdb = ["createdb", *args, "-T", "template0", "-E", "UTF8", *COLLATION]
        subprocess.run([*createdb, settings_dict["NAME"]], env=env, check=True)  # noqa: S603
    else:
        settings_dict["NAME"] = str(directory / f"restored-{uuid.uuid4().hex[:8]}.sqlite3")
    # Known to ``connections`` (the backend's own lookups go through it) but not to the
    # settings: Django's test case then lets it connect, as any connection made on the fly.
    connections["restored"] = target = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, "restored"
    )
    try:
        yield target
    finally:
        target.close()
        del connections["restored"]
        if connection.vendor == "postgresql":
            dropdb = ["dropdb", *args, "--if-exists", settings_dict["NAME"]]
            subprocess.run(dropdb, env=env, check=True)  # noqa: S603 — fixed arguments, no shell


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def ensure_reference_data() -> None:
    """The regions and the members' starting lists, as the session loaded them."""
    import importlib

    from django.apps import apps

    from sasaeai.members.models import MemberType
    from sasaeai.regions.loading import load_regions
    from sasaeai.regions.models import Municipality

    if not Municipality.objects.exists():
        load_regions()
    if not MemberType.objects.exists():
        importlib.import_module("sasaeai.members.migrations.0003_starting_lists").add_lists(
            apps, None
        )


# -- the demo, committed, backed up once for the module ----------------------------------------


@dataclass
class Demo:
    root: Path
    archive: Path
    media: Path
    fingerprint: dict


@dataclass
class Restored:
    report: backup.RestoreReport
    fingerprint: dict
    media: dict


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's data committed with three uploaded files, and their backup by the command."""
    from sasaeai.demo import load_demo

    root = tmp_path_factory.mktemp("backup")
    media = root / "media"
    for name, content in MEDIA.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(content)
    with django_db_blocker.unblock():
        ensure_reference_data()
        load_demo()
        with override_settings(MEDIA_ROOT=media):
            call_command("backup", str(root / "backups"), verbosity=0)
        (archive,) = (root / "backups").iterdir()
        source = fingerprint(connection)
    yield Demo(root=root, archive=archive, media=media, fingerprint=source)
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        ensure_reference_data()


@pytest.fixture(scope="module")
def restored(demo, django_db_blocker):
    """The demo's archive restored into a new database and a new media folder."""
    media = demo.root / "restored-media"
    with django_db_blocker.unblock(), fresh_database(demo.root) as target:
        report = backup.restore_backup(demo.archive, connection=target, media_root=media)
        return Restored(report=report, fingerprint=fingerprint(target), media=files_under(media))


@pytest.fixture
def empty(demo, tmp_path, django_db_blocker):
    """An empty database that every refusal must leave empty."""
    with django_db_blocker.unblock(), fresh_database(tmp_path) as target:
        yield target


def test_the_demo_round_trips_with_every_table_equal(demo, restored):
    assert len(demo.fingerprint) > 100, "every app's tables"
    assert sum(rows for rows, _ in demo.fingerprint.values()) > 10_000
    assert demo.fingerprint["members_corporation"][0] > 500
    differing = {
        table: (print_, restored.fingerprint.get(table))
        for table, print_ in demo.fingerprint.items()
        if restored.fingerprint.get(table) != print_
    }
    assert not differing
    assert restored.fingerprint.keys() == demo.fingerprint.keys()


def test_the_uploaded_files_round_trip_byte_for_byte(restored):
    assert restored.media == MEDIA


def test_the_restore_reports_what_it_verified(demo, restored):
    report = restored.report
    tables = {t for t in demo.fingerprint if t != "(sequences)"}
    assert report.tables >= len(tables) - 10  # SQLite's full-text shadow tables aside
    assert report.rows >= sum(demo.fingerprint[t][0] for t in tables if "_fts" not in t)
    assert report.files == len(MEDIA)
    assert report.pending_migrations == []


def test_the_archive_holds_a_manifest_and_a_checksum_of_every_member(demo):
    assert ARCHIVE_NAME.fullmatch(demo.archive.name)
    assert demo.archive.stat().st_mode & 0o077 == 0, "personal data: the operator's alone"
    with tarfile.open(demo.archive) as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "sasaeai-backup"
    assert manifest["format_version"] == 1
    assert datetime.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert manifest["app_version"]
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["tables"]["members_corporation"] > 500
    assert "0001_initial" in manifest["migrations"]["members"]
    listed = {f["name"]: f for f in manifest["files"]}
    assert {f"media/{name}" for name in MEDIA} < listed.keys()
    sums = dict(
        reversed(line.split("  ", 1)) for line in members["SHA256SUMS"].decode().splitlines()
    )
    assert sums.keys() == members.keys() - {"SHA256SUMS"}
    for name, content in members.items():
        if name != "SHA256SUMS":
            assert sums[name] == hashlib.sha256(content).hexdigest(), name
        if name in listed:
            assert listed[name]["sha256"] == sums[name]
            assert listed[name]["size"] == len(content)


# -- refusals: nothing is written ---------------------------------------------------------------


def refusal(archive: Path, target, media_root: Path) -> str:
    with pytest.raises(BackupError) as caught:
        backup.restore_backup(archive, connection=target, media_root=media_root)
    message = str(caught.value)
    assert "\n" not in message
    assert re.search(r"[ぁ-んァ-ン一-龥]", message), "the Japanese half"
    assert re.search(r" / [a-z]", message), "the English half"
    assert not target.introspection.table_names(), "the refusal wrote to the database"
    assert not media_root.exists() or not any(media_root.iterdir())
    return message


def copy_with(demo: Demo, name: str, change) -> Path:
    copy = demo.root / f"{uuid.uuid4().hex[:8]}-{name}"
    shutil.copyfile(demo.archive, copy)
    change(copy)
    return copy


def flip_a_byte(member_prefix: str):
    def change(path: Path) -> None:
        with tarfile.open(path) as archive:
            members = archive.getmembers()
            member = next(m for m in members if m.name.startswith(member_prefix) and m.size)
            offset = member.offset_data + member.size // 2
        with path.open("r+b") as file:
            file.seek(offset)
            byte = file.read(1)[0]
            file.seek(offset)
            file.write(bytes([byte ^ 0x01]))

    return change


def rewrite_manifest(change_manifest):
    """A forged archive: the manifest changed and every checksum made to match again."""

    def change(path: Path) -> None:
        with tarfile.open(path) as archive:
            members = [(m, archive.extractfile(m).read()) for m in archive.getmembers()]
        contents = dict((m.name, data) for m, data in members)
        manifest = json.loads(contents["manifest.json"])
        change_manifest(manifest)
        contents["manifest.json"] = json.dumps(manifest).encode()
        contents["SHA256SUMS"] = "".join(
            f"{hashlib.sha256(data).hexdigest()}  {name}\n"
            for name, data in contents.items()
            if name != "SHA256SUMS"
        ).encode()
        with tarfile.open(path, "w") as archive:
            for member, _data in members:
                member.size = len(contents[member.name])
                archive.addfile(member, io.BytesIO(contents[member.name]))

    return change


@pytest.mark.parametrize("member", ["database/", "media/", "manifest.json", "SHA256SUMS"])
def test_a_flipped_byte_anywhere_is_refused(demo, empty, tmp_path, member):
    damaged = copy_with(demo, "flipped.tar", flip_a_byte(member))
    message = refusal(damaged, empty, tmp_path / "media")
    assert "damaged" in message


def test_a_truncated_archive_is_refused(demo, empty, tmp_path):
    def cut(path: Path) -> None:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    message = refusal(copy_with(demo, "cut.tar", cut), empty, tmp_path / "media")
    assert "truncated" in message or "incomplete" in message


@pytest.mark.parametrize("kind", ["text", "other tar", "empty"])
def test_a_foreign_file_is_refused(demo, empty, tmp_path, kind):
    foreign = tmp_path / "foreign.tar"
    if kind == "text":
        foreign.write_text("これはバックアップではありません\n")
    elif kind == "other tar":
        with tarfile.open(foreign, "w") as archive:
            archive.add(demo.media / "empty.txt", arcname="manifest.txt")
    else:
        foreign.write_bytes(b"")
    assert "not a Sasae-ai backup" in refusal(foreign, empty, tmp_path / "media")


def test_an_archive_of_another_database_vendor_is_refused(demo, empty, tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"

    def vendor(manifest):
        manifest["database"]["vendor"] = other

    message = refusal(
        copy_with(demo, "vendor.tar", rewrite_manifest(vendor)), empty, tmp_path / "media"
    )
    assert other in message
    assert connection.vendor in message


def test_an_archive_from_a_newer_version_is_refused(demo, empty, tmp_path):
    def newer(manifest):
        manifest["migrations"]["members"].append("9999_from_the_future")

    message = refusal(
        copy_with(demo, "newer.tar", rewrite_manifest(newer)), empty, tmp_path / "media"
    )
    assert "members.9999_from_the_future" in message


def test_a_manifest_naming_a_database_outside_the_archive_is_refused(demo, empty, tmp_path):
    def elsewhere(manifest):
        manifest["database"]["member"] = "/etc/passwd"

    message = refusal(
        copy_with(demo, "elsewhere.tar", rewrite_manifest(elsewhere)), empty, tmp_path / "media"
    )
    assert "damaged" in message


def test_the_forged_archive_helper_keeps_an_archive_restorable(demo, tmp_path):
    """The refusals above come from the change made, not from the rewriting."""
    same = copy_with(demo, "same.tar", rewrite_manifest(lambda manifest: None))
    assert backup.verify_archive(same)["database"]["vendor"] == connection.vendor


def test_a_database_that_is_not_empty_is_refused_by_the_command(demo, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path / "media"), pytest.raises(CommandError) as caught:
        call_command("restore", str(demo.archive), verbosity=0)
    message = str(caught.value)
    assert "\n" not in message
    assert "空ではありません" in message
    assert "not empty" in message
    assert caught.value.returncode == 1
    assert not (tmp_path / "media").exists()


def test_a_media_folder_that_is_not_empty_is_refused(demo, empty, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "kept.txt").write_text("残す")
    with pytest.raises(BackupError) as caught:
        backup.restore_backup(demo.archive, connection=empty, media_root=media)
    assert "not empty" in str(caught.value)
    assert files_under(media) == {"kept.txt": "残す".encode()}
    assert not empty.introspection.table_names()


def test_a_backup_that_fails_leaves_no_archive_behind(demo, empty, monkeypatch, tmp_path):
    def broken_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_media_files", broken_disk)
    folder = tmp_path / "backups"
    with pytest.raises(OSError, match="No space"):
        backup.write_backup(connection=empty, media_root=demo.media, target=folder)
    assert list(folder.iterdir()) == []


def test_keep_deletes_only_the_oldest_archives(tmp_path):
    names = [
        "sasaeai-20261101-010000.tar",
        "sasaeai-20261102-010000.tar",
        "sasaeai-20261102-010000-2.tar",
        "sasaeai-20261103-010000.tar",
        "other.tar",
        "notes.txt",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    deleted = backup.prune(tmp_path, keep=2)
    assert sorted(p.name for p in deleted) == names[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])


# -- the sasaeai command, as an operator types it ------------------------------------------------


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SASAEAI_", "DJANGO_"))}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(  # noqa: S603 — our own command, fixed arguments
        [sys.executable, "-m", "sasaeai.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_the_commands_back_up_keep_and_restore_without_migrating(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the command's own SQLite data folder: the same on either run, run once")
    source, target, backups = tmp_path / "source", tmp_path / "target", tmp_path / "backups"
    source.mkdir()
    with sqlite3.connect(source / "sasaeai.sqlite3") as db:
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        db.executemany("INSERT INTO note (body) VALUES (?)", [("支える",), ("愛",)])
    (source / "media").mkdir()
    (source / "media" / "letter.txt").write_text("お便り")
    backups.mkdir()
    (backups / "sasaeai-20200101-000000.tar").write_bytes(b"an old backup")
    env = {"SASAEAI_DATA_DIR": str(source), "SASAEAI_BACKUP_DIR": str(backups)}

    made = run_cli("backup", "--keep", "1", **env)
    assert made.returncode == 0, made.stderr
    (archive,) = backups.iterdir()
    assert ARCHIVE_NAME.fullmatch(archive.name)
    assert archive.name != "sasaeai-20200101-000000.tar"

    restored = run_cli("restore", str(archive), SASAEAI_DATA_DIR=str(target))
    assert restored.returncode == 0, restored.stderr
    with sqlite3.connect(target / "sasaeai.sqlite3") as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master")]
        assert tables == ["note"], "restore ran no migrations"
        assert db.execute("SELECT body FROM note ORDER BY id").fetchall() == [("支える",), ("愛",)]
    assert (target / "media" / "letter.txt").read_text() == "お便り"

    again = run_cli("restore", str(archive), SASAEAI_DATA_DIR=str(target))
    assert again.returncode == 1
    (line,) = again.stderr.strip().splitlines()
    assert "空ではありません" in line
    assert "not empty" in line


def test_a_row_written_while_pg_dump_starts_is_in_neither_the_dump_nor_the_manifest(
    demo, empty, monkeypatch, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's backup copies in one step while writers wait")
    from sasaeai.core import backup_db

    writer = connection.copy()  # committed at once, as another process would
    run_tool = backup_db._run_tool

    def write_then_run(tool, *args, **kwargs):
        if tool == "pg_dump":
            with writer.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO django_session (session_key, session_data, expire_date)"
                    " VALUES ('written-meanwhile', '', now())"
                )
        run_tool(tool, *args, **kwargs)

    monkeypatch.setattr(backup_db, "_run_tool", write_then_run)
    try:
        archive = backup.write_backup(connection=connection, media_root=demo.media, target=tmp_path)
    finally:
        with writer.cursor() as cursor:
            cursor.execute("DELETE FROM django_session WHERE session_key = 'written-meanwhile'")
        writer.close()
    manifest = backup.verify_archive(archive)
    assert manifest["database"]["tables"]["django_session"] == demo.fingerprint["django_session"][0]
    backup.restore_backup(archive, connection=empty, media_root=tmp_path / "media")  # verifies


def test_a_backup_may_be_named_as_a_file(empty, tmp_path):
    named = tmp_path / "nightly" / "okayama.tar"
    assert backup.write_backup(connection=empty, media_root=tmp_path, target=named) == named
    manifest = backup.verify_archive(named)
    assert manifest["database"]["tables"] == {}
    assert [p.name for p in named.parent.iterdir()] == ["okayama.tar"]
