"""Import of corporations and facilities: preview, all-or-nothing commit, upsert, bad input."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.utils import timezone
from openpyxl import Workbook

from sasaeai.core.hojin import make_corporate_number
from sasaeai.core.tabular import TableError
from sasaeai.members.importing import (
    CORPORATION_SPEC,
    FACILITY_SPEC,
    ImportRefused,
    commit_import,
    preview_import,
)
from sasaeai.members.models import Corporation, Facility, ImportJob
from sasaeai.testing.factories import CorporationFactory

pytestmark = pytest.mark.django_db

CORPORATION_HEADER = ["法人番号", "法人名", "フリガナ", "市町村", "種別協議会", "設立年月日"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
FACILITY_HEADER = ["法人番号", "施設名", "種別", "市町村", "定員", "事業所番号"]


def number(n: int) -> str:
    return make_corporate_number(f"{700000000000 + n}")


def wrong_check_digit(n: int) -> str:
    right = number(n)
    return f"{(int(right[0]) % 9) + 1}{right[1:]}"


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding="utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_workbook(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def corporation_row(n: int, *, name: str = "", municipality: str = "津山市") -> list[str]:
    return [number(n), name or f"テスト福祉会{n}", "", municipality, "", ""]


def corporations_csv(tmp_path: Path, rows: list[list[str]], **kwargs) -> Path:
    return write_csv(tmp_path / "corporations.csv", CORPORATION_HEADER, rows, **kwargs)


def state() -> tuple[int, int, int]:
    return Corporation.objects.count(), Facility.objects.count(), ImportJob.objects.count()


def refused(kind: str, path: Path, **kwargs) -> list[str]:
    """Commit a file that must be refused; return its errors, one line each."""
    before = state()
    with pytest.raises(ImportRefused) as refusal:
        commit_import(kind, path, prefecture="33", **kwargs)
    assert state() == before, "a refused import wrote something"
    return [str(error) for error in refusal.value.errors]


# Messy input is normalised ----------------------------------------------------------------------


def test_messy_input_is_normalised(regions, tmp_path):
    n = number(1)
    rows = [
        [
            f"{n[0]}-{n[1:5]}-{n[5:9]}-{n[9:]}",
            " ﾃｽﾄ福祉会　 ",
            "ﾃｽﾄﾌｸｼｶｲ",
            "岡山県 津山市",
            "老人福祉",
            "H29.10.10",
        ],
        [
            number(2).translate(FULL_WIDTH),
            "北の会",
            "",
            "岡山市北区",
            "children",
            "平成30年5月25日",
        ],
        [number(3), "倉敷の会", "", "33202", "", "R1.5.1"],
        [number(4), "玉野の会", "", "332046", "", "2019-04-01"],
    ]
    result = commit_import("corporations", corporations_csv(tmp_path, rows), prefecture="33")
    assert result.created == 4
    first = Corporation.objects.get(corporate_number=n)
    assert (first.name, first.name_kana) == ("テスト福祉会", "テストフクシカイ")
    assert first.municipality_id == "332038"
    assert first.sector_group.name == "老人福祉"
    assert first.founded == datetime.date(2017, 10, 10)
    second = Corporation.objects.get(corporate_number=number(2))
    assert (second.municipality_id, second.sector_group.code) == ("331015", "children")
    assert Corporation.objects.get(corporate_number=number(3)).municipality_id == "332020"
    assert Corporation.objects.get(corporate_number=number(4)).founded == datetime.date(2019, 4, 1)


def test_names_and_search_keys_match_what_save_computes(regions, tmp_path):
    commit_import(
        "corporations",
        corporations_csv(tmp_path, [[number(1), "ﾃｽﾄ 福祉会", "ﾃｽﾄ", "津山市", "", ""]]),
        prefecture="33",
    )
    imported = Corporation.objects.get()
    stored = (imported.name, imported.name_kana, imported.search_key)
    imported.save()
    imported.refresh_from_db()
    assert (imported.name, imported.name_kana, imported.search_key) == stored
    assert Corporation.objects.search("てすと").get() == imported


def test_header_aliases_are_accepted(regions, tmp_path):
    header = ["※法人番号（必須）", "法人名称", "市区町村", "所在地住所", "郵便番号"]
    path = write_csv(
        tmp_path / "a.csv", header, [[number(1), "会", "津山市", "山北1", "〒708-0001"]]
    )
    commit_import("corporations", path, prefecture="33")
    corporation = Corporation.objects.get()
    assert (corporation.address, corporation.postal_code) == ("山北1", "708-0001")


# Preview writes nothing and counts what a commit would do ---------------------------------------


def test_preview_counts_and_writes_nothing(regions, tmp_path):
    existing = CorporationFactory(corporate_number=number(1), name="既存の会", name_kana="")
    CorporationFactory(corporate_number=number(2), name="同じ会", name_kana="")
    rows = [
        corporation_row(1, name="名前を変えた会"),
        corporation_row(2, name="同じ会"),
        corporation_row(3),
    ]
    before = state()
    preview = preview_import("corporations", corporations_csv(tmp_path, rows), prefecture="33")
    assert state() == before
    assert (preview.total, preview.created, preview.updated, preview.unchanged) == (3, 1, 1, 1)
    assert preview.ok
    existing.refresh_from_db()
    assert existing.name == "既存の会"


def test_reimporting_the_same_file_changes_nothing(regions, tmp_path):
    path = corporations_csv(tmp_path, [corporation_row(n) for n in range(1, 6)])
    commit_import("corporations", path, prefecture="33")
    stamps = dict(Corporation.objects.values_list("pk", "updated_at"))
    again = commit_import("corporations", path, prefecture="33")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert dict(Corporation.objects.values_list("pk", "updated_at")) == stamps


def test_a_changed_row_updates_only_that_record(regions, tmp_path):
    commit_import(
        "corporations",
        corporations_csv(tmp_path, [corporation_row(1), corporation_row(2)]),
        prefecture="33",
    )
    stamps = dict(Corporation.objects.values_list("corporate_number", "updated_at"))
    rows = [corporation_row(1, municipality="倉敷市"), corporation_row(2)]
    result = commit_import("corporations", corporations_csv(tmp_path, rows), prefecture="33")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    moved = Corporation.objects.get(corporate_number=number(1))
    assert moved.municipality_id == "332020"
    assert moved.updated_at > stamps[number(1)]
    assert Corporation.objects.get(corporate_number=number(2)).updated_at == stamps[number(2)]


def test_columns_absent_from_the_file_are_left_alone(regions, tmp_path):
    CorporationFactory(corporate_number=number(1), name="会", representative="岡山太郎")
    path = write_csv(
        tmp_path / "a.csv", ["法人番号", "法人名", "市町村"], [[number(1), "会", "津山市"]]
    )
    commit_import("corporations", path, prefecture="33")
    assert Corporation.objects.get().representative == "岡山太郎"


def test_an_import_is_recorded_once_as_its_audit_summary(regions, tmp_path, personas):
    jobs, entries = ImportJob.objects.count(), LogEntry.objects.count()
    path = corporations_csv(tmp_path, [corporation_row(n) for n in range(1, 4)])
    result = commit_import("corporations", path, prefecture="33", by=personas.center)
    assert ImportJob.objects.count() == jobs + 1
    assert LogEntry.objects.count() == entries  # bulk writes: no entry per row
    job = result.job
    assert (job.status, job.created_count, job.created_by) == ("done", 3, personas.center)
    assert job.original_name == "corporations.csv"


def test_progress_is_reported_up_to_the_last_row(regions, tmp_path):
    calls = []
    path = corporations_csv(tmp_path, [corporation_row(n) for n in range(1, 2501)])
    commit_import("corporations", path, prefecture="33", on_progress=lambda *a: calls.append(a))
    assert calls[-1] == (2500, 2500)
    assert len(calls) == 2  # one call per chunk of 2,000 rows, while checking


# Encodings and formats ------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_csv_in_utf8_with_or_without_bom_and_cp932(regions, tmp_path, encoding):
    path = corporations_csv(tmp_path, [corporation_row(1, name="岡山髙島会")], encoding=encoding)
    commit_import("corporations", path, prefecture="33")
    assert Corporation.objects.get().name == "岡山髙島会"


def test_xlsx_with_numbers_and_dates_as_excel_stores_them(regions, tmp_path):
    path = write_workbook(
        tmp_path / "a.xlsx",
        CORPORATION_HEADER,
        [[int(number(1)), "会", "", 33203, "", datetime.date(2017, 10, 10)]],
    )
    commit_import("corporations", path, prefecture="33")
    corporation = Corporation.objects.get()
    assert (corporation.municipality_id, corporation.founded) == (
        "332038",
        datetime.date(2017, 10, 10),
    )


# Bad input: reported clearly, nothing written --------------------------------------------------


def test_a_wrong_check_digit_is_a_row_error(regions, tmp_path, english):
    rows = [corporation_row(1), [wrong_check_digit(2), "会", "", "津山市", "", ""]]
    errors = refused("corporations", corporations_csv(tmp_path, rows))
    assert len(errors) == 1
    assert errors[0].startswith(f"Row 3, 法人番号 “{wrong_check_digit(2)}”: ")
    assert "check digit" in errors[0]


def test_row_errors_are_in_japanese_by_default(regions, tmp_path):
    rows = [[wrong_check_digit(2), "会", "", "津山市", "", ""]]
    preview = preview_import("corporations", corporations_csv(tmp_path, rows), prefecture="33")
    error = preview.errors[0]
    assert (error.row, error.column, error.value) == (2, "法人番号", wrong_check_digit(2))
    assert "チェックデジット" in error.message


@pytest.mark.parametrize("municipality", ["架空市", "鳥取市", "312011", "99999", "北区"])
def test_an_unknown_municipality_is_a_row_error(regions, tmp_path, english, municipality):
    rows = [corporation_row(1, municipality=municipality)]
    errors = refused("corporations", corporations_csv(tmp_path, rows))
    assert len(errors) == 1
    assert errors[0].startswith(f"Row 2, 市町村 “{municipality}”")


def test_an_unknown_municipality_names_the_prefecture_and_examples(regions, tmp_path, english):
    rows = [corporation_row(1, municipality="架空市")]
    [error] = refused("corporations", corporations_csv(tmp_path, rows))
    assert "not a municipality of 岡山県" in error
    assert "岡山市北区" in error


def test_an_unknown_sector_lists_valid_values(regions, tmp_path, english):
    rows = [[number(1), "会", "", "津山市", "宇宙福祉", ""]]
    [error] = refused("corporations", corporations_csv(tmp_path, rows))
    assert "種別協議会 “宇宙福祉”" in error
    assert "老人福祉" in error


def test_a_duplicate_corporate_number_in_one_file_names_both_rows(regions, tmp_path, english):
    rows = [corporation_row(1), corporation_row(2), corporation_row(1, name="別名")]
    [error] = refused("corporations", corporations_csv(tmp_path, rows))
    assert error.startswith("Row 4, 法人番号")
    assert "row 2" in error


def test_every_row_error_is_reported_not_only_the_first(regions, tmp_path):
    rows = [corporation_row(n, municipality="架空市") for n in range(1, 2101)]
    rows.append([wrong_check_digit(9999), "", "", "", "", "H99.99.99"])
    errors = refused("corporations", corporations_csv(tmp_path, rows))
    assert len(errors) == 2100 + 4  # the last row: number, name, municipality and date


def test_one_bad_row_refuses_the_whole_file(regions, tmp_path):
    rows = [corporation_row(n) for n in range(1, 3000)]
    rows.append(corporation_row(3000, municipality="架空市"))
    refused("corporations", corporations_csv(tmp_path, rows))
    assert not Corporation.objects.exists()


def test_a_corporation_of_another_prefecture_is_not_changed(regions, personas, tmp_path, english):
    tottori = personas.tottori_corporation
    rows = [[tottori.corporate_number, "乗っ取り", "", "津山市", "", ""]]
    [error] = refused("corporations", corporations_csv(tmp_path, rows))
    assert "another prefecture" in error
    tottori.refresh_from_db()
    assert tottori.municipality_id == "312011"


def test_closing_before_founding_is_a_row_error(regions, tmp_path, english):
    header = ["法人番号", "法人名", "市町村", "設立年月日", "解散年月日"]
    path = write_csv(tmp_path / "a.csv", header, [[number(1), "会", "津山市", "R2.4.1", "R1.5.1"]])
    [error] = refused("corporations", path)
    assert error.startswith("Row 2, 解散年月日")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"\r\n\r\n", "empty"),
        (b"\xd0\xcf\x11\xe0" + bytes(508) + "EncryptedPackage".encode("utf-16-le"), "encrypted"),
        ("法人番号,法人名\n".encode("utf-16"), "encoding"),
        (b"\x85\x86\x87,\xff\xfe\n", "encoding"),
    ],
)
def test_files_that_cannot_be_read_are_refused_before_any_row(regions, tmp_path, content, code):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    before = state()
    for attempt in (preview_import, commit_import):
        with pytest.raises(TableError) as error:
            attempt("corporations", path, prefecture="33")
        assert error.value.code == code
        assert "upload.csv" in str(error.value)
    assert state() == before


def test_an_empty_workbook_is_refused(regions, tmp_path):
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with pytest.raises(TableError) as error:
        preview_import("corporations", path, prefecture="33")
    assert error.value.code == "empty"


def test_a_file_over_the_size_limit_is_refused(regions, tmp_path, english):
    path = corporations_csv(tmp_path, [corporation_row(n) for n in range(1, 100)])
    with pytest.raises(TableError) as error:
        commit_import("corporations", path, prefecture="33", max_bytes=1024)
    assert error.value.code == "too_large"
    assert "too large" in str(error.value)
    assert not Corporation.objects.exists()


# Header mapping -------------------------------------------------------------------------------


def test_missing_required_columns_ask_for_a_mapping(regions, tmp_path):
    path = write_csv(tmp_path / "a.csv", ["番号", "名前", "まち"], [[number(1), "会", "津山市"]])
    preview = preview_import("corporations", path, prefecture="33")
    assert preview.needs_mapping
    assert [c.header for c in preview.missing_columns] == ["法人番号", "法人名", "市町村"]
    with pytest.raises(TableError):
        commit_import("corporations", path, prefecture="33")
    mapping = {"番号": "corporate_number", "名前": "name", "まち": "municipality"}
    assert preview_import("corporations", path, prefecture="33", mapping=mapping).ok
    commit_import("corporations", path, prefecture="33", mapping=mapping)
    assert Corporation.objects.get().name == "会"


def test_the_specs_export_order_is_the_staffs_columns():
    assert CORPORATION_SPEC.headers() == (
        "法人番号", "法人名", "フリガナ", "代表者", "郵便番号", "所在地", "電話番号", "市町村",
        "種別協議会", "設立年月日", "解散年月日",
    )  # fmt: skip
    assert FACILITY_SPEC.headers() == (
        "法人番号", "施設名", "フリガナ", "種別", "市町村", "郵便番号", "所在地", "定員",
        "開設年月日", "廃止年月日", "事業所番号",
    )  # fmt: skip


# Facilities -----------------------------------------------------------------------------------


def facilities_csv(tmp_path: Path, rows: list[list[str]], header=FACILITY_HEADER) -> Path:
    return write_csv(tmp_path / "facilities.csv", header, rows)


@pytest.fixture
def corporations(regions):
    return [CorporationFactory(corporate_number=number(n)) for n in (1, 2)]


def test_facilities_are_created_for_corporations_in_the_registry(corporations, tmp_path):
    rows = [
        [number(1), "つやま保育園", "保育所", "津山市", "60", "3310100001"],
        [number(1), "ｹｱﾊｳｽつやま", "nursing-home", "33203", "", ""],
        [number(2), "くらしき苑", "", "倉敷市", "１，２００", ""],
    ]
    result = commit_import("facilities", facilities_csv(tmp_path, rows), prefecture="33")
    assert result.created == 3
    nursery = Facility.objects.get(name="つやま保育園")
    assert (nursery.kind.name, nursery.capacity, nursery.office_number) == (
        "保育所",
        60,
        "3310100001",
    )
    assert nursery.corporation == corporations[0]
    assert Facility.objects.get(name="ケアハウスつやま").kind.code == "nursing-home"
    assert Facility.objects.get(name="くらしき苑").capacity == 1200


def test_a_facility_whose_corporation_is_missing_is_a_row_error(corporations, tmp_path, english):
    rows = [[number(1), "園", "", "津山市", "", ""], [number(9), "孤児の園", "", "津山市", "", ""]]
    [error] = refused("facilities", facilities_csv(tmp_path, rows))
    assert error.startswith(f"Row 3, 法人番号 “{number(9)}”")
    assert "Import it first" in error


def test_facilities_upsert_by_corporation_and_name(corporations, tmp_path):
    path = facilities_csv(tmp_path, [[number(1), "園", "", "津山市", "30", ""]])
    commit_import("facilities", path, prefecture="33")
    path = facilities_csv(tmp_path, [[number(1), "園", "", "津山市", "45", ""]])
    result = commit_import("facilities", path, prefecture="33")
    assert (result.created, result.updated) == (0, 1)
    assert Facility.objects.get().capacity == 45
    again = commit_import("facilities", path, prefecture="33")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_facility_is_found_by_its_office_number_when_renamed(corporations, tmp_path):
    commit_import(
        "facilities",
        facilities_csv(tmp_path, [[number(1), "旧名の園", "", "津山市", "", "X1"]]),
        prefecture="33",
    )
    rows = [[number(1), "新名の園", "", "津山市", "", "X1"]]
    result = commit_import("facilities", facilities_csv(tmp_path, rows), prefecture="33")
    assert (result.created, result.updated) == (0, 1)
    assert Facility.objects.get().name == "新名の園"


def test_an_office_number_of_another_corporations_facility_is_an_error(
    corporations, tmp_path, english
):
    commit_import(
        "facilities",
        facilities_csv(tmp_path, [[number(1), "園", "", "津山市", "", "X1"]]),
        prefecture="33",
    )
    rows = [[number(2), "別の園", "", "倉敷市", "", "X1"]]
    [error] = refused("facilities", facilities_csv(tmp_path, rows))
    assert error.startswith("Row 2, 事業所番号 “X1”")
    assert "another corporation" in error


@pytest.mark.parametrize(
    ("second", "column"),
    [
        ([number(1), "園", "", "倉敷市", "", ""], "施設名"),
        ([number(2), "別", "", "津山市", "", "X1"], "事業所番号"),
    ],
)
def test_a_duplicate_facility_key_in_one_file(corporations, tmp_path, english, second, column):
    rows = [[number(1), "園", "", "津山市", "", "X1"], second]
    [error] = refused("facilities", facilities_csv(tmp_path, rows))
    assert error.startswith(f"Row 3, {column}")
    assert "row 2" in error


def test_an_unknown_facility_kind_lists_valid_values(corporations, tmp_path, english):
    [error] = refused(
        "facilities", facilities_csv(tmp_path, [[number(1), "園", "お城", "津山市", "", ""]])
    )
    assert "種別 “お城”" in error
    assert "特別養護老人ホーム" in error


def test_facility_header_aliases(corporations, tmp_path):
    header = ["法人番号", "施設・事業所名", "施設種別", "所在市町村", "所在地住所", "開設年月日"]
    rows = [[number(1), "園", "保育所", "津山市", "山北1", "H31.4.1"]]
    commit_import("facilities", facilities_csv(tmp_path, rows, header), prefecture="33")
    facility = Facility.objects.get()
    assert (facility.address, facility.opened) == ("山北1", datetime.date(2019, 4, 1))


def test_a_stream_can_be_imported_as_well_as_a_path(corporations):
    content = io.BytesIO("法人番号,施設名,市町村\n".encode() + f"{number(1)},園,津山市\n".encode())
    preview = preview_import("facilities", content, prefecture="33", filename="f.csv")
    assert (preview.total, preview.created) == (1, 1)


def test_two_rows_that_update_the_same_facility_are_refused(corporations, tmp_path, english):
    path = facilities_csv(tmp_path, [[number(1), "園", "", "津山市", "", "X1"]])
    commit_import("facilities", path, prefecture="33")
    rows = [
        [number(1), "新しい名", "", "津山市", "", "X1"],
        [number(1), "園", "", "津山市", "", ""],
    ]
    [error] = refused("facilities", facilities_csv(tmp_path, rows))
    assert error.startswith("Row 3, 施設名 “園”")
    assert "Row 2 of this file already updates" in error


def test_a_facility_of_another_prefecture_is_not_changed(corporations, tmp_path, english):
    Facility.objects.create(
        corporation=corporations[0], name="鳥取の園", municipality_id="312011", office_number="T1"
    )
    rows = [[number(1), "鳥取の園", "", "津山市", "", "T1"]]
    [error] = refused("facilities", facilities_csv(tmp_path, rows))
    assert "another prefecture" in error
    assert Facility.objects.get().municipality_id == "312011"


def test_imported_rows_get_the_defaults_and_timestamps_of_a_save(regions, tmp_path):
    """Rows are written by insert_rows, not save(): every other column must still be right."""
    before = timezone.now()
    commit_import(
        "corporations",
        corporations_csv(tmp_path, [[number(1), "テスト福祉会", "", "津山市", "", ""]]),
        prefecture="33",
    )
    imported = Corporation.objects.get()
    made = Corporation(name="比較", municipality_id="332038", corporate_number=number(2))
    made.save()
    for field in Corporation._meta.concrete_fields:
        if field.name in {
            "id",
            "name",
            "corporate_number",
            "search_key",
            "created_at",
            "updated_at",
        }:
            continue
        assert getattr(imported, field.attname) == getattr(made, field.attname), field.name
    assert before <= imported.created_at == imported.updated_at <= timezone.now()
    assert imported.name_kana == "" and imported.closed is None


def test_insert_rows_refuses_a_row_without_a_required_value(regions):
    from django.db import transaction

    from sasaeai.core.db.bulk import insert_rows

    rows = [
        {"corporate_number": number(1), "name": "一", "municipality_id": "332038"},
        {"corporate_number": number(2), "name": "市町村なし"},
    ]
    with pytest.raises(KeyError, match="municipality_id"), transaction.atomic():
        insert_rows(Corporation, rows, now=timezone.now(), batch_size=1)
    assert not Corporation.objects.exists()  # the caller's transaction wrote nothing
    assert insert_rows(Corporation, rows[:1], now=timezone.now()) == 1
    assert Corporation.objects.get().search_key == ""  # the caller computes derived columns


def test_insert_rows_writes_dates_and_times_exactly(regions):
    """On PostgreSQL COPY receives dates and date-times as text: they must come back equal."""
    import zoneinfo

    from sasaeai.core.db.bulk import insert_rows

    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    finished = datetime.datetime(2019, 3, 31, 23, 59, 58, 123456, tzinfo=tokyo)
    now = datetime.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
    rows = [
        {"corporate_number": number(1), "name": "一", "municipality_id": "332038"},
        {
            "corporate_number": number(2),
            "name": "二",
            "municipality_id": "332038",
            "founded": datetime.date(1989, 1, 8),
            "closed": datetime.date(2019, 5, 1),
        },
    ]
    assert insert_rows(Corporation, rows, now=now) == 2
    first, second = Corporation.objects.order_by("pk")
    assert (first.founded, first.closed) == (None, None)
    assert (second.founded, second.closed) == (datetime.date(1989, 1, 8), datetime.date(2019, 5, 1))
    assert first.created_at == second.updated_at == now
    job = {"kind": "corporations", "prefecture_id": "33", "original_name": "a.csv", "file": ""}
    job |= {"finished_at": finished, "errors": [{"row": 2}]}
    assert insert_rows(ImportJob, [job], now=now) == 1
    stored = ImportJob.objects.get()
    assert stored.finished_at == finished and stored.created_at == now
    assert stored.errors == [{"row": 2}]


def test_one_of_finds_the_same_rows_as_in(regions):
    """``one_of`` (one array parameter on PostgreSQL) filters as ``__in`` does."""
    from sasaeai.core.db.lookups import one_of
    from sasaeai.regions.models import Municipality

    codes = ["332038", "331015", "999999"]
    found = Municipality.objects.filter(one_of(Municipality, "code", codes))
    assert sorted(found.values_list("code", flat=True)) == ["331015", "332038"]
    assert not Municipality.objects.filter(one_of(Municipality, "code", []))
    names = Municipality.objects.filter(code__in=codes[:2]).values_list("name", flat=True)
    both = Municipality.objects.filter(
        one_of(Municipality, "name", list(names)), one_of(Municipality, "code", codes)
    )
    assert both.count() == 2


def test_a_corporation_is_read_once_for_all_the_chunks_that_name_it(
    corporations, tmp_path, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sasaeai.members.importing import rows as importing_rows

    monkeypatch.setattr(importing_rows, "CHUNK", 2)
    rows = [[number(1), f"園{n}", "", "津山市", "", ""] for n in range(5)]
    rows.append([number(2), "くらしき苑", "", "倉敷市", "", ""])
    with CaptureQueriesContext(connection) as queries:
        result = commit_import("facilities", facilities_csv(tmp_path, rows), prefecture="33")
    assert (result.total, result.created) == (6, 6)
    lookups = [q["sql"] for q in queries if 'FROM "members_corporation"' in q["sql"]]
    assert len(lookups) == 2  # 法人番号 1 in the first chunk, 2 in the third
    assert Facility.objects.filter(corporation=corporations[0]).count() == 5
    assert Facility.objects.filter(corporation=corporations[1]).get().name == "くらしき苑"


def test_the_garbage_collector_is_left_as_it_was(corporations, tmp_path):
    """Objects are frozen while the rows are read (fewer full collections), then thawed; a
    freeze made by someone else is left alone."""
    import gc

    rows = [[number(1), "つやま保育園", "", "津山市", "", ""]]
    assert gc.get_freeze_count() == 0
    commit_import("facilities", facilities_csv(tmp_path, rows), prefecture="33")
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        preview_import("facilities", facilities_csv(tmp_path, rows), prefecture="33")
        assert gc.get_freeze_count()  # not thawed by the import
    finally:
        gc.unfreeze()
