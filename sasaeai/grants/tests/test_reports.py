"""The grants report (by program and fiscal year, municipality, theme) and its workbook, the
plan's figures as of a date, the report pages and the reminders of reports due."""

import datetime
import io

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from sasaeai.grants import actions, kpis, reports
from sasaeai.grants.models import Application, GrantReport
from sasaeai.grants.tasks import remind_reports
from sasaeai.members.models import Council
from sasaeai.networks.models import MunicipalNetwork

from .conftest import DECIDE_ON, submitted

pytestmark = pytest.mark.django_db


def pay(decision, fiscal_year, amount, paid_on, kind="advance"):
    return actions.record_payment(
        decision=decision, fiscal_year=fiscal_year, kind=kind, amount=amount, paid_on=paid_on
    )


@pytest.fixture
def records(grants):
    """Two programs, awards over two fiscal years, payments; and what must not count (a
    refusal, an undecided application, another prefecture's award)."""
    p = grants.personas
    # Model grant: 津山市 (T04, two years) and 倉敷市 (T05).
    a = submitted(
        grants.call,
        corporation=p.own_corporation,
        theme=grants.theme,
        amounts=((2019, 200_000), (2020, 150_000)),
    )
    award_a = actions.decide(
        application=a, amounts={2019: 200_000, 2020: 150_000}, decided_on=DECIDE_ON
    )
    pay(award_a, 2019, 100_000, datetime.date(2019, 7, 1))
    pay(award_a, 2019, 100_000, datetime.date(2020, 4, 20), kind="settlement")
    pay(award_a, 2020, 50_000, datetime.date(2020, 7, 1))
    b = submitted(
        grants.call,
        corporation=p.other_corporation,
        theme=grants.other_theme,
        amounts=((2019, 300_000),),
    )
    award_b = actions.decide(application=b, amounts={2019: 300_000}, decided_on=DECIDE_ON)
    pay(award_b, 2019, 300_000, datetime.date(2019, 8, 1))
    refused = submitted(grants.call, corporation=grants.members[2], theme=grants.theme)
    actions.decline(application=refused, reason="対象外", decided_on=DECIDE_ON)
    submitted(grants.call, corporation=grants.members[3], theme=grants.theme)  # undecided

    # Network grant: 津山市 by its area (no secretariat) and 岡山市 by its secretariat in a ward.
    later = datetime.date(2019, 7, 10)
    n1 = submitted(
        grants.network_call, network=grants.network, amounts=((2019, 100_000), (2020, 100_000))
    )
    award_n1 = actions.decide(
        application=n1, amounts={2019: 100_000, 2020: 100_000}, decided_on=later
    )
    pay(award_n1, 2019, 100_000, datetime.date(2019, 9, 1))
    kita = Council.objects.create(
        level=Council.Level.MUNICIPAL,
        prefecture_id="33",
        municipality_id="331015",  # 岡山市北区
        name="岡山市社会福祉協議会",
    )
    okayama = MunicipalNetwork.objects.create(
        prefecture_id="33", name="岡山市社会福祉法人連絡会", secretariat=kita
    )
    okayama.area.set(["331023", "331015"])  # 中区, 北区
    n2 = submitted(grants.network_call, network=okayama, amounts=((2019, 80_000),))
    actions.decide(application=n2, amounts={2019: 80_000}, decided_on=later)

    # Tottori's program: never in Okayama's figures.
    program = actions.create_program(
        prefecture="31",
        code="tottori",
        name="鳥取助成",
        eligible_kinds=["corporation"],
        members_only=False,
        expense_categories=["謝金"],
    )
    call = actions.open_call(
        program=program,
        fiscal_year=2019,
        title="鳥取",
        opens_on=datetime.date(2019, 4, 1),
        closes_on=datetime.date(2019, 5, 31),
    )
    t = submitted(call, corporation=p.tottori_corporation, amounts=((2019, 50_000),))
    pay(
        actions.decide(application=t, amounts={2019: 50_000}, decided_on=DECIDE_ON),
        2019,
        50_000,
        datetime.date(2019, 7, 1),
    )
    grants.award_a = award_a
    return grants


