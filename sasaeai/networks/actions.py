"""Every write of Pillar III, one function per use case, each in its own transaction.

Rules refuse with a ``ValidationError`` whose message names what is wrong; nothing is written
then. The status history is only ever added to: a late entry for an earlier date must say that
it is a correction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sasaeai.core.text import search_key
from sasaeai.regions.models import Municipality, MunicipalityKind

from .models import (
    WITH_NETWORK,
    FollowUp,
    MunicipalNetwork,
    NetworkDocument,
    NetworkMeeting,
    NetworkMember,
    OutreachVisit,
    Source,
    Status,
    StatusEntry,
)


def local_government(municipality: Municipality) -> Municipality:
    """The municipality whose status counts: a ward's designated city, else itself."""
    if municipality.kind == MunicipalityKind.WARD and municipality.parent_id:
        return municipality.parent
    return municipality


def _day(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


# The status history ----------------------------------------------------------------------------


def check_status(
    *,
    prefecture: str,
    municipality: Municipality,
    status: str,
    effective_on: datetime.date,
    network: MunicipalNetwork | None = None,
    is_correction: bool = False,
    pending: Sequence[StatusEntry] = (),
) -> Municipality:
    """Check one status entry against the rules; return the municipality it is kept for.

    ``pending`` are entries of the same batch not yet saved (an import checks all its rows
    before it writes any).
    """
    municipality = local_government(municipality)
    if municipality.prefecture_id != prefecture:
        raise ValidationError(
            _("%(municipality)s is not in this center's prefecture."),
            code="outside_prefecture",
            params={"municipality": municipality},
        )
    if status not in Status.values:
        raise ValidationError(
            _("Unknown status %(status)s."), code="status", params={"status": status}
        )
    if status in WITH_NETWORK:
        if network is None:
            raise ValidationError(
                _("A status of %(status)s must name the network."),
                code="network_required",
                params={"status": Status(status).label},
            )
        if network.established_on is None or effective_on < network.established_on:
            raise ValidationError(
                _(
                    "%(municipality)s cannot be %(status)s on %(date)s: %(network)s was "
                    "established on %(established)s."
                ),
                code="before_established",
                params={
                    "municipality": municipality,
                    "status": Status(status).label,
                    "date": _day(effective_on),
                    "network": network.name,
                    "established": _day(network.established_on)
                    if network.established_on
                    else _("(no date)"),
                },
            )
        if network.pk and not network.area.filter(pk=municipality.pk).exists():
            raise ValidationError(
                _("%(municipality)s is not in the area of %(network)s."),
                code="outside_area",
                params={"municipality": municipality, "network": network.name},
            )
    if not is_correction:
        latest = _latest_date(municipality, pending)
        if latest is not None and effective_on < latest:
            raise ValidationError(
                _(
                    "%(municipality)s already has an entry dated %(latest)s; an entry dated "
                    "%(date)s must be marked as a correction."
                ),
                code="before_latest",
                params={
                    "municipality": municipality,
                    "latest": _day(latest),
                    "date": _day(effective_on),
                },
            )
    return municipality


def _latest_date(
    municipality: Municipality, pending: Sequence[StatusEntry]
) -> datetime.date | None:
    dates = [e.effective_on for e in pending if e.municipality_id == municipality.pk]
    stored = (
        StatusEntry.objects.filter(municipality=municipality)
        .latest_first()
        .values_list("effective_on", flat=True)
        .first()
    )
    if stored:
        dates.append(stored)
    return max(dates) if dates else None


@transaction.atomic
def record_status(
    *,
    prefecture: str,
    municipality: Municipality,
    status: str,
    effective_on: datetime.date,
    source: str,
    evidence: str = "",
    network: MunicipalNetwork | None = None,
    is_correction: bool = False,
    visit: OutreachVisit | None = None,
    by=None,
) -> StatusEntry:
    """Add one dated step to a municipality's history."""
    municipality = Municipality.objects.select_for_update().get(
        pk=local_government(municipality).pk
    )
    check_status(
        prefecture=prefecture,
        municipality=municipality,
        status=status,
        effective_on=effective_on,
        network=network,
        is_correction=is_correction,
    )
    if source not in Source.values:
        raise ValidationError(_("Unknown source %(source)s."), params={"source": source})
    return StatusEntry.objects.create(
        municipality=municipality,
        status=status,
        effective_on=effective_on,
        source=source,
        evidence=evidence,
        network=network,
        is_correction=is_correction,
        visit=visit,
        recorded_by=by,
    )


# Networks -------------------------------------------------------------------------------------


def check_area(prefecture: str, area: Iterable[Municipality]) -> list[Municipality]:
    """The area as local governments (wards folded into their city), all in the prefecture."""
    municipalities: dict[str, Municipality] = {}
    for municipality in area:
        municipality = local_government(municipality)
        if municipality.prefecture_id != prefecture:
            raise ValidationError(
                _("%(municipality)s is outside the center's prefecture."),
                code="outside_prefecture",
                params={"municipality": municipality},
            )
        municipalities[municipality.pk] = municipality
    if not municipalities:
        raise ValidationError(_("A network covers at least one municipality."), code="no_area")
    return list(municipalities.values())


def _check_dates(established_on, dissolved_on) -> None:
    if established_on and dissolved_on and dissolved_on < established_on:
        raise ValidationError(
            _("A network cannot be dissolved before it was established."), code="dates"
        )


@transaction.atomic
def save_network(
    *,
    prefecture: str,
    name: str,
    area: Iterable[Municipality],
    network: MunicipalNetwork | None = None,
    nickname: str = "",
    secretariat=None,
    established_on: datetime.date | None = None,
    established_note: str = "",
    dissolved_on: datetime.date | None = None,
    contact: str = "",
    note: str = "",
    source: str = Source.REPORT,
    by=None,
) -> MunicipalNetwork:
    """Create or update a network; its founding date becomes each area municipality's
    ``established`` step (moved with the date when the date is corrected)."""
    area = check_area(prefecture, area)
    _check_dates(established_on, dissolved_on)
    if secretariat is not None and secretariat.prefecture_id != prefecture:
        raise ValidationError(
            _("The secretariat must be a council of the same prefecture."), code="secretariat"
        )
    creating = network is None
    network = network or MunicipalNetwork(prefecture_id=prefecture)
    old_established = None if creating else network.established_on
    network.name, network.nickname = name, nickname
    duplicate = MunicipalNetwork.objects.in_prefecture(prefecture).filter(
        search_key=search_key(name)
    )
    if not creating:
        duplicate = duplicate.exclude(pk=network.pk)
    if duplicate.exists():
        raise ValidationError(
            _("A network named %(name)s already exists in this prefecture."),
            code="duplicate",
            params={"name": name},
        )
    network.secretariat = secretariat
    network.established_on = established_on
    network.established_note = established_note
    network.dissolved_on = dissolved_on
    network.contact, network.note = contact, note
    if not creating and established_on:
        _check_earlier_steps(network, established_on, old_established)
    network.save()
    network.area.set(area)
    if established_on:
        _record_established(network, area, old_established, source=source, by=by)
    return network


def _check_earlier_steps(network, established_on, old_established) -> None:
    """A new founding date must not fall after a step that already says "established"."""
    earlier = (
        network.status_entries.filter(
            status__in=sorted(WITH_NETWORK), effective_on__lt=established_on
        )
        .exclude(status=Status.ESTABLISHED, effective_on=old_established)
        .select_related("municipality")
        .first()
    )
    if earlier:
        raise ValidationError(
            _(
                "%(municipality)s is recorded as %(status)s on %(date)s, before the new "
                "founding date %(established)s."
            ),
            code="before_established",
            params={
                "municipality": earlier.municipality,
                "status": earlier.get_status_display(),
                "date": _day(earlier.effective_on),
                "established": _day(established_on),
            },
        )


def _record_established(network, area, old_established, *, source, by) -> None:
    entries = network.status_entries.filter(status=Status.ESTABLISHED)
    if old_established and old_established != network.established_on:
        # A corrected founding date moves the step that the founding date made.
        entries.filter(effective_on=old_established).update(effective_on=network.established_on)
    having = set(entries.values_list("municipality_id", flat=True))
    for municipality in area:
        if municipality.pk in having:
            continue
        latest = _latest_date(municipality, ())
        StatusEntry.objects.create(
            municipality=municipality,
            status=Status.ESTABLISHED,
            effective_on=network.established_on,
            source=source,
            evidence=_("Network established: %(network)s") % {"network": network},
            network=network,
            is_correction=bool(latest and latest > network.established_on),
            recorded_by=by,
        )


@transaction.atomic
def add_member(*, network, corporation, joined_on, by=None) -> NetworkMember:
    if corporation.municipality.prefecture_id != network.prefecture_id:
        raise ValidationError(
            _("The corporation is outside the network's prefecture."), code="outside_prefecture"
        )
    if network.members.filter(corporation=corporation, left_on__isnull=True).exists():
        raise ValidationError(
            _("%(corporation)s is already a member of this network."),
            code="duplicate",
            params={"corporation": corporation},
        )
    return NetworkMember.objects.create(
        network=network, corporation=corporation, joined_on=joined_on
    )


@transaction.atomic
def end_member(*, member: NetworkMember, left_on: datetime.date, by=None) -> NetworkMember:
    if left_on < member.joined_on:
        raise ValidationError(
            _("The date of leaving is before the date of joining (%(joined)s)."),
            code="dates",
            params={"joined": _day(member.joined_on)},
        )
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    return member


@transaction.atomic
def add_document(*, network, kind: str, title: str, file, by=None) -> NetworkDocument:
    return NetworkDocument.objects.create(
        network=network, kind=kind, title=title, file=file, uploaded_by=by
    )


@transaction.atomic
def record_meeting(*, network, by=None, **fields) -> NetworkMeeting:
    return NetworkMeeting.objects.create(network=network, recorded_by=by, **fields)


# Outreach visits -----------------------------------------------------------------------------


@transaction.atomic
def record_visit(
    *,
    prefecture: str,
    visited_on: datetime.date,
    staff: Iterable,
    municipality: Municipality | None = None,
    network: MunicipalNetwork | None = None,
    people_met: str = "",
    topics: str = "",
    advice: str = "",
    follow_ups: Iterable[tuple[str, datetime.date]] = (),
    new_status: str = "",
    status_network: MunicipalNetwork | None = None,
    by=None,
) -> OutreachVisit:
    """A visit, the next steps agreed with their due dates, and optionally a status change it
    found (recorded as a step with the visit as its source)."""
    if municipality is None and network is None:
        raise ValidationError(_("Name the municipality or the network visited."), code="place")
    if municipality is not None:
        municipality = local_government(municipality)
        if municipality.prefecture_id != prefecture:
            raise ValidationError(
                _("%(municipality)s is not in this center's prefecture."),
                code="outside_prefecture",
                params={"municipality": municipality},
            )
    if network is not None and network.prefecture_id != prefecture:
        raise ValidationError(_("The network is outside this center's prefecture."))
    visit = OutreachVisit.objects.create(
        prefecture_id=prefecture,
        visited_on=visited_on,
        municipality=municipality,
        network=network,
        people_met=people_met,
        topics=topics,
        advice=advice,
        recorded_by=by,
    )
    visit.staff.set(list(staff))
    for action, due_on in follow_ups:
        FollowUp.objects.create(visit=visit, action=action, due_on=due_on)
    if new_status:
        if municipality is None:
            raise ValidationError(
                _("A status change needs the municipality visited."), code="status_place"
            )
        record_status(
            prefecture=prefecture,
            municipality=municipality,
            status=new_status,
            effective_on=visited_on,
            source=Source.VISIT,
            evidence=topics,
            network=status_network or network,
            visit=visit,
            by=by,
        )
    return visit


@transaction.atomic
def complete_follow_up(*, follow_up: FollowUp, done_on: datetime.date, by=None) -> FollowUp:
    follow_up.done_on = done_on
    follow_up.save(update_fields=["done_on"])
    return follow_up
