"""Model projects developed and shared, as of any date, from the dated history."""

import datetime

import pytest

from sasaeai.projects import actions, kpis
from sasaeai.projects.tests import helpers

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def histories(themes):
    """One project shared in FY2021 (2021-06-30), one running since 2019, one planned."""
    shared = helpers.model_project(
        themes, title="共有済み", first_fiscal_year=2019, last_fiscal_year=2020,
        planned_on=D(2019, 4, 1),
    )  # fmt: skip
    for status, on in (
        ("running", D(2019, 6, 1)),
        ("evaluated", D(2021, 3, 31)),
        ("shared", D(2021, 6, 30)),
    ):
        actions.set_status(project=shared, status=status, effective_on=on)
    running = helpers.model_project(
        themes, title="実施中", first_fiscal_year=2019, last_fiscal_year=2020,
        planned_on=D(2019, 4, 1),
    )  # fmt: skip
    actions.set_status(project=running, status="running", effective_on=D(2019, 7, 1))
    helpers.model_project(
        themes, title="計画中", first_fiscal_year=2022, last_fiscal_year=2023,
        planned_on=D(2022, 2, 1),
    )  # fmt: skip
    return {"shared": shared, "running": running}


def test_a_project_shared_in_fy2021_counts_at_its_end_and_not_before(histories):
    assert kpis.model_projects_shared("33", D(2022, 3, 31)) == 1
    assert kpis.model_projects_shared("33", D(2021, 3, 31)) == 0
    assert kpis.model_projects_shared("33", D(2021, 6, 29)) == 0
    assert kpis.model_projects_shared("33", D(2021, 6, 30)) == 1


def test_figures_by_status_as_of_a_date(histories):
    at_2021 = kpis.project_figures("33", D(2021, 3, 31))
    assert at_2021.total == 2  # the planned one starts in 2022
    assert at_2021.by_status == {"planned": 0, "running": 1, "evaluated": 1, "shared": 0}
    at_2022 = kpis.project_figures("33", D(2022, 3, 31))
    assert (at_2022.total, at_2022.shared) == (3, 1)
    assert at_2022.by_status["planned"] == 1
    assert [row[0] for row in at_2022.rows()] == ["planned", "running", "evaluated", "shared"]


def test_a_late_entered_backdated_step_changes_the_past(histories):
    assert kpis.model_projects_shared("33", D(2020, 3, 31)) == 0
    # Found later: the running project had already been shared in FY2019.
    actions.set_status(
        project=histories["running"],
        status="shared",
        effective_on=D(2020, 3, 1),
        note="報告会で手引書を配布済みだった（後日入力）",
    )
    assert kpis.model_projects_shared("33", D(2020, 3, 31)) == 1
    assert kpis.model_projects_shared("33", D(2020, 2, 29)) == 0
    histories["running"].refresh_from_db()
    assert histories["running"].status == "shared"


def test_other_prefectures_do_not_count(histories, tottori):
    actions.set_status(project=tottori["project"], status="shared", effective_on=D(2020, 3, 1))
    assert kpis.model_projects_shared("33", D(2022, 3, 31)) == 1
    assert kpis.model_projects_shared("31", D(2022, 3, 31)) == 1


def test_the_kpi_endpoint_answers_as_of_a_date_with_the_centers_target(client, histories):
    from sasaeai.regions.models import Center

    Center.objects.update_or_create(
        prefecture_id="33",
        defaults={
            "name": "岡山県地域公益活動推進センター",
            "settings": {"model_project_target": {"value": 5, "deadline": "2023-03-31"}},
        },
    )
    body = client.get("/api/v1/kpis/model-projects/", {"prefecture": "33", "as_of": "R4.3.31"})
    assert body.status_code == 200
    data = body.json()
    assert (data["as_of"], data["shared"], data["total"]) == ("2022-03-31", 1, 3)
    assert (data["target"], data["deadline"]) == (5, "2023-03-31")
    earlier = client.get(
        "/api/v1/kpis/model-projects/", {"prefecture": "33", "as_of": "2021-03-31"}
    )
    assert earlier.json()["shared"] == 0
    assert client.get("/api/v1/kpis/model-projects/", {"prefecture": "xx"}).status_code == 400
