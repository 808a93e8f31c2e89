"""Goods in and the ledger: donations and their lots, every dated movement, the running
balances, stocktakes."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.scope import CenterScopedQuerySet

from .places import QUANTITY, Campaign, Item, Location


class DonorKind(models.TextChoices):
    FOOD_DRIVE = "food_drive", _("food drive")
    COMPANY = "company", _("company")
    INDIVIDUAL = "individual", _("individual")
    ORGANISATION = "organisation", _("organisation")
    PURCHASE = "purchase", _("purchase")


class Donation(models.Model):
    """Goods received at one location on one day, from one donor (or bought): its lots."""

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="donations", verbose_name=_("location")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name=_("food drive"),
    )
    donor_kind = models.CharField(_("kind of donor"), max_length=12, choices=DonorKind.choices)
    donor_name = models.CharField(
        _("donor"), max_length=200, blank=True, help_text=_("Leave empty for an anonymous gift.")
    )
    donor_address = models.CharField(_("donor's address"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    receipt_number = models.CharField(_("receipt number"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CenterScopedQuerySet.as_manager()
    objects.prefecture_path = "location__prefecture_id"

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")

    def __str__(self) -> str:
        return f"{self.received_on} {self.donor_name or self.get_donor_kind_display()}"


class ExpiryKind(models.TextChoices):
    BEST_BEFORE = "best_before", _("best before")  # 賞味期限
    USE_BY = "use_by", _("use by")  # 消費期限


class Lot(models.Model):
    """One item received in one donation with one date: the unit of first-expiring-first-out."""

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="lots")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="lots", verbose_name=_("item")
    )
    quantity = models.DecimalField(_("quantity received"), **QUANTITY)
    expires_on = models.DateField(_("best before / use by"), null=True, blank=True)
    expiry_kind = models.CharField(
        _("kind of date"), max_length=12, choices=ExpiryKind.choices, blank=True
    )
    unit_value = models.DecimalField(
        _("value per unit (yen)"), max_digits=10, decimal_places=0, default=Decimal(0)
    )

    class Meta:
        ordering = ["expires_on", "id"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="stockyard_lot_positive"),
        ]

    def __str__(self) -> str:
        if self.expires_on:
            return f"{self.item.name} #{self.pk}（{self.expires_on:%Y-%m-%d}）"
        return f"{self.item.name} #{self.pk}"


class MovementKind(models.TextChoices):
    INTAKE = "intake", _("intake")  # 受入
    PICK = "pick", _("picked for a referral")  # 払出
    RETURN = "return", _("returned from a cancelled referral")
    TRANSFER_OUT = "transfer_out", _("transferred out")
    TRANSFER_IN = "transfer_in", _("transferred in")
    DISPOSAL = "disposal", _("disposed of")  # 廃棄
    GIVEN_AWAY = "given_away", _("given to another body")  # 譲渡
    STOCKTAKE = "stocktake", _("stocktake difference")  # 棚卸差異


OUT_KINDS = (MovementKind.DISPOSAL, MovementKind.GIVEN_AWAY)


class Movement(models.Model):
    """One dated row of the ledger: a signed quantity of one lot at one location."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("kind"), max_length=12, choices=MovementKind.choices)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    occurred_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    referral = models.ForeignKey(
        "Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    stocktake = models.ForeignKey(
        "Stocktake", on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    transfer_to = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        indexes = [
            models.Index(fields=["location", "occurred_on"], name="stockyard_mv_loc_date"),
            models.Index(fields=["lot", "location", "occurred_on"], name="stockyard_mv_lot"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="stockyard_movement_nonzero"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()} {self.lot} {self.quantity}"


class Balance(models.Model):
    """The current stock of one lot at one location: the ledger's sum, kept in the same
    transaction, never below zero. Picking locks these rows."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="balances")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="balances")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    expires_on = models.DateField(null=True, blank=True)
    quantity = models.DecimalField(**QUANTITY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lot", "location"], name="stockyard_balance_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="stockyard_balance_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["location", "item", "expires_on"], name="stockyard_bal_fefo"),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.lot} {self.quantity}"


class Stocktake(models.Model):
    """棚卸: counted quantities of the lots at a location on a day; each difference is a
    ledger row, so nothing is overwritten."""

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="stocktakes", verbose_name=_("location")
    )
    counted_on = models.DateField(_("counted on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-counted_on", "-id"]
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")

    def __str__(self) -> str:
        return f"{self.location} {self.counted_on}"


class StocktakeLine(models.Model):
    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="lines")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+")
    expected = models.DecimalField(_("in the ledger"), **QUANTITY)
    counted = models.DecimalField(_("counted"), **QUANTITY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "lot"], name="stockyard_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.lot} {self.counted}"

    @property
    def difference(self) -> Decimal:
        return self.counted - self.expected
