"""Social welfare corporations (社会福祉法人).

The foundation holds only what roles and scope need; the full registry (facilities, councils,
membership with history) is built by the members issue on top of this model.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sasaeai.core.hojin import validate_corporate_number
from sasaeai.core.text import normalize_text, search_key


class CorporationQuerySet(models.QuerySet):
    def visible_to(self, user) -> CorporationQuerySet:
        """Center staff: their prefecture; council staff: their municipality; corporation
        staff: their own corporations; anyone else: nothing."""
        from sasaeai.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.sees_everything():
            return self.all()
        return self.filter(
            scope.area_q("municipality") | models.Q(pk__in=scope.corporation_ids)
        ).distinct()

    def search(self, text: str) -> CorporationQuerySet:
        key = search_key(text)
        return self.filter(search_key__contains=key) if key else self


class Corporation(models.Model):
    corporate_number = models.CharField(
        _("corporate number"),
        max_length=13,
        unique=True,
        validators=[validate_corporate_number],
        help_text=_("法人番号: 13 digits, the first is a check digit."),
    )
    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="corporations",
        verbose_name=_("municipality"),
    )
    is_fictitious = models.BooleanField(
        _("fictitious (demo)"),
        default=False,
        help_text=_("A made-up corporation of the demo data, not a real one."),
    )
    search_key = models.CharField(max_length=400, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CorporationQuerySet.as_manager()

    class Meta:
        verbose_name = _("social welfare corporation")
        verbose_name_plural = _("social welfare corporations")
        ordering = ["name_kana", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        self.name_kana = normalize_text(self.name_kana)
        self.search_key = search_key(f"{self.name} {self.name_kana}")
        super().save(*args, **kwargs)
