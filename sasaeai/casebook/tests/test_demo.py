"""The demo's cases: three published cases of demo corporations, loaded once."""

import pytest

from sasaeai.casebook import demo
from sasaeai.casebook.models import Case
from sasaeai.testing import factories

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_three_cases_once(client, personas, themes):
    corporations = {
        "own": personas.own_corporation,
        "other": personas.other_corporation,
        "third": factories.CorporationFactory(municipality_id="331007"),
    }
    assert demo.load("33", corporations=corporations, by=personas.center) == "事例集: 新規 3"
    assert demo.load("33", corporations=corporations, by=personas.center) == "事例集: 新規 0"
    assert Case.objects.published().count() == 3
    page = client.get("/cases/", {"q": "ﾌｰﾄﾞﾄﾞﾗｲﾌﾞ"}).content.decode()
    assert "商店街と取り組むフードドライブ（デモ）" in page
    assert "子ども食堂" in client.get("/cases/", {"theme": themes["T09"].pk}).content.decode()
