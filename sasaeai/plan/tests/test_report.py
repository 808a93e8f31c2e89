"""The board and prefecture report (PDF, Excel) and the yearly business report skeleton:
what the center hands its board, the prefecture and the 事業報告 each year."""

import datetime
import io
import re
import time
from pathlib import Path

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from sasaeai.events import actions as events
from sasaeai.events.models import Audience, EventKind
from sasaeai.networks import importing
from sasaeai.plan import report
from sasaeai.plan.loading import DATA, load_plan_file
from sasaeai.plan.measuring import read_plan
from sasaeai.proposals.models import Proposal

D = datetime.date
TODAY = D(2026, 11, 28)


@pytest.fixture
def plan(personas):
    importing.import_networks(
        Path(importing.__file__).parent / "data" / "okayama-h31.csv", prefecture="33"
    )
    return load_plan_file("33", DATA / "okayama-2018.json")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def held(title: str, day: datetime.date, **fields):
    """An event of one session on ``day``, 13:00-16:00."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(13)))
    return events.create_event(
        prefecture="33",
        sessions=[events.SessionData(start, start + datetime.timedelta(hours=3))],
        title=title,
        kind=fields.pop("kind", EventKind.TRAINING),
        audience=Audience.SECTOR,
        **fields,
    )


# The KPI table -------------------------------------------------------------------------------


def test_kpi_rows_mark_a_forecast_and_write_dates_in_wareki(plan):
    reading = read_plan(plan, D(2019, 3, 31), today=TODAY)
    rows = {row.label: row for row in report.kpi_rows(reading)}
    networks = rows["市町村域でのネットワーク設置"]
    assert networks.value_text == "7"
    assert networks.measured_on_text == "平成31年3月31日"
    assert networks.target_text == "15"
    assert networks.deadline_text == "令和2年3月31日"
    assert networks.pillar.startswith("III")
    future = read_plan(plan, D(2027, 3, 31), today=TODAY)
    assert all("（見込み）" in row.value_text for row in report.kpi_rows(future) if row.value)


def test_year_end_figures_list_each_fiscal_years_end_and_the_forecast(plan):
    reading = read_plan(plan, D(2019, 9, 30), today=D(2019, 9, 30))
    networks = next(r for r in reading.readings if r.code == "networks_established")
    figures = report.year_end_figures(networks)
    labels = [figure.label for figure in figures]
    assert "平成30年度末" in labels
    end_2018 = next(f for f in figures if f.label == "平成30年度末")
    assert end_2018.value == 7 and not end_2018.forecast
    assert figures[0].label.startswith("基準値") and figures[0].value == 5
    assert any(f.forecast and "（見込み）" in f.label for f in figures)


def test_the_board_report_is_a_real_pdf_with_the_kpi_table(client, personas, plan):
    client.force_login(personas.center)
    started = time.perf_counter()
    response = client.get("/plan/report.pdf", {"as_of": "2019-03-31"})
    seconds = time.perf_counter() - started
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for heading in ("柱", "指標", "現況値", "時点", "目標値", "期限", "出典", "状況"):
        assert heading in text
    assert "平成31年3月31日" in text
    assert "市町村域でのネットワーク設置" in text
    assert re.search(r"市町村域でのネットワーク設置\s*7\s", text), text
    assert seconds < 5, f"the PDF took {seconds:.2f} s"


def test_a_fiscal_year_means_its_end_or_today(plan):
    assert report.as_of_for_fiscal_year(plan, 2018, today=TODAY) == D(2019, 3, 31)
    assert report.as_of_for_fiscal_year(plan, 2019, today=D(2019, 11, 1)) == D(2019, 11, 1)
    for year in (2017, 2023):
        with pytest.raises(report.ReportError):
            report.as_of_for_fiscal_year(plan, year, today=TODAY)
    with pytest.raises(report.ReportError):
        report.as_of_for_fiscal_year(plan, 2020, today=D(2019, 11, 1))  # not begun


def test_the_workbook_holds_the_figures_read_plan_gives(client, personas, plan):
    client.force_login(personas.center)
    response = client.get("/plan/report.xlsx", {"fiscal_year": "2018"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "KPI"
    rows = list(book["KPI"].iter_rows(values_only=True))
    headers = rows[0]
    for heading in ("柱", "指標", "現況値", "時点", "目標値", "期限", "状況", "出典"):
        assert heading in headers
    by_label = {row[headers.index("指標")]: row for row in rows[1:]}
    reading = read_plan(plan, D(2019, 3, 31), today=timezone.localdate())
    assert len(by_label) == len(reading.readings)
    for r in reading.readings:
        row = by_label[r.label]
        assert row[headers.index("現況値")] == r.value
        assert row[headers.index("目標値")] == r.target
    assert by_label["市町村域でのネットワーク設置"][headers.index("現況値")] == 7
    series = list(book[book.sheetnames[1]].iter_rows(values_only=True))
    header = series[0]
    assert {"指標", "日付", "値", "見込み"} <= set(header)
    networks = [
        row for row in series[1:] if row[header.index("指標")] == "市町村域でのネットワーク設置"
    ]
    dates = [row[header.index("日付")].date() for row in networks]
    assert D(2018, 4, 30) in dates and D(2019, 3, 31) in dates


# The business report ---------------------------------------------------------------------------


def test_the_business_report_lists_the_years_records_under_their_pillars(client, personas, plan):
    held("地域公益活動推進研修", D(2018, 10, 5))
    held("来年度の研修", D(2019, 6, 1))
    for title, submitted in (
        ("狭間の課題に関する提言", D(2018, 12, 1)),
        ("翌年度の提言", D(2019, 5, 1)),
    ):
        Proposal.objects.create(
            prefecture_id="33",
            title=title,
            addressee_kind="prefecture",
            addressee="岡山県知事",
            text="…",
            status="submitted",
            submitted_on=submitted,
        )
    client.force_login(personas.center)
    response = client.get("/plan/business-report/2018/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "赤磐市社会福祉法人連絡会" in html and "平成30年5月25日" in html
    assert "まにわささえ愛ネット" in html and "平成30年8月22日" in html
    assert "津山市社会福祉施設連絡会" not in html  # established in FY2017
    assert "地域公益活動推進研修" in html and "来年度の研修" not in html
    assert "狭間の課題に関する提言" in html and "翌年度の提言" not in html
    sections = [section.slug for section in response.context["report"].sections]
    assert sections == ["momentum", "models", "networks", "people", "visibility", "social-action"]
    assert html.index("市町村域の社会福祉法人ネットワークづくり") < html.index(
        "赤磐市社会福祉法人連絡会"
    )
    assert html.index("赤磐市社会福祉法人連絡会") < html.index("人材育成・理解促進事業")

    pdf = client.get("/plan/business-report/2018.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert "赤磐市社会福祉法人連絡会" in text and "狭間の課題に関する提言" in text
    xlsx = client.get("/plan/business-report/2018.xlsx")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = [v for sheet in book for row in sheet.iter_rows(values_only=True) for v in row]
    assert "赤磐市社会福祉法人連絡会" in cells


def test_the_business_report_reads_a_constant_number_of_queries(client, personas, plan):
    client.force_login(personas.center)

    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/plan/business-report/2018/").status_code == 200
        return len(captured)

    held("研修1", D(2018, 6, 1))
    one = queries()
    for n in range(2, 6):
        event = held(f"研修{n}", D(2018, 6, n), pillar="networks" if n % 2 else "people")
        events.register(event=event, name=f"参加者{n}", corporation=personas.own_corporation)
    assert queries() == one


# Bad input and access ----------------------------------------------------------------------------


def test_a_fiscal_year_outside_the_plan_gets_a_message(client, personas, plan):
    client.force_login(personas.center)
    for url, params in (
        ("/plan/business-report/2030/", {}),
        ("/plan/business-report/2017.pdf", {}),
        ("/plan/report.pdf", {"fiscal_year": "2010"}),
        ("/plan/report.xlsx", {"fiscal_year": "next year"}),
        ("/plan/report.pdf", {"as_of": "2018-03-01"}),
        ("/plan/report.pdf", {"as_of": "not a date"}),
    ):
        response = client.get(url, params)
        assert response.status_code == 400, url
        assert 'role="alert"' in response.content.decode(), url
    before = client.get("/plan/report.xlsx", {"as_of": "2018-03-01"}).content.decode()
    assert "2018-04-01" in before
    outside = client.get("/plan/business-report/2030/").content.decode()
    assert "2018" in outside and "2022" in outside


def test_council_and_corporation_staff_get_404(client, personas, plan):
    for user in (personas.council, personas.corp_staff):
        client.force_login(user)
        for url in (
            "/plan/report.pdf",
            "/plan/report.xlsx",
            "/plan/business-report/2018/",
            "/plan/business-report/2018.pdf",
            "/plan/business-report/2018.xlsx",
        ):
            assert client.get(url).status_code == 404, url


def test_the_dashboard_links_the_reports_on_its_date(client, personas, plan):
    client.force_login(personas.center)
    html = client.get("/plan/center/", {"as_of": "2019-03-31"}).content.decode()
    assert "/plan/report.pdf?as_of=2019-03-31" in html
    assert "/plan/report.xlsx?as_of=2019-03-31" in html
    assert "/plan/business-report/2018/" in html
