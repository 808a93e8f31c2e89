"""The survey's 「している」 against the registry: four counts and the follow-up lists."""

import datetime

import pytest

from sasaeai.activities import actions, crosscheck
from sasaeai.surveys import definition
from sasaeai.surveys.tests.test_results import DEFINITION, answer, new_round
from sasaeai.testing.factories import CorporationFactory

from .conftest import TSUYAMA, fields

pytestmark = pytest.mark.django_db


def activity(corporation, by, *, publish=True, **overrides):
    created = actions.create_activity(data=fields(**overrides), corporation=corporation, by=by)
    if publish:
        actions.submit_activity(activity=created, by=by)
        actions.publish_activity(activity=created, by=by)
    return created


@pytest.fixture
def answered(personas, themes):
    """FY2019 (令和元年度): 「している」 from own (activity) and c3 (only a draft); otherwise from
    other (its activity ended in 2019) and c4 (an activity running)."""
    survey = definition.import_definition(DEFINITION, prefecture="33")
    c3 = CorporationFactory(municipality_id=TSUYAMA, name="社会福祉法人みつば会")
    c4 = CorporationFactory(municipality_id=TSUYAMA, name="社会福祉法人よつば会")
    round_ = new_round(survey)
    own, other = personas.own_corporation, personas.other_corporation
    for corporation, choice in [(own, "yes"), (other, "no"), (c3, "yes"), (c4, "no")]:
        answer(round_, corporation, {"q1": choice})
    center = personas.center
    activity(own, center)
    activity(other, center, ended_on=datetime.date(2019, 12, 31))
    activity(c3, center, publish=False)
    activity(c4, center, title="よつば食堂")
    return {"own": own, "other": other, "c3": c3, "c4": c4}


def test_the_four_counts_and_whom_to_follow_up(answered):
    check = crosscheck.cross_check("33", 2019)
    assert check.on == datetime.date(2020, 3, 31)
    assert (check.doing_with, check.doing_without) == (1, 1)
    assert (check.not_doing_with, check.not_doing_without) == (1, 1)
    assert check.respondents == 4
    assert check.doing_but_unregistered == [(answered["c3"].pk, "社会福祉法人みつば会")]
    assert check.registered_but_not_doing == [(answered["c4"].pk, "社会福祉法人よつば会")]


def test_a_year_without_kpi_rounds_has_nothing_to_check(answered):
    assert crosscheck.cross_check("33", 2018).respondents == 0
    assert crosscheck.kpi_years("33") == [2019]


def test_the_page_is_the_centers_and_reads_a_fixed_number_of_queries(
    client, personas, answered, django_assert_max_num_queries
):
    client.force_login(personas.corp_staff)
    assert client.get("/activities/manage/survey-check/").status_code == 404
    client.force_login(personas.center)
    with django_assert_max_num_queries(20):
        html = client.get("/activities/manage/survey-check/?fiscal_year=2019").content.decode()
    assert "社会福祉法人みつば会" in html and "社会福祉法人よつば会" in html
    assert "令和元年度" in html
