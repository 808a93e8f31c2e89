"""The public page of the drop-off points: where and when residents bring food and daily goods,
and the food drives running now or soon. No login; cached per version of the stockyard's data
(and per day, since "now or soon" moves with the date). No stock and no people are shown."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from sasaeai.accounts.scope import shown_prefecture
from sasaeai.core.access import public
from sasaeai.core.publiccache import cached_public_page
from sasaeai.core.versions import tokens

from ..models import Campaign, Location

# A food drive is shown from this many days before it starts.
SOON_DAYS = 30


def _prefecture(request) -> str:
    """The prefecture the page is for, found once per request (the version needs it too)."""
    if not hasattr(request, "_stockyard_prefecture"):
        request._stockyard_prefecture = shown_prefecture(request.user)
    return request._stockyard_prefecture


def _version(request, *args, **kwargs):
    return (_prefecture(request), timezone.localdate(), tokens("stockyard"))


def _public_points():
    return (
        Location.objects.public_drop_offs()
        .select_related("municipality")
        .order_by("municipality_id", "name", "pk")
    )


@public
@cached_public_page(_version)
def drop_offs(request):
    prefecture = _prefecture(request)
    today = timezone.localdate()
    points = list(_public_points().filter(prefecture_id=prefecture))
    drives = (
        Campaign.objects.in_prefecture(prefecture)
        .filter(ends_on__gte=today, starts_on__lte=today + datetime.timedelta(days=SOON_DAYS))
        .prefetch_related(Prefetch("drop_offs", queryset=_public_points()))
        .order_by("starts_on", "title", "pk")
    )
    return render(
        request,
        "stockyard/public/drop_off_list.html",
        {
            "today": today,
            "soon_days": SOON_DAYS,
            "drives": drives,
            "municipalities": [
                (municipality, list(rows))
                for municipality, rows in groupby(points, key=lambda point: point.municipality)
            ],
        },
    )
