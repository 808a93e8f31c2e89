import csv
import datetime
import io
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from sasaeai.events import actions as event_actions
from sasaeai.events.models import Audience, EventKind
from sasaeai.projects import actions as project_actions
from sasaeai.projects.tests import helpers as project_helpers
from sasaeai.publishing.opendata import EVENT_HEADER
from sasaeai.regions.models import Center

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def forum(personas):
    day = timezone.localdate() + datetime.timedelta(days=20)
    return event_actions.create_event(
        prefecture="33",
        sessions=[event_actions.SessionData(at(day, 13), at(day, 17), venue="岡山市民会館")],
        kind=EventKind.FORUM,
        title="地域福祉実践フォーラム",
        audience=Audience.PUBLIC,
        capacity=200,
        by=personas.center,
    )


@pytest.fixture
def sector_training(personas):
    day = timezone.localdate() + datetime.timedelta(days=10)
    return event_actions.create_event(
        prefecture="33",
        sessions=[event_actions.SessionData(at(day, 13), at(day, 16), venue="総合福祉会館")],
        kind=EventKind.TRAINING,
        title="法人職員向け研修",
        audience=Audience.SECTOR,
        by=personas.center,
    )


@pytest.fixture
def targets(personas):
    center = personas.okayama_center
    center.settings = {
        "membership_target": {"rate": 0.7, "deadline": "2020-03-31"},
        "network_target": {"value": 15, "deadline": "2020-03-31"},
        "survey_target": {"share": 0.7, "deadline": "2020-03-31"},
        "model_project_target": {"value": 5, "deadline": "2023-03-31"},
    }
    center.save()
    return center


def kpi_block(html: str, key: str) -> str:
    return re.search(rf'data-kpi="{key}">(.*?)</li>', html, re.S).group(1)


def test_home_shows_the_latest_news_and_upcoming_public_events_with_registration_links(
    client, personas, post_factory, forum, sector_training
):
    post_factory("最新のお知らせ")
    html = client.get(reverse("publishing:home")).content.decode()
    assert "最新のお知らせ" in html
    assert "地域福祉実践フォーラム" in html
    assert reverse("events:event-detail", args=[forum.pk]) in html
    assert "法人職員向け研修" not in html  # not a public event


def test_home_figures_come_from_the_records_through_the_cache(client, personas, targets):
    themes = project_helpers.okayama_themes()
    project = project_helpers.model_project(themes)
    first = client.get(reverse("publishing:home")).content.decode()
    assert ">0<" in kpi_block(first, "models")
    assert "5" in kpi_block(first, "models")  # the target
    # Served from the cache while nothing changes.
    assert client.get(reverse("publishing:home")).content.decode() == first
    project_actions.set_status(project=project, status="shared", effective_on=timezone.localdate())
    second = client.get(reverse("publishing:home")).content.decode()
    assert ">1<" in kpi_block(second, "models")


def test_home_membership_rate_follows_a_membership(
    client, personas, targets, django_capture_on_commit_callbacks
):
    from sasaeai.testing import factories

    factories.FacilityFactory(corporation=personas.own_corporation, municipality_id="332038")
    before = kpi_block(client.get(reverse("publishing:home")).content.decode(), "membership")
    assert "0.0%" in before and "70%" in before
    with django_capture_on_commit_callbacks(execute=True):  # the registry's version token
        project_helpers.join(personas.own_corporation, datetime.date(2019, 4, 1), personas.center)
    after = kpi_block(client.get(reverse("publishing:home")).content.decode(), "membership")
    assert "100.0%" in after


def test_home_reads_a_constant_number_of_queries(
    client, personas, targets, post_factory, forum, django_assert_max_num_queries
):
    from django.core.cache import cache

    for n in range(3):
        post_factory(f"お知らせ{n}")
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("publishing:home"))
    for n in range(10):
        post_factory(f"追加{n}")
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("publishing:home"))


def test_public_pages_carry_open_graph_and_description_tags(client, personas, post_factory):
    post = post_factory("フォーラムの報告", body="当日は120名の参加がありました。")
    for url in [
        reverse("publishing:home"),
        reverse("publishing:news-detail", args=[post.pk]),
        reverse("publishing:about"),
        reverse("publishing:newsletter-list"),
    ]:
        html = client.get(url).content.decode()
        assert '<meta name="description" content="' in html, url
        assert '<meta property="og:site_name" content="岡山ささえ愛センター">' in html
        assert '<meta property="og:locale" content="ja_JP">' in html
        assert f'<meta property="og:url" content="http://testserver{url}">' in html
        assert '<meta property="og:type"' in html and '<meta property="og:description"' in html
    detail = client.get(reverse("publishing:news-detail", args=[post.pk])).content.decode()
    assert '<meta property="og:title" content="フォーラムの報告">' in detail
    assert '<meta property="og:type" content="article">' in detail
    assert "当日は120名の参加がありました。" in detail.split("<body")[0]


