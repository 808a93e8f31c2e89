"""The public site composed of every app: sitemap.xml, the open-data page and the navigation
reach the activities and the casebook too."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from sasaeai.activities import demo as activities_demo
from sasaeai.activities.models import Activity
from sasaeai.casebook import demo as casebook_demo
from sasaeai.casebook.models import Case
from sasaeai.projects.tests import helpers
from sasaeai.testing.factories import CorporationFactory

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def published(personas, settings):
    settings.SASAEAI_DEFAULT_PREFECTURE = "33"
    helpers.okayama_themes()
    corporations = {
        "own": personas.own_corporation,
        "other": personas.other_corporation,
        "third": CorporationFactory(municipality_id="331007"),
    }
    activities_demo.load("33", corporations=corporations, reviewer=personas.center)
    casebook_demo.load("33", corporations=corporations, by=personas.center)
    return Activity.objects.public().first(), Case.objects.filter(status="published").first()


def test_the_sitemap_lists_activities_and_cases(client, published):
    activity, case = published
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - ours
    locations = {url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")}
    for path in [
        reverse("activities:directory"),
        reverse("activities:detail", args=[activity.pk]),
        reverse("activities:municipality", args=[activity.municipality_id]),
        reverse("casebook:case-list"),
        reverse("casebook:case-detail", args=[case.pk]),
    ]:
        assert "http://testserver" + path in locations, path


def test_the_open_data_page_lists_every_dataset_and_each_file_downloads(client, published):
    html = client.get(reverse("publishing:open-data")).content.decode()
    for name in [
        "activities:open-data-hsds",
        "activities:open-data-csv",
        "casebook:open-data-csv",
        "publishing:opendata-events",
    ]:
        url = reverse(name)
        assert f'href="{url}"' in html, name
        assert client.get(url).status_code == 200, name
    assert "CC BY 4.0" in html


def test_every_public_page_leads_to_the_directory_and_the_casebook(client, published):
    html = client.get("/").content.decode()
    assert 'href="/activities/"' in html and 'href="/cases/"' in html
    assert "活動を探す" in html and "事例集" in html
