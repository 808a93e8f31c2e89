"""The public pages of the registry: directory with map, activity and municipality pages
(no login, cached per version of what they show) and the open data."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from sasaeai.core.access import public
from sasaeai.core.publiccache import cached_public_page
from sasaeai.events.models import Event
from sasaeai.members.filters import today_in_japan
from sasaeai.networks.models import StatusEntry
from sasaeai.projects.models import Theme
from sasaeai.regions.maps import PointInput, colour, place_points, prefecture_map
from sasaeai.regions.models import Municipality

from .. import queries
from .. import schedule as schedules
from ..forms import SendBackForm
from ..models import Activity, TargetGroup

PAGE_SIZE = 30
NEXT_DATES = 5


def _prefecture(request) -> str:
    """The prefecture the page is for, found once per request (the version needs it too)."""
    if not hasattr(request, "_activities_prefecture"):
        request._activities_prefecture = queries.home_prefecture(request.user)
    return request._activities_prefecture


def _prefecture_version(request, *args, **kwargs):
    prefecture = _prefecture(request)
    return (prefecture, today_in_japan(), Activity.objects.in_prefecture(prefecture).version())


class _FirstPage(Paginator):
    """A paginator that counts nothing when the first page holds every result (the usual
    narrow search): one query instead of two."""

    def __init__(self, object_list, per_page, number):
        super().__init__(object_list, per_page)
        self._rows = None
        if str(number or "1") == "1":
            rows = list(object_list[: per_page + 1])
            if len(rows) <= per_page:
                self._rows = rows
                self.__dict__["count"] = len(rows)

    def page(self, number):
        if self._rows is not None:
            return self._get_page(self._rows, 1, self)
        return super().page(number)


def _points(activities) -> list[PointInput]:
    return [
        PointInput(
            activity.municipality_id,
            activity.latitude,
            activity.longitude,
            activity.title,
            reverse("activities:detail", args=[activity.pk]),
        )
        for activity in activities
    ]


def _map(prefecture: str, activities, *, highlight: str | None = None) -> dict:
    drawn = prefecture_map(prefecture)
    fills = {highlight: "map-highlight"} if highlight else {}
    colours = {highlight: "#fde7b0"} if highlight else {}
    return {
        "map": drawn,
        "shapes": colour(drawn, fills, colours=colours),
        "points": place_points(drawn, _points(activities)),
    }


@public
@cached_public_page(_prefecture_version)
def directory(request):
    prefecture = _prefecture(request)
    themes = list(Theme.objects.in_prefecture(prefecture).filter(active=True))
    municipalities = list(Municipality.objects.of_prefecture(prefecture).without_wards().active())
    search, errors = queries.parse_search(
        request.GET,
        prefecture,
        theme_ids={theme.pk for theme in themes},
        municipality_codes={municipality.code for municipality in municipalities},
    )
    activities = queries.directory(prefecture, search).select_related("municipality")
    number = request.GET.get("page")
    page = _FirstPage(activities, PAGE_SIZE, number).get_page(number)
    shown = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "activities/directory.html",
        {
            "page": page,
            "activities": shown,
            "search": search,
            "errors": errors,
            "query": query.urlencode(),
            "themes": themes,
            "municipalities": municipalities,
            "weekdays": queries.WEEKDAY_CHOICES,
            "targets": TargetGroup.choices,
            **_map(prefecture, shown),
        },
    )


def _activity_version(request, pk: int):
    row = Activity.objects.filter(pk=pk).values_list("updated_at", flat=True).first()
    return (row, today_in_japan())


@public
@cached_public_page(_activity_version)
def activity_detail(request, pk: int):
    activity = queries.get_activity_for_user_or_404(request.user, pk)
    today = today_in_japan()
    managed = Activity.objects.managed_by(request.user).filter(pk=pk).exists()
    reviewer = managed and queries.can_review(request.user, activity)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "themes": list(activity.themes.all()),
            "next_dates": schedules.occurrences(
                activity.schedule_rule,
                after=max(today, activity.schedule.starts_on),
                before=activity.ended_on + datetime.timedelta(days=1)
                if activity.ended_on
                else None,
                limit=NEXT_DATES,
            ),
            "managed": managed,
            "reviewer": reviewer,
            "can_edit": managed and queries.can_edit(request.user, activity),
            "send_back_form": SendBackForm() if reviewer else None,
        },
    )


def _municipality_version(request, code: str):
    prefecture = code[:2]
    return (
        today_in_japan(),
        Activity.objects.in_prefecture(prefecture).version(),
        StatusEntry.objects.filter(municipality_id=code).count(),
        Event.objects.in_prefecture(prefecture).count(),
    )


@public
@cached_public_page(_municipality_version)
def municipality_detail(request, code: str):
    prefecture = queries.home_prefecture(request.user)
    municipality = get_object_or_404(
        Municipality.objects.of_prefecture(prefecture).without_wards(), pk=code
    )
    today = today_in_japan()
    status = (
        StatusEntry.objects.filter(municipality=municipality)
        .on(today)
        .latest_first()
        .select_related("network")
        .first()
    )
    activities = list(
        queries.directory(prefecture, queries.DirectorySearch(municipality=code)).prefetch_related(
            "themes"
        )
    )
    events = (
        Event.objects.visible_to(None)
        .in_prefecture(prefecture)
        .upcoming_in(municipality.name, timezone.now())
        .prefetch_related("sessions")[:10]
    )
    return render(
        request,
        "activities/municipality_detail.html",
        {
            "municipality": municipality,
            "status": status,
            "activities": activities,
            "events": events,
            **_map(prefecture, activities, highlight=code),
        },
    )


# Staff ----------------------------------------------------------------------------------------


def _open_data_version(request):
    from ..opendata import licence_of

    prefecture = queries.home_prefecture(request.user)
    return (_prefecture_version(request), licence_of(prefecture))


@public
@cached_public_page(_open_data_version)
def open_data_hsds(request):
    from ..opendata import hsds_response

    return hsds_response(queries.home_prefecture(request.user))


@public
@cached_public_page(_open_data_version)
def open_data_csv(request):
    from ..opendata import csv_response

    return csv_response(queries.home_prefecture(request.user))


@public
def open_data(request):
    from ..opendata import licence_of

    prefecture = queries.home_prefecture(request.user)
    return render(request, "activities/open_data.html", {"licence": licence_of(prefecture)})
