"""Pages: the public directory, activity and municipality pages need no login and are cached
until something is published; staff write, submit and review only within their scope."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from sasaeai.activities import actions
from sasaeai.activities.models import Activity, ReviewState

from .conftest import KURASHIKI, TSUYAMA, fields

D = datetime.date
pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_anonymous_residents_find_published_activities_only(client, published, kurashiki_draft):
    page = text(client.get("/activities/"))
    assert "つやま子ども食堂" in page and "くらしき認知症カフェ" not in page
    assert 'aria-label="つやま子ども食堂"' in page  # the point on the map
    assert client.get(f"/activities/{kurashiki_draft.pk}/").status_code == 404
    detail = text(client.get(f"/activities/{published.pk}/"))
    assert "毎週水曜日 15:00〜18:00" in detail and "0868-00-0000" in detail
    assert 'id="next-dates"' in detail
    assert "/submit/" not in detail and "/publish/" not in detail


def test_the_directory_filters_by_weekday_and_words(client, published):
    assert "つやま子ども食堂" in text(client.get("/activities/?weekday=2&q=食堂"))
    assert "つやま子ども食堂" not in text(client.get("/activities/?weekday=3"))
    bad = client.get("/activities/?q=%EF%BC%81%EF%BC%9F")  # ！？
    assert bad.status_code == 200 and "errorlist" in text(bad)


def test_user_text_is_rendered_inert(client, personas):
    activity = actions.create_activity(
        data=fields(title="<script>alert(1)</script>食堂"), corporation=personas.own_corporation
    )
    actions.submit_activity(activity=activity)
    actions.publish_activity(activity=activity)
    page = text(client.get(f"/activities/{activity.pk}/"))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_a_publication_appears_on_the_cached_directory_at_once(client, draft, personas):
    first = client.get("/activities/")
    assert "つやま子ども食堂" not in text(first) and first.has_header("ETag")
    assert client.get("/activities/").headers["ETag"] == first.headers["ETag"]  # cached
    actions.submit_activity(activity=draft)
    actions.publish_activity(activity=draft, by=personas.center)
    assert "つやま子ども食堂" in text(client.get("/activities/"))
    assert "つやま子ども食堂" in text(client.get(f"/activities/m/{TSUYAMA}/"))
    actions.withdraw_activity(activity=draft)
    assert "つやま子ども食堂" not in text(client.get("/activities/"))


def test_the_municipality_page_shows_its_network_activities_and_events(client, published):
    page = text(client.get(f"/activities/m/{TSUYAMA}/"))
    assert "津山市" in page and "つやま子ども食堂" in page and 'id="network-status"' in page
    assert client.get("/activities/m/312011/").status_code == 404  # 鳥取市: not this center's


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
def test_another_corporations_staff_get_404(client, personas, draft, persona):
    if persona != "anonymous":
        client.force_login(getattr(personas, persona))
    assert client.get(f"/activities/{draft.pk}/").status_code == 404
    for url in (f"/activities/{draft.pk}/submit/", f"/activities/{draft.pk}/publish/"):
        response = client.post(url)
        assert response.status_code in (302, 404)
        if persona != "anonymous":
            assert response.status_code == 404
    if persona != "anonymous":
        assert client.get(f"/activities/{draft.pk}/edit/").status_code == 404
        assert "つやま子ども食堂" not in text(client.get("/activities/manage/"))
    draft.refresh_from_db()
    assert draft.state == ReviewState.DRAFT


def test_corporation_staff_create_and_submit_but_do_not_publish(client, personas, themes):
    client.force_login(personas.corp_staff)
    data = {
        "owner": f"corporation:{personas.own_corporation.pk}",
        "title": "買い物支援バス",
        "municipality": TSUYAMA,
        "themes": [themes["T05"].pk],
        "targets": ["elderly"],
        "kind": "monthly_nth",
        "weekdays": ["1"],
        "nth": "-1",
        "starts_on": "R1.5.1",
        "start_time": "10:00",
        "end_time": "12:00",
        "visibility": "public",
        "address": "岡山県津山市",
    }
    response = client.post("/activities/manage/new/", data)
    assert response.status_code == 302, text(response)
    activity = Activity.objects.get(title="買い物支援バス")
    assert activity.schedule_text == "毎月最終火曜日 10:00〜12:00"
    assert client.post(f"/activities/{activity.pk}/submit/").status_code == 302
    assert client.post(f"/activities/{activity.pk}/publish/").status_code == 404
    activity.refresh_from_db()
    assert activity.state == ReviewState.SUBMITTED
    assert client.get(f"/activities/{activity.pk}/edit/").status_code == 302  # under review


def test_a_form_with_30_february_names_the_line(client, personas):
    client.force_login(personas.corp_staff)
    data = {
        "owner": f"corporation:{personas.own_corporation.pk}",
        "title": "フードドライブ",
        "municipality": TSUYAMA,
        "kind": "dates",
        "dates": "2020-02-01\n2020-02-30",
        "starts_on": "2020-02-01",
        "visibility": "public",
    }
    response = client.post("/activities/manage/new/", data)
    assert response.status_code == 200
    assert "2" in text(response) and not Activity.objects.filter(title="フードドライブ").exists()
    assert response.context["form"].errors["dates"]


def test_a_form_for_another_prefecture_is_refused_with_the_field(client, personas):
    client.force_login(personas.corp_staff)
    data = {
        "owner": f"corporation:{personas.own_corporation.pk}",
        "title": "x",
        "municipality": TSUYAMA,
        "kind": "weekly",
        "weekdays": ["0"],
        "starts_on": "2020-02-01",
        "visibility": "public",
        "address": "鳥取県鳥取市",
    }
    response = client.post("/activities/manage/new/", data)
    assert response.status_code == 200 and response.context["form"].errors["address"]


def test_council_staff_review_their_municipality_only(client, personas, draft, kurashiki_draft):
    actions.submit_activity(activity=draft)
    actions.submit_activity(activity=kurashiki_draft)
    client.force_login(personas.council)
    assert client.post(f"/activities/{kurashiki_draft.pk}/publish/").status_code == 404
    response = client.post(f"/activities/{draft.pk}/send-back/", {"reason": "写真の許可を確認"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == ReviewState.DRAFT and draft.returned_reason == "写真の許可を確認"


def test_center_staff_list_filter_export_and_publish(client, personas, draft, kurashiki_draft):
    actions.submit_activity(activity=kurashiki_draft)
    client.force_login(personas.center)
    page = text(client.get("/activities/manage/?state=submitted"))
    assert "くらしき認知症カフェ" in page and "つやま子ども食堂" not in page
    export = client.get(f"/activities/manage/export.xlsx?municipality={KURASHIKI}")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("活動ID", "活動名") and len(rows) == 2
    assert rows[1][1] == "くらしき認知症カフェ"
    assert rows[1][-3] == str(ReviewState.SUBMITTED.label)
    assert client.post(f"/activities/{kurashiki_draft.pk}/publish/").status_code == 302
    kurashiki_draft.refresh_from_db()
    assert kurashiki_draft.state == ReviewState.PUBLISHED


def test_the_list_takes_a_fixed_number_of_queries(
    client, personas, draft, django_assert_max_num_queries
):
    for n in range(5):
        actions.create_activity(data=fields(title=f"活動{n}"), corporation=personas.own_corporation)
    client.force_login(personas.center)
    with django_assert_max_num_queries(15):
        client.get("/activities/manage/")
    client.logout()
    with django_assert_max_num_queries(15):
        client.get("/activities/")


def test_the_sitemaps_list_the_public_pages_only(published, kurashiki_draft):
    from sasaeai.activities.sitemaps import SITEMAPS

    locations = {
        name: [sitemap().location(item) for item in sitemap().items()]
        for name, sitemap in SITEMAPS.items()
    }
    assert locations["activities"] == ["/activities/", "/activities/open-data/"]
    assert locations["activity-pages"] == [f"/activities/{published.pk}/"]
    assert f"/activities/m/{TSUYAMA}/" in locations["activity-municipalities"]
    assert all(url.startswith("/activities/m/33") for url in locations["activity-municipalities"])
