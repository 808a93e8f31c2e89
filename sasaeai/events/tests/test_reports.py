"""The events report: held events, participants by year, pillar, municipality, organisation."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from sasaeai.events import actions, reports
from sasaeai.events.models import Audience, EventKind, EventStatus
from sasaeai.members.models import Council
from sasaeai.testing import factories

from .conftest import at

pytestmark = pytest.mark.django_db


def held(title, days, *, prefecture="33", **fields):
    """An event whose sessions are on ``days`` (dates, 13:00–16:00)."""
    sessions = [actions.SessionData(at(day, 13), at(day, 16)) for day in days]
    fields.setdefault("kind", EventKind.TRAINING)
    return actions.create_event(
        prefecture=prefecture,
        sessions=sessions,
        title=title,
        audience=Audience.SECTOR,
        **fields,
    )


def attend(registration, *numbers):
    for number in numbers:
        session = registration.event.sessions.get(number=number)
        actions.check_in(registration=registration, session=session, method="list")


@pytest.fixture
def records(personas):
    """Two fiscal years of held events, and events that must not count."""
    own, other = personas.own_corporation, personas.other_corporation
    tottori = personas.tottori_corporation
    # A ward's council: its figures belong to 岡山市.
    kita = Council.objects.create(
        level=Council.Level.MUNICIPAL,
        prefecture_id="33",
        municipality_id="331015",
        name="岡山市社会福祉協議会",
    )
    # FY2023: one training.
    a = held("研修A", [datetime.date(2023, 6, 10)])
    r1 = actions.register(event=a, name="山田太郎", corporation=own)
    actions.register(event=a, name="田中花子", corporation=own)
    r3 = actions.register(event=a, name="鈴木一郎", corporation=other)
    r4 = actions.register(event=a, name="高橋次郎", council=kita)
    r5 = actions.register(event=a, name="伊藤三郎", affiliation="地域 住民の会")
    actions.register(event=a, name="渡辺四郎")
    r7 = actions.register(event=a, name="中村五郎", corporation=own)
    for registration in (r1, r3, r4, r5, r7):
        attend(registration, 1)
    # Attended, then cancelled: neither a registration nor an attendance any more.
    actions.cancel_registration(registration=r7, staff=True)
    # FY2024: a course of three sessions, the last still to come, and a briefing (pillar III).
    future = timezone.localdate() + datetime.timedelta(days=30)
    b = held(
        "連続講座B",
        [datetime.date(2024, 5, 20), datetime.date(2024, 5, 27), future],
        kind=EventKind.COURSE,
        completion_min_sessions=2,
    )
    q1 = actions.register(event=b, name="山田太郎", corporation=own)
    q2 = actions.register(event=b, name="小林六子", affiliation="地域住民の会")
    actions.register(event=b, name="加藤七郎", corporation=tottori)
    attend(q1, 1, 2, 3)  # the third session has not taken place: it does not count
    attend(q2, 1)
    actions.issue_certificates(event=b)
    c = held("説明会C", [datetime.date(2024, 7, 1)], kind=EventKind.BRIEFING, pillar="networks")
    attend(actions.register(event=c, name="吉田八郎", corporation=other), 1)
    # Not held: cancelled, draft, only in the future, another prefecture.
    cancelled = held("中止D", [datetime.date(2024, 6, 1)])
    attend(actions.register(event=cancelled, name="山本九郎", corporation=own), 1)
    actions.cancel_event(event=cancelled, reason="台風")
    draft = held("下書きE", [datetime.date(2024, 6, 2)])
    attend(actions.register(event=draft, name="井上十郎", corporation=own), 1)
    draft.status = EventStatus.DRAFT
    draft.save()
    upcoming = held("予定F", [future + datetime.timedelta(days=7)])
    actions.register(event=upcoming, name="木村一子", corporation=own)
    elsewhere = held("鳥取G", [datetime.date(2024, 6, 3)], prefecture="31")
    attend(actions.register(event=elsewhere, name="林二子", corporation=tottori), 1)
    return {"own": own, "other": other, "tottori": tottori, "kita": kita}


def figures(row):
    return (row.events, row.sessions, row.registrations, row.participants, row.attendances)


def test_by_year_counts_held_events_confirmed_registrations_and_attendances(records):
    report = reports.training_report(prefecture="33")
    assert [(row.fiscal_year, row.label, figures(row)) for row in report.by_year] == [
        (2023, "令和5年度", (1, 1, 6, 4, 4)),
        (2024, "令和6年度", (2, 3, 4, 3, 4)),
    ]
    assert figures(report.total) == (3, 4, 10, 7, 8)


def test_by_pillar_in_the_plans_order(records):
    report = reports.training_report(prefecture="33")
    assert [(row.pillar, figures(row)) for row in report.by_pillar] == [
        ("networks", (1, 1, 1, 1, 1)),
        ("people", (2, 3, 9, 6, 7)),
    ]
    assert report.by_pillar[1].label.startswith("IV ")


def test_by_municipality_folds_wards_into_their_city(records):
    report = reports.training_report(prefecture="33")
    assert [
        (row.code, row.name, row.registrations, row.participants) for row in report.by_municipality
    ] == [
        ("312011", "鳥取市", 1, 0),
        ("331007", "岡山市", 1, 1),
        ("332020", "倉敷市", 2, 2),
        ("332038", "津山市", 3, 2),
        ("", "その他・個人", 3, 2),
    ]


def test_by_organisation_groups_written_affiliations(records):
    report = reports.training_report(prefecture="33")
    own, other, tottori = records["own"], records["other"], records["tottori"]
    assert [
        (row.kind, row.name, row.registrations, row.participants, row.certificates)
        for row in report.by_organisation
    ] == [
        ("corporation", own.name, 3, 2, 1),
        ("other", "地域 住民の会", 2, 2, 0),
        ("corporation", other.name, 2, 2, 0),
        ("council", "岡山市社会福祉協議会", 1, 1, 0),
        ("corporation", tottori.name, 1, 0, 0),
        ("none", "個人・所属なし", 1, 0, 0),
    ]
    assert report.by_organisation[0].corporation_id == own.pk
    assert report.by_organisation[3].council_id == records["kita"].pk


def test_one_fiscal_year(records):
    report = reports.training_report(prefecture="33", fiscal_year=2024)
    assert [(row.fiscal_year, figures(row)) for row in report.by_year] == [(2024, (2, 3, 4, 3, 4))]
    assert [(row.name, row.registrations) for row in report.by_municipality] == [
        ("鳥取市", 1),
        ("倉敷市", 1),
        ("津山市", 1),
        ("その他・個人", 1),
    ]


def test_trainings_held(records):
    assert reports.trainings_held(prefecture="33", fiscal_year=2023) == 1
    assert reports.trainings_held(prefecture="33", fiscal_year=2024) == 2
    assert reports.trainings_held(prefecture="33", fiscal_year=2022) == 0
    assert reports.trainings_held(prefecture="31", fiscal_year=2024) == 1


def test_an_event_is_held_once_its_first_session_has_started(records):
    before = datetime.datetime(2023, 6, 10, 12, tzinfo=datetime.UTC)  # 21:00 in Tokyo
    assert reports.trainings_held(prefecture="33", fiscal_year=2023, now=before) == 1
    earlier = datetime.datetime(2023, 6, 10, 3, tzinfo=datetime.UTC)  # 12:00 in Tokyo
    assert reports.trainings_held(prefecture="33", fiscal_year=2023, now=earlier) == 0


def test_empty_report(personas):
    report = reports.training_report(prefecture="33")
    assert (report.by_year, report.by_pillar, report.by_municipality) == ([], [], [])
    assert report.by_organisation == []
    assert figures(report.total) == (0, 0, 0, 0, 0)


def count_queries(django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        reports.training_report(prefecture="33")
    return len(captured.captured_queries)


def test_the_report_takes_the_same_few_queries_whatever_the_data(
    records, django_assert_max_num_queries
):
    before = count_queries(django_assert_max_num_queries, 6)
    for n in range(5):
        event = held(f"追加研修{n}", [datetime.date(2024, 8, 1 + n)], pillar="visibility")
        for m in range(4):
            corporation = factories.CorporationFactory(municipality_id="331023")  # 岡山市中区
            attend(actions.register(event=event, name=f"参加者{n}-{m}", corporation=corporation), 1)
    assert count_queries(django_assert_max_num_queries, 6) == before
    report = reports.training_report(prefecture="33")
    assert ("331007", "岡山市", 21, 21) in [
        (r.code, r.name, r.registrations, r.participants) for r in report.by_municipality
    ]


def test_workbook_has_a_sheet_per_table_with_japanese_headers(records):
    report = reports.training_report(prefecture="33")
    workbook = openpyxl.load_workbook(io.BytesIO(reports.report_workbook(report)))
    assert workbook.sheetnames == ["年度別", "柱別", "市町村別", "所属別"]
    years = [list(row) for row in workbook["年度別"].iter_rows(values_only=True)]
    assert years == [
        [
            "年度",
            "西暦年度",
            "開催事業数",
            "開催回数",
            "申込者数（確定）",
            "参加者数",
            "延べ出席者数",
        ],
        ["令和5年度", 2023, 1, 1, 6, 4, 4],
        ["令和6年度", 2024, 2, 3, 4, 3, 4],
        ["合計", None, 3, 4, 10, 7, 8],
    ]
    municipalities = list(workbook["市町村別"].iter_rows(values_only=True))
    assert municipalities[0] == ("市町村コード", "市町村", "申込者数（確定）", "参加者数")
    assert municipalities[-2:] == [(None, "その他・個人", 3, 2), (None, "合計", 10, 7)]
    organisations = list(workbook["所属別"].iter_rows(values_only=True))
    assert organisations[0] == ("種別", "所属", "申込者数（確定）", "参加者数", "修了証")
    assert organisations[1][0] == "社会福祉法人"
    assert organisations[-1] == (None, "合計", 10, 7, 1)
    pillars = list(workbook["柱別"].iter_rows(values_only=True))
    assert [row[1:] for row in pillars[1:]] == [(1, 1, 1, 1, 1), (2, 3, 9, 6, 7), (3, 4, 10, 7, 8)]
    assert workbook["年度別"].freeze_panes == "A2"


def test_workbook_keeps_a_written_affiliation_as_text(personas):
    event = held("研修", [datetime.date(2024, 6, 1)])
    attend(actions.register(event=event, name="某", affiliation="=HYPERLINK(1)"), 1)
    report = reports.training_report(prefecture="33")
    workbook = openpyxl.load_workbook(io.BytesIO(reports.report_workbook(report)))
    cell = workbook["所属別"]["B2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")