def amounts(row):
    return (row.awards, row.awarded, row.payments, row.paid)


# Figures ---------------------------------------------------------------------------------------


def test_figures_by_program_and_fiscal_year(records):
    figures = reports.grant_figures(prefecture="33")
    rows = [(r.program_code, r.fiscal_year, *amounts(r)) for r in figures.by_program_year]
    assert rows == [
        ("model-rd", 2019, 2, 500_000, 3, 500_000),
        ("model-rd", 2020, 1, 150_000, 1, 50_000),
        ("network-formation", 2019, 2, 180_000, 1, 100_000),
        ("network-formation", 2020, 1, 100_000, 0, 0),
    ]
    assert figures.by_program_year[0].label == "令和元年度"
    assert figures.by_program_year[1].unpaid == 100_000
    # Four awards (A spans two fiscal years and counts once), 930,000 yen, five payments.
    assert amounts(figures.total) == (4, 930_000, 5, 650_000)


def test_figures_by_municipality_fold_wards_and_place_networks(records):
    figures = reports.grant_figures(prefecture="33")
    rows = [(r.code, r.name, *amounts(r)) for r in figures.by_municipality]
    assert rows == [
        ("331007", "岡山市", 1, 80_000, 0, 0),  # the secretariat's ward → its city
        ("332020", "倉敷市", 1, 300_000, 1, 300_000),
        ("332038", "津山市", 2, 550_000, 4, 350_000),  # a corporation and a network's area
    ]


def test_figures_by_theme(records):
    figures = reports.grant_figures(prefecture="33")
    rows = [(r.code, r.name, *amounts(r)) for r in figures.by_theme]
    assert rows == [
        ("T04", "就労準備支援", 1, 350_000, 3, 250_000),
        ("T05", "子どもの居場所", 1, 300_000, 1, 300_000),
        ("", "テーマなし", 2, 280_000, 1, 100_000),
    ]


def test_figures_of_one_fiscal_year(records):
    figures = reports.grant_figures(prefecture="33", fiscal_year=2019)
    assert {r.fiscal_year for r in figures.by_program_year} == {2019}
    assert amounts(figures.total) == (4, 680_000, 4, 600_000)
    tsuyama = next(r for r in figures.by_municipality if r.code == "332038")
    assert amounts(tsuyama) == (2, 300_000, 3, 300_000)
    later = reports.grant_figures(prefecture="33", fiscal_year=2020)
    assert amounts(later.total) == (2, 250_000, 1, 50_000)


def test_another_prefecture_and_an_empty_one(records):
    tottori = reports.grant_figures(prefecture="31")
    assert amounts(tottori.total) == (1, 50_000, 1, 50_000)
    empty = reports.grant_figures(prefecture="13")
    assert (empty.by_program_year, empty.by_municipality, empty.by_theme) == ([], [], [])
    assert amounts(empty.total) == (0, 0, 0, 0)


def test_fiscal_years_to_choose_from(records):
    assert reports.fiscal_years("33") == [2020, 2019]


def count_queries(django_assert_max_num_queries, limit=7):
    with django_assert_max_num_queries(limit) as captured:
        reports.grant_figures(prefecture="33")
    return len(captured.captured_queries)


