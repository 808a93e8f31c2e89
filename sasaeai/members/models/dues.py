"""Yearly dues (会費): optional, per member type and fiscal year, paid or unpaid."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DuesQuerySet(models.QuerySet):
    def unpaid(self) -> DuesQuerySet:
        return self.filter(paid_on__isnull=True)

    def in_prefecture(self, code: str) -> DuesQuerySet:
        return self.filter(
            Q(corporation__municipality__prefecture_id=code) | Q(council__prefecture_id=code)
        )

    def visible_to(self, user) -> DuesQuerySet:
        from .registry import Corporation, Council

        return self.filter(
            Q(corporation__in=Corporation.objects.visible_to(user))
            | Q(council__in=Council.objects.visible_to(user))
        )


class Dues(models.Model):
    corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dues",
        verbose_name=_("corporation"),
    )
    council = models.ForeignKey(
        "members.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dues",
        verbose_name=_("council"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    member_type = models.ForeignKey(
        "members.MemberType", on_delete=models.PROTECT, verbose_name=_("member type")
    )
    amount = models.PositiveIntegerField(_("amount (yen)"))
    billed_at = models.DateTimeField(_("billed at"), auto_now_add=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    objects = DuesQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues")
        verbose_name_plural = _("dues")
        ordering = ["fiscal_year", "id"]
        constraints = [
            models.CheckConstraint(
                name="dues_has_one_member",
                condition=Q(corporation__isnull=False, council__isnull=True)
                | Q(corporation__isnull=True, council__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["corporation", "fiscal_year"], name="dues_once_a_year_corporation"
            ),
            models.UniqueConstraint(
                fields=["council", "fiscal_year"], name="dues_once_a_year_council"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.fiscal_year}"

    @property
    def member(self):
        return self.corporation or self.council
