"""Writes on members: one function per use case, each owning its transaction and checks.

Membership is dated history: every action adds an event, none edits one. Events may be
entered late (effective in the past); the member's whole timeline must stay coherent
(join → change* → withdraw → join ...), checked under a row lock so that two staff acting at
once cannot produce two memberships.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.accounts.scope import scope_of

from .models import (
    Corporation,
    Council,
    Facility,
    MembershipApplication,
    MembershipEvent,
    MemberType,
)
from .models.membership import ApplicationStatus, EventKind

CORPORATION_FIELDS = (
    "name",
    "name_kana",
    "representative",
    "postal_code",
    "address",
    "phone",
    "municipality_id",
    "sector_group_id",
    "founded",
)
FACILITY_FIELDS = (
    "name",
    "name_kana",
    "kind_id",
    "municipality_id",
    "postal_code",
    "address",
    "capacity",
    "opened",
    "office_number",
)


def _require_editor(user, queryset, record) -> None:
    if user is not None and not queryset.editable_by(user).filter(pk=record.pk).exists():
        raise PermissionDenied


def _require_center_staff_of(user, prefecture_code: str) -> None:
    if user is None:
        return  # commands, imports and the demo act as the system
    scope = scope_of(user)
    if not (scope.is_superuser or prefecture_code in scope.prefecture_codes):
        raise PermissionDenied


@transaction.atomic
def register_corporation(
    *,
    corporate_number: str,
    name: str,
    municipality_code: str,
    by=None,
    is_fictitious: bool = False,
    **fields,
) -> Corporation:
    """Add a corporation to the registry after validating every field."""
    corporation = Corporation(
        corporate_number=corporate_number,
        name=name,
        municipality_id=municipality_code,
        is_fictitious=is_fictitious,
        **_only(fields, CORPORATION_FIELDS),
    )
    corporation.full_clean()
    _require_center_staff_of(by, corporation.municipality.prefecture_id)
    corporation.save()
    return corporation


@transaction.atomic
def update_corporation(*, corporation: Corporation, by, **fields) -> Corporation:
    """Change a corporation's record (its own staff or its center's staff)."""
    _require_editor(by, Corporation.objects, corporation)
    for field, value in _only(fields, CORPORATION_FIELDS).items():
        setattr(corporation, field, value)
    corporation.full_clean()
    corporation.save()
    return corporation


@transaction.atomic
def close_corporation(
    *,
    corporation: Corporation,
    by,
    closed: datetime.date,
    reason: str = "",
    merged_into: Corporation | None = None,
) -> Corporation:
    """Record that a corporation closed or merged; it keeps its record and history."""
    _require_center_staff_of(by, corporation.municipality.prefecture_id)
    if merged_into is not None and merged_into.pk == corporation.pk:
        raise ValidationError({"merged_into": _("A corporation cannot merge into itself.")})
    corporation.closed, corporation.closed_reason = closed, reason
    corporation.merged_into = merged_into
    corporation.full_clean()
    corporation.save()
    return corporation


@transaction.atomic
def register_facility(*, corporation: Corporation, by=None, **fields) -> Facility:
    """Add a facility or business office to a corporation."""
    _require_editor(by, Corporation.objects, corporation)
    facility = Facility(corporation=corporation, **_only(fields, FACILITY_FIELDS))
    facility.full_clean()
    facility.save()
    return facility


@transaction.atomic
def update_facility(*, facility: Facility, by, **fields) -> Facility:
    _require_editor(by, Facility.objects, facility)
    for field, value in _only(fields, FACILITY_FIELDS).items():
        setattr(facility, field, value)
    facility.full_clean()
    facility.save()
    return facility


@transaction.atomic
def close_facility(*, facility: Facility, by, closed: datetime.date) -> Facility:
    _require_editor(by, Facility.objects, facility)
    facility.closed = closed
    facility.full_clean()
    facility.save()
    return facility


@transaction.atomic
def save_council(*, council: Council, by) -> Council:
    """Save a council added or changed on a form (center staff of its prefecture)."""
    _require_center_staff_of(by, council.prefecture_id)
    council.full_clean()
    council.save()
    return council


@transaction.atomic
def register_council(*, by=None, **fields) -> Council:
    """Add the prefectural council or a municipal council."""
    council = Council(**fields)
    council.full_clean()
    _require_center_staff_of(by, council.prefecture_id)
    council.save()
    return council


# Membership ---------------------------------------------------------------------------------


def _member_prefecture(member: Corporation | Council) -> str:
    if isinstance(member, Corporation):
        return member.municipality.prefecture_id
    return member.prefecture_id


def _locked(member: Corporation | Council) -> Corporation | Council:
    """The member's row, locked until the transaction ends (PostgreSQL; SQLite locks the
    whole database for a write transaction, which is as safe)."""
    return type(member).objects.select_for_update().get(pk=member.pk)


def _check_timeline(member, new_kind: str, new_date: datetime.date) -> None:
    """The member's events, with the new one, must alternate: join, change*, withdraw, join..."""
    field = "corporation" if isinstance(member, Corporation) else "council"
    events = list(
        MembershipEvent.objects.in_force()
        .filter(**{field: member})
        .order_by("effective_date", "id")
        .values_list("effective_date", "kind")
    )
    # Same-day events keep the order they were entered in; the new one comes last that day.
    events.append((new_date, new_kind))
    events.sort(key=lambda event: event[0])
    is_member = False
    for date, kind in events:
        if kind == EventKind.JOIN and is_member:
            raise ValidationError(
                {
                    "effective_date": _("%(member)s is already a member on %(date)s.")
                    % {"member": member, "date": date}
                }
            )
        if kind in (EventKind.CHANGE, EventKind.WITHDRAW) and not is_member:
            raise ValidationError(
                {
                    "effective_date": _("%(member)s is not a member on %(date)s.")
                    % {"member": member, "date": date}
                }
            )
        is_member = kind != EventKind.WITHDRAW


