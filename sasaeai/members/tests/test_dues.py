"""Yearly dues: billed to the year's members, paid or unpaid, reminded at most once a day."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from sasaeai.members import actions
from sasaeai.members.dues import bill_dues, record_dues_payment, remind_unpaid_dues
from sasaeai.members.models import Dues, MemberType

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def members(personas):
    basic = MemberType.objects.get(code="basic-corporation")
    basic.annual_dues = 10000
    basic.save()
    personas.corp_staff.email = "staff@example.jp"
    personas.corp_staff.save()
    for corporation, date in (
        (personas.own_corporation, D(2018, 4, 1)),  # member when FY2019 starts
        (personas.other_corporation, D(2019, 10, 1)),  # joins during FY2019
    ):
        actions.record_membership_event(
            member=corporation,
            kind="join",
            effective_date=date,
            by=personas.center,
            member_type=basic,
        )
    return personas


def test_the_years_members_are_billed_once(members):
    assert bill_dues(prefecture="33", fiscal_year=2019, by=members.center) == 2
    assert bill_dues(prefecture="33", fiscal_year=2019, by=members.center) == 0
    assert set(Dues.objects.values_list("amount", flat=True)) == {10000}
    assert bill_dues(prefecture="33", fiscal_year=2018, by=members.center) == 1


def test_member_types_without_dues_bill_nothing(members):
    MemberType.objects.update(annual_dues=None)
    assert bill_dues(prefecture="33", fiscal_year=2019, by=members.center) == 0


def test_only_center_staff_bill_and_record_payments(members):
    with pytest.raises(PermissionDenied):
        bill_dues(prefecture="33", fiscal_year=2019, by=members.corp_staff)
    bill_dues(prefecture="33", fiscal_year=2019, by=members.center)
    dues = Dues.objects.first()
    with pytest.raises(PermissionDenied):
        record_dues_payment(dues=dues, by=members.council, paid_on=D(2019, 6, 1))


def test_reminders_go_to_unpaid_members_at_most_once_a_day(members):
    bill_dues(prefecture="33", fiscal_year=2019, by=members.center)
    other = Dues.objects.get(corporation=members.other_corporation)
    record_dues_payment(dues=other, by=members.center, paid_on=D(2019, 11, 1))
    now = timezone.now()
    assert remind_unpaid_dues(prefecture="33", fiscal_year=2019, now=now) == 1
    assert [m.to for m in mail.outbox] == [["staff@example.jp"]]
    assert "10,000" in mail.outbox[0].body
    assert remind_unpaid_dues(prefecture="33", fiscal_year=2019, now=now) == 0
    tomorrow = now + datetime.timedelta(days=1)
    assert remind_unpaid_dues(prefecture="33", fiscal_year=2019, now=tomorrow) == 1


def test_the_dues_page_bills_and_records_a_payment_typed_in_wareki(client, members):
    client.force_login(members.center)
    url = reverse("members:dues-list") + "?fiscal_year=R1"
    client.post(url, {"action": "bill"})
    dues = Dues.objects.get(corporation=members.own_corporation)
    client.post(url, {"action": "paid", "dues": dues.pk, "paid_on": "R1.6.1"})
    dues.refresh_from_db()
    assert dues.paid_on == D(2019, 6, 1)
    page = client.get(url)
    assert page.context["totals"]["paid_count"] == 1
    client.force_login(members.corp_staff)
    assert client.get(url).status_code == 404


def test_the_daily_command_reminds_and_says_how_many(members):
    from io import StringIO

    from django.core.management import CommandError, call_command

    bill_dues(prefecture="33", fiscal_year=2019, by=members.center)
    out = StringIO()
    call_command("remind_dues", prefecture="33", fiscal_year=2019, stdout=out)
    assert "1" in out.getvalue() and "2019年度" in out.getvalue()
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError, match="33"):
        call_command("remind_dues", prefecture="okayama")
