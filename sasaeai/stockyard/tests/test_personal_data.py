"""Opening a referral shows a household's data: the audit log records who looked at which."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from sasaeai.stockyard.models import Household

from .test_referral_pages import refer

pytestmark = pytest.mark.django_db


def test_opening_a_referral_records_the_access_to_its_household(client, personas, world):
    referral = refer(
        world, personas.corp_staff, [(world.rice, 5)], corporation=personas.own_corporation
    )
    client.force_login(personas.center)
    assert client.get(f"/stockyard/referrals/{referral.pk}/").status_code == 200
    entry = LogEntry.objects.get(
        action=LogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(Household),
        object_id=referral.household_id,
    )
    assert entry.actor == personas.center
    assert entry.additional_data == {"viewed": f"referral {referral.pk}"}


def test_reading_a_referral_through_the_api_records_the_access_too(client, personas, world):
    referral = refer(
        world, personas.corp_staff, [(world.rice, 5)], corporation=personas.own_corporation
    )
    client.force_login(personas.center)
    assert client.get(f"/api/v1/stockyard/referrals/{referral.pk}/").status_code == 200
    entry = LogEntry.objects.get(
        action=LogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(Household),
        object_id=referral.household_id,
    )
    assert entry.actor == personas.center
    assert entry.additional_data == {"viewed": f"API referral {referral.pk}"}
    listed = client.get("/api/v1/stockyard/referrals/")
    assert listed.status_code == 200
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, additional_data={"viewed": "API referral list"}
    ).count() == len(listed.json()["results"])


def test_a_household_is_erased_by_its_case_number_and_still_counted(personas, world):
    from sasaeai.core.privacy import Person
    from sasaeai.privacy.actions import erase_person
    from sasaeai.stockyard.models import Referral

    referral = refer(
        world,
        personas.corp_staff,
        [(world.rice, 5)],
        corporation=personas.own_corporation,
        needs="アレルギーあり（卵）",
    )
    households = Household.objects.count()
    erase_person(
        person=Person(reference="津-001"), prefecture="33", by=personas.center, channel="post"
    )
    household = Household.objects.get(pk=referral.household_id)
    assert (household.reference, household.ages) == (f"erased-{household.pk}", "")
    assert household.size == 3 and Household.objects.count() == households
    assert Referral.objects.get(pk=referral.pk).needs == ""
