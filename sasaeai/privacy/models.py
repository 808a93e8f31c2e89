"""A request about personal data (開示, 消去) and what was done: the record itself names no
one. The person is kept as a keyed digest of what identified them, so that a second request of
the same person can be matched, but the record cannot be read back into a name or an address."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    DISCLOSURE = "disclosure", _("disclosure (開示)")
    ERASURE = "erasure", _("erasure (消去)")
    PURGE = "purge", _("purge at the end of the retention period")


class Channel(models.TextChoices):
    COUNTER = "counter", _("at the counter")
    POST = "post", _("by post")
    EMAIL = "email", _("by email")
    PHONE = "phone", _("by telephone")
    SCHEDULE = "schedule", _("scheduled purge")


def subject_digest(*parts: str) -> str:
    """A keyed digest of what identified the person (the email, name, phone, case number)."""
    message = "\x1f".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


class DataRequest(models.Model):
    prefecture = models.ForeignKey(
        "regions.Prefecture", on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RequestKind.choices)
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("request received on"), default=timezone.localdate)
    subject = models.CharField(max_length=64, blank=True, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), default=timezone.now)
    # What was done: {"events.Registration": 2, ...}, counts only.
    summary = models.JSONField(_("records"), default=dict)

    class Meta:
        ordering = ["-handled_at", "-id"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def records(self) -> int:
        return sum(self.summary.values())
