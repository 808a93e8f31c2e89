"""The demo's activities load once, published, and the directory shows them."""

import pytest

from sasaeai.activities import demo
from sasaeai.activities.models import Activity, ReviewState
from sasaeai.testing.factories import CorporationFactory

pytestmark = pytest.mark.django_db


def demo_corporations(personas) -> dict:
    third = CorporationFactory(municipality_id="331007")  # 岡山市
    return {"own": personas.own_corporation, "other": personas.other_corporation, "third": third}


def test_the_demo_loads_once_and_publishes_its_activities(client, personas, themes):
    corporations = demo_corporations(personas)
    assert demo.load("33", corporations=corporations) == f"地域公益活動: 新規 {len(demo.DEMO)}"
    assert demo.load("33", corporations=corporations) == "地域公益活動: 新規 0"
    assert set(Activity.objects.values_list("state", flat=True)) == {ReviewState.PUBLISHED}
    page = client.get("/activities/?municipality=332038&q=食堂").content.decode()
    assert "ささえ愛こども食堂つやま（デモ）" in page and "きびっこ食堂" not in page
