"""Membership is dated history: join, change, withdraw; applications decided by center staff."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from sasaeai.members import actions
from sasaeai.members.models import (
    Corporation,
    MembershipApplication,
    MembershipEvent,
    MemberType,
)
from sasaeai.testing.factories import FacilityFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def basic():
    return MemberType.objects.get(code="basic-corporation")


def join(corporation, date, by, basic, **kwargs):
    return actions.record_membership_event(
        member=corporation, kind="join", effective_date=date, by=by, member_type=basic, **kwargs
    )


def test_a_corporation_is_a_member_from_its_join_date_until_it_withdraws(personas, basic):
    own = personas.own_corporation
    join(own, D(2018, 5, 1), personas.center, basic)
    actions.record_membership_event(
        member=own, kind="withdraw", effective_date=D(2021, 3, 31), by=personas.center
    )
    members = lambda day: set(Corporation.objects.members_on(day))  # noqa: E731
    assert own not in members(D(2018, 4, 30))
    assert own in members(D(2018, 5, 1))
    assert own in members(D(2021, 3, 30))
    assert own not in members(D(2021, 3, 31))


def test_a_late_entered_join_changes_the_past_honestly(personas, basic):
    own = personas.own_corporation
    join(own, D(2020, 4, 1), personas.center, basic)
    assert own not in Corporation.objects.members_on(D(2019, 1, 1))
    with pytest.raises(ValidationError):  # a join in 2019 would make the 2020 join a second one
        join(own, D(2019, 1, 1), personas.center, basic)


def test_history_is_never_overwritten_a_mistake_is_voided_with_a_reason(personas, basic):
    event = join(personas.own_corporation, D(2018, 5, 1), personas.center, basic)
    with pytest.raises(ValidationError):
        actions.void_membership_event(event=event, by=personas.center, reason=" ")
    actions.void_membership_event(event=event, by=personas.center, reason="入力誤り")
    assert MembershipEvent.objects.filter(pk=event.pk).exists()
    assert personas.own_corporation not in Corporation.objects.members_on(D(2019, 1, 1))


@pytest.mark.parametrize("kind", ["change", "withdraw"])
def test_only_a_member_can_change_or_withdraw(personas, basic, kind):
    with pytest.raises(ValidationError):
        actions.record_membership_event(
            member=personas.own_corporation,
            kind=kind,
            effective_date=D(2019, 1, 1),
            by=personas.center,
            member_type=basic,
        )


def test_joining_twice_is_refused(personas, basic):
    join(personas.own_corporation, D(2018, 5, 1), personas.center, basic)
    with pytest.raises(ValidationError):
        join(personas.own_corporation, D(2019, 5, 1), personas.center, basic)


def test_only_center_staff_of_the_prefecture_record_membership(personas, basic):
    for persona in (personas.council, personas.corp_staff, personas.outsider):
        with pytest.raises(PermissionDenied):
            join(personas.own_corporation, D(2018, 5, 1), persona, basic)
    with pytest.raises(PermissionDenied):
        join(personas.tottori_corporation, D(2018, 5, 1), personas.center, basic)


def test_a_join_may_name_only_the_corporations_own_facilities(personas, basic):
    own_facility = FacilityFactory(corporation=personas.own_corporation)
    other_facility = FacilityFactory(corporation=personas.other_corporation)
    with pytest.raises(ValidationError):
        join(
            personas.own_corporation,
            D(2018, 5, 1),
            personas.center,
            basic,
            facilities=[other_facility],
        )
    event = join(
        personas.own_corporation, D(2018, 5, 1), personas.center, basic, facilities=[own_facility]
    )
    assert list(event.facilities.all()) == [own_facility]


def apply(personas, basic, **kwargs):
    return actions.apply_for_membership(
        corporation=personas.own_corporation,
        by=personas.corp_staff,
        member_type=basic,
        desired_date=D(2019, 4, 1),
        **kwargs,
    )


def test_corporation_staff_apply_and_center_staff_approve(personas, basic):
    application = apply(personas, basic)
    event = actions.approve_application(application=application, by=personas.center)
    application.refresh_from_db()
    assert application.status == "approved"
    assert event.application == application
    assert event.effective_date == D(2019, 4, 1)
    assert personas.own_corporation in Corporation.objects.members_on(D(2019, 4, 1))


def test_a_decline_needs_a_reason_and_keeps_the_corporation_out(personas, basic):
    application = apply(personas, basic)
    with pytest.raises(ValidationError):
        actions.decline_application(application=application, by=personas.center, reason="")
    actions.decline_application(application=application, by=personas.center, reason="書類不備")
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == ("declined", "書類不備")
    assert not MembershipEvent.objects.exists()


def test_an_application_is_decided_once(personas, basic):
    application = apply(personas, basic)
    actions.approve_application(application=application, by=personas.center)
    with pytest.raises(ValidationError):
        actions.approve_application(application=application, by=personas.center)
    with pytest.raises(ValidationError):
        actions.decline_application(application=application, by=personas.center, reason="x")
    assert MembershipEvent.objects.count() == 1


def test_outsiders_cannot_apply_for_another_corporation(personas, basic):
    with pytest.raises(PermissionDenied):
        actions.apply_for_membership(
            corporation=personas.own_corporation,
            by=personas.outsider,
            member_type=basic,
            desired_date=D(2019, 4, 1),
        )
    apply(personas, basic)
    with pytest.raises(ValidationError):  # one waiting application at a time
        apply(personas, basic)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; the SQLite test database is in memory (CI runs both)",
)
@pytest.mark.django_db(transaction=True)
def test_two_staff_approving_at_once_produce_one_membership(personas, basic):
    application = apply(personas, basic)
    second = type(personas.center).objects.create(username="center-second")
    from sasaeai.accounts.actions import grant_role

    grant_role(user=second, role="center_staff", center=personas.okayama_center)
    outcomes, barrier = [], threading.Barrier(2)

    def approve(user):
        try:
            barrier.wait(timeout=5)
            actions.approve_application(
                application=MembershipApplication.objects.get(pk=application.pk), by=user
            )
            outcomes.append("approved")
        except ValidationError:  # the second finds the application decided
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (personas.center, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"], outcomes
    assert MembershipEvent.objects.filter(corporation=personas.own_corporation).count() == 1
