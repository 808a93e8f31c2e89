"""Mail sent by background tasks, with a Message-ID of its own that a re-run keeps.

A task whose worker is killed after the mail server took its mail, but before the task was
recorded as done, runs again when the worker starts (``core.taskqueue``) and sends the mail
again. Exactly once cannot be promised across two systems; the same Message-ID makes the
second copy the same message to the reader's mail system, which shows it once. The key names
what the mail is (a registration's reminder, a report's reminder of the day), so it is the
same on a re-run and differs for every other mail.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

__all__ = ["message_id", "send_keyed_mail"]


def message_id(key: str) -> str:
    """``<key@host>``, the host being the site's (``SASAEAI_SITE_URL``)."""
    domain = urlsplit(settings.SASAEAI_SITE_URL).hostname or "localhost"
    return f"<{key}@{domain}>"


def send_keyed_mail(
    subject: str, body: str, to: list[str], *, key: str, from_email: str | None = None
) -> None:
    """Send one mail as ``send_mail`` does, with the Message-ID of ``key`` and the day it is
    sent (a mail of the same kind on another day is another message)."""
    day = timezone.localdate().isoformat()
    headers = {"Message-ID": message_id(f"{key}.{day}")}
    EmailMessage(subject, body, from_email, to, headers=headers).send()
