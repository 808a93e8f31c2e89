"""Themes: the starting list of a prefecture and each theme's code, name and order."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Theme

DATA = Path(__file__).resolve().parent.parent / "data"
STARTING_THEMES = {"33": DATA / "themes-okayama.csv"}


@transaction.atomic
def load_starting_themes(prefecture_code: str) -> int:
    """The seed's 12 themes (T01–T12) for a prefecture that has a starting list; adds the
    missing ones only, so loading twice changes nothing. Returns how many were added."""
    path = STARTING_THEMES.get(prefecture_code)
    if path is None:
        raise ValidationError(
            _("There is no starting list of themes for this prefecture."), code="no_list"
        )
    having = set(Theme.objects.in_prefecture(prefecture_code).values_list("code", flat=True))
    created = 0
    with path.open(encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle), start=1):
            if row["code"] in having:
                continue
            Theme.objects.create(
                prefecture_id=prefecture_code,
                code=row["code"],
                name=row["name"],
                description=row["description"],
                order=order,
            )
            created += 1
    return created


@transaction.atomic
def save_theme(
    *,
    prefecture: str,
    code: str,
    name: str,
    theme: Theme | None = None,
    description: str = "",
    order: int = 0,
    active: bool = True,
) -> Theme:
    """Create or update a theme; its code is unique in the prefecture."""
    code = code.strip()
    duplicate = Theme.objects.in_prefecture(prefecture).filter(code=code)
    if theme is not None:
        duplicate = duplicate.exclude(pk=theme.pk)
    if duplicate.exists():
        raise ValidationError(
            _("A theme with the code %(code)s already exists in this prefecture."),
            code="duplicate",
            params={"code": code},
        )
    theme = theme or Theme(prefecture_id=prefecture)
    theme.code, theme.name, theme.description = code, name, description
    theme.order, theme.active = order, active
    theme.save()
    return theme
