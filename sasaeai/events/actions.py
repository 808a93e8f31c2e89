"""Every write of events, one function per use case, each in its own transaction.

Seats: ``register``, ``cancel_registration``, ``change_capacity`` and ``cancel_event`` lock the
event's row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write transactions are
serialised by ``BEGIN IMMEDIATE``) and count its confirmed registrations inside that lock, so
that simultaneous requests for the last seats never overbook and never lose a registration:
the ones that find the event full are waitlisted, and a cancellation promotes the first of
the waitlist. Mail goes out through background tasks after the commit.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.core.dates import fiscal_year
from sasaeai.core.text import search_key
from sasaeai.core.versions import bump

from .models import (
    Attendance,
    Certificate,
    CheckInMethod,
    Evaluation,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
)
from .versions import bump_year


def _notify(registration: Registration, kind: str) -> None:
    """Mail the registrant after the commit (nothing to queue without an address)."""
    if not registration.email:
        return
    from . import tasks

    pk = registration.pk
    transaction.on_commit(lambda: tasks.send_registration_mail.enqueue(pk, kind))


# Events ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    title: str = ""
    venue: str = ""
    online_url: str = ""
    capacity: int | None = None


def check_sessions(sessions: Sequence[SessionData]) -> None:
    """Each session ends after it starts; the sessions of one event do not overlap."""
    if not sessions:
        raise ValidationError(_("An event has at least one session."), code="no_session")
    for number, session in enumerate(sessions, 1):
        if session.ends_at <= session.starts_at:
            raise ValidationError(
                _("Session %(number)s ends before it starts."),
                code="session_times",
                params={"number": number},
            )
    ordered = sorted(enumerate(sessions, 1), key=lambda item: item[1].starts_at)
    for (first, a), (second, b) in itertools.pairwise(ordered):
        if b.starts_at < a.ends_at:
            raise ValidationError(
                _("Sessions %(first)s and %(second)s overlap."),
                code="session_overlap",
                params={"first": first, "second": second},
            )


@transaction.atomic
def create_event(*, prefecture: str, sessions: Sequence[SessionData], by=None, **fields) -> Event:
    """An event with its sessions (a one-day training has one)."""
    check_sessions(sessions)
    first = min(session.starts_at for session in sessions)
    fields.setdefault("fiscal_year", fiscal_year(timezone.localdate(first)))
    themes = fields.pop("themes", None)
    event = Event(prefecture_id=prefecture, created_by=by, **fields)
    _check_event_dates(event, first)
    event.save()
    if themes is not None:
        _set_themes(event, themes)
    for number, session in enumerate(sorted(sessions, key=lambda s: s.starts_at), 1):
        Session.objects.create(event=event, number=number, **session.__dict__)
    return event


def _set_themes(event: Event, themes) -> None:
    themes = list(themes)
    if any(theme.prefecture_id != event.prefecture_id for theme in themes):
        raise ValidationError(_("A theme of another prefecture."), code="theme")
    event.themes.set(themes)


def _check_event_dates(event: Event, first_start) -> None:
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes < opens:
        raise ValidationError(
            _("The registration deadline is before registration opens."), code="window"
        )


EDITABLE = (
    "kind", "title", "description", "pillar", "tags", "organiser", "audience",
    "per_organisation_limit", "registration_opens_at", "registration_closes_at",
    "cancellation_cutoff", "completion_min_sessions", "reminder_days",
)  # fmt: skip


@transaction.atomic
def update_event(*, event: Event, by=None, **fields) -> Event:
    """Change what the organiser may change after creating; capacity has its own action
    (it moves people between the waitlist and the seats) and sessions are added one by one."""
    themes = fields.pop("themes", None)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    event = _locked(event)
    for name, value in fields.items():
        setattr(event, name, value)
    _check_event_dates(event, None)
    event.save(update_fields=list(fields))
    if themes is not None:
        _set_themes(event, themes)
    return event


@transaction.atomic
def add_session(*, event: Event, data: SessionData) -> Session:
    existing = [SessionData(s.starts_at, s.ends_at) for s in event.sessions.order_by("starts_at")]
    check_sessions([*existing, data])
    number = (event.sessions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return Session.objects.create(event=event, number=number, **data.__dict__)


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _confirmed(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _promote(event: Event, seats: int, now) -> list[Registration]:
    """Move the first ``seats`` of the waitlist to confirmed, in the order they registered."""
    if seats <= 0:
        return []
    promoted = list(
        event.registrations.select_for_update()
        .filter(status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "id")[:seats]
    )
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        _notify(registration, "promoted")
    return promoted


@transaction.atomic
def change_capacity(*, event: Event, capacity: int | None, by=None) -> Event:
    """A new capacity, never below the confirmed count; more seats promote the waitlist."""
    event = _locked(event)
    confirmed = _confirmed(event)
    if capacity is not None and capacity < confirmed:
        raise ValidationError(
            _("The capacity cannot be below the %(count)s confirmed registrations."),
            code="capacity_below_confirmed",
            params={"count": confirmed},
        )
    event.capacity = capacity
    event.save(update_fields=["capacity"])
    seats = (capacity - confirmed) if capacity is not None else 10**9
    _promote(event, seats, timezone.now())
    return event


@transaction.atomic
def cancel_event(*, event: Event, reason: str, by=None) -> Event:
    event = _locked(event)
    if event.status == EventStatus.CANCELLED:
        return event
    event.status = EventStatus.CANCELLED
    event.cancel_reason = reason
    event.save(update_fields=["status", "cancel_reason"])
    for registration in event.registrations.active():
        _notify(registration, "event_cancelled")
    return event


# Registration ---------------------------------------------------------------------------------


def person_key(*, name: str, email: str = "", organisation: str = "") -> str:
    """Who registers: the email when given, else the name within the organisation."""
    if email:
        return "mail:" + email.strip().lower()
    return f"name:{search_key(name)}|{search_key(organisation)}"


@transaction.atomic
def register(
    *,
    event: Event,
    name: str,
    email: str = "",
    affiliation: str = "",
    corporation=None,
    council=None,
    by=None,
    now: datetime.datetime | None = None,
) -> Registration:
    """Register one person: confirmed while seats remain, waitlisted after."""
    now = now or timezone.now()
    event = _locked(event)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event is cancelled."), code="cancelled")
    if not event.registration_open(now):
        raise ValidationError(_("Registration for this event is closed."), code="closed")
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Enter the name of the person attending."), code="name")
    organisation = str(corporation or council or affiliation or "")
    key = person_key(name=name, email=email, organisation=organisation)
    active = event.registrations.active()
    if active.filter(person_key=key).exists():
        raise ValidationError(
            _("%(name)s is already registered for this event."),
            code="duplicate",
            params={"name": name},
        )
    if event.per_organisation_limit and (corporation or council):
        same = (
            active.filter(corporation=corporation)
            if corporation
            else active.filter(council=council)
        )
        if same.count() >= event.per_organisation_limit:
            raise ValidationError(
                _("%(organisation)s has already registered %(limit)s people, the limit."),
                code="organisation_limit",
                params={"organisation": organisation, "limit": event.per_organisation_limit},
            )
    full = event.capacity is not None and _confirmed(event) >= event.capacity
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.CONFIRMED,
                name=name,
                email=email.strip(),
                affiliation=affiliation,
                corporation=corporation,
                council=council,
                person_key=key,
                registered_by=by if getattr(by, "is_authenticated", False) else None,
                created_at=now,
            )
    except IntegrityError as error:  # the same person, registered a moment ago
        raise ValidationError(
            _("%(name)s is already registered for this event."),
            code="duplicate",
            params={"name": name},
        ) from error
    _notify(registration, "registered")
    return registration


@transaction.atomic
def cancel_registration(
    *, registration: Registration, by=None, now: datetime.datetime | None = None, staff=False
) -> Registration:
    """Cancel (the registrant until the cutoff; staff at any time); a freed seat goes to the
    first of the waitlist."""
    now = now or timezone.now()
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    if not staff and event.cancellation_cutoff and now > event.cancellation_cutoff:
        raise ValidationError(
            _("Registrations can no longer be cancelled online; please contact the organiser."),
            code="cutoff",
        )
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    if was_confirmed and event.status != EventStatus.CANCELLED:
        free = 1 if event.capacity is None else event.capacity - _confirmed(event)
        _promote(event, free, now)
    return registration


# Attendance, certificates, evaluations -------------------------------------------------------


def check_in(
    *, registration: Registration, session: Session, method: str, by=None
) -> tuple[Attendance, bool]:
    """Record that a confirmed registrant attended a session (idempotent)."""
    if session.event_id != registration.event_id:
        raise ValidationError(_("This registration is for another event."), code="event")
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(
            _("%(name)s has no confirmed seat (%(status)s)."),
            code="not_confirmed",
            params={"name": registration.name, "status": registration.get_status_display()},
        )
    with transaction.atomic():
        return Attendance.objects.get_or_create(
            registration=registration,
            session=session,
            defaults={"method": method, "checked_in_by": by},
        )


@transaction.atomic
def set_attendance(*, session: Session, present: Iterable[int], by=None) -> int:
    """The tablet list: exactly the ticked confirmed registrations attended the session."""
    present = set(present)
    confirmed = session.event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    valid = set(confirmed.filter(pk__in=present).values_list("pk", flat=True))
    unknown = present - valid
    if unknown:
        raise ValidationError(_("Some ticked people have no confirmed seat."), code="unknown")
    session.attendances.exclude(registration_id__in=valid).delete()
    have = set(session.attendances.values_list("registration_id", flat=True))
    added = Attendance.objects.bulk_create(
        Attendance(registration_id=pk, session=session, method=CheckInMethod.LIST, checked_in_by=by)
        for pk in valid - have
    )
    if added:  # a bulk insert sends no signal: the plan's figures of the year are stale
        bump_year(session.event.fiscal_year)
        bump("events")
    return len(valid)


def completed(event: Event) -> list[tuple[Registration, int]]:
    """Confirmed registrations that met the completion rule, with their attended count."""
    sessions = event.sessions.count()
    needed = event.sessions_needed(sessions)
    from django.db.models import Count

    rows = (
        event.registrations.filter(status=RegistrationStatus.CONFIRMED)
        .annotate(attended=Count("attendances"))
        .order_by("created_at", "id")
    )
    return [(r, r.attended) for r in rows if sessions and r.attended >= needed]


@transaction.atomic
def issue_certificates(*, event: Event, by=None) -> list[Certificate]:
    """A certificate for each who completed and has none yet; numbers ``{FY}-{event}-{n}``."""
    event = _locked(event)
    issued = []
    existing = Certificate.objects.filter(registration__event=event).count()
    for registration, _attended in completed(event):
        if hasattr(registration, "certificate"):
            continue
        existing += 1
        number = f"{event.fiscal_year}-{event.pk:04d}-{existing:03d}"
        issued.append(
            Certificate.objects.create(registration=registration, number=number, issued_by=by)
        )
    return issued


@transaction.atomic
def submit_evaluation(
    *, registration: Registration, overall: int, usefulness: int, comment: str = ""
) -> Evaluation:
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only participants can evaluate the event."), code="not_confirmed")
    for value in (overall, usefulness):
        if not 1 <= value <= 5:
            raise ValidationError(_("Rate from 1 to 5."), code="scale")
    evaluation, _created = Evaluation.objects.update_or_create(
        registration=registration,
        defaults={"overall": overall, "usefulness": usefulness, "comment": comment},
    )
    return evaluation
