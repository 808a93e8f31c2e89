"""Exports of the filtered lists: formats, headers, scope, constant queries, and the round trip."""

from __future__ import annotations

import codecs
import csv
import datetime
import io

import pytest
from django.urls import reverse

from sasaeai.core.tabular import open_table
from sasaeai.members.importing import CORPORATION_SPEC, FACILITY_SPEC, commit_import
from sasaeai.members.io_views import content_disposition
from sasaeai.members.models import Corporation, Facility, FacilityKind, SectorGroup
from sasaeai.testing.factories import CorporationFactory

from .test_importing import number

pytestmark = pytest.mark.django_db

CORPORATIONS = reverse("members_io:corporation-export")
FACILITIES = reverse("members_io:facility-export")


def body(response) -> bytes:
    """The response's bytes (a streamed one is read once and kept)."""
    if not hasattr(response, "read_body"):
        response.read_body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        )
    return response.read_body


def csv_rows(response, encoding: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode(encoding))))


def exported_numbers(response) -> set[str]:
    return {row[0] for row in csv_rows(response)[1:]}


@pytest.fixture
def registry(personas):
    elderly = SectorGroup.objects.get(code="elderly")
    nursery = FacilityKind.objects.get(code="nursery")
    full = CorporationFactory(
        corporate_number=number(1),
        name="＝岡山髙島福祉会",
        name_kana="オカヤマタカシマフクシカイ",
        representative="岡山 太郎",
        postal_code="700-0807",
        address="岡山市北区南方2丁目13-1",
        phone="086-000-0000",
        municipality_id="331015",
        sector_group=elderly,
        founded=datetime.date(1990, 4, 1),
    )
    CorporationFactory(
        corporate_number=number(2),
        name="閉じた会",
        founded=datetime.date(1980, 1, 1),
        closed=datetime.date(2019, 3, 31),
    )
    Facility.objects.create(
        corporation=full,
        name="たかしま保育園",
        name_kana="タカシマホイクエン",
        kind=nursery,
        municipality_id="331015",
        postal_code="7000807",
        address="南方1-1",
        capacity=90,
        opened=datetime.date(2001, 4, 1),
        office_number="3310100001",
    )
    Facility.objects.create(
        corporation=personas.other_corporation, name="倉敷の家", municipality_id="332020"
    )
    return personas


