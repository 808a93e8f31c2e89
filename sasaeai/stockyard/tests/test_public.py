"""``/stockyard/drop-offs/``: the public drop-off points by municipality with their address and
opening hours, and the food drives running now or soon; no stock and no people; cached per
version of the stockyard's data; in the sitemap; accessible with the demo's data."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sasaeai.stockyard import actions, demo
from sasaeai.stockyard.models import Household, KeeperKind, Location, LocationKind
from sasaeai.testing.factories import CorporationFactory

URL = "/stockyard/drop-offs/"


def load_demo(personas):
    corporations = {
        "own": personas.own_corporation,
        "other": personas.other_corporation,
        "third": CorporationFactory(municipality_id="331007"),
    }
    users = {
        "center": personas.center,
        "council": personas.council,
        "corp_staff": personas.corp_staff,
        "outsider": personas.outsider,
    }
    demo.load("33", corporations=corporations, users=users)


def names(**filters):
    keys = [p.name for p in demo.PLACES if all(getattr(p, k) == v for k, v in filters.items())]
    assert keys
    return keys


@pytest.mark.django_db
def test_the_page_lists_the_public_points_by_municipality_and_the_drives(client, personas):
    load_demo(personas)
    assert reverse("stockyard:drop-offs") == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    headings = re.findall(r'<h3 id="municipality-(\d+)">', html)
    assert headings == ["331007", "332020", "332038"]
    for name in names(public=True):
        assert name in html
    for name in names(public=False):
        assert name not in html  # the stockyards themselves are not drop-off points
    assert "毎週土曜日 10:00〜12:00" in html and "岡山県津山市デモ町5-8（架空）" in html
    for title in (
        "津山市フードドライブ（デモ）",
        "岡山市 フードドライブ（デモ）",
        "倉敷市 年末フードドライブ（デモ）",
    ):
        assert title in html
    town = Location.objects.get(name__contains="町内会")
    assert f'href="#drop-off-{town.pk}"' in html and f'id="drop-off-{town.pk}"' in html
    for reference in Household.objects.values_list("reference", flat=True):
        assert reference not in html
    assert "缶詰" not in html and "米" not in html  # no stock


@pytest.mark.django_db
def test_only_drives_running_or_starting_within_30_days_are_shown(client, world):
    today = timezone.localdate()

    def drive(title, first, last):
        actions.create_campaign(
            prefecture="33",
            title=title,
            starts_on=today + datetime.timedelta(days=first),
            ends_on=today + datetime.timedelta(days=last),
            drop_offs=[world.drop_off],
        )

    drive("今日まで", -10, 0)
    drive("30日後から", 30, 40)
    drive("昨日まで", -10, -1)
    drive("31日後から", 31, 40)
    html = client.get(URL).content.decode()
    assert "今日まで" in html and "30日後から" in html
    assert "昨日まで" not in html and "31日後から" not in html


@pytest.mark.django_db
def test_a_drive_lists_only_its_public_points(client, world):
    today = timezone.localdate()
    actions.create_campaign(
        prefecture="33",
        title="法人と社協のフードドライブ",
        starts_on=today,
        ends_on=today,
        drop_offs=[world.drop_off, world.yard],
    )
    html = client.get(URL).content.decode()
    assert world.drop_off.name in html and world.yard.name not in html


@pytest.mark.django_db
def test_the_page_is_cached_until_the_stockyards_data_changes(
    client, world, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    first = client.get(URL)
    assert world.drop_off.name in first.content.decode()
    with django_assert_max_num_queries(2):  # the center shown, the version
        again = client.get(URL)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        Location.objects.create(
            prefecture_id="33", municipality_id="331007", name="新しい回収拠点",
            kind=LocationKind.DROP_OFF, address="岡山県岡山市", keeper_kind=KeeperKind.OTHER,
            keeper_name="町内会", public=True,
        )  # fmt: skip
    assert "新しい回収拠点" in client.get(URL).content.decode()


@pytest.mark.django_db
def test_the_page_keeps_a_constant_number_of_queries(client, world):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    today = timezone.localdate()
    actions.create_campaign(
        prefecture="33",
        title="ドライブ",
        starts_on=today,
        ends_on=today,
        drop_offs=[world.drop_off],
    )
    few = queries()
    for n in range(5):
        point = Location.objects.create(
            prefecture_id="33", municipality_id=("331007", "332020")[n % 2], name=f"拠点{n}",
            kind=LocationKind.DROP_OFF, address="岡山県", keeper_kind=KeeperKind.OTHER,
            keeper_name="町内会", public=True,
        )  # fmt: skip
        actions.create_campaign(
            prefecture="33", title=f"ドライブ{n}", starts_on=today, ends_on=today,
            drop_offs=[point, world.drop_off],
        )  # fmt: skip
    assert queries() == few


@pytest.mark.django_db
def test_the_sitemap_lists_the_page(client, world):
    assert f"http://testserver{URL}</loc>" in client.get("/sitemap.xml").content.decode()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_page_with_the_demos_data_is_accessible(browser, live_server, committed, viewport):
    from sasaeai.core.tests import test_accessibility as a11y

    load_demo(committed)
    page = a11y.new_page(browser, a11y.DESKTOP if viewport == "desktop" else a11y.PHONE)
    try:
        violations = a11y.check_pages(page, live_server.url, [URL])
        assert page.locator("h3[id^='municipality-']").count() == 3
    finally:
        page.context.close()
    assert not violations, a11y.report(violations)
