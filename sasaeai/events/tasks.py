"""Mail about registrations and events, sent by ``sasaeai worker`` after the commit."""

from __future__ import annotations

from django_tasks import task

SUBJECTS = {
    "registered": "【申込受付】{title}",
    "promoted": "【参加確定】{title}（キャンセル待ちから繰り上がりました）",
    "reminder": "【開催のお知らせ】{title}",
    "event_cancelled": "【中止のお知らせ】{title}",
}


@task()
def send_registration_mail(registration_id: int, kind: str) -> bool:
    """One mail to one registrant (nothing when they gave no address)."""
    from django.conf import settings
    from django.template.loader import render_to_string

    from sasaeai.core.mail import send_keyed_mail

    from .models import Registration

    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or not registration.email:
        return False
    context = {
        "registration": registration,
        "event": registration.event,
        "sessions": registration.event.sessions.order_by("starts_at"),
        "kind": kind,
        "site_url": settings.SASAEAI_SITE_URL,
    }
    body = render_to_string("events/mail/registration.txt", context)
    subject = SUBJECTS[kind].format(title=registration.event.title)
    send_keyed_mail(
        subject, body, [registration.email], key=f"registration-{registration.pk}.{kind}"
    )
    return True