@transaction.atomic
def record_membership_event(
    *,
    member: Corporation | Council,
    kind: str,
    effective_date: datetime.date,
    by,
    member_type: MemberType | None = None,
    facilities: Iterable[Facility] = (),
    note: str = "",
    application: MembershipApplication | None = None,
) -> MembershipEvent:
    """Add a dated join, change or withdrawal to a member's history (center staff only)."""
    _require_center_staff_of(by, _member_prefecture(member))
    member = _locked(member)
    _check_timeline(member, kind, effective_date)
    if kind != EventKind.WITHDRAW and member_type is None:
        raise ValidationError({"member_type": _("Choose the member type.")})
    facilities = list(facilities)
    if isinstance(member, Corporation) and any(f.corporation_id != member.pk for f in facilities):
        raise ValidationError({"facilities": _("Only the corporation's own facilities.")})
    event = MembershipEvent(
        kind=kind,
        effective_date=effective_date,
        member_type=member_type if kind != EventKind.WITHDRAW else None,
        note=note,
        application=application,
        recorded_by=by,
        **{"corporation" if isinstance(member, Corporation) else "council": member},
    )
    event.full_clean(exclude=["facilities"])
    event.save()
    event.facilities.set(facilities)
    return event


@transaction.atomic
def void_membership_event(*, event: MembershipEvent, by, reason: str) -> MembershipEvent:
    """Take back an event entered by mistake: it stays in the history, marked void."""
    _require_center_staff_of(by, _member_prefecture(event.member))
    if not reason.strip():
        raise ValidationError({"void_reason": _("Say why the event is voided.")})
    event = MembershipEvent.objects.select_for_update().get(pk=event.pk)
    if event.voided_at is not None:
        raise ValidationError(_("This event is already void."))
    event.voided_at, event.void_reason = timezone.now(), reason
    event.save(update_fields=["voided_at", "void_reason"])
    return event


@transaction.atomic
def apply_for_membership(
    *,
    corporation: Corporation,
    by,
    member_type: MemberType,
    desired_date: datetime.date,
    facilities: Iterable[Facility] = (),
    message: str = "",
) -> MembershipApplication:
    """A corporation's staff apply online to join the center."""
    _require_editor(by, Corporation.objects, corporation)
    corporation = _locked(corporation)
    if MembershipApplication.objects.pending().filter(corporation=corporation).exists():
        raise ValidationError(_("An application of this corporation is already waiting."))
    application = MembershipApplication(
        corporation=corporation,
        member_type=member_type,
        desired_date=desired_date,
        message=message,
        applied_by=by,
    )
    application.full_clean()
    application.save()
    application.facilities.set(facilities)
    return application


def _pending_locked(application: MembershipApplication) -> MembershipApplication:
    locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.PENDING:
        raise ValidationError(
            _("This application was already decided (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def approve_application(
    *, application: MembershipApplication, by, effective_date: datetime.date | None = None
) -> MembershipEvent:
    """Approve: the corporation joins on the desired (or given) date. Twice is refused."""
    _require_center_staff_of(by, application.corporation.municipality.prefecture_id)
    application = _pending_locked(application)
    application.status = ApplicationStatus.APPROVED
    application.decided_by, application.decided_at = by, timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at"])
    return record_membership_event(
        member=application.corporation,
        kind=EventKind.JOIN,
        effective_date=effective_date or application.desired_date,
        by=by,
        member_type=application.member_type,
        facilities=application.facilities.all(),
        application=application,
    )


@transaction.atomic
def decline_application(
    *, application: MembershipApplication, by, reason: str
) -> MembershipApplication:
    """Decline with a reason the applicant will read."""
    _require_center_staff_of(by, application.corporation.municipality.prefecture_id)
    if not reason.strip():
        raise ValidationError({"decision_reason": _("Give the reason for declining.")})
    application = _pending_locked(application)
    application.status = ApplicationStatus.DECLINED
    application.decided_by, application.decided_at = by, timezone.now()
    application.decision_reason = reason
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    return application


def _only(fields: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    return fields
