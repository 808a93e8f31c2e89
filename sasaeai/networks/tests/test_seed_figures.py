"""The seed's page 11 is a fact our KPIs must reproduce: at 2018-03-31, 5 networks (all in
cities); at 2019-03-31, 7 established, 11 considering, 18 of 27 engaged, 9 with nothing."""

import datetime
from pathlib import Path

import pytest

from sasaeai.networks import importing, kpis
from sasaeai.networks.models import MunicipalNetwork, Status

SEED = Path(importing.__file__).parent / "data" / "okayama-h31.csv"


@pytest.fixture
def seed(regions):
    return importing.import_networks(SEED, prefecture="33")


def test_seed_table_imports_seven_networks_and_eleven_steps(seed):
    assert seed.networks_created == 7
    assert seed.statuses_created == 11
    names = set(MunicipalNetwork.objects.values_list("name", "nickname"))
    assert ("総社市社会貢献活動推進協議会", "ふくしネットそうじゃ") in names
    assert ("真庭地域社会福祉法人連絡会", "まにわささえ愛ネット") in names
    assert ("井原おもいやりネットワーク", "") in names  # half-width katakana in the file
    tsuyama = MunicipalNetwork.objects.get(name="津山市社会福祉施設連絡会")
    assert tsuyama.established_on == datetime.date(2017, 10, 10)
    assert "*" in tsuyama.established_note  # the mark after H29.10.10＊ is kept


def test_at_2018_03_31_five_networks_all_in_cities(seed):
    as_of = datetime.date(2018, 3, 31)
    figures = kpis.network_figures(prefecture="33", as_of=as_of)
    assert figures.established == 5
    assert figures.municipalities_established == 5
    assert figures.municipalities_total == 27
    statuses = kpis.municipality_statuses(prefecture="33", as_of=as_of)
    with_network = [s.municipality for s in statuses if s.status == Status.ESTABLISHED]
    assert {m.kind for m in with_network} == {"city"}
    assert {m.name for m in with_network} == {"津山市", "井原市", "総社市", "高梁市", "美作市"}


def test_at_2019_03_31_seven_established_eleven_considering(seed):
    figures = kpis.network_figures(prefecture="33", as_of=datetime.date(2019, 3, 31))
    assert figures.established == 7
    assert figures.municipalities_established == 7
    assert figures.municipalities_considering == 11
    assert figures.municipalities_engaged == 18
    assert figures.municipalities_none == 9
    assert figures.municipalities_total == 27
    assert figures.by_status[Status.MEETINGS] == 9
    assert figures.by_status[Status.STUDY] == 2


def test_the_day_before_a_founding_date_does_not_count_it(seed):
    # 赤磐市 H30.5.25: not yet on the 24th.
    before = kpis.network_figures(prefecture="33", as_of=datetime.date(2018, 5, 24))
    on = kpis.network_figures(prefecture="33", as_of=datetime.date(2018, 5, 25))
    assert (before.established, on.established) == (5, 6)


def test_importing_the_same_table_again_changes_nothing(seed):
    again = importing.import_networks(SEED, prefecture="33")
    assert (again.networks_created, again.networks_updated, again.statuses_created) == (0, 0, 0)
    assert MunicipalNetwork.objects.count() == 7
    figures = kpis.network_figures(prefecture="33", as_of=datetime.date(2019, 3, 31))
    assert figures.municipalities_engaged == 18


def test_statuses_of_one_date_take_constant_queries(seed, django_assert_num_queries):
    with django_assert_num_queries(3):
        statuses = kpis.municipality_statuses(prefecture="33", as_of=datetime.date(2019, 3, 31))
        kpis.network_figures(prefecture="33", as_of=datetime.date(2019, 3, 31), statuses=statuses)