def test_the_figures_take_the_same_few_queries_whatever_the_data(
    records, django_assert_max_num_queries
):
    before = count_queries(django_assert_max_num_queries)
    from sasaeai.testing.factories import CorporationFactory

    from .conftest import join

    later = actions.open_call(
        program=records.model,
        fiscal_year=2020,
        title="令和2年度",
        opens_on=datetime.date(2020, 4, 1),
        closes_on=datetime.date(2020, 5, 31),
        themes=[records.theme, records.other_theme],
    )
    for number in range(6):
        corporation = CorporationFactory(municipality_id="331023")  # 岡山市中区
        join(corporation, records.personas.center)
        theme = records.theme if number % 2 else records.other_theme
        application = actions.create_application(
            call=later,
            corporation=corporation,
            theme=theme,
            title=f"追加{number}",
            lines=[{"fiscal_year": 2020, "category": "謝金", "amount": 10_000}],
            on=datetime.date(2020, 4, 10),
        )
        actions.submit_application(application=application, on=datetime.date(2020, 4, 10))
        decision = actions.decide(
            application=application, amounts={2020: 10_000}, decided_on=datetime.date(2020, 6, 1)
        )
        pay(decision, 2020, 10_000, datetime.date(2020, 7, 1))
    assert count_queries(django_assert_max_num_queries) == before
    okayama = next(
        r for r in reports.grant_figures(prefecture="33").by_municipality if r.code == "331007"
    )
    assert amounts(okayama) == (7, 140_000, 6, 60_000)


# The workbook ----------------------------------------------------------------------------------


def test_the_workbook_holds_the_same_figures_with_japanese_headers(records):
    figures = reports.grant_figures(prefecture="33")
    workbook = openpyxl.load_workbook(io.BytesIO(reports.report_workbook(figures)))
    assert workbook.sheetnames == ["事業・年度別", "市町村別", "テーマ別"]
    programs = [list(row) for row in workbook["事業・年度別"].iter_rows(values_only=True)]
    assert programs == [
        [
            "助成事業",
            "年度",
            "西暦年度",
            "交付決定件数",
            "交付決定額（円）",
            "支払件数",
            "支払額（円）",
            "未払額（円）",
        ],
        ["モデル事業研究・開発助成", "令和元年度", 2019, 2, 500_000, 3, 500_000, 0],
        ["モデル事業研究・開発助成", "令和2年度", 2020, 1, 150_000, 1, 50_000, 100_000],
        ["市町村域ネットワークづくり助成", "令和元年度", 2019, 2, 180_000, 1, 100_000, 80_000],
        ["市町村域ネットワークづくり助成", "令和2年度", 2020, 1, 100_000, 0, 0, 100_000],
        ["合計", None, None, 4, 930_000, 5, 650_000, 280_000],
    ]
    municipalities = list(workbook["市町村別"].iter_rows(values_only=True))
    assert municipalities[0][:2] == ("市町村コード", "市町村")
    assert municipalities[1:] == [
        ("331007", "岡山市", 1, 80_000, 0, 0, 80_000),
        ("332020", "倉敷市", 1, 300_000, 1, 300_000, 0),
        ("332038", "津山市", 2, 550_000, 4, 350_000, 200_000),
        (None, "合計", 4, 930_000, 5, 650_000, 280_000),
    ]
    themes = list(workbook["テーマ別"].iter_rows(values_only=True))
    assert themes[1:] == [
        ("T04", "就労準備支援", 1, 350_000, 3, 250_000, 100_000),
        ("T05", "子どもの居場所", 1, 300_000, 1, 300_000, 0),
        (None, "テーマなし", 2, 280_000, 1, 100_000, 180_000),
        (None, "合計", 4, 930_000, 5, 650_000, 280_000),
    ]
    sheet = workbook["事業・年度別"]
    assert sheet.freeze_panes == "A2"
    assert sheet["E2"].number_format == "#,##0"  # yen
    assert sheet["D2"].number_format == "General"  # a count
    assert sheet["A1"].font.bold


# KPIs as of a date -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (datetime.date(2019, 6, 19), (0, 0)),
        (datetime.date(2019, 6, 20), (2, 650_000)),
        (datetime.date(2019, 7, 9), (2, 650_000)),
        (datetime.date(2019, 7, 10), (4, 930_000)),
    ],
)
def test_awarded_on_a_date(records, as_of, expected):
    total = kpis.awarded_on("33", as_of)
    assert (total.count, total.amount) == expected


