"""Membership of the center (基礎団体会員法人, 社協会員) as dated history, never overwritten.

A member's state on a day is the kind of its latest event on or before that day: joined
(or changed) means member, withdrawn means not. A late-entered event in the past changes
history honestly; an entered event is never edited, only voided with a reason.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _


class MemberKind(models.TextChoices):
    CORPORATION = "corporation", _("corporation")
    COUNCIL = "council", _("council")


class MemberType(models.Model):
    """会員種別, e.g. 基礎団体会員法人 or 社協会員, with optional yearly dues."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    applies_to = models.CharField(_("for"), max_length=12, choices=MemberKind.choices)
    annual_dues = models.PositiveIntegerField(
        _("yearly dues (yen)"), null=True, blank=True, help_text=_("Empty: no dues.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("member type")
        verbose_name_plural = _("member types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    JOIN = "join", _("joined")
    CHANGE = "change", _("changed")
    WITHDRAW = "withdraw", _("withdrew")


MEMBER_KINDS = (EventKind.JOIN, EventKind.CHANGE)


class MembershipEventQuerySet(models.QuerySet):
    def in_force(self) -> MembershipEventQuerySet:
        return self.filter(voided_at__isnull=True)

    def on_or_before(self, date: datetime.date) -> MembershipEventQuerySet:
        return self.in_force().filter(effective_date__lte=date)

    def visible_to(self, user) -> MembershipEventQuerySet:
        from .registry import Corporation, Council

        return self.filter(
            Q(corporation__in=Corporation.objects.visible_to(user))
            | Q(council__in=Council.objects.visible_to(user))
        )


def latest_event_kind(date: datetime.date, *, member_field: str, outer: str = "pk") -> Subquery:
    """The kind of a member's latest event in force on or before ``date``; ``outer`` names
    the member's id in the outer query (a facility's is ``corporation_id``)."""
    return Subquery(
        MembershipEvent.objects.on_or_before(date)
        .filter(**{member_field: OuterRef(outer)})
        .order_by("-effective_date", "-id")
        .values("kind")[:1]
    )


class MembershipEvent(models.Model):
    corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="membership_events",
        verbose_name=_("corporation"),
    )
    council = models.ForeignKey(
        "members.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="membership_events",
        verbose_name=_("council"),
    )
    kind = models.CharField(_("event"), max_length=10, choices=EventKind.choices)
    effective_date = models.DateField(_("effective date"))
    member_type = models.ForeignKey(
        MemberType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("member type")
    )
    facilities = models.ManyToManyField(
        "members.Facility",
        blank=True,
        related_name="membership_events",
        verbose_name=_("facilities brought in"),
    )
    application = models.OneToOneField(
        "members.MembershipApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event",
        verbose_name=_("application"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)

    objects = MembershipEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["effective_date", "id"]
        indexes = [
            models.Index(fields=["corporation", "effective_date"]),
            models.Index(fields=["council", "effective_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="membership_event_has_one_member",
                condition=Q(corporation__isnull=False, council__isnull=True)
                | Q(corporation__isnull=True, council__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.effective_date}"

    @property
    def member(self):
        return self.corporation or self.council


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")


class MembershipApplicationQuerySet(models.QuerySet):
    def pending(self) -> MembershipApplicationQuerySet:
        return self.filter(status=ApplicationStatus.PENDING)

    def visible_to(self, user) -> MembershipApplicationQuerySet:
        from .registry import Corporation

        return self.filter(corporation__in=Corporation.objects.visible_to(user))


class MembershipApplication(models.Model):
    """A corporation's online application to join, decided by center staff."""

    corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.PROTECT,
        related_name="membership_applications",
        verbose_name=_("corporation"),
    )
    member_type = models.ForeignKey(
        MemberType, on_delete=models.PROTECT, verbose_name=_("member type")
    )
    desired_date = models.DateField(_("desired date of joining"))
    facilities = models.ManyToManyField(
        "members.Facility", blank=True, verbose_name=_("facilities brought in")
    )
    message = models.TextField(_("message"), blank=True)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("applied by"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason"), blank=True)

    objects = MembershipApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-applied_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["corporation"],
                condition=Q(status="pending"),
                name="membership_application_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.corporation} ({self.get_status_display()})"
