"""Committees: the committee, its members, meetings with their attendance, and findings."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Committee, CommitteeMeeting, CommitteeMember, Finding, Theme
from .common import _day, _same_prefecture


@transaction.atomic
def save_committee(
    *,
    prefecture: str,
    name: str,
    formed_on: datetime.date,
    theme: Theme | None = None,
    purpose: str = "",
    dissolved_on: datetime.date | None = None,
    committee: Committee | None = None,
    by=None,
) -> Committee:
    _same_prefecture(theme, prefecture, _("The theme belongs to another prefecture."))
    if dissolved_on is not None and dissolved_on < formed_on:
        raise ValidationError(
            _("A committee cannot be dissolved before it was formed."), code="dates"
        )
    committee = committee or Committee(prefecture_id=prefecture)
    committee.name, committee.theme, committee.purpose = name, theme, purpose
    committee.formed_on, committee.dissolved_on = formed_on, dissolved_on
    committee.save()
    return committee


@transaction.atomic
def add_committee_member(
    *,
    committee: Committee,
    name: str,
    organisation: str = "",
    corporation=None,
    role: str = CommitteeMember.Role.MEMBER,
    joined_on: datetime.date | None = None,
    by=None,
) -> CommitteeMember:
    if role not in CommitteeMember.Role.values:
        raise ValidationError(_("Unknown role."), code="role")
    if (
        corporation is not None
        and corporation.municipality.prefecture_id != committee.prefecture_id
    ):
        raise ValidationError(
            _("%(corporation)s is in another prefecture."),
            code="outside_prefecture",
            params={"corporation": corporation},
        )
    return CommitteeMember.objects.create(
        committee=committee,
        name=name,
        organisation=organisation or (corporation.name if corporation else ""),
        corporation=corporation,
        role=role,
        joined_on=joined_on,
    )


@transaction.atomic
def end_committee_member(*, member: CommitteeMember, left_on: datetime.date, by=None):
    if member.joined_on and left_on < member.joined_on:
        raise ValidationError(
            _("The date of leaving is before the date of joining (%(joined)s)."),
            code="dates",
            params={"joined": _day(member.joined_on)},
        )
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    return member


@transaction.atomic
def record_meeting(
    *,
    committee: Committee,
    held_on: datetime.date,
    venue: str = "",
    agenda: str = "",
    minutes: str = "",
    attendees: Iterable[CommitteeMember] = (),
    meeting: CommitteeMeeting | None = None,
    by=None,
) -> CommitteeMeeting:
    """A meeting of the committee; attendance is taken from the committee's own members."""
    attendees = list(attendees)
    strangers = [m for m in attendees if m.committee_id != committee.pk]
    if strangers:
        raise ValidationError(
            _("%(person)s is not a member of this committee."),
            code="not_member",
            params={"person": strangers[0]},
        )
    gone = [m for m in attendees if m.left_on is not None and m.left_on < held_on]
    if gone:
        raise ValidationError(
            _("%(person)s left the committee before %(date)s."),
            code="left",
            params={"person": gone[0], "date": _day(held_on)},
        )
    meeting = meeting or CommitteeMeeting(committee=committee)
    meeting.held_on, meeting.venue = held_on, venue
    meeting.agenda, meeting.minutes = agenda, minutes
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def add_finding(
    *,
    committee: Committee,
    title: str,
    text: str,
    found_on: datetime.date,
    meeting: CommitteeMeeting | None = None,
    by=None,
) -> Finding:
    if meeting is not None and meeting.committee_id != committee.pk:
        raise ValidationError(_("The meeting belongs to another committee."), code="meeting")
    return Finding.objects.create(
        committee=committee, meeting=meeting, title=title, text=text, found_on=found_on
    )