def test_the_sitemap_lists_the_public_pages_news_issues_and_public_events(
    client, personas, post_factory, issue_factory, forum, sector_training
):
    post = post_factory()
    issue = issue_factory()
    hidden = post_factory("予定", at=timezone.now() + datetime.timedelta(days=1))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    locations = {url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")}
    base = "http://testserver"
    for path in [
        "/",
        reverse("publishing:about"),
        reverse("publishing:contact"),
        reverse("publishing:privacy"),
        reverse("publishing:open-data"),
        reverse("proposals:list"),
        reverse("publishing:news-detail", args=[post.pk]),
        reverse("publishing:newsletter-detail", args=[issue.pk]),
        reverse("events:event-detail", args=[forum.pk]),
    ]:
        assert base + path in locations, path
    assert base + reverse("events:event-detail", args=[sector_training.pk]) not in locations
    assert base + reverse("publishing:news-detail", args=[hidden.pk]) not in locations


def test_the_events_csv_has_japanese_headers_and_a_bom(client, personas, forum, sector_training):
    response = client.get(reverse("publishing:opendata-events"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == EVENT_HEADER
    assert rows[0][:3] == ["イベントID", "名称", "種別"]
    assert [row[1] for row in rows[1:]] == ["地域福祉実践フォーラム"]
    assert rows[1][2] == "フォーラム"
    assert rows[1][7] == "岡山市民会館"


def test_the_open_data_page_lists_the_datasets_with_the_licence(client, personas):
    html = client.get(reverse("publishing:open-data")).content.decode()
    assert reverse("publishing:opendata-events") in html
    assert "CC BY 4.0" in html


def test_the_center_may_name_another_licence(client, personas):
    center = personas.okayama_center
    center.settings = {"open_data_licence": {"name": "政府標準利用規約（第2.0版）", "url": ""}}
    center.save()
    html = client.get(reverse("publishing:open-data")).content.decode()
    assert "政府標準利用規約（第2.0版）" in html and "CC BY 4.0" not in html


def test_contact_and_privacy_show_the_centers_details(client, personas):
    Center.objects.filter(pk=personas.okayama_center.pk).update(
        address="岡山市北区南方2-13-1", phone="086-226-2822", email="sasaeai@example.jp"
    )
    contact = client.get(reverse("publishing:contact")).content.decode()
    assert "岡山市北区南方2-13-1" in contact and "086-226-2822" in contact
    privacy = client.get(reverse("publishing:privacy")).content.decode()
    for words in ["利用目的", "保存期間", "開示", "ニュースレター", "参加申込者", "支援を受けた方"]:
        assert words in privacy
    assert "sasaeai@example.jp" in privacy


def test_about_shows_the_six_pillars_and_published_proposals(client, personas):
    from sasaeai.proposals.models import Proposal

    Proposal.objects.create(
        prefecture_id="33",
        title="制度の狭間への県の支援について",
        addressee_kind="prefecture",
        addressee="岡山県知事",
        text="…",
        status="submitted",
        published_on=datetime.date(2020, 3, 1),
    )
    html = client.get(reverse("publishing:about")).content.decode()
    assert html.count('class="card"') == 6
    assert "制度の狭間への県の支援について" in html


def test_the_public_navigation_links_the_public_pages(client, personas):
    html = client.get(reverse("publishing:news-list")).content.decode()
    for name in ["news-list", "newsletter-list", "about", "contact", "privacy", "open-data"]:
        assert f'href="{reverse("publishing:" + name)}"' in html
    assert f'href="{reverse("proposals:list")}"' in html


def test_each_centers_visitors_get_their_own_cached_pages(client, personas, settings, post_factory):
    from sasaeai.testing import factories

    factories.CenterFactory(prefecture_id="31", name="鳥取県センター", short_name="とっとり")
    for prefecture, name in [("33", "岡山ささえ愛センター"), ("31", "とっとり"), ("33", "岡山")]:
        settings.SASAEAI_DEFAULT_PREFECTURE = prefecture
        for url in ["/", reverse("publishing:news-list"), reverse("publishing:contact")]:
            assert name in client.get(url).content.decode(), (prefecture, url)


def test_the_home_page_works_before_any_center_exists(client, regions):
    response = client.get("/")
    assert response.status_code == 200
    assert "Sasae-ai" in response.content.decode()
