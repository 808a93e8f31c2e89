"""Reads that depend on who is asking, and the directory's search.

Published public activities are for everyone; the staff who write or review an activity
(its corporation's staff, the center of its prefecture, the council of its municipality) see
it in any state. Anything else is the same 404 as a missing record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from sasaeai.core.fulltext import fulltext_q, terms_of
from sasaeai.members.filters import today_in_japan
from sasaeai.projects.models import Theme
from sasaeai.projects.queries import home_prefecture
from sasaeai.regions.models import Municipality

from .models import Activity, ReviewState, TargetGroup

__all__ = [
    "DirectorySearch",
    "directory",
    "get_activity_for_user_or_404",
    "get_managed_activity_or_404",
    "home_prefecture",
    "parse_search",
]

WEEKDAY_CHOICES = [(str(n), f"{day}曜日") for n, day in enumerate("月火水木金土日")]


SEARCH_INDEX = "activities_activity_fts"  # migration 0002: core.fulltext.TrigramIndex


def has_words(text: str) -> bool:
    """Whether a query holds a letter, digit, kana or kanji (symbols and spaces find nothing)."""
    return bool(terms_of(text))


@dataclass(frozen=True)
class DirectorySearch:
    theme: int | None = None
    municipality: str | None = None
    weekday: int | None = None
    target: str | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return self == DirectorySearch()


def parse_search(
    params, prefecture: str, *, theme_ids=None, municipality_codes=None
) -> tuple[DirectorySearch, dict[str, str]]:
    """The directory's parameters, each checked; errors by parameter name (never raised, so
    that a bad link still shows the page). A page that lists the prefecture's themes and
    municipalities anyway passes their keys, and no query is made."""
    errors: dict[str, str] = {}
    values: dict = {}
    if theme_ids is None:
        theme_ids = set(Theme.objects.in_prefecture(prefecture).values_list("pk", flat=True))
    if municipality_codes is None:
        municipality_codes = set(
            Municipality.objects.of_prefecture(prefecture).values_list("pk", flat=True)
        )
    theme = (params.get("theme") or "").strip()
    if theme:
        if theme.isdigit() and int(theme) in theme_ids:
            values["theme"] = int(theme)
        else:
            errors["theme"] = _("Unknown theme.")
    municipality = (params.get("municipality") or "").strip()
    if municipality:
        if municipality in municipality_codes:
            values["municipality"] = municipality
        else:
            errors["municipality"] = _("Unknown municipality.")
    weekday = (params.get("weekday") or "").strip()
    if weekday:
        if weekday in {"0", "1", "2", "3", "4", "5", "6"}:
            values["weekday"] = int(weekday)
        else:
            errors["weekday"] = _("Unknown day of the week.")
    target = (params.get("target") or "").strip()
    if target:
        if target in TargetGroup.values:
            values["target"] = target
        else:
            errors["target"] = _("Unknown target group.")
    text = (params.get("q") or "").strip()[:100]
    if text:
        if has_words(text):
            values["text"] = text
        else:
            errors["q"] = _("Type a word to search for: symbols and spaces alone find nothing.")
    return DirectorySearch(**values), errors


def directory(prefecture: str, search: DirectorySearch, *, today: datetime.date | None = None):
    """The published public activities of a prefecture that match ``search``, running today."""
    activities = (
        Activity.objects.public().in_prefecture(prefecture).running_on(today or today_in_japan())
    )
    if search.municipality:
        activities = activities.filter(municipality_id=search.municipality)
    if search.theme:
        activities = activities.filter(themes__id=search.theme)
    if search.weekday is not None:
        activities = activities.on_weekday(search.weekday)
    if search.target:
        activities = activities.for_target(search.target)
    if search.text and search.municipality:
        # A municipality holds a few hundred activities at most: reading their texts beats
        # the trigram index, whose match list for a common word spans the whole country.
        for term in terms_of(search.text):
            activities = activities.filter(search_text__contains=term)
    elif search.text:
        activities = activities.filter(fulltext_q("search_text", search.text, index=SEARCH_INDEX))
    return activities.order_by("municipality_id", "title", "pk")


def get_activity_for_user_or_404(user, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(user).select_related(
            "municipality", "corporation", "network", "prefecture"
        ),
        pk=pk,
    )


def managed_activities(user):
    return (
        Activity.objects.managed_by(user)
        .select_related("municipality", "corporation", "network")
        .prefetch_related("themes")
    )


def get_managed_activity_or_404(user, pk: int) -> Activity:
    return get_object_or_404(managed_activities(user), pk=pk)


def get_reviewable_activity_or_404(user, pk: int) -> Activity:
    return get_object_or_404(Activity.objects.reviewable_by(user), pk=pk)


def can_review(user, activity: Activity) -> bool:
    return Activity.objects.reviewable_by(user).filter(pk=activity.pk).exists()


def can_edit(user, activity: Activity) -> bool:
    """Reviewers correct an activity in any state; its corporation's staff while it is a draft
    (or withdrawn: editing makes it a draft again)."""
    if can_review(user, activity):
        return True
    return activity.state in (ReviewState.DRAFT, ReviewState.WITHDRAWN)


def filtered(activities, form):
    """The staff list filtered by state, municipality and theme (the export uses the same)."""
    if not form.is_bound or not form.is_valid():
        return activities
    data = form.cleaned_data
    if data.get("state"):
        activities = activities.filter(state=data["state"])
    if data.get("municipality"):
        activities = activities.filter(municipality=data["municipality"])
    if data.get("theme"):
        activities = activities.filter(themes=data["theme"])
    return activities.order_by("municipality_id", "title", "pk")


def owners_for(user, prefecture: str | None = None):
    """The corporations and networks a user may create activities for."""
    from sasaeai.accounts.scope import scope_of
    from sasaeai.members.models import Corporation
    from sasaeai.networks.models import MunicipalNetwork

    scope = scope_of(user)
    corporations = Corporation.objects.filter(pk__in=scope.corporation_ids)
    networks = MunicipalNetwork.objects.none()
    if scope.is_center_staff:
        codes = scope.prefecture_codes or {prefecture}
        corporations = (
            Corporation.objects.filter(municipality__prefecture_id__in=codes, closed=None)
            | corporations
        )
        networks = MunicipalNetwork.objects.filter(prefecture_id__in=codes)
    elif scope.municipality_codes:
        networks = MunicipalNetwork.objects.editable_by(user)
    return corporations.order_by("name"), networks.order_by("name")
