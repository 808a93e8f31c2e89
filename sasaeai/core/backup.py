"""Backups that restore: one tar archive of the database and the uploaded files (MEDIA_ROOT).

An archive holds, in this order: ``database/sasaeai.pgdump`` (pg_dump's custom format) or
``database/sasaeai.sqlite3`` (a copy by SQLite's online backup API); ``media/<path>`` for every
uploaded file; ``manifest.json`` (format and its version, when, the app's version, the database
vendor, tool versions and rows per table, Django's applied migrations per app, and every
member's size and SHA-256); and ``SHA256SUMS`` (``sha256sum -c`` reads it) over every other
member, the manifest included. A flipped byte anywhere is found before anything is written.

An archive is written in a temporary dot-folder beside its final name and renamed when
complete, so a crash never leaves half an archive under the name. A restore goes only into an
empty database and an empty media folder, and reads the restored tables and files back against
the manifest.
The database is copied first, then the files: a file uploaded meanwhile may be in the archive
without its row; a file deleted meanwhile may be missing (uploads are rarely deleted).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from . import backup_db
from .backup_archive import CHUNK, FORMAT, FORMAT_VERSION, MANIFEST, MEDIA_DIR, SUMS, extract
from .backup_archive import verify_archive as verify_archive
from .backup_db import BackupError

ARCHIVE_NAME = re.compile(r"sasaeai-(\d{8})-(\d{6})(?:-(\d+))?\.tar")

__all__ = ["BackupError", "RestoreReport", "prune", "restore_backup", "verify_archive"]


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    files: int
    bytes: int
    pending_migrations: list[str] = field(default_factory=list)


# -- writing -------------------------------------------------------------------------------------


def write_backup(*, connection, media_root: Path, target: Path) -> Path:
    """Write one archive into the folder ``target`` (or as the file ``target``, if it names a
    .tar); returns the archive's path."""
    final = _archive_path(target)
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".sasaeai-backup-", dir=final.parent) as work:
        database = backup_db.dump(connection, Path(work))
        partial = Path(work) / final.name
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            files = [_add_file(archive, database.path, database.details["member"])]
            for path, name in _media_files(Path(media_root), skip=final.parent):
                files.append(_add_file(archive, path, f"{MEDIA_DIR}/{name}"))
            manifest = _manifest(database, files)
            sums = [*files, _add_bytes(archive, MANIFEST, _json(manifest))]
            listing = "".join(f"{item['sha256']}  {item['name']}\n" for item in sums)
            _add_bytes(archive, SUMS, listing.encode())
        partial.chmod(0o600)  # personal data: readable by the operator's account only
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, final)
    _sync_folder(final.parent)
    return final


def _archive_path(target: Path) -> Path:
    if target.suffix == ".tar" and not target.is_dir():
        return target
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    candidate, number = target / f"sasaeai-{stamp}.tar", 1
    while candidate.exists():  # two backups in one second: never overwrite the first
        number += 1
        candidate = target / f"sasaeai-{stamp}-{number}.tar"
    return candidate


def _manifest(database: backup_db.DatabaseCopy, files: list[dict]) -> dict:
    media = [item for item in files if item["name"].startswith(f"{MEDIA_DIR}/")]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "app_version": _app_version(),
        "database": database.details,
        "migrations": database.migrations,
        "media": {"files": len(media), "bytes": sum(item["size"] for item in media)},
        "files": files,
    }


def _media_files(root: Path, *, skip: Path) -> Iterator[tuple[Path, str]]:
    """Regular files under the media folder, in a stable order, not following links (and never
    the backup folder itself, should someone put it there)."""
    if not root.is_dir():
        return
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if Path(folder, d).resolve() != skip.resolve())
        for name in sorted(names):
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


