"""Mail of background tasks keeps its Message-ID when the task runs again after a crash."""

from __future__ import annotations

import datetime
from unittest import mock

from django.core import mail

from sasaeai.core.mail import message_id, send_keyed_mail


def test_the_same_mail_on_the_same_day_has_the_same_message_id(settings):
    settings.SASAEAI_SITE_URL = "https://sasae.example.jp"
    send_keyed_mail("件名", "本文", ["a@example.jp"], key="registration-1.reminder")
    send_keyed_mail("件名", "本文", ["a@example.jp"], key="registration-1.reminder")
    send_keyed_mail("件名", "本文", ["a@example.jp"], key="registration-1.registered")
    first, again, other = (m.extra_headers["Message-ID"] for m in mail.outbox)
    assert first == again != other
    assert first.startswith("<registration-1.reminder.") and first.endswith("@sasae.example.jp>")
    sent = mail.outbox[0].message()
    assert sent["Message-ID"] == first  # the header the mail server receives


def test_a_mail_of_the_same_kind_on_another_day_is_another_message():
    send_keyed_mail("件名", "本文", ["a@example.jp"], key="dues-1.reminder")
    later = datetime.date.today() + datetime.timedelta(days=1)
    with mock.patch("sasaeai.core.mail.timezone.localdate", return_value=later):
        send_keyed_mail("件名", "本文", ["a@example.jp"], key="dues-1.reminder")
    first, second = (m.extra_headers["Message-ID"] for m in mail.outbox)
    assert first != second


def test_the_host_is_the_sites(settings):
    settings.SASAEAI_SITE_URL = "https://center.example.jp:8443/base/"
    assert message_id("newsletter-1") == "<newsletter-1@center.example.jp>"
