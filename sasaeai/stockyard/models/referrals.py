"""Goods out: support limits, households, referrals and their lines."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sasaeai.accounts.scope import CenterScopedQuerySet

from .places import QUANTITY, Item, Location


class SupportRule(models.Model):
    """A limit of one-off support per household in a period, as data: at most ``max_value``
    yen in kind and/or ``max_referrals`` referrals within ``period_days`` days."""

    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="support_rules",
        verbose_name=_("prefecture"),
    )
    name = models.CharField(_("name"), max_length=100)
    period_days = models.PositiveSmallIntegerField(
        _("period (days)"), validators=[MinValueValidator(1)]
    )
    max_value = models.DecimalField(
        _("at most (yen in kind)"), max_digits=10, decimal_places=0, null=True, blank=True
    )
    max_referrals = models.PositiveSmallIntegerField(
        _("at most (referrals)"), null=True, blank=True
    )
    active = models.BooleanField(_("in force"), default=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("support limit")
        verbose_name_plural = _("support limits")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_value__isnull=False) | Q(max_referrals__isnull=False),
                name="stockyard_rule_has_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """The household a referral is for: only what the support needs (no name; the referring
    organisation's own case number links its referrals). Seen only by those handling it."""

    prefecture = models.ForeignKey("regions.Prefecture", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    reference = models.CharField(
        _("case number"),
        max_length=40,
        help_text=_("Your organisation's own case number, not a name."),
    )
    size = models.PositiveSmallIntegerField(
        _("people in the household"), validators=[MinValueValidator(1)]
    )
    ages = models.CharField(
        _("ages"), max_length=100, blank=True, help_text=_("e.g. 45, 12, 8 (comma-separated)")
    )
    referring_corporation = models.ForeignKey(
        "members.Corporation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referring_municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["referring_corporation", "reference"],
                condition=Q(referring_corporation__isnull=False),
                name="stockyard_household_corp_ref",
            ),
            models.UniqueConstraint(
                fields=["referring_municipality", "reference"],
                condition=Q(referring_corporation__isnull=True),
                name="stockyard_household_council_ref",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class Urgency(models.TextChoices):
    TODAY = "today", pgettext_lazy("urgency", "today")
    SOON = "soon", _("within three days")
    NORMAL = "normal", _("within a week")


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("referral", "requested")
    APPROVED = "approved", _("approved and picked")
    HANDED_OVER = "handed_over", _("handed over")
    DECLINED = "declined", pgettext_lazy("referral", "declined")
    CANCELLED = "cancelled", pgettext_lazy("referral", "cancelled")


COUNTING = (ReferralStatus.REQUESTED, ReferralStatus.APPROVED, ReferralStatus.HANDED_OVER)


class Referral(models.Model):
    """依頼: goods asked for one household at one location."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("household")
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("location")
    )
    referring_corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("referring corporation"),
    )
    referring_municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referring council's municipality"),
    )
    household_size = models.PositiveSmallIntegerField(
        _("people in the household"),
        help_text=_(
            "As it was when the referral was made (the household's record is kept up to date)."
        ),
    )
    needs = models.TextField(_("needs"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closing_reason = models.CharField(_("reason"), max_length=200, blank=True)
    value = models.DecimalField(
        _("value (yen)"), max_digits=12, decimal_places=0, default=Decimal(0)
    )

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["household", "requested_on"], name="stockyard_ref_household"),
            models.Index(fields=["location", "status"], name="stockyard_ref_location"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(referring_corporation__isnull=False)
                | Q(referring_municipality__isnull=False),
                name="stockyard_referral_has_referrer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requested_on} {self.household.reference}"

    @property
    def referrer_name(self) -> str:
        if self.referring_corporation_id:
            return self.referring_corporation.name
        return str(self.referring_municipality)


class ReferralLine(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="stockyard_line_positive"),
            models.UniqueConstraint(fields=["referral", "item"], name="stockyard_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.quantity}"
