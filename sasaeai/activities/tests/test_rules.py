"""The registry's rules: one owner in its own prefecture, places and coordinates checked, the
review workflow, the searchable fields and the KPI as of dates."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sasaeai.activities import actions, kpis, queries
from sasaeai.activities.models import Activity, ReviewState
from sasaeai.core.text import search_key
from sasaeai.regions.models import Municipality

from .conftest import TSUYAMA, fields, weekly

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_draft_keeps_its_rule_weekdays_and_search_text(draft):
    assert draft.state == ReviewState.DRAFT and draft.prefecture_id == "33"
    assert draft.schedule_text == "毎週水曜日 15:00〜18:00"
    assert "RRULE:FREQ=WEEKLY;BYDAY=WE" in draft.schedule_rule
    assert draft.weekdays == "2"
    assert draft.targets == "|children|parents|"
    for word in ("子ども食堂", "民生委員", "子育て家庭", "居場所", "ｻｻｴ愛"):
        assert search_key(word) in draft.search_text


@pytest.mark.usefixtures("english")
def test_an_activity_has_exactly_one_owner(personas, themes):
    with pytest.raises(ValidationError, match="one corporation or one municipal network"):
        actions.create_activity(data=fields(), by=personas.corp_staff)
    assert not Activity.objects.exists()


@pytest.mark.usefixtures("english")
def test_a_municipality_outside_the_owners_prefecture_is_refused(personas):
    tottori = Municipality.objects.get(pk="312011")
    with pytest.raises(ValidationError) as caught:
        actions.create_activity(
            data=fields(municipality=tottori), corporation=personas.own_corporation
        )
    assert "outside the prefecture" in caught.value.message_dict["municipality"][0]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("address", ["鳥取県鳥取市東町1-220", "〒680-0000 鳥取県鳥取市"])
def test_an_address_in_another_prefecture_is_refused(personas, address):
    with pytest.raises(ValidationError) as caught:
        actions.create_activity(data=fields(address=address), corporation=personas.own_corporation)
    assert "鳥取県" in caught.value.message_dict["address"][0]
    assert not Activity.objects.exists()


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("lat", "lon", "words"),
    [
        (Decimal("51.5"), Decimal("-0.12"), "not in Japan"),
        (Decimal("35.06"), None, "both"),
    ],
)
def test_coordinates_must_lie_in_japan(personas, lat, lon, words):
    with pytest.raises(ValidationError) as caught:
        actions.create_activity(
            data=fields(latitude=lat, longitude=lon), corporation=personas.own_corporation
        )
    assert words in caught.value.message_dict["latitude"][0]


@pytest.mark.usefixtures("english")
def test_coordinates_outside_the_prefectures_boundaries_are_refused(personas):
    from sasaeai.regions.models import Boundary

    Boundary.objects.create(
        municipality_id=TSUYAMA,
        geometry={
            "type": "Polygon",
            "coordinates": [[[133.9, 35.0], [134.1, 35.0], [134.1, 35.2], [133.9, 35.2],
                             [133.9, 35.0]]],
        },
        source="test",
    )  # fmt: skip
    inside = fields(latitude=Decimal("35.06"), longitude=Decimal("134.0"))
    actions.create_activity(data=inside, corporation=personas.own_corporation)
    with pytest.raises(ValidationError) as caught:
        actions.create_activity(
            data=fields(latitude=Decimal("43.06"), longitude=Decimal("141.35")),  # 札幌
            corporation=personas.own_corporation,
        )
    assert "outside the prefecture" in caught.value.message_dict["latitude"][0]


@pytest.mark.usefixtures("english")
def test_a_schedule_that_never_occurs_is_refused_naming_it(personas):
    with pytest.raises(ValidationError) as caught:
        actions.create_activity(
            data=fields(schedule=weekly(start=datetime.time(18), end=datetime.time(15))),
            corporation=personas.own_corporation,
        )
    assert "after the start" in caught.value.message_dict["end_time"][0]


@pytest.mark.usefixtures("english")
def test_the_review_workflow(draft, personas):
    with pytest.raises(ValidationError, match="Only a submitted activity can be published"):
        actions.publish_activity(activity=draft, by=personas.center)
    actions.submit_activity(activity=draft, by=personas.corp_staff)
    with pytest.raises(ValidationError):
        actions.send_back_activity(activity=draft, reason="  ", by=personas.council)
    sent_back = actions.send_back_activity(
        activity=draft, reason="会場の住所を書いてください", by=personas.council
    )
    assert sent_back.state == ReviewState.DRAFT and sent_back.returned_reason
    actions.submit_activity(activity=draft, by=personas.corp_staff)
    done = actions.publish_activity(activity=draft, by=personas.council)
    assert done.state == ReviewState.PUBLISHED and done.published_by == personas.council
    assert done.submitted_by == personas.corp_staff and done.published_at
    withdrawn = actions.withdraw_activity(activity=draft, by=personas.corp_staff)
    assert withdrawn.state == ReviewState.WITHDRAWN and withdrawn.withdrawn_at
    again = actions.update_activity(activity=draft, data=fields(title="再開"), by=None)
    assert again.state == ReviewState.DRAFT


def _search(**params):
    search, errors = queries.parse_search(params, "33")
    assert not errors
    return list(queries.directory("33", search, today=D(2020, 1, 1)))


def test_the_directory_searches_theme_place_weekday_target_and_words(
    published, kurashiki_draft, personas, themes
):
    actions.submit_activity(activity=kurashiki_draft)
    other = actions.publish_activity(activity=kurashiki_draft)
    assert _search(weekday="2") == [published]  # 水曜日
    assert _search(weekday="5") == [other]  # 第2土曜日
    assert _search(target="elderly") == [other]
    assert _search(municipality=TSUYAMA) == [published]
    assert _search(theme=str(themes["T05"].pk)) == [published]
    assert _search(q="子ども食堂") == [published]
    assert _search(q="食堂") == [published]  # two characters
    assert _search(q="ｶﾌｪ") == [other]  # half-width kana finds カフェ
    assert _search(q="カフェ", weekday="2") == []
    assert _search(municipality=TSUYAMA, q="子ども 食堂") == [published]  # LIKE, all terms
    assert _search(municipality=TSUYAMA, q="子ども カフェ") == []


def test_a_search_of_symbols_alone_is_an_error_not_a_crash():
    _unused, errors = queries.parse_search({"q": "！？ 　", "weekday": "9"}, "33")
    assert set(errors) == {"q", "weekday"}


def test_drafts_internal_and_ended_activities_stay_out_of_the_directory(published, personas):
    internal = actions.create_activity(
        data=fields(title="職員向け", visibility="internal"), corporation=personas.own_corporation
    )
    actions.submit_activity(activity=internal)
    actions.publish_activity(activity=internal)
    actions.create_activity(data=fields(title="下書き"), corporation=personas.own_corporation)
    assert _search() == [published]
    actions.update_activity(activity=published, data=fields(ended_on=D(2019, 12, 31)))
    assert _search() == []


def test_the_kpi_counts_published_public_activities_running_on_a_date(
    published, kurashiki_draft, personas
):
    actions.update_activity(
        activity=kurashiki_draft,
        data=fields(
            title="くらしき",
            municipality=Municipality.objects.get(pk="332020"),
            address="",
            started_on=D(2019, 10, 1),
            ended_on=D(2020, 3, 31),
        ),
    )
    actions.submit_activity(activity=kurashiki_draft)
    actions.publish_activity(activity=kurashiki_draft)
    assert kpis.running_count(prefecture="33", on=D(2019, 3, 31)) == 0
    assert kpis.running_count(prefecture="33", on=D(2019, 4, 1)) == 1
    assert kpis.running_count(prefecture="33", on=D(2019, 10, 1)) == 2
    assert kpis.running_by_municipality(prefecture="33", on=D(2020, 3, 31)) == {
        TSUYAMA: 1,
        "332020": 1,
    }
    assert kpis.running_count(prefecture="33", on=D(2020, 4, 1)) == 1
    assert kpis.running_count(prefecture="31", on=D(2020, 4, 1)) == 0