def test_awarded_on_a_date_for_one_fiscal_year(records):
    total = kpis.awarded_on("33", datetime.date(2019, 12, 31), fiscal_year=2020)
    assert (total.count, total.amount) == (2, 250_000)
    assert kpis.awarded_on("31", datetime.date(2019, 12, 31)) == kpis.Total(1, 50_000)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (datetime.date(2019, 6, 30), (0, 0)),
        (datetime.date(2019, 7, 1), (1, 100_000)),
        (datetime.date(2019, 12, 31), (3, 500_000)),
        (datetime.date(2020, 4, 20), (4, 600_000)),
        (datetime.date(2020, 12, 31), (5, 650_000)),
    ],
)
def test_paid_on_a_date(records, as_of, expected):
    total = kpis.paid_on("33", as_of)
    assert (total.count, total.amount) == expected


def test_paid_on_a_date_for_one_fiscal_year(records):
    assert kpis.paid_on("33", datetime.date(2020, 12, 31), fiscal_year=2020) == kpis.Total(
        1, 50_000
    )


def test_an_amendment_changes_the_award_from_its_day_only(records):
    amendment = actions.request_amendment(
        decision=records.award_a,
        amounts={2019: 200_000, 2020: 200_000},
        reason="事業拡大",
        on=datetime.date(2020, 1, 10),
    )
    actions.approve_amendment(amendment=amendment, decided_on=datetime.date(2020, 2, 1))
    before = kpis.awarded_on("33", datetime.date(2020, 1, 31))
    after = kpis.awarded_on("33", datetime.date(2020, 2, 1))
    assert (before.count, before.amount) == (4, 930_000)
    assert (after.count, after.amount) == (4, 980_000)
    fy2020 = kpis.awarded_on("33", datetime.date(2020, 1, 31), fiscal_year=2020)
    assert (fy2020.count, fy2020.amount) == (2, 250_000)
    # The report reads the amounts in force now.
    assert amounts(reports.grant_figures(prefecture="33").total)[:2] == (4, 980_000)


def test_an_amendment_that_adds_a_year_counts_the_award_in_it_from_its_day(grants):
    application = submitted(grants.call, corporation=grants.members[0], theme=grants.theme)
    decision = actions.decide(
        application=application, amounts={2019: 200_000}, decided_on=DECIDE_ON
    )
    amendment = actions.request_amendment(
        decision=decision, amounts={2019: 200_000, 2020: 100_000}, reason="継続", on=DECIDE_ON
    )
    actions.approve_amendment(amendment=amendment, decided_on=datetime.date(2020, 3, 1))
    assert kpis.awarded_on("33", datetime.date(2020, 2, 28), fiscal_year=2020) == kpis.Total(0, 0)
    assert kpis.awarded_on("33", datetime.date(2020, 3, 1), fiscal_year=2020) == kpis.Total(
        1, 100_000
    )


# Pages -----------------------------------------------------------------------------------------


