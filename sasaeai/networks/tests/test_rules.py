"""Bad input: a clear message, nothing written."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError

from sasaeai.networks import actions, importing
from sasaeai.networks.models import MunicipalNetwork, Source, Status, StatusEntry
from sasaeai.regions.models import Municipality

D = datetime.date
pytestmark = pytest.mark.usefixtures("english")


def m(code: str) -> Municipality:
    return Municipality.objects.get(pk=code)


@pytest.fixture
def tsuyama_network(regions):
    return actions.save_network(
        prefecture="33",
        name="津山市社会福祉施設連絡会",
        area=[m("332038")],
        established_on=D(2017, 10, 10),
    )


def test_founding_date_makes_the_established_step(tsuyama_network):
    entry = StatusEntry.objects.get(municipality_id="332038")
    assert (entry.status, entry.effective_on, entry.network) == (
        Status.ESTABLISHED,
        D(2017, 10, 10),
        tsuyama_network,
    )


def test_established_before_the_founding_date_is_refused(tsuyama_network):
    with pytest.raises(ValidationError, match="was established on 2017-10-10"):
        actions.record_status(
            prefecture="33",
            municipality=m("332038"),
            status=Status.ACTIVE,
            effective_on=D(2017, 10, 9),
            source=Source.REPORT,
            network=tsuyama_network,
            is_correction=True,
        )
    assert StatusEntry.objects.count() == 1


def test_an_entry_before_the_latest_must_be_a_correction(regions):
    kurashiki = m("332020")
    actions.record_status(
        prefecture="33",
        municipality=kurashiki,
        status=Status.MEETINGS,
        effective_on=D(2019, 3, 31),
        source=Source.SURVEY,
    )
    with pytest.raises(ValidationError, match="must be marked as a correction"):
        actions.record_status(
            prefecture="33",
            municipality=kurashiki,
            status=Status.STUDY,
            effective_on=D(2018, 6, 1),
            source=Source.SURVEY,
        )
    actions.record_status(
        prefecture="33",
        municipality=kurashiki,
        status=Status.STUDY,
        effective_on=D(2018, 6, 1),
        source=Source.SURVEY,
        is_correction=True,
    )
    assert StatusEntry.objects.filter(municipality=kurashiki).count() == 2


def test_network_area_outside_the_prefecture_is_refused(regions):
    with pytest.raises(ValidationError, match="outside the center's prefecture"):
        actions.save_network(prefecture="33", name="越境ネット", area=[m("332038"), m("312011")])
    assert not MunicipalNetwork.objects.exists()


def test_status_with_network_must_be_in_its_area(tsuyama_network):
    with pytest.raises(ValidationError, match="not in the area"):
        actions.record_status(
            prefecture="33",
            municipality=m("332020"),
            status=Status.ESTABLISHED,
            effective_on=D(2018, 1, 1),
            source=Source.REPORT,
            network=tsuyama_network,
        )


def test_a_ward_is_kept_as_its_city(regions):
    entry = actions.record_status(
        prefecture="33",
        municipality=m("331015"),  # 岡山市北区
        status=Status.MEETINGS,
        effective_on=D(2019, 3, 31),
        source=Source.SURVEY,
    )
    assert entry.municipality_id == "331007"  # 岡山市


def test_moving_the_founding_date_moves_its_step(tsuyama_network):
    actions.save_network(
        prefecture="33",
        network=tsuyama_network,
        name=tsuyama_network.name,
        area=[m("332038")],
        established_on=D(2017, 11, 1),
    )
    entry = StatusEntry.objects.get(municipality_id="332038")
    assert entry.effective_on == D(2017, 11, 1)


def csv(text: str) -> io.BytesIO:
    data = io.BytesIO(text.encode("utf-8"))
    data.name = "networks.csv"
    return data


HEADER = "市町村,状況,組織名,設立日,時点\n"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("津山町,設置済,ある会,H30.1.1,", "市町村", "No municipality of 岡山県"),
        ("津山市,設置済,ある会,H30.13.1,", "設立日", ""),
        ("津山市,設置済,ある会,,", "設立日", "Enter the date it was established"),
        ("津山市,連絡会,,,", "時点", "Enter the date of this status"),
        ("津山市,わからない,,,H31.3.31", "状況", "Enter one of"),
        ("鳥取市,設置済,ある会,H30.1.1,", "市町村", "No municipality of 岡山県"),
    ],
)
def test_import_row_errors_name_row_and_column_and_write_nothing(regions, row, column, message):
    text = HEADER + "井原市,設置済,井原おもいやりネットワーク,H29.2.6,\n" + row + "\n"
    plan = importing.plan_import(csv(text), prefecture="33")
    assert not plan.ok
    [error] = plan.errors
    assert error.row == 3
    assert error.column == column
    assert message in str(error)
    with pytest.raises(importing.ImportRefused):
        importing.apply_import(plan)
    assert not MunicipalNetwork.objects.exists()
    assert not StatusEntry.objects.exists()


def test_import_refuses_a_name_matching_two_municipalities(regions):
    # 神奈川県 has two 緑区: 横浜市緑区 and 相模原市緑区.
    plan = importing.plan_import(csv(HEADER + "緑区,連絡会,,,H31.3.31\n"), prefecture="14")
    [error] = plan.errors
    assert "matches 2 municipalities" in str(error)
    assert importing.plan_import(csv(HEADER + "横浜市緑区,連絡会,,,H31.3.31\n"), prefecture="14").ok


def test_import_refuses_a_step_before_a_stored_later_one(regions):
    importing.import_networks(csv(HEADER + "倉敷市,連絡会,,,H31.3.31\n"), prefecture="33")
    plan = importing.plan_import(csv(HEADER + "倉敷市,職員研修,,,H30.6.1\n"), prefecture="33")
    [error] = plan.errors
    assert "correction" in str(error)
    fixed = importing.plan_import(
        csv("市町村,状況,時点,訂正\n倉敷市,職員研修,H30.6.1,○\n"), prefecture="33"
    )
    assert fixed.ok


def test_import_reads_dates_and_names_as_staff_write_them(regions):
    text = (
        HEADER
        + "真庭市,設置済,真庭地域社会福祉法人連絡会「まにわささえ愛ネット」,Ｈ３０．８．２２,\n"
        + "岡山県美作市,設置済,美作市内社会福祉法人等連絡協議会（美作お助け隊）,2017-06-01,\n"
        + "加賀郡吉備中央町,連絡会・情報交換会等開催,,,平成31年3月31日\n"
    )
    result = importing.import_networks(csv(text), prefecture="33")
    assert (result.networks_created, result.statuses_created) == (2, 1)
    maniwa = MunicipalNetwork.objects.get(nickname="まにわささえ愛ネット")
    assert maniwa.established_on == D(2018, 8, 22)
    assert StatusEntry.objects.get(municipality__name="吉備中央町").effective_on == D(2019, 3, 31)
