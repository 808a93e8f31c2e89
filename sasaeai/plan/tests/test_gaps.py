"""Gaps between systems (制度の狭間): what exists for each theme in each municipality on a date,
and where nothing does yet."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from sasaeai.activities.models import Activity
from sasaeai.casebook.models import Case
from sasaeai.plan.gaps import gap_matrix
from sasaeai.projects.models import ModelProject, ModelSite
from sasaeai.projects.tests import helpers
from sasaeai.regions.models import Municipality

D = datetime.date
ON = D(2019, 10, 1)
OKAYAMA, KITA, NAKA = "331007", "331015", "331023"  # 岡山市 and two of its wards
KURASHIKI, TSUYAMA, TOTTORI = "332020", "332038", "312011"


@pytest.fixture(autouse=True)
def okayama_by_default(settings):
    settings.SASAEAI_DEFAULT_PREFECTURE = "33"


@pytest.fixture
def themes(personas):
    return helpers.okayama_themes()


def activity(owner, municipality, themes, *, state="published", visibility="public", **dates):
    record = Activity.objects.create(
        prefecture_id=municipality[:2],
        corporation=owner,
        title="子ども食堂",
        municipality_id=municipality,
        schedule_rule="DTSTART;VALUE=DATE:20190401",
        state=state,
        visibility=visibility,
        started_on=dates.get("started_on", D(2019, 4, 1)),
        ended_on=dates.get("ended_on"),
    )
    record.themes.set(themes)
    return record


def site(project, owner, municipality, designated_on, ended_on=None):
    return ModelSite.objects.create(
        project=project,
        corporation=owner,
        municipality_id=municipality,
        designated_on=designated_on,
        ended_on=ended_on,
    )


def case(owner, municipality, themes, *, published_on=None, status="published"):
    published_at = None
    if published_on:
        published_at = timezone.make_aware(
            datetime.datetime.combine(published_on, datetime.time(10))
        )
    record = Case.objects.create(
        prefecture_id=municipality[:2],
        corporation=owner,
        municipality_id=municipality,
        fiscal_year=2019,
        title="事例",
        summary="…",
        status=status,
        published_at=published_at,
    )
    record.themes.set(themes)
    return record


def project(theme, prefecture="33"):
    return ModelProject.objects.create(
        prefecture_id=prefecture,
        theme=theme,
        title=f"{theme.name}のモデル事業",
        first_fiscal_year=2018,
        last_fiscal_year=2020,
    )


@pytest.fixture
def records(personas, themes):
    """What counts on 2019-10-01 and what does not (the date rule, the review state, another
    prefecture)."""
    own, t05, t01 = personas.own_corporation, themes["T05"], themes["T01"]
    activity(own, TSUYAMA, [t05])
    activity(own, KITA, [t05, t01])  # a ward: counts in 岡山市, under both themes
    activity(own, TSUYAMA, [t05], ended_on=D(2019, 5, 31))  # ended before the date
    activity(own, TSUYAMA, [t05], started_on=D(2020, 1, 1))  # not started yet
    activity(own, TSUYAMA, [t05], state="draft")
    activity(own, TSUYAMA, [t05], visibility="internal")
    activity(personas.tottori_corporation, TOTTORI, [t05])
    children = project(t05)
    site(children, own, KURASHIKI, D(2019, 6, 1))
    site(children, own, TSUYAMA, D(2019, 12, 1))  # designated after the date
    site(children, own, KURASHIKI, D(2018, 4, 1), ended_on=D(2019, 3, 31))  # ended before
    site(children, own, NAKA, D(2019, 4, 1), ended_on=D(2019, 10, 2))  # a ward, still on
    site(children, own, TSUYAMA, D(2019, 4, 1), ended_on=ON)  # ended on the date
    case(own, TSUYAMA, [t05], published_on=D(2019, 9, 1))
    case(own, TSUYAMA, [t05], published_on=ON)  # published on the date: counts
    case(own, KURASHIKI, [t01], published_on=D(2019, 11, 1))  # not yet published
    case(own, TSUYAMA, [t05], status="draft")


def counts(cell):
    return (cell.activities, cell.sites, cell.cases, cell.total)


def test_every_theme_by_every_municipality_with_wards_in_their_city(records, themes):
    matrix = gap_matrix(prefecture="33", as_of=ON)
    assert [theme.code for theme in matrix.themes] == [f"T{n:02}" for n in range(1, 13)]
    codes = [municipality.code for municipality in matrix.municipalities]
    assert len(codes) == 27
    assert OKAYAMA in codes and KITA not in codes and TOTTORI not in codes
    assert counts(matrix.cell("T05", TSUYAMA)) == (1, 0, 2, 3)
    assert counts(matrix.cell("T05", OKAYAMA)) == (1, 1, 0, 2)
    assert counts(matrix.cell("T01", OKAYAMA)) == (1, 0, 0, 1)
    assert counts(matrix.cell("T05", KURASHIKI)) == (0, 1, 0, 1)
    assert counts(matrix.cell("T01", KURASHIKI)) == (0, 0, 0, 0)
    assert matrix.cell("T01", KURASHIKI).is_empty


def test_totals_and_empty_cells(records, themes):
    matrix = gap_matrix(prefecture="33", as_of=ON)
    t05 = next(row for row in matrix.rows if row.theme.code == "T05")
    assert counts(t05.total) == (2, 2, 2, 6)
    assert t05.empty == 27 - 3
    okayama = matrix.municipalities.index(Municipality.objects.get(code=OKAYAMA))
    assert counts(matrix.column_totals[okayama]) == (2, 1, 0, 3)
    assert counts(matrix.total) == (3, 2, 2, 7)
    assert matrix.cell_count == 12 * 27
    assert matrix.empty_cells == 12 * 27 - 4


def test_the_date_decides_what_counts(records, themes):
    before = gap_matrix(prefecture="33", as_of=D(2019, 3, 30))
    assert counts(before.cell("T05", KURASHIKI)) == (0, 1, 0, 1)  # the site ended on 3-31
    assert counts(before.cell("T05", TSUYAMA)) == (0, 0, 0, 0)
    later = gap_matrix(prefecture="33", as_of=D(2020, 2, 1))
    assert counts(later.cell("T05", TSUYAMA)) == (2, 1, 2, 5)
    assert counts(later.cell("T01", KURASHIKI)) == (0, 0, 1, 1)


def test_the_matrix_reads_a_constant_number_of_queries(personas, themes):
    own = personas.own_corporation
    places = list(
        Municipality.objects.of_prefecture("33")
        .without_wards()
        .active()
        .values_list("code", flat=True)
    )

    def add(n):
        for theme, place in zip(list(themes.values())[:n], places[:n], strict=True):
            activity(own, place, [theme])
            site(project(theme), own, place, D(2019, 4, 1))
            case(own, place, [theme], published_on=D(2019, 4, 1))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            matrix = gap_matrix(prefecture="33", as_of=ON)
        return len(captured), matrix

    add(2)
    few, matrix = queries()
    assert matrix.total.total == 6
    add(10)
    many, matrix = queries()
    assert matrix.total.total == 36
    assert few == many <= 5


def test_the_page_shows_the_matrix_and_the_map_of_the_chosen_theme(client, personas, records):
    client.force_login(personas.center)
    response = client.get("/plan/gaps/", {"as_of": "2019-10-01", "theme": "T05"})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["matrix"].as_of == ON
    assert response.context["theme"].code == "T05"
    assert 'class="table-scroll"' in html and '<th scope="row"' in html
    assert "津山市" in html and "岡山市" in html and "北区" not in html
    assert html.count("gaps__cell--empty") == 12 * 27 - 4
    assert "<svg" in html
    shapes = {shape.municipality.code: shape for shape in response.context["shapes"]}
    assert shapes[TSUYAMA].css_class == "gaps-map--2"
    assert shapes[KURASHIKI].css_class == "gaps-map--1"
    assert shapes["332089"].css_class == "gaps-map--0"  # 総社市: nothing
    by_place = {row.municipality.code: row.cell for row in response.context["theme_rows"]}
    assert counts(by_place[TSUYAMA]) == (1, 0, 2, 3)


def test_another_theme_colours_the_map_again(client, personas, records):
    client.force_login(personas.center)
    response = client.get("/plan/gaps/", {"as_of": "2019-10-01", "theme": "T01"})
    shapes = {shape.municipality.code: shape for shape in response.context["shapes"]}
    assert shapes[OKAYAMA].css_class == "gaps-map--1"
    assert shapes[TSUYAMA].css_class == "gaps-map--0"


def test_an_unknown_theme_shows_the_first(client, personas, records):
    client.force_login(personas.center)
    response = client.get("/plan/gaps/", {"theme": "NOPE"})
    assert response.status_code == 200
    assert response.context["theme"].code == "T01"


def test_without_a_plan_the_page_reads_today(client, personas, records):
    client.force_login(personas.center)
    response = client.get("/plan/gaps/")
    assert response.context["matrix"].as_of == timezone.localdate()


def test_the_page_reads_a_constant_number_of_queries(client, personas, themes):
    client.force_login(personas.center)
    own = personas.own_corporation
    client.get("/plan/gaps/")  # the map is drawn and cached once

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/plan/gaps/", {"theme": "T03"}).status_code == 200
        return len(captured)

    few = queries()
    for theme in themes.values():
        for place in (TSUYAMA, KURASHIKI, KITA):
            activity(own, place, [theme])
            case(own, place, [theme], published_on=D(2019, 4, 1))
    assert queries() == few


def test_council_and_corporation_staff_get_404(client, personas):
    for user in (personas.council, personas.corp_staff, personas.outsider):
        client.force_login(user)
        assert client.get("/plan/gaps/").status_code == 404
        assert client.get("/plan/gaps.xlsx").status_code == 404


def test_the_matrix_as_a_workbook(client, personas, records):
    client.force_login(personas.center)
    response = client.get("/plan/gaps.xlsx", {"as_of": "2019-10-01"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert len(header) == 3 + 27 + 1
    tsuyama = header.index("津山市")
    t05 = [row for row in rows[1:] if row[0] == "T05"]
    assert len(t05) == 4  # total, activities, sites, cases
    assert [row[tsuyama] for row in t05] == [3, 1, 0, 2]
    assert [row[-1] for row in t05] == [6, 2, 2, 2]


def test_the_dashboard_links_to_the_gaps(client, personas, themes):
    from pathlib import Path

    from sasaeai.networks import importing
    from sasaeai.plan.loading import DATA, load_plan_file

    importing.import_networks(
        Path(importing.__file__).parent / "data" / "okayama-h31.csv", prefecture="33"
    )
    load_plan_file("33", DATA / "okayama-2018.json")
    client.force_login(personas.center)
    assert 'href="/plan/gaps/"' in client.get("/plan/center/").content.decode()
