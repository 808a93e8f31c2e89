"""Leading project 緊急一時支援: food drives and the stockyard of food and daily goods.

Goods come in as *lots* (one item, one best-before or use-by date, one donation) and every
movement of a lot at a location is a dated row of the ledger (``Movement``): intake, picking for
a referral, its return, transfers, write-offs and stocktake differences. Stock on any date is
the sum of the ledger up to that date, never a typed figure. ``Balance`` keeps the current sum
per lot and location beside the ledger, in the same transaction, under a ``CHECK >= 0``: it is
the row that picking locks, so that two staff taking the last units of a lot at once never
take stock below zero.

A ``Referral`` (依頼) for a ``Household`` is made by council or corporation staff, approved by
the location's keeper (which picks the goods first-expiring-first-out), handed over, or
declined or cancelled (a cancellation puts the exact lots back). ``SupportRule`` rows are the
limits per household and period (the rescue-type rule of at most a set amount in kind), checked
on every referral.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sasaeai.accounts.scope import CenterScopedQuerySet, scope_of

QUANTITY = {"max_digits": 12, "decimal_places": 2}


class Category(models.TextChoices):
    STAPLE = "staple", _("staple food")  # 主食 (米, 麺)
    FOOD = "food", _("food")  # 缶詰, レトルト, 調味料
    BABY = "baby", _("baby and infant goods")  # 粉ミルク, おむつ
    SANITARY = "sanitary", _("sanitary products")  # 生理用品
    HYGIENE = "hygiene", _("hygiene items")  # 石けん, 歯ブラシ
    DAILY = "daily", _("daily goods")  # 日用品
    OTHER = "other", _("other")


class Item(models.Model):
    """One article of the catalogue: 米 (kg), 缶詰 (缶), 紙おむつ (枚) ..."""

    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="stock_items",
        verbose_name=_("prefecture"),
    )
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=10, help_text=_("e.g. kg, 個, 缶, 袋, 枚"))
    whole_units = models.BooleanField(
        _("counted in whole units"),
        default=True,
        help_text=_("Quantities must be whole numbers (off for goods weighed, such as rice)."),
    )
    expires = models.BooleanField(
        _("has a best-before or use-by date"),
        default=True,
    )
    unit_value = models.DecimalField(
        _("value per unit (yen)"),
        max_digits=10,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        help_text=_("Used for the value of stock and the support limits."),
    )
    active = models.BooleanField(_("in use"), default=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "name"], name="stockyard_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class LocationKind(models.TextChoices):
    STOCKYARD = "stockyard", _("stockyard")  # ストックヤード
    COUNCIL_OFFICE = "council_office", _("council office")
    DROP_OFF = "drop_off", _("drop-off point")  # 回収拠点


class KeeperKind(models.TextChoices):
    COUNCIL = "council", _("municipal council of social welfare")
    CORPORATION = "corporation", _("social welfare corporation")
    OTHER = "other", _("other body")  # 地縁組織, NPO


class LocationQuerySet(CenterScopedQuerySet):
    def kept_by(self, user):
        """The locations a user keeps: center staff their prefecture's, council staff their
        municipality's, corporation staff their corporation's."""
        scope = scope_of(user)
        if scope.sees_everything():
            return self
        if not scope.is_authenticated:
            return self.none()
        q = Q(pk__in=[])
        if scope.prefecture_codes or scope.municipality_codes:
            q |= scope.area_q("municipality")
        if scope.corporation_ids:
            q |= Q(keeper_corporation_id__in=scope.corporation_ids)
        return self.filter(q)

    def public_drop_offs(self):
        return self.filter(active=True, public=True)


class Location(models.Model):
    """A place where goods are kept or collected."""

    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="stock_locations",
        verbose_name=_("prefecture"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="stock_locations",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=LocationKind.choices)
    postal_code = models.CharField(_("postal code"), max_length=8, blank=True)
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(
        _("opening hours"), max_length=200, blank=True, help_text=_("e.g. 平日 9:00〜17:00")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    keeper_kind = models.CharField(_("kind of keeper"), max_length=12, choices=KeeperKind.choices)
    keeper_corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_locations",
        verbose_name=_("keeping corporation"),
    )
    keeper_name = models.CharField(
        _("keeping organisation"), max_length=100, help_text=_("As shown to donors.")
    )
    public = models.BooleanField(
        _("shown to the public"),
        default=False,
        help_text=_("Listed with its opening hours among the public drop-off points."),
    )
    near_expiry_days = models.PositiveSmallIntegerField(_("days before expiry to flag"), default=30)
    active = models.BooleanField(_("in use"), default=True)

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["municipality_id", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(keeper_kind="corporation") | Q(keeper_corporation__isnull=False),
                name="stockyard_location_keeper_corporation",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MinimumStock(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="minimums")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="minimums")
    quantity = models.DecimalField(
        _("minimum stock"), validators=[MinValueValidator(0)], **QUANTITY
    )

    class Meta:
        verbose_name = _("minimum stock")
        verbose_name_plural = _("minimum stocks")
        constraints = [
            models.UniqueConstraint(fields=["location", "item"], name="stockyard_minimum_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.item} ≥ {self.quantity}"


class Campaign(models.Model):
    """A food drive (フードドライブ): a period and its drop-off points."""

    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="food_drives",
        verbose_name=_("prefecture"),
    )
    title = models.CharField(_("title"), max_length=200)
    organiser = models.CharField(_("organised by"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    drop_offs = models.ManyToManyField(
        Location, related_name="campaigns", verbose_name=_("drop-off points")
    )
    description = models.TextField(_("description"), blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("food drive")
        verbose_name_plural = _("food drives")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="stockyard_campaign_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.title


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
