"""Strategies and checks shared by the importers' property tests: files made in memory (CSV in
UTF-8, UTF-8 with BOM and CP932, xlsx by openpyxl, undecodable bytes), the cell values offices
type (half-width kana, full-width digits, 和暦, empty cells), and a fingerprint of the tables an
import may touch, to prove that a refused import wrote nothing."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from openpyxl import Workbook

# Each importer's property test: a bounded, repeatable number of files.
IMPORT_SETTINGS = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FORMATS = ("utf-8", "utf-8-sig", "cp932", "xlsx")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# Text an office types, all of it encodable in CP932: kanji, kana, half-width kana, digits.
_TEXT = "福祉会社会法人あいうえおカキクケコｻｼｽｾｿﾃｽﾄ山川田中0123456789０１２３ー・（）"
texts = st.text(alphabet=_TEXT, min_size=1, max_size=12)


def _era(day: datetime.date) -> str:
    if day >= datetime.date(2019, 5, 1):
        return f"令和{day.year - 2018}年{day.month}月{day.day}日"
    return f"平成{day.year - 1988}年{day.month}月{day.day}日"


@st.composite
def written_dates(draw, *, start=datetime.date(1990, 1, 1), end=datetime.date(2030, 12, 31)):
    """``(date, how it is written)``: ISO, slashes, full-width digits or 和暦."""
    day = draw(st.dates(min_value=start, max_value=end))
    style = draw(st.sampled_from(["iso", "slash", "full", "era"]))
    text = {
        "iso": day.isoformat(),
        "slash": f"{day.year}/{day.month}/{day.day}",
        "full": day.isoformat().translate(FULL_WIDTH),
        "era": _era(day) if day >= datetime.date(1989, 1, 8) else day.isoformat(),
    }[style]
    return day, text


bad_dates = st.sampled_from(["2021-02-30", "令和99年13月1日", "昨日", "2021/13/01", "H31.4.31"])


def table_bytes(fmt: str, header: list[str], rows: list[list[str]]) -> bytes:
    """The file in ``fmt`` (one of ``FORMATS``), made in memory."""
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(fmt)


def undecodable(header: list[str]) -> bytes:
    """A CSV that is neither UTF-8 nor CP932: a byte no encoding of Japanese text allows."""
    return ",".join(header).encode("utf-8") + b"\r\n\x80\xfd\xfe\xff,\x81\r\n"


def suffix(fmt: str) -> str:
    return "xlsx" if fmt == "xlsx" else "csv"


def fingerprint(*querysets) -> tuple:
    """Row counts and a hash of every value of each queryset's rows, in key order."""
    result = []
    for queryset in querysets:
        digest = hashlib.sha256()
        rows = queryset.order_by("pk").values_list()
        for row in rows:
            digest.update(repr(row).encode())
        result.append((queryset.model.__name__, queryset.count(), digest.hexdigest()))
    return tuple(result)


def assert_row_errors_in_japanese(errors) -> None:
    """Every refusal names its row, its column and the reason, in Japanese."""
    assert errors
    for error in errors:
        assert error.row >= 1, error
        assert error.column, error
        assert JAPANESE.search(str(error)), str(error)
