"""One deployment hosts several centers; each center's staff see only their prefecture."""

import pytest
from django.test import override_settings
from django.urls import reverse

from sasaeai.regions.models import Center
from sasaeai.testing.factories import CenterFactory, center_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def tottori(personas):
    center = CenterFactory(prefecture_id="31", name="鳥取県センター", short_name="とっとりセンター")
    return center_staff(center, username="center-tottori")


def test_each_centers_staff_see_their_own_prefecture_only(client, personas, tottori):
    client.force_login(tottori)
    ids = {row["id"] for row in client.get("/api/v1/corporations/").json()["results"]}
    assert ids == {personas.tottori_corporation.pk}
    client.force_login(personas.center)
    ids = {row["id"] for row in client.get("/api/v1/corporations/").json()["results"]}
    assert personas.tottori_corporation.pk not in ids


def test_the_header_shows_the_users_own_center(client, personas, tottori):
    client.force_login(tottori)
    assert "とっとりセンター" in client.get(reverse("mypage")).content.decode()
    client.force_login(personas.center)
    assert "岡山ささえ愛センター" in client.get(reverse("mypage")).content.decode()


def test_visitors_see_the_deployments_default_center(client, personas, tottori):
    # Without a setting: the first active center by prefecture code (鳥取 31 before 岡山 33).
    assert "とっとりセンター" in client.get("/").content.decode()
    with override_settings(SASAEAI_DEFAULT_PREFECTURE="33"):
        assert "岡山ささえ愛センター" in client.get("/").content.decode()
    with override_settings(SASAEAI_DEFAULT_PREFECTURE="31"):
        assert "とっとりセンター" in client.get("/").content.decode()


def test_a_prefecture_has_at_most_one_center(personas):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Center.objects.create(prefecture_id="33", name="二つ目", short_name="二つ目")
