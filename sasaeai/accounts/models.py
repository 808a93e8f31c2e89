"""Users and their roles. A role carries its scope: a center (its prefecture), a municipality,
or a corporation. What a user may see is derived from these rows by ``scope.scope_of``."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DateStyle(models.TextChoices):
    WAREKI = "wareki", _("Japanese era (令和元年5月1日)")
    WESTERN = "western", _("Western calendar (2019年5月1日)")


class User(AbstractUser):
    date_style = models.CharField(
        _("date style"), max_length=10, choices=DateStyle.choices, default=DateStyle.WAREKI
    )
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Created by sasaeai demo; never in production."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def display_name(self) -> str:
        full = f"{self.last_name} {self.first_name}".strip()
        return full or self.username


def display_name(user) -> str:
    """How a person is named on pages and in messages: family name first, else the username."""
    return user.display_name()


class Role(models.TextChoices):
    CENTER_STAFF = "center_staff", _("center staff")
    COUNCIL_STAFF = "council_staff", _("council staff")
    CORPORATION_STAFF = "corporation_staff", _("corporation staff")


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    center = models.ForeignKey(
        "regions.Center", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("center")
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    # A lazy reference only: accounts imports no code of members.
    corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("corporation"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                name="role_has_exactly_its_scope",
                condition=(
                    Q(
                        role=Role.CENTER_STAFF,
                        center__isnull=False,
                        municipality__isnull=True,
                        corporation__isnull=True,
                    )
                    | Q(
                        role=Role.COUNCIL_STAFF,
                        center__isnull=True,
                        municipality__isnull=False,
                        corporation__isnull=True,
                    )
                    | Q(
                        role=Role.CORPORATION_STAFF,
                        center__isnull=True,
                        municipality__isnull=True,
                        corporation__isnull=False,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "center", "municipality", "corporation"],
                name="role_assignment_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        target = self.center or self.municipality or self.corporation
        return f"{self.user} — {self.get_role_display()} ({target})"
