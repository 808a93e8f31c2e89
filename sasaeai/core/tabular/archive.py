"""An .xlsx workbook is a zip archive: refuse one that would unpack to far more than it is.

Checked before python-calamine opens the workbook, from the archive's directory and by
unpacking each part as far as its directory says (a part longer than it claims fails its
checksum): the total unpacked size, each large part's compression ratio and the number of
parts are bounded (settings ``SASAEAI_XLSX_MAX_UNPACKED_BYTES``, ``SASAEAI_XLSX_MAX_RATIO``,
``SASAEAI_XLSX_MAX_PARTS``); encrypted parts and archives packed inside are refused. Word and
PowerPoint files (``core.filecheck.check_document``) go through the same check.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import DAMAGED, TableError

__all__ = ["check_archive", "limits"]

MB = 1024 * 1024
DEFAULTS = {
    "SASAEAI_XLSX_MAX_UNPACKED_BYTES": 200 * MB,
    "SASAEAI_XLSX_MAX_RATIO": 100,
    "SASAEAI_XLSX_MAX_PARTS": 2000,
}
# Parts smaller than this are not held to the ratio: a few kilobytes of repeated XML pack
# far tighter than a sheet, and cannot make a bomb.
RATIO_FLOOR = 1 * MB
NESTED_SUFFIXES = {".zip", ".gz", ".7z", ".rar", ".tar", ".bz2", ".xz", ".cab"}
_CHUNK = 1 << 20

TOO_MUCH_UNPACKED = _(
    "“%(name)s” would unpack to %(size)s MB, more than the %(limit)s MB a file may hold. Split "
    "it into smaller files."
)
TOO_PACKED = _(
    "“%(name)s” is refused: its part “%(part)s” is packed %(ratio)s times over (at most "
    "%(limit)s), as a zip bomb is, not as a real file."
)
TOO_MANY_PARTS = _("“%(name)s” holds %(count)s parts; a file may hold at most %(limit)s.")
ENCRYPTED_PART = _("“%(name)s” holds an encrypted part (“%(part)s”), which cannot be read.")
NESTED_ARCHIVE = _("“%(name)s” holds another archive (“%(part)s”), which cannot be read.")


def limits() -> dict[str, int]:
    return {key: int(getattr(settings, key, default)) for key, default in DEFAULTS.items()}


def _error(message, code: str, name: str, **params) -> TableError:
    return TableError(message, code=code, params={"name": name, **params})


def _check_directory(infos: list[zipfile.ZipInfo], name: str, bounds: dict[str, int]) -> None:
    if len(infos) > bounds["SASAEAI_XLSX_MAX_PARTS"]:
        raise _error(
            TOO_MANY_PARTS, "too_many_parts", name,
            count=len(infos), limit=bounds["SASAEAI_XLSX_MAX_PARTS"],
        )  # fmt: skip
    total = sum(info.file_size for info in infos)
    if total > bounds["SASAEAI_XLSX_MAX_UNPACKED_BYTES"]:
        raise _error(
            TOO_MUCH_UNPACKED, "too_much_unpacked", name,
            size=f"{total / MB:,.0f}", limit=f"{bounds['SASAEAI_XLSX_MAX_UNPACKED_BYTES'] // MB}",
        )  # fmt: skip
    for info in infos:
        if info.flag_bits & 0x1:
            raise _error(ENCRYPTED_PART, "encrypted_part", name, part=info.filename)
        if PurePosixPath(info.filename).suffix.lower() in NESTED_SUFFIXES:
            raise _error(NESTED_ARCHIVE, "nested_archive", name, part=info.filename)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_FLOOR and ratio > bounds["SASAEAI_XLSX_MAX_RATIO"]:
            raise _error(
                TOO_PACKED, "too_packed", name, part=info.filename,
                ratio=f"{ratio:,.0f}", limit=bounds["SASAEAI_XLSX_MAX_RATIO"],
            )  # fmt: skip


def check_archive(stream: BinaryIO, name: str) -> set[str]:
    """The names of the archive's parts, or ``TableError``; the stream is rewound."""
    bounds = limits()
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            _check_directory(infos, name, bounds)
            for info in infos:  # a part longer than its directory says fails its CRC here
                with archive.open(info) as part:
                    while part.read(_CHUNK):
                        pass
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise _error(DAMAGED, "damaged", name, error=error) from error
    except NotImplementedError as error:  # a compression method zipfile cannot read
        raise _error(DAMAGED, "damaged", name, error=error) from error
    finally:
        stream.seek(0)
    return {info.filename for info in infos}
