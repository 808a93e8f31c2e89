"""Where goods are kept and what they are: the catalogue, the locations and their minimum
stocks, the food drives."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
