"""Reads that depend on who is asking."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import Corporation, CorporationQuerySet


def visible_corporations(user) -> CorporationQuerySet:
    return Corporation.objects.visible_to(user).select_related(
        "municipality", "municipality__parent"
    )


def get_corporation_for_user_or_404(user, pk: int) -> Corporation:
    """The corporation ``pk`` if ``user`` may see it; otherwise the same 404 as a missing one."""
    return get_object_or_404(visible_corporations(user), pk=pk)
