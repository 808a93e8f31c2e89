"""Writing a table as CSV (UTF-8 with BOM or CP932) or as an .xlsx workbook.

What is written here can be read back by ``open_table`` with the same spec.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import decimal
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Literal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .formulas import escape_formula
from .spec import TableSpec

__all__ = ["CsvEncoding", "stream_csv", "write_xlsx"]

CsvEncoding = Literal["utf-8-sig", "cp932"]

_CSV_CHUNK = 64 * 1024
# Characters that other Japanese encodings map to code points CP932 lacks; Windows writes their
# CP932 look-alikes (the “wave dash problem”). Anything else CP932 cannot encode becomes “?”.
_CP932_LOOKALIKES = str.maketrans(
    {
        "\u301c": "\uff5e",  # 〜 → ～
        "\u2016": "\u2225",  # ‖ → ∥
        "\u2212": "\uff0d",  # − → －
        "\u2014": "\u2015",  # — → ―
        "\u00a2": "\uffe0",  # ¢ → ￠
        "\u00a3": "\uffe1",  # £ → ￡
        "\u00ac": "\uffe2",  # ¬ → ￢
    }
)
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")


def _local(value: datetime.datetime) -> datetime.datetime:
    """An aware date-time as the wall-clock time of the current time zone (Asia/Tokyo)."""
    if timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_formula(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat(" ", "seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return escape_formula(str(value))


def _header_list(spec_or_headers: TableSpec | Sequence[str]) -> list[str]:
    if isinstance(spec_or_headers, TableSpec):
        return list(spec_or_headers.headers())
    return [str(header) for header in spec_or_headers]


def stream_csv(
    spec_or_headers: TableSpec | Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    encoding: CsvEncoding = "utf-8-sig",
) -> Iterator[bytes]:
    """Write a CSV as Excel reads it, in chunks for a streaming response.

    The header row comes first; lines end in CRLF; dates are ``YYYY-MM-DD``, date-times are
    written in the current time zone, ``None`` is empty and booleans are TRUE/FALSE. Texts that
    Excel would run as formulas get a leading ``'`` (dropped again on import). In CP932,
    characters it cannot encode (𠮷, emoji) are written as ``?``.
    """
    cp932 = encoding == "cp932"
    encoder = codecs.getincrementalencoder(encoding)("replace" if cp932 else "strict")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush(final: bool = False) -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return encoder.encode(text.translate(_CP932_LOOKALIKES) if cp932 else text, final)

    writer.writerow([escape_formula(header) for header in _header_list(spec_or_headers)])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
        if buffer.tell() >= _CSV_CHUNK:
            yield flush()
    yield flush(final=True)


def _xlsx_value(sheet: object, value: object) -> object:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):
            # openpyxl would store it as a formula; a text cell keeps it text.
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            return cell
        return value
    if isinstance(value, datetime.datetime):
        return _local(value)
    if value is None or isinstance(value, int | float | decimal.Decimal | datetime.date):
        return value
    return _xlsx_value(sheet, str(value))


def _sheet_title(title: str) -> str:
    return _SHEET_TITLE_FORBIDDEN.sub("_", title)[:31] or "Sheet1"


def write_xlsx(
    spec_or_headers: TableSpec | Sequence[str],
    rows: Iterable[Sequence[object]],
    target: BinaryIO | Path,
    *,
    sheet_title: str = "一覧",
) -> None:
    """Write an .xlsx workbook of one sheet in constant memory (openpyxl write-only mode).

    The header row is bold and frozen; dates are real Excel dates, date-times are written in
    the current time zone; texts stay texts, even those starting with ``=``. Characters that
    Excel forbids in a cell (control characters) are dropped.
    """
    headers = _header_list(spec_or_headers)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, 1):
        # About two columns of width per full-width character, within Excel's usual range.
        sheet.column_dimensions[get_column_letter(index)].width = min(
            max(10, 2.2 * len(header)), 60
        )
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", header))
        cell.data_type = "s"
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    workbook.save(str(target) if isinstance(target, Path) else target)
