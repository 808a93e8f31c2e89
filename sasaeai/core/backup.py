"""Backups that restore: one tar archive of the database and the uploaded files (MEDIA_ROOT).

An archive holds, in this order: ``database/sasaeai.pgdump`` (pg_dump's custom format) or
``database/sasaeai.sqlite3`` (a copy by SQLite's online backup API); ``media/<path>`` for every
uploaded file; ``manifest.json`` (format and its version, when, the app's version, the database
vendor, tool versions and rows per table, Django's applied migrations per app, and every
member's size and SHA-256); and ``SHA256SUMS`` (``sha256sum -c`` reads it) over every other
member, the manifest included. A flipped byte anywhere is found before anything is written.

An archive is written under a temporary name beside its final one and renamed when complete, so
a crash never leaves half an archive under the name. A restore goes only into an empty database
and an empty media folder, and reads the restored tables and files back against the manifest.
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
from pathlib import Path, PurePosixPath

from django.utils import timezone

from . import backup_db
from .backup_db import BackupError

FORMAT = "sasaeai-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
MEDIA_DIR = "media"
ARCHIVE_NAME = re.compile(r"sasaeai-(\d{8})-(\d{6})(?:-(\d+))?\.tar")
CHUNK = 1 << 20

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


# -- reading and restoring ----------------------------------------------------------------------


def verify_archive(path: Path) -> dict:
    """Check every member's checksum without writing anything; returns the manifest."""
    with _open(path) as archive:
        members = _members(archive)
        for name, info in members.items():
            if name != SUMS and _sha256(archive, info) != members.sums[name]:
                raise _damaged(
                    f"{name} のチェックサムが一致しません", f"checksum mismatch in {name}"
                )
        return members.manifest


def restore_backup(archive: Path, *, connection, media_root: Path) -> RestoreReport:
    """Restore an archive into an empty database and an empty media folder, then verify."""
    manifest = verify_archive(archive)
    _check_target(manifest, connection, media_root)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".sasaeai-restore-", dir=media_root.parent) as work:
        _extract(archive, manifest, Path(work))
        database = manifest["database"]
        backup_db.load(connection, Path(work, database["member"]), database)
        staged = Path(work, MEDIA_DIR)
        for item in manifest["files"]:
            if item["name"].startswith(f"{MEDIA_DIR}/"):
                relative = item["name"].removeprefix(f"{MEDIA_DIR}/")
                (media_root / relative).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged / relative, media_root / relative)
    return _verify_restored(manifest, connection, media_root)


class _Members(dict):
    manifest: dict
    sums: dict[str, str]


def _open(path: Path) -> tarfile.TarFile:
    if not Path(path).is_file():
        raise BackupError(f"保存ファイルがありません: {path}", f"no such archive: {path}")
    try:
        return tarfile.open(path, "r:")
    except tarfile.TarError:
        raise _foreign(path) from None


def _members(archive: tarfile.TarFile) -> _Members:
    """The members by name, their listed checksums and the manifest, all checked for shape."""
    try:
        listed = archive.getmembers()
    except (tarfile.TarError, EOFError):
        raise _truncated() from None
    members = _Members((m.name, m) for m in listed)
    if MANIFEST not in members or SUMS not in members:
        if MANIFEST in members or any(n.startswith("database/") for n in members):
            raise _truncated()
        raise _foreign(archive.name)
    if len(members) != len(listed) or not all(_safe(m) for m in listed):
        raise _foreign(archive.name)
    members.sums = _read_sums(archive, members)
    if _sha256(archive, members[MANIFEST]) != members.sums[MANIFEST]:
        raise _damaged("目録のチェックサムが一致しません", f"checksum mismatch in {MANIFEST}")
    members.manifest = _read_manifest(archive, members)
    return members


def _safe(member: tarfile.TarInfo) -> bool:
    parts = PurePosixPath(member.name).parts
    return (
        member.isreg()
        and bool(parts)
        and not member.name.startswith("/")
        and ".." not in parts
        and (member.name in {MANIFEST, SUMS} or parts[0] in {"database", MEDIA_DIR})
    )


def _read_sums(archive: tarfile.TarFile, members: _Members) -> dict[str, str]:
    try:
        text = _read(archive, members[SUMS]).decode()
        pairs = [re.fullmatch(r"([0-9a-f]{64})  (.+)", line).groups() for line in text.splitlines()]
    except (UnicodeDecodeError, AttributeError):
        raise _damaged(f"{SUMS} が読めません", f"{SUMS} cannot be read") from None
    sums = {name: digest for digest, name in pairs}
    if sums.keys() != members.keys() - {SUMS} or len(pairs) != len(sums):
        raise _damaged(f"{SUMS} と中身が合いません", f"{SUMS} does not list the members")
    return sums


def _read_manifest(archive: tarfile.TarFile, members: _Members) -> dict:
    try:
        manifest = json.loads(_read(archive, members[MANIFEST]))
    except ValueError:
        raise _damaged("目録が読めません", f"{MANIFEST} cannot be read") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _foreign(archive.name)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"保存ファイルの形式 {manifest.get('format_version')} には対応していません",
            f"archive format version {manifest.get('format_version')} is not supported here",
        )
    files = {item["name"]: item["sha256"] for item in manifest["files"]}
    if files != {n: s for n, s in members.sums.items() if n != MANIFEST}:
        raise _damaged("目録と中身が合いません", f"{MANIFEST} does not list the members")
    return manifest


def _read(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    try:
        return archive.extractfile(member).read()
    except (tarfile.TarError, EOFError, OSError):
        raise _truncated() from None


def _sha256(archive: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    digest = hashlib.sha256()
    try:
        source = archive.extractfile(member)
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    except (tarfile.TarError, EOFError, OSError):
        raise _truncated() from None
    return digest.hexdigest()


def _extract(archive_path: Path, manifest: dict, work: Path) -> None:
    """Write every member but the lists into ``work``, checking each checksum once more."""
    expected = {item["name"]: item["sha256"] for item in manifest["files"]}
    with _open(archive_path) as archive:
        for member in archive.getmembers():
            if member.name not in expected:
                continue
            destination = work / member.name
            destination.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with archive.extractfile(member) as source, destination.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected[member.name]:
                raise _damaged(
                    f"{member.name} が読み直すと変わっていました",
                    f"{member.name} changed while it was read",
                )


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


def _foreign(path) -> BackupError:
    return BackupError(
        f"Sasae-ai のバックアップではありません: {path}",
        f"not a Sasae-ai backup archive: {path}",
    )


def _truncated() -> BackupError:
    return BackupError(
        "保存ファイルが途中で切れています（不完全です）",
        "the archive is truncated or incomplete",
    )


def _damaged(japanese: str, english: str) -> BackupError:
    return BackupError(
        f"保存ファイルが壊れています: {japanese}", f"the archive is damaged: {english}"
    )
