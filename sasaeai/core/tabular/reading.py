"""Reading a table from an uploaded .xlsx or CSV file, one row at a time.

The kind of file is told by its content, never by its name: offices rename files, and Excel
saves CSV under names such as ``会員名簿.xlsx.csv``.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import io
import os
import re
import tempfile
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import BinaryIO, NamedTuple

import python_calamine

from sasaeai.core.text import search_key

from .archive import check_archive
from .errors import (
    DAMAGED,
    EMPTY,
    ENCODING,
    ENCRYPTED,
    LEGACY_XLS,
    MALFORMED_CSV,
    NO_SUCH_SHEET,
    NOT_A_TABLE,
    TOO_LARGE,
    UNNAMED,
    TableError,
    join_names,
)
from .formulas import unescape_formula

__all__ = ["DEFAULT_MAX_BYTES", "SourceRow", "Table", "check_table", "open_table"]

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 50 * MB

_ZIP = b"PK\x03\x04"
# An encrypted .xlsx (and an old .xls) is an OLE2 compound file, not a zip.
_OLE2 = b"\xd0\xcf\x11\xe0"
_OLE2_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_OLE2_WORKBOOKS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_NOT_TABLES = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"{\\rtf",
)
# Web pages and the SpreadsheetML that old systems save under an .xls name.
_MARKUP = re.compile(rb"\s*<(?:\?xml|html|!doctype)", re.IGNORECASE)
_CHUNK = 1 << 20
_SPOOL = 8 * MB
_MIDNIGHT = datetime.time()


class SourceRow(NamedTuple):
    """A row as read from the file: its row number in Excel (header = 1) and its cells."""

    number: int
    cells: list[str]


class Table:
    """A table read from a file: its header row and an iterator over its data rows.

    ``rows()`` may be called again to read the rows from the start (to check every row, then
    save them), but not while another iteration of the same table is running.
    """

    headers: list[str]
    encoding: str
    name: str

    def __init__(self, stream: BinaryIO, *, owned: bool, name: str) -> None:
        self._stream = stream
        self._owned = owned
        self.name = name

    def rows(self) -> Iterator[SourceRow]:
        """The data rows below the header, fully empty rows skipped."""
        raise NotImplementedError

    def total_rows(self) -> int | None:
        """The number of rows below the header (empty ones included) if cheaply known."""
        return None

    def close(self) -> None:
        """Close the file if ``open_table`` opened it."""
        if self._owned:
            self._stream.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _cell_text(value: object) -> str:
    """Write an Excel cell as text: 12 (not 12.0), 2019-04-01, TRUE; an error cell is ""."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"  # Excel shows 15 significant digits.
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == _MIDNIGHT:
            return value.date().isoformat()
        return value.isoformat(" ", "seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


class _XlsxTable(Table):
    encoding = "xlsx"

    def __init__(self, stream: BinaryIO, *, owned: bool, name: str, sheet: str | None) -> None:
        super().__init__(stream, owned=owned, name=name)
        try:
            self._workbook = python_calamine.CalamineWorkbook.from_filelike(stream)
        except python_calamine.PasswordError as error:
            raise _error(ENCRYPTED, "encrypted", name) from error
        except python_calamine.CalamineError as error:
            raise _error(DAMAGED, "damaged", name, error=error) from error
        try:
            self._read_header(sheet)
        except BaseException:
            self._workbook.close()
            raise

    def _read_header(self, sheet: str | None) -> None:
        for candidate in self._sheets(sheet):
            self._sheet = candidate
            self._first_number = self._first_row_number()
            header = self._find_header()
            if header is not None:
                self._header_position, self.headers = header
                return
        raise _error(EMPTY, "empty", self.name)

    def _sheets(self, wanted: str | None) -> Iterator[python_calamine.CalamineSheet]:
        """The named sheet, or every worksheet, visible ones first."""
        names = self._workbook.sheet_names
        if wanted is not None:
            for index, name in enumerate(names):
                if name == wanted or search_key(name) == search_key(wanted):
                    yield self._workbook.get_sheet_by_index(index)
                    return
            raise _error(
                NO_SUCH_SHEET, "no_such_sheet", self.name, sheet=wanted, sheets=join_names(names)
            )
        worksheets = [
            (meta.visible != python_calamine.SheetVisibleEnum.Visible, index)
            for index, meta in enumerate(self._workbook.sheets_metadata)
            if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        for _hidden, index in sorted(worksheets):
            yield self._workbook.get_sheet_by_index(index)

    def _first_row_number(self) -> int:
        """The Excel row number of the first row that ``iter_rows`` yields.

        python-calamine 0.9 yields the empty rows above the data too (row 1 first); should a
        version start at the first row with data, that row is not empty and tells so.
        """
        start = self._sheet.start
        if start is None or start[0] == 0:
            return 1
        first = next(self._sheet.iter_rows(), [])
        return start[0] + 1 if any(_cell_text(cell) for cell in first) else 1

    def _find_header(self) -> tuple[int, list[str]] | None:
        for position, row in enumerate(self._sheet.iter_rows()):
            cells = [cell if cell.__class__ is str else _cell_text(cell) for cell in row]
            if any(cells):
                return position, cells
        return None

    def rows(self) -> Iterator[SourceRow]:
        skip = self._header_position + 1
        rows = islice(self._sheet.iter_rows(), skip, None)
        for number, row in enumerate(rows, self._first_number + skip):
            cells = [cell if cell.__class__ is str else _cell_text(cell) for cell in row]
            if any(cells):
                yield SourceRow(number, cells)

    def total_rows(self) -> int | None:
        end = self._sheet.end
        header_number = self._first_number + self._header_position
        return 0 if end is None else max(0, end[0] + 1 - header_number)

    def close(self) -> None:
        with contextlib.suppress(python_calamine.WorkbookClosed):
            self._workbook.close()
        super().close()


class _CsvTable(Table):
    def __init__(self, stream: BinaryIO, *, owned: bool, name: str, encoding: str) -> None:
        super().__init__(stream, owned=owned, name=name)
        self.encoding = encoding
        records = self._records()
        try:
            for number, record in enumerate(records, 1):
                if any(record):
                    self._header_number = number
                    self.headers = [unescape_formula(header) for header in record]
                    return
        finally:
            records.close()
        raise _error(EMPTY, "empty", name)

    def _records(self) -> Iterator[list[str]]:
        self._stream.seek(0)
        text = io.TextIOWrapper(self._stream, encoding=self.encoding, newline="")
        reader = csv.reader(text)
        try:
            yield from reader
        except csv.Error as error:
            raise _error(
                MALFORMED_CSV, "malformed", self.name, row=reader.line_num, error=error
            ) from error
        finally:
            # The caller's file stays open: only the text layer over it goes.
            text.detach()

    def rows(self) -> Iterator[SourceRow]:
        records = islice(enumerate(self._records(), 1), self._header_number, None)
        for number, record in records:
            if any(record):
                yield SourceRow(number, record)


def _error(message: object, code: str, name: str, **params: object) -> TableError:
    return TableError(message, code=code, params={"name": name, **params})


def _size(stream: BinaryIO) -> int:
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    return size


def _check_size(size: int, max_bytes: int, name: str) -> None:
    if size > max_bytes:
        raise _error(
            TOO_LARGE, "too_large", name, size=f"{size / MB:.1f}", limit=f"{max_bytes / MB:g}"
        )


def _ole2_error(stream: BinaryIO, name: str) -> TableError:
    """Tell an encrypted .xlsx from an old .xls: both are OLE2 compound files."""
    content = stream.read()
    if _OLE2_ENCRYPTED not in content and any(book in content for book in _OLE2_WORKBOOKS):
        return _error(LEGACY_XLS, "legacy_xls", name)
    return _error(ENCRYPTED, "encrypted", name)


def _check_xlsx(stream: BinaryIO, name: str) -> None:
    if "xl/workbook.xml" not in check_archive(stream, name):
        raise _error(NOT_A_TABLE, "not_a_table", name)


def _decodes(stream: BinaryIO, encoding: str) -> bool:
    """Whether the whole file decodes strictly, read in chunks; text never holds NUL."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := stream.read(_CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)
    return True


def _csv_encoding(stream: BinaryIO, head: bytes, name: str) -> str:
    """UTF-8 with a BOM (Excel's “CSV UTF-8”), UTF-8, then CP932 (Excel's “CSV”)."""
    if _MARKUP.match(head.removeprefix(codecs.BOM_UTF8)):
        raise _error(NOT_A_TABLE, "not_a_table", name)
    candidates = ("utf-8-sig",) if head.startswith(codecs.BOM_UTF8) else ("utf-8", "cp932")
    for encoding in candidates:
        if _decodes(stream, encoding):
            return encoding
    raise _error(ENCODING, "encoding", name)


def _open_stream(
    source: Path | str | os.PathLike[str] | BinaryIO, max_bytes: int, name: str
) -> tuple[BinaryIO, bool]:
    """A seekable binary stream over the source, and whether it is ours to close."""
    if isinstance(source, str | os.PathLike):
        return open(source, "rb"), True
    if source.seekable():
        return source, False
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL)  # noqa: SIM115
    size = 0
    while chunk := source.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            spool.close()
            _check_size(size, max_bytes, name)
        spool.write(chunk)
    spool.seek(0)
    return spool, True


def _source_name(source: object) -> str:
    name = getattr(source, "name", None)
    return Path(name).name if isinstance(name, str | os.PathLike) else ""


def _kind(stream: BinaryIO, max_bytes: int, name: str) -> str:
    """What the file is by its content: ``xlsx`` or a CSV encoding; ``TableError`` otherwise."""
    _check_size(_size(stream), max_bytes, name)
    head = stream.read(64)
    stream.seek(0)
    if not head:
        raise _error(EMPTY, "empty", name)
    if head.startswith(_ZIP):
        _check_xlsx(stream, name)
        return "xlsx"
    if head.startswith(_OLE2):
        raise _ole2_error(stream, name)
    if head.startswith(_NOT_TABLES):
        raise _error(NOT_A_TABLE, "not_a_table", name)
    return _csv_encoding(stream, head, name)


def check_table(stream: BinaryIO, *, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Whether an upload can be read as a table, without reading its rows: ``xlsx`` or the
    CSV's encoding, or ``TableError`` (too large, a zip bomb, not a table). Rewinds the stream."""
    try:
        return _kind(stream, max_bytes, filename or str(UNNAMED))
    finally:
        stream.seek(0)


def open_table(
    source: Path | str | BinaryIO,
    *,
    filename: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    sheet: str | None = None,
) -> Table:
    """Open an .xlsx workbook or a CSV file (UTF-8 with or without BOM, or CP932) as a table.

    The kind of file is told from its content. In a workbook the first non-empty worksheet is
    read (visible ones first), or the one named ``sheet``; the first non-empty row is the header.
    Raise ``TableError`` for a file that cannot be read, naming it ``filename`` (by default the
    source's own name). Close the table, or use it in a ``with`` block, when done.
    """
    name = filename or _source_name(source) or str(UNNAMED)
    stream, owned = _open_stream(source, max_bytes, name)
    try:
        kind = _kind(stream, max_bytes, name)
        if kind == "xlsx":
            return _XlsxTable(stream, owned=owned, name=name, sheet=sheet)
        return _CsvTable(stream, owned=owned, name=name, encoding=kind)
    except BaseException:
        if owned:
            stream.close()
        raise
