"""The center's five-year plan (中期事業計画): its pillars, the measures under each, and the
targets. A target names a KPI registered in code by the app that owns the records
(``core.kpis``); its value on any date is measured from those records, never typed in."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.scope import CenterScopedQuerySet
from sasaeai.core import kpis
from sasaeai.core.dates import fiscal_year_label, fiscal_year_range
from sasaeai.core.pillars import PILLARS

PILLAR_CHOICES = [(p.slug, f"{p.numeral} {p.title}") for p in PILLARS]


class PlanQuerySet(CenterScopedQuerySet):
    prefecture_path = "prefecture_id"

    def covering(self, day: datetime.date):
        """Plans whose period contains ``day``."""
        from sasaeai.core.dates import fiscal_year

        year = fiscal_year(day)
        return self.filter(first_fiscal_year__lte=year, last_fiscal_year__gte=year)


class Plan(models.Model):
    prefecture = models.ForeignKey(
        "regions.Prefecture", on_delete=models.PROTECT, verbose_name=_("prefecture")
    )
    name = models.CharField(_("name"), max_length=200)
    first_fiscal_year = models.PositiveSmallIntegerField(
        _("first fiscal year"), validators=[MinValueValidator(2000)]
    )
    last_fiscal_year = models.PositiveSmallIntegerField(
        _("last fiscal year"), validators=[MinValueValidator(2000)]
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["prefecture", "-first_fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "first_fiscal_year"], name="plan_one_per_start"
            ),
            models.CheckConstraint(
                condition=models.Q(last_fiscal_year__gte=models.F("first_fiscal_year")),
                name="plan_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def starts_on(self) -> datetime.date:
        return fiscal_year_range(self.first_fiscal_year)[0]

    @property
    def ends_on(self) -> datetime.date:
        return fiscal_year_range(self.last_fiscal_year)[1]

    @property
    def period_label(self) -> str:
        first = fiscal_year_label(self.first_fiscal_year, style="wareki")
        last = fiscal_year_label(self.last_fiscal_year, style="wareki")
        return f"{first}〜{last}"

    def clean(self) -> None:
        years = (self.first_fiscal_year, self.last_fiscal_year)
        if all(years) and years[1] < years[0]:
            raise ValidationError(
                {"last_fiscal_year": _("The last fiscal year is before the first.")}
            )


class PlanPillar(models.Model):
    """One of the plan's six pillars, in the plan's own words."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pillars")
    slug = models.CharField(_("pillar"), max_length=20, choices=PILLAR_CHOICES)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="plan_pillar_once"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def numeral(self) -> str:
        return next((p.numeral for p in PILLARS if p.slug == self.slug), "")


class Measure(models.Model):
    """A measure (施策) under a pillar: what the center does to reach the targets."""

    pillar = models.ForeignKey(PlanPillar, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["pillar", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """A numeric target of the plan: what is counted (a registered KPI code), the value to
    reach by the deadline (a KPI counted per fiscal year: in every fiscal year), the baseline
    date, the source, and whether the public dashboard shows it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    pillar = models.ForeignKey(
        PlanPillar, on_delete=models.PROTECT, related_name="targets", verbose_name=_("pillar")
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("measure"),
    )
    kpi_code = models.CharField(_("KPI code"), max_length=60)
    label = models.CharField(_("label"), max_length=200, blank=True)
    value = models.DecimalField(
        _("target value"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "A rate as a share: 0.7 for 70 %. Empty: an indicator followed without a target."
        ),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_public = models.BooleanField(_("shown on the public dashboard"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "pillar__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kpi_code"], name="plan_target_once"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kpi(self) -> kpis.Kpi:
        return kpis.get(self.kpi_code)

    @property
    def title(self) -> str:
        if self.label:
            return self.label
        try:
            return str(self.kpi.label)
        except kpis.UnknownKpi:
            return self.kpi_code

    @property
    def target(self) -> float | None:
        return None if self.value is None else float(self.value)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        try:
            kpi = kpis.get(self.kpi_code)
        except kpis.UnknownKpi:
            known = "、".join(k.code for k in kpis.registered())
            errors.setdefault("kpi_code", []).append(
                ValidationError(
                    _("“%(code)s” is not a KPI this system measures. Known codes: %(known)s."),
                    code="unknown_kpi",
                    params={"code": self.kpi_code, "known": known},
                )
            )
            kpi = None
        rate = kpi is not None and kpi.is_rate and self.value is not None
        if rate and not (Decimal(0) <= self.value <= Decimal(1)):
            errors.setdefault("value", []).append(
                ValidationError(
                    _("A rate is a share from 0 to 1 (0.7 for 70 %)."), code="rate_range"
                )
            )
        if self.value is not None and not self.deadline:
            errors.setdefault("deadline", []).append(
                ValidationError(_("A target needs a deadline."), code="deadline_required")
            )
        if self.deadline and self.baseline_on and self.deadline < self.baseline_on:
            errors.setdefault("deadline", []).append(
                ValidationError(
                    _("The deadline (%(deadline)s) is before the baseline date (%(baseline)s)."),
                    code="deadline_before_baseline",
                    params={"deadline": self.deadline, "baseline": self.baseline_on},
                )
            )
        if self.pillar_id and self.plan_id and self.pillar.plan_id != self.plan_id:
            errors.setdefault("pillar", []).append(
                ValidationError(_("The pillar belongs to another plan."), code="other_plan")
            )
        if self.measure_id and self.pillar_id and self.measure.pillar_id != self.pillar_id:
            errors.setdefault("measure", []).append(
                ValidationError(_("The measure is under another pillar."), code="other_pillar")
            )
        if errors:
            raise ValidationError(errors)
