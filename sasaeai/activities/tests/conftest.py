import datetime

import pytest

from sasaeai.activities import actions
from sasaeai.activities import schedule as schedules
from sasaeai.projects.tests import helpers
from sasaeai.regions.models import Municipality

D = datetime.date
T = datetime.time
TSUYAMA = "332038"
KURASHIKI = "332020"


@pytest.fixture(autouse=True)
def okayama_by_default(settings):
    settings.SASAEAI_DEFAULT_PREFECTURE = "33"


@pytest.fixture
def themes(personas):
    return helpers.okayama_themes()


THREE_PM, SIX_PM, APRIL_2019 = T(15), T(18), D(2019, 4, 1)


def weekly(*days, start=THREE_PM, end=SIX_PM, starts_on=APRIL_2019, **kwargs):
    return schedules.Schedule(
        schedules.WEEKLY, starts_on, weekdays=days, start_time=start, end_time=end, **kwargs
    )


def fields(**overrides) -> actions.ActivityFields:
    values = {
        "title": "つやま子ども食堂",
        "municipality": Municipality.objects.get(pk=TSUYAMA),
        "schedule": weekly(2),
        "description": "地域の子どもに夕食を",
        "venue": "ささえ愛ホーム津山 地域交流室",
        "postal_code": "708-0000",
        "address": "岡山県津山市山下1-1",
        "targets": ["children", "parents"],
        "cost": "子ども無料、大人300円",
        "how_to_join": "当日そのままお越しください",
        "contact_phone": "0868-00-0000",
        "partners": "民生委員・児童委員協議会",
        "started_on": D(2019, 4, 1),
    }
    values.update(overrides)
    return actions.ActivityFields(**values)


@pytest.fixture
def draft(personas, themes):
    return actions.create_activity(
        data=fields(themes=[themes["T05"]]),
        corporation=personas.own_corporation,
        by=personas.corp_staff,
    )


@pytest.fixture
def published(draft, personas):
    actions.submit_activity(activity=draft, by=personas.corp_staff)
    return actions.publish_activity(activity=draft, by=personas.center)


@pytest.fixture
def kurashiki_draft(personas, themes):
    return actions.create_activity(
        data=fields(
            title="くらしき認知症カフェ",
            municipality=Municipality.objects.get(pk=KURASHIKI),
            address="岡山県倉敷市西中新田1",
            schedule=schedules.Schedule(
                schedules.MONTHLY_NTH, D(2019, 4, 1), weekdays=(5,), nth=2,
                start_time=T(10), end_time=T(12),
            ),
            targets=["elderly"],
        ),
        corporation=personas.other_corporation,
        by=personas.outsider,
    )  # fmt: skip
