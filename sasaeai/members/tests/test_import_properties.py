"""Property tests of the registry import: whatever rows, encoding and dates a file holds, the
import commits every row or refuses with row errors in Japanese and writes nothing; importing
a committed file again changes nothing."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.db import transaction
from hypothesis import event, given
from hypothesis import strategies as st

from sasaeai.core.hojin import make_corporate_number
from sasaeai.core.tabular import TableError
from sasaeai.members.importing import ImportRefused, commit_import
from sasaeai.members.models import Corporation, Facility, ImportJob
from sasaeai.testing.tables import (
    FORMATS,
    FULL_WIDTH,
    IMPORT_SETTINGS,
    assert_row_errors_in_japanese,
    bad_dates,
    fingerprint,
    suffix,
    table_bytes,
    texts,
    undecodable,
    written_dates,
)

pytestmark = pytest.mark.django_db

CORPORATION_HEADER = ["法人番号", "法人名", "フリガナ", "市町村", "種別協議会", "設立年月日"]
FACILITY_HEADER = ["法人番号", "施設名", "種別", "市町村", "定員", "事業所番号"]
MUNICIPALITIES = ["津山市", "倉敷市", "岡山市北区", "33202", "332046", "岡山県 津山市"]
NOT_MUNICIPALITIES = ["鳥取市", "架空町", "99999"]


def corporate_number(n: int) -> str:
    return make_corporate_number(f"{700000000000 + n}")


def wrong_check_digit(n: int) -> str:
    right = corporate_number(n)
    return f"{(int(right[0]) % 9) + 1}{right[1:]}"


def registry():
    return fingerprint(Corporation.objects.all(), Facility.objects.all(), ImportJob.objects.all())


@st.composite
def corporation_rows(draw, clean=False):
    """(cells, valid): a number that is right, full-width or hyphenated, or wrong; a name
    that may be empty; a municipality of Okayama or not; a sector; a date or a non-date.
    ``clean`` draws only what may be imported, so that files are committed too."""
    n = draw(st.integers(1, 6))  # few numbers, so that files repeat one (a duplicate)
    right = corporate_number(n)
    spellings = [right, right.translate(FULL_WIDTH), f"{right[0]}-{right[1:5]}-{right[5:]}"]
    number = draw(st.sampled_from(spellings if clean else [*spellings, "wrong"]))
    valid = number != "wrong"
    if not valid:
        number = wrong_check_digit(n)
    name = draw(texts if clean else st.one_of(texts, st.just("")))
    valid &= bool(name)
    kana = draw(st.sampled_from(["", "ﾃｽﾄﾌｸｼｶｲ", "テストフクシカイ"]))
    municipality = draw(st.sampled_from(MUNICIPALITIES + ([] if clean else NOT_MUNICIPALITIES)))
    valid &= municipality in MUNICIPALITIES
    sector = draw(
        st.sampled_from(["", "老人福祉", "children", "保育", *([] if clean else ["宇宙福祉"])])
    )
    valid &= sector != "宇宙福祉"
    dates = st.one_of(st.just(("", "")), written_dates())
    founded = draw(dates if clean else st.one_of(dates, bad_dates.map(lambda t: (0, t))))
    valid &= founded[0] != 0
    return [number, name, kana, municipality, sector, founded[1]], valid


corporation_files = st.booleans().flatmap(
    lambda clean: st.lists(
        corporation_rows(clean),
        min_size=1,
        max_size=8,
        unique_by=(lambda r: _digits(r[0][0])) if clean else None,
    )
)


def _import(kind, fmt, data):
    return commit_import(kind, io.BytesIO(data), prefecture="33", filename=f"upload.{suffix(fmt)}")


def _all_or_nothing(kind, fmt, data, *, numbers):
    """Import; on a refusal nothing changed, on success each row's corporation is there and a
    second import changes nothing. Returns whether the file was committed."""
    before = registry()
    try:
        result = _import(kind, fmt, data)
    except ImportRefused as refusal:
        assert registry() == before, "a refused import wrote something"
        assert_row_errors_in_japanese(refusal.errors)
        event("refused")
        return False
    assert result.total == len(numbers)
    held = set(Corporation.objects.values_list("corporate_number", flat=True))
    assert set(numbers) <= held
    event("committed")
    after = fingerprint(Corporation.objects.all(), Facility.objects.all())
    again = _import(kind, fmt, data)
    assert (again.created, again.updated) == (0, 0)
    assert fingerprint(Corporation.objects.all(), Facility.objects.all()) == after
    return True


@IMPORT_SETTINGS
@given(rows=corporation_files, fmt=st.sampled_from(FORMATS))
def test_a_corporation_file_is_imported_whole_or_not_at_all(regions, rows, fmt):
    data = table_bytes(fmt, CORPORATION_HEADER, [cells for cells, _ in rows])
    numbers = [make_corporate_number(_digits(cells[0])[:12]) for cells, _ in rows]
    with transaction.atomic():
        committed = _all_or_nothing("corporations", fmt, data, numbers=numbers)
        if all(valid for _, valid in rows) and len(set(numbers)) == len(numbers):
            assert committed, rows
        transaction.set_rollback(True)


@st.composite
def facility_rows(draw):
    n = draw(st.integers(1, 4))  # 4 is not registered
    number = corporate_number(n)
    name = draw(st.one_of(texts, st.just("")))
    kind = draw(st.sampled_from(["", "特別養護老人ホーム", "保育所", "お城"]))
    municipality = draw(st.sampled_from(MUNICIPALITIES + NOT_MUNICIPALITIES))
    capacity = draw(st.sampled_from(["", "30", "３０", "-1", "たくさん"]))
    office = draw(st.sampled_from(["", f"X{n}", "X9"]))
    return [number, name, kind, municipality, capacity, office]


@IMPORT_SETTINGS
@given(rows=st.lists(facility_rows(), min_size=1, max_size=6), fmt=st.sampled_from(FORMATS))
def test_a_facility_file_is_imported_whole_or_not_at_all(regions, rows, fmt):
    with transaction.atomic():
        for n in (1, 2, 3):
            Corporation.objects.create(
                corporate_number=corporate_number(n),
                name=f"法人{n}",
                municipality_id="332038",
            )
        data = table_bytes(fmt, FACILITY_HEADER, rows)
        before = registry()
        try:
            _import("facilities", fmt, data)
        except ImportRefused as refusal:
            assert registry() == before, "a refused import wrote something"
            assert_row_errors_in_japanese(refusal.errors)
            event("refused")
        else:
            event("committed")
            after = fingerprint(Corporation.objects.all(), Facility.objects.all())
            for number, *_ in rows:
                assert Facility.objects.filter(corporation__corporate_number=number).exists()
            again = _import("facilities", fmt, data)
            assert (again.created, again.updated) == (0, 0)
            assert fingerprint(Corporation.objects.all(), Facility.objects.all()) == after
        transaction.set_rollback(True)


@pytest.mark.parametrize("kind", ["corporations", "facilities"])
def test_undecodable_bytes_are_refused_in_japanese_and_write_nothing(regions, kind):
    header = CORPORATION_HEADER if kind == "corporations" else FACILITY_HEADER
    before = registry()
    with pytest.raises(TableError) as refusal:
        commit_import(kind, io.BytesIO(undecodable(header)), prefecture="33", filename="x.csv")
    assert registry() == before
    assert any("\u3040" <= c <= "\u9fff" for c in str(refusal.value))


def _digits(text: str) -> str:
    """The 12 base digits of a corporate number however it was written."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isdigit())[-12:]