def test_center_staff_see_the_report_page_with_a_year_picker(client, records):
    client.force_login(records.personas.center)
    response = client.get(reverse("grants:reports"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "930,000" in html and "岡山市" in html and "テーマなし" in html
    assert '<option value="2019"' in html and "令和元年度" in html
    one_year = client.get(reverse("grants:reports"), {"fy": "2020"})
    assert one_year.context["figures"].fiscal_year == 2020
    assert "250,000" in one_year.content.decode()
    assert "?fy=2020" in one_year.content.decode()


def test_the_workbook_is_downloaded(client, records):
    client.force_login(records.personas.center)
    response = client.get(reverse("grants:reports-xlsx"), {"fy": "2019"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "grants-report-33-2019.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    last = list(workbook["市町村別"].iter_rows(values_only=True))[-1]
    assert last == (None, "合計", 4, 680_000, 4, 600_000, 80_000)


@pytest.mark.parametrize("persona", ["council", "corp_staff", "outsider", "anonymous"])
def test_others_do_not_get_the_report(client, records, persona):
    if persona != "anonymous":
        client.force_login(getattr(records.personas, persona))
    for name in ("grants:reports", "grants:reports-xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == (302 if persona == "anonymous" else 404), name


# Reminders -------------------------------------------------------------------------------------


@pytest.fixture
def due(grants):
    """Three awards of FY2019 (final reports due 2020-04-30): one with a contact address, one
    reaching its corporation's staff, one of a network reaching its area's council staff."""
    p = grants.personas
    p.corp_staff.email = "staff@own.example.jp"
    p.corp_staff.save()
    p.council.email = "council@tsuyama.example.jp"
    p.council.save()
    with_contact = submitted(grants.call, corporation=p.other_corporation, theme=grants.theme)
    with_contact.contact_email = "contact@other.example.jp"
    with_contact.save()
    staff = submitted(grants.call, corporation=p.own_corporation, theme=grants.theme)
    network = submitted(grants.network_call, network=grants.network, amounts=((2019, 100_000),))
    for application in (with_contact, staff, network):
        actions.decide(application=application, amounts={2019: 100_000}, decided_on=DECIDE_ON)
    assert set(GrantReport.objects.values_list("due_on", flat=True)) == {datetime.date(2020, 4, 30)}
    return grants


def sent(django_capture_on_commit_callbacks, today, days=14):
    with django_capture_on_commit_callbacks(execute=True):
        return remind_reports(today=today, days=days)


def test_reports_due_within_the_days_are_reminded_once_a_day(
    due, django_capture_on_commit_callbacks
):
    assert sent(django_capture_on_commit_callbacks, datetime.date(2020, 4, 15)) == 0  # 15 days
    assert sent(django_capture_on_commit_callbacks, datetime.date(2020, 4, 16)) == 3
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "contact@other.example.jp",
        "council@tsuyama.example.jp",
        "staff@own.example.jp",
    ]
    assert all("実績報告のお願い" in message.subject for message in mail.outbox)
    assert "令和2年4月30日" in mail.outbox[0].body
    assert any(
        f"/grants/applications/{pk}/" in message.body
        for message in mail.outbox
        for pk in Application.objects.values_list("pk", flat=True)
    )
    # Not twice on one day; again the next day.
    assert sent(django_capture_on_commit_callbacks, datetime.date(2020, 4, 16)) == 0
    assert len(mail.outbox) == 3
    assert sent(django_capture_on_commit_callbacks, datetime.date(2020, 4, 17)) == 3
    assert set(GrantReport.objects.values_list("reminded_on", flat=True)) == {
        datetime.date(2020, 4, 17)
    }


def test_overdue_reports_are_reminded_and_submitted_or_closed_ones_are_not(
    due, django_capture_on_commit_callbacks
):
    reports_due = list(GrantReport.objects.select_related("decision__application"))
    submitted_report, closed_report, overdue_report = reports_due
    actions.submit_report(
        report=submitted_report, text="報告", spent=100_000, submitted_on=datetime.date(2020, 4, 20)
    )
    actions.close_grant(decision=closed_report.decision, closed_on=datetime.date(2020, 5, 1))
    assert sent(django_capture_on_commit_callbacks, datetime.date(2020, 5, 10)) == 1
    assert GrantReport.objects.get(reminded_on__isnull=False).pk == overdue_report.pk
    (message,) = mail.outbox
    assert "期限を過ぎています" in message.subject
    assert overdue_report.decision.application.title in message.subject


def test_a_report_submitted_before_its_mail_is_sent_is_not_mailed(due):
    from sasaeai.grants.tasks import send_report_reminder

    report = GrantReport.objects.first()
    actions.submit_report(
        report=report, text="報告", spent=0, submitted_on=datetime.date(2020, 4, 20)
    )
    assert send_report_reminder.call(report.pk, "2020-04-21") is False
    assert mail.outbox == []


def test_the_remind_command(due, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_grant_reports", "--days", "100000", stdout=out)
    assert "3" in out.getvalue()
    assert len(mail.outbox) == 3