class _Hashing(io.RawIOBase):
    """A file read through, its SHA-256 taken on the way."""

    def __init__(self, file):
        self.file = file
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.sha256.update(data)
        return data


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict:
    info = tarfile.TarInfo(name)
    status = path.stat()
    info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o600
    with path.open("rb") as file:
        reader = _Hashing(file)
        archive.addfile(info, reader)  # reads exactly info.size bytes, hashing what it stores
    return {"name": name, "size": info.size, "sha256": reader.sha256.hexdigest()}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> dict:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    archive.addfile(info, io.BytesIO(data))
    return {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sasaeai")
    except PackageNotFoundError:
        return "unknown"


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def prune(folder: Path, *, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest archives of the folder (only names this module
    gives); returns the deleted."""

    def age(path: Path) -> tuple[str, str, int]:
        day, time, number = ARCHIVE_NAME.fullmatch(path.name).groups()
        return day, time, int(number or 1)

    archives = sorted((p for p in folder.iterdir() if ARCHIVE_NAME.fullmatch(p.name)), key=age)
    old = archives[: max(len(archives) - keep, 0)]
    for path in old:
        path.unlink()
    return old


# -- restoring ------------------------------------------------------------------------------------


def restore_backup(archive: Path, *, connection, media_root: Path) -> RestoreReport:
    """Restore an archive into an empty database and an empty media folder, then verify."""
    manifest = verify_archive(archive)
    _check_target(manifest, connection, media_root)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".sasaeai-restore-", dir=media_root.parent) as work:
        extract(archive, manifest, Path(work))
        database = manifest["database"]
        backup_db.load(connection, Path(work, database["member"]), database)
        staged = Path(work, MEDIA_DIR)
        for item in manifest["files"]:
            if item["name"].startswith(f"{MEDIA_DIR}/"):
                relative = item["name"].removeprefix(f"{MEDIA_DIR}/")
                (media_root / relative).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged / relative, media_root / relative)
    return _verify_restored(manifest, connection, media_root)


def _check_target(manifest: dict, connection, media_root: Path) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"この保存ファイルは {vendor} のもので、復元先は {connection.vendor} です",
            f"the archive holds a {vendor} database and the target is {connection.vendor}",
        )
    newer = _unknown_migrations(manifest["migrations"])
    if newer:
        shown = ", ".join(newer[:5])
        raise BackupError(
            f"この保存ファイルは新しい版のものです（ここにないマイグレーション: {shown}）。"
            "同じ版を入れてから復元してください",
            f"the archive was made by a newer version (migrations unknown here: {shown}):"
            " install that version first",
        )
    backup_db.check_restorable(connection, manifest["database"])
    backup_db.prepare(connection)
    existing = backup_db.relations(connection)
    if existing:
        shown = ", ".join(existing[:3]) + ("…" if len(existing) > 3 else "")
        raise BackupError(
            f"復元先のデータベースが空ではありません（{len(existing)} 個: {shown}）。"
            "空のデータベースを作って復元してください",
            f"the target database is not empty ({len(existing)} relations: {shown}):"
            " create an empty database and restore into it",
        )
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(
            f"復元先のファイル置き場 {media_root} が空ではありません",
            f"the media folder {media_root} is not empty: move its files away first",
        )


def _unknown_migrations(applied: dict[str, list[str]]) -> list[str]:
    """Migrations the archive's database has and this code does not know (apps installed
    here only: a removed app's old rows are no sign of a newer version)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return [
        f"{app}.{name}"
        for app, names in sorted(applied.items())
        if app in loader.migrated_apps
        for name in names
        if (app, name) not in known
    ]


def _verify_restored(manifest: dict, connection, media_root: Path) -> RestoreReport:
    """Read the restored database and files back against the manifest."""
    database = manifest["database"]
    with connection.cursor() as cursor:
        counts = backup_db.table_counts(cursor, connection.vendor)
        migrations = backup_db.applied_migrations(cursor, counts)
    if counts != database["tables"] or migrations != manifest["migrations"]:
        tables = database["tables"].keys() | counts.keys()
        wrong = sorted(t for t in tables if counts.get(t) != database["tables"].get(t))
        shown = ", ".join(wrong[:5]) or "django_migrations"
        raise BackupError(
            f"復元したデータベースが目録と合いません: {shown}",
            f"the restored database differs from the manifest: {shown}",
        )
    media = [item for item in manifest["files"] if item["name"].startswith(f"{MEDIA_DIR}/")]
    for item in media:
        path = media_root / item["name"].removeprefix(f"{MEDIA_DIR}/")
        if _file_sha256(path) != item["sha256"]:
            raise BackupError(
                f"復元したファイルが目録と合いません: {path}",
                f"a restored file differs from the manifest: {path}",
            )
    return RestoreReport(
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(media),
        bytes=sum(item["size"] for item in media),
        pending_migrations=_pending_migrations(migrations),
    )


def _pending_migrations(applied: dict[str, list[str]]) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    done = {(app, name) for app, names in applied.items() for name in names}
    return sorted(
        f"{app}.{name}" for app, name in loader.disk_migrations if (app, name) not in done
    )


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