def test_csv_in_utf8_with_bom_has_the_import_headers(client, registry):
    client.force_login(registry.center)
    response = client.get(CORPORATIONS, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = body(response)
    assert content.startswith(codecs.BOM_UTF8)
    rows = csv_rows(response)
    assert tuple(rows[0]) == CORPORATION_SPEC.headers()
    full = next(row for row in rows if row[0] == number(1))
    assert full == [
        number(1),
        "'=岡山髙島福祉会",
        "オカヤマタカシマフクシカイ",
        "岡山 太郎",
        "700-0807",
        "岡山市北区南方2丁目13-1",
        "086-000-0000",
        "岡山市北区",
        "老人福祉",
        "1990-04-01",
        "",
    ]


def test_csv_in_cp932(client, registry):
    client.force_login(registry.center)
    response = client.get(CORPORATIONS, {"format": "csv-cp932"})
    assert response["Content-Type"] == "text/csv; charset=Shift_JIS"
    rows = csv_rows(response, "cp932")
    assert tuple(rows[0]) == CORPORATION_SPEC.headers()
    assert any(row[1] == "'=岡山髙島福祉会" for row in rows)


def test_xlsx_with_the_import_headers(client, registry, tmp_path):
    client.force_login(registry.center)
    response = client.get(FACILITIES, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / "f.xlsx"
    path.write_bytes(body(response))
    with open_table(path) as table:
        assert tuple(table.headers) == FACILITY_SPEC.headers()
        rows = [row.cells for row in table.rows()]
    nursery = next(row for row in rows if row[1] == "たかしま保育園")
    assert nursery[:5] == [
        number(1),
        "たかしま保育園",
        "タカシマホイクエン",
        "保育所",
        "岡山市北区",
    ]
    assert nursery[7:] == ["90", "2001-04-01", "", "3310100001"]


def test_the_file_name_has_the_date_and_a_japanese_name(client, registry):
    client.force_login(registry.center)
    response = client.get(CORPORATIONS, {"format": "csv"})
    today = datetime.datetime.now(datetime.UTC).astimezone(
        datetime.timezone(datetime.timedelta(hours=9))
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="corporations-{today:%Y-%m-%d}.csv"; ')
    assert "filename*=UTF-8''" in disposition


def test_a_japanese_file_name_is_encoded_as_rfc_5987():
    assert content_disposition("corporations.csv", "法人一覧.csv") == (
        'attachment; filename="corporations.csv"; '
        "filename*=UTF-8''%E6%B3%95%E4%BA%BA%E4%B8%80%E8%A6%A7.csv"
    )


def test_xlsx_is_the_default_format(client, registry):
    client.force_login(registry.center)
    response = client.get(CORPORATIONS)
    assert response["Content-Disposition"].split(";")[1].strip().endswith('.xlsx"')


def test_exports_follow_the_list_filters(client, registry):
    client.force_login(registry.center)
    tsuyama = client.get(CORPORATIONS, {"format": "csv", "municipality": "33203"})
    assert exported_numbers(tsuyama) == {registry.own_corporation.corporate_number}
    closed = client.get(CORPORATIONS, {"format": "csv", "closed": "1", "q": "閉じた"})
    assert exported_numbers(closed) == {number(2)}
    open_only = client.get(CORPORATIONS, {"format": "csv"})
    assert number(2) not in exported_numbers(open_only)
    nurseries = client.get(FACILITIES, {"format": "csv", "kind": "nursery"})
    assert exported_numbers(nurseries) == {number(1)}


def test_bad_parameters_are_a_400_naming_them(client, registry):
    client.force_login(registry.center)
    response = client.get(CORPORATIONS, {"format": "csv", "municipality": "12", "member": "x"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "municipality" in text
    assert "member" in text
    assert client.get(CORPORATIONS, {"format": "pdf"}).status_code == 400


# Scope ------------------------------------------------------------------------------------------

EXPECTED = {
    "center": {"own", "other", "full"},
    "council": {"own"},
    "corp_staff": {"own"},
    "outsider": {"other"},
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_each_persona_exports_only_what_it_can_see(client, registry, persona):
    client.force_login(getattr(registry, persona))
    numbers = {
        "own": registry.own_corporation.corporate_number,
        "other": registry.other_corporation.corporate_number,
        "full": number(1),
    }
    expected = {numbers[key] for key in EXPECTED[persona]}
    assert exported_numbers(client.get(CORPORATIONS, {"format": "csv"})) == expected
    assert registry.tottori_corporation.corporate_number not in expected


def test_the_outsider_exports_only_its_own_corporations_facilities(client, registry):
    client.force_login(registry.outsider)
    rows = csv_rows(client.get(FACILITIES, {"format": "csv"}))
    assert [row[1] for row in rows[1:]] == ["倉敷の家"]


def test_anonymous_visitors_are_sent_to_log_in(client, registry):
    response = client.get(CORPORATIONS, {"format": "csv"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Constant queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [CORPORATIONS, FACILITIES])
@pytest.mark.parametrize("size", [3, 60])
def test_an_export_takes_a_constant_number_of_queries(
    client, registry, django_assert_max_num_queries, url, size
):
    corporations = CorporationFactory.create_batch(size, municipality_id="331023")  # 岡山市中区
    for corporation in corporations:
        Facility.objects.create(corporation=corporation, name="園", municipality_id="331023")
    client.force_login(registry.center)
    for export_format in ("csv", "xlsx"):
        with django_assert_max_num_queries(6):
            response = client.get(url, {"format": export_format, "sector": "elderly"})
            content = body(response)
        assert content


# Round trip -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("export_format", "suffix"), [("csv", "csv"), ("csv-cp932", "csv"), ("xlsx", "xlsx")]
)
def test_an_export_imports_back_unchanged(client, registry, tmp_path, export_format, suffix):
    client.force_login(registry.center)
    stamps = dict(Corporation.objects.values_list("pk", "updated_at"))
    facility_stamps = dict(Facility.objects.values_list("pk", "updated_at"))
    for kind, url in (("corporations", CORPORATIONS), ("facilities", FACILITIES)):
        response = client.get(url, {"format": export_format, "closed": "1", "prefecture": "33"})
        path = tmp_path / f"{kind}.{suffix}"
        path.write_bytes(body(response))
        result = commit_import(kind, path, prefecture="33")
        assert (result.created, result.updated) == (0, 0), kind
        assert result.unchanged == result.total > 0
    assert dict(Corporation.objects.values_list("pk", "updated_at")) == stamps
    assert dict(Facility.objects.values_list("pk", "updated_at")) == facility_stamps
