"""Reminders a configurable number of days before an event (each registrant once)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import EventStatus, Registration, RegistrationStatus, Session
from .tasks import send_registration_mail


def send_reminders(*, today: datetime.date, days: int | None = None) -> int:
    """Queue a reminder to every confirmed registrant whose event's first session is
    ``event.reminder_days`` (or ``days``) days after ``today``; never twice."""
    firsts = {}
    for session in Session.objects.filter(
        event__status=EventStatus.PUBLISHED, starts_at__date__gte=today
    ).select_related("event"):
        current = firsts.get(session.event_id)
        if current is None or session.starts_at < current.starts_at:
            firsts[session.event_id] = session
    due = [
        event_id
        for event_id, session in firsts.items()
        if timezone.localdate(session.starts_at) - today
        == datetime.timedelta(days=session.event.reminder_days if days is None else days)
    ]
    count = 0
    with transaction.atomic():
        pending = Registration.objects.select_for_update().filter(
            event_id__in=due, status=RegistrationStatus.CONFIRMED, reminded_at=None
        )
        for registration in pending:
            registration.reminded_at = timezone.now()
            registration.save(update_fields=["reminded_at"])
            transaction.on_commit(
                lambda pk=registration.pk: send_registration_mail.enqueue(pk, "reminder")
            )
            count += 1
    return count


@task()
def send_reminders_task(days: int | None = None) -> int:
    """The day's reminders, for a scheduler that runs tasks rather than commands."""
    return send_reminders(today=timezone.localdate(), days=days)
