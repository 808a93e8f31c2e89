"""Reading a backup archive (``core.backup`` writes it): its shape, its lists and every checksum.

Nothing is written until everything is checked: a foreign file, a truncated archive, a member
changed by one byte or a list that does not match the members is refused in one line.
"""

from __future__ import annotations

import hashlib
import json
import re
import tarfile
from pathlib import Path, PurePosixPath

from .backup_db import BackupError

FORMAT = "sasaeai-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
MEDIA_DIR = "media"
CHUNK = 1 << 20


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
    try:
        files = {item["name"]: item["sha256"] for item in manifest["files"]}
        database = manifest["database"]["member"]
        shaped = all(isinstance(manifest[key], dict) for key in ("migrations", "media"))
        shaped = shaped and isinstance(manifest["database"]["tables"], dict)
    except (KeyError, TypeError):
        shaped = False
    if not shaped:
        raise _damaged("目録の項目が足りません", f"{MANIFEST} lacks what a backup lists")
    if files != {n: s for n, s in members.sums.items() if n != MANIFEST}:
        raise _damaged("目録と中身が合いません", f"{MANIFEST} does not list the members")
    if database not in files or not database.startswith("database/"):
        raise _damaged("目録にデータベースがありません", f"{MANIFEST} names no database member")
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


def extract(archive_path: Path, manifest: dict, work: Path) -> None:
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
