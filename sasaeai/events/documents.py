"""The papers and calendar files of an event: 修了証, the reception list, name cards with the
check-in QR code, and iCalendar files (one event, or the public feed).

PDFs go through ``sasaeai.core.pdf.render_pdf`` from the templates in ``events/pdf/``; they are
formal Japanese documents, so their wording is Japanese template text and their dates are 和暦.
QR codes are inline SVG drawn by segno, so a PDF never loads an image. Calendar files hold one
VEVENT per session, in Asia/Tokyo, so a course of six sessions shows as six dates.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max, Min, QuerySet
from django.urls import reverse
from django.utils import timezone

from sasaeai.core.pdf import render_pdf
from sasaeai.core.qr import qr_svg

from .models import Certificate, Event, EventStatus, Registration, RegistrationStatus, Session

CARDS_PER_PAGE = 10  # A4 business-card sheets: 2 columns × 5 rows of 91 × 55 mm
WEEKDAYS = "月火水木金土日"
PRODID = "-//Sasae-ai//JP"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


# QR codes -------------------------------------------------------------------------------------


def checkin_url(registration: Registration) -> str:
    """The absolute URL that staff scan to check a registrant in."""
    return settings.SASAEAI_SITE_URL + reverse("events:checkin", args=[registration.token])


# Shared pieces --------------------------------------------------------------------------------


def organiser_name(event: Event) -> str:
    """Who issues the papers: the event's organiser, else the prefecture's center."""
    if event.organiser:
        return event.organiser
    try:
        return event.prefecture.center.short_name
    except ObjectDoesNotExist:
        return ""


@dataclass(frozen=True)
class SessionRow:
    number: int
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: str
    online_url: str

    @property
    def weekday(self) -> str:
        return WEEKDAYS[timezone.localtime(self.starts_at).weekday()]


def _session_rows(sessions: Iterable[Session]) -> list[SessionRow]:
    return [
        SessionRow(s.number, s.title, s.starts_at, s.ends_at, s.venue, s.online_url)
        for s in sorted(sessions, key=lambda s: (s.starts_at, s.number))
    ]


# Certificates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificatePage:
    certificate: Certificate
    registration: Registration
    event: Event
    sessions: int  # how many sessions the event has
    attended: int
    first_day: datetime.datetime | None
    last_day: datetime.datetime | None
    issuer: str


def certificates_pdf(certificates: Iterable[Certificate]) -> bytes:
    """修了証: one A4 landscape page per certificate, in number order."""
    if isinstance(certificates, QuerySet):
        rows = certificates
    else:
        rows = Certificate.objects.filter(pk__in=[c.pk for c in certificates])
    rows = (
        rows.select_related(
            "registration__event__prefecture__center",
            "registration__corporation",
            "registration__council",
        )
        .annotate(attended=Count("registration__attendances"))
        .order_by("number")
    )
    return render_pdf("events/pdf/certificates.html", {"pages": _certificate_pages(list(rows))})


def _certificate_pages(certificates: list[Certificate]) -> list[CertificatePage]:
    """Each certificate with its event's number of sessions and first and last days."""
    events = {c.registration.event_id for c in certificates}
    spans = {
        span["event_id"]: span
        for span in Session.objects.filter(event_id__in=events)
        .order_by()
        .values("event_id")
        .annotate(count=Count("id"), first=Min("starts_at"), last=Max("starts_at"))
    }
    pages = []
    for certificate in certificates:
        event = certificate.registration.event
        span = spans.get(event.pk, {})
        pages.append(
            CertificatePage(
                certificate=certificate,
                registration=certificate.registration,
                event=event,
                sessions=span.get("count", 0),
                attended=certificate.attended,
                first_day=span.get("first"),
                last_day=span.get("last"),
                issuer=organiser_name(event),
            )
        )
    return pages


# Reception list and name cards ----------------------------------------------------------------


def participants_pdf(event: Event) -> bytes:
    """The reception list: confirmed first, then the waitlist, each in order of registration,
    with an empty column per session for ticks; cancelled registrations are left out."""
    registrations = sorted(
        event.registrations.active().select_related("corporation", "council"),
        key=lambda r: (r.status != RegistrationStatus.CONFIRMED, r.created_at, r.pk),
    )
    confirmed = sum(r.status == RegistrationStatus.CONFIRMED for r in registrations)
    context = {
        "event": event,
        "sessions": _session_rows(event.sessions.all()),
        "registrations": registrations,
        "confirmed": confirmed,
        "waitlisted": len(registrations) - confirmed,
        "issuer": organiser_name(event),
        "today": timezone.localdate(),
    }
    return render_pdf("events/pdf/participants.html", context)


def name_cards_pdf(event: Event) -> bytes:
    """Name cards of the confirmed registrations, ten to an A4 sheet, each with the QR code
    that checks its holder in."""
    registrations = (
        event.registrations.filter(status=RegistrationStatus.CONFIRMED)
        .select_related("corporation", "council")
        .order_by("created_at", "id")
    )
    cards = [(r, qr_svg(checkin_url(r))) for r in registrations]
    sheets = [cards[i : i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)]
    return render_pdf("events/pdf/name_cards.html", {"event": event, "sheets": sheets})


# iCalendar ------------------------------------------------------------------------------------


def event_ics(event: Event) -> bytes:
    """An .ics file of one event: a VEVENT for each of its sessions."""
    return _calendar([event]).to_ical()


def public_feed(events: Iterable[Event], *, name: str) -> bytes:
    """A calendar feed of ``events`` that calendar apps subscribe to, named ``name``."""
    if isinstance(events, QuerySet):
        events = events.prefetch_related("sessions")
    calendar = _calendar(events)
    calendar.add("x-wr-calname", name)
    return calendar.to_ical()


def _calendar(events: Iterable[Event]) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    stamp = timezone.now().astimezone(datetime.UTC)
    for event in events:
        sessions = sorted(event.sessions.all(), key=lambda s: (s.starts_at, s.number))
        for session in sessions:
            calendar.add_component(_vevent(event, session, several=len(sessions) > 1, stamp=stamp))
    calendar.add_missing_timezones()
    return calendar


def _vevent(
    event: Event, session: Session, *, several: bool, stamp: datetime.datetime
) -> icalendar.Event:
    summary = event.title
    if several:
        summary = f"{summary} 第{session.number}回"
    if session.title:
        summary = f"{summary} {session.title}"
    vevent = icalendar.Event()
    vevent.add("uid", f"session-{session.pk}@sasaeai")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", timezone.localtime(session.starts_at, TOKYO))
    vevent.add("dtend", timezone.localtime(session.ends_at, TOKYO))
    vevent.add("summary", summary)
    if session.venue:
        vevent.add("location", session.venue)
    description = [event.description.strip()] if event.description.strip() else []
    if session.online_url:
        vevent.add("url", session.online_url)
        description.append(f"オンライン参加: {session.online_url}")
    if description:
        vevent.add("description", "\n\n".join(description))
    cancelled = event.status == EventStatus.CANCELLED
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return vevent
