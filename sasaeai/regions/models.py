"""Prefectures and municipalities of Japan (全国地方公共団体コード), reference data.

Loaded from ``data/municipalities.csv`` by ``manage.py load_regions``; never edited by hand.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from . import codes


class MunicipalityKind(models.TextChoices):
    CITY = codes.CITY, _("city")  # 市
    DESIGNATED_CITY = codes.DESIGNATED_CITY, _("designated city")  # 政令指定都市
    WARD = codes.WARD, _("ward")  # 行政区 of a designated city
    SPECIAL_WARD = codes.SPECIAL_WARD, _("special ward")  # 特別区 of Tokyo
    TOWN = codes.TOWN, _("town")  # 町
    VILLAGE = codes.VILLAGE, _("village")  # 村


class Prefecture(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)  # JIS X 0401
    name = models.CharField(_("name"), max_length=10)
    kana = models.CharField(_("kana"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("code"), 2), name="regions_prefecture_code_2_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def local_government_code(self) -> str:
        """The prefecture's own 6-digit 全国地方公共団体コード (e.g. 330001 for 岡山県)."""
        return f"{self.code}000{codes.municipality_check_digit(f'{self.code}000')}"


class MunicipalityQuerySet(models.QuerySet):
    def of_prefecture(self, code2: str) -> MunicipalityQuerySet:
        return self.filter(prefecture_id=code2)

    def without_wards(self) -> MunicipalityQuerySet:
        """Local governments only: the wards of designated cities left out."""
        return self.exclude(kind=MunicipalityKind.WARD)

    def active(self) -> MunicipalityQuerySet:
        return self.filter(is_active=True)


class Municipality(models.Model):
    # 6 digits with the check digit; the code is the identity that records refer to.
    code = models.CharField(_("code"), max_length=6, primary_key=True)
    prefecture = models.ForeignKey(
        Prefecture,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("prefecture"),
    )
    name = models.CharField(_("name"), max_length=20)
    kana = models.CharField(_("kana"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=MunicipalityKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wards",
        verbose_name=_("city"),
        help_text=_("For a ward: the designated city it belongs to."),
    )
    # A code that leaves the official list (a merger) is kept, inactive: records refer to it.
    is_active = models.BooleanField(_("active"), default=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("code"), 6), name="regions_municipality_code_6_digits"
            ),
            models.CheckConstraint(
                condition=Q(kind=MunicipalityKind.WARD, parent__isnull=False)
                | (~Q(kind=MunicipalityKind.WARD) & Q(parent__isnull=True)),
                name="regions_municipality_only_wards_have_parent",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == MunicipalityKind.WARD and self.parent_id:
            return f"{self.parent.name}{self.name}"
        return self.name

    @property
    def code5(self) -> str:
        """The JIS X 0402 code: the 6-digit code without its check digit."""
        return self.code[:5]


class CenterQuerySet(models.QuerySet):
    def active(self) -> CenterQuerySet:
        return self.filter(is_active=True)

    def visible_to(self, user) -> CenterQuerySet:
        """A center's name and contact are public; staff manage only their own center."""
        return self.active()

    def for_display(self, *, center_ids: frozenset[int] = frozenset()) -> Center | None:
        """The center a page is shown for: one of ``center_ids`` (the user's own), else the
        deployment's default (SASAEAI_DEFAULT_PREFECTURE, or the first active center)."""
        from django.conf import settings

        if center_ids:
            return self.filter(pk__in=center_ids).select_related("prefecture").first()
        default = self.active().select_related("prefecture")
        if settings.SASAEAI_DEFAULT_PREFECTURE:
            default = default.filter(prefecture_id=settings.SASAEAI_DEFAULT_PREFECTURE)
        return default.order_by("prefecture_id").first()


class Center(models.Model):
    """The prefectural center (県域センター): the tenant. One per prefecture; one deployment
    may host several."""

    prefecture = models.OneToOneField(
        Prefecture, on_delete=models.PROTECT, related_name="center", verbose_name=_("prefecture")
    )
    name = models.CharField(_("official name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50)
    operator = models.CharField(
        _("operated by"),
        max_length=100,
        blank=True,
        help_text=_("Usually the prefectural council."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    settings = models.JSONField(
        _("settings"), default=dict, blank=True, help_text=_("Per-center settings.")
    )

    objects = CenterQuerySet.as_manager()

    class Meta:
        ordering = ["prefecture_id"]
        verbose_name = _("center")
        verbose_name_plural = _("centers")

    def __str__(self) -> str:
        return self.short_name or self.name


class Boundary(models.Model):
    """The outline of a municipality on the map, imported from 国土数値情報 N03 by
    ``manage.py import_geo``; a designated city's wards are merged into the city."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="boundary",
        verbose_name=_("municipality"),
    )
    # A GeoJSON geometry (Polygon or MultiPolygon) in longitude/latitude, simplified.
    geometry = models.JSONField(_("geometry"))
    source = models.CharField(
        _("source"), max_length=200, help_text=_("The credit line shown under the map.")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        ordering = ["municipality_id"]
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")

    def __str__(self) -> str:
        return str(self.municipality)
