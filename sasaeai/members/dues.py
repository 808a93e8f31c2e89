"""Yearly dues: billing the members of a fiscal year, payments, and reminders by email.

Dues are optional: a member type without yearly dues bills nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.accounts.models import Role, RoleAssignment
from sasaeai.core.dates import fiscal_year_label, fiscal_year_range
from sasaeai.core.mail import send_keyed_mail

from .actions import _require_center_staff_of
from .models import Corporation, Council, Dues, MembershipEvent
from .models.membership import EventKind


def _member_type_on(events, field: str, date: datetime.date) -> dict[int, object]:
    """Each member's member type from its latest join or change on or before ``date``."""
    latest = {}
    for event in events.filter(effective_date__lte=date).order_by("effective_date", "id"):
        member_id = getattr(event, f"{field}_id")
        if event.kind == EventKind.WITHDRAW:
            latest.pop(member_id, None)
        else:
            latest[member_id] = event.member_type
    return latest


def _members_of_year(model, field: str, prefecture: str, fiscal_year: int) -> dict[int, object]:
    """Members on the first day of the year, and those who joined during it."""
    first, last = fiscal_year_range(fiscal_year)
    area = (
        Q(corporation__municipality__prefecture_id=prefecture)
        if field == "corporation"
        else Q(council__prefecture_id=prefecture)
    )
    events = MembershipEvent.objects.in_force().filter(area).select_related("member_type")
    members = _member_type_on(events, field, first)
    for event in events.filter(kind=EventKind.JOIN, effective_date__range=(first, last)):
        members.setdefault(getattr(event, f"{field}_id"), event.member_type)
    return members


@transaction.atomic
def bill_dues(*, prefecture: str, fiscal_year: int, by) -> int:
    """Bill the year's dues to every member whose member type has dues; returns how many
    were added. Billing twice adds nothing."""
    _require_center_staff_of(by, prefecture)
    added = 0
    for model, field in ((Corporation, "corporation"), (Council, "council")):
        members = _members_of_year(model, field, prefecture, fiscal_year)
        billed = set(
            Dues.objects.filter(
                fiscal_year=fiscal_year, **{f"{field}_id__in": members}
            ).values_list(f"{field}_id", flat=True)
        )
        new = [
            Dues(
                fiscal_year=fiscal_year,
                member_type=kind,
                amount=kind.annual_dues,
                **{f"{field}_id": member_id},
            )
            for member_id, kind in members.items()
            if member_id not in billed and kind is not None and kind.annual_dues
        ]
        Dues.objects.bulk_create(new)
        added += len(new)
    return added


@transaction.atomic
def record_dues_payment(*, dues: Dues, by, paid_on: datetime.date | None) -> Dues:
    """Mark dues paid on a date, or unpaid again (``paid_on=None``) after a mistake."""
    prefecture = (
        dues.corporation.municipality.prefecture_id
        if dues.corporation
        else dues.council.prefecture_id
    )
    _require_center_staff_of(by, prefecture)
    if paid_on and paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date is in the future.")})
    dues.paid_on = paid_on
    dues.save(update_fields=["paid_on"])
    return dues


def remind_unpaid_dues(*, prefecture: str, fiscal_year: int, now=None) -> int:
    """Email the staff of members with unpaid dues; a member is reminded at most once a day.
    Returns the number of members reminded."""
    now = now or timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    unpaid = (
        Dues.objects.unpaid()
        .in_prefecture(prefecture)
        .filter(fiscal_year=fiscal_year)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=today_start))
        .select_related("corporation", "council")
    )
    reminded = 0
    for dues in unpaid:
        with transaction.atomic():
            locked = Dues.objects.select_for_update().get(pk=dues.pk)
            if locked.reminded_at and locked.reminded_at >= today_start:
                continue
            _send_reminder(dues)
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
            reminded += 1
    return reminded


def _send_reminder(dues: Dues) -> None:
    recipients = _recipients(dues)
    if not recipients:
        return
    subject = _("Dues for %(year)s are not paid yet") % {
        "year": fiscal_year_label(dues.fiscal_year, style="wareki")
    }
    body = _(
        "%(member)s: the dues of %(amount)s yen for %(year)s are not yet recorded as paid. "
        "If you have already paid, please ignore this message."
    ) % {
        "member": dues.member,
        "amount": f"{dues.amount:,}",
        "year": fiscal_year_label(dues.fiscal_year, style="wareki"),
    }
    key = f"dues-{dues.pk}.reminder"
    send_keyed_mail(subject, body, recipients, key=key, from_email=settings.DEFAULT_FROM_EMAIL)


def _recipients(dues: Dues) -> list[str]:
    roles = RoleAssignment.objects.filter(user__is_active=True).exclude(user__email="")
    if dues.corporation_id:
        roles = roles.filter(role=Role.CORPORATION_STAFF, corporation_id=dues.corporation_id)
    else:
        roles = roles.filter(role=Role.COUNCIL_STAFF, municipality_id=dues.council.municipality_id)
    return sorted(set(roles.values_list("user__email", flat=True)))
