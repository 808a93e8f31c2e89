"""The public site: home, about the center, contact, privacy policy, open data, sitemap."""

from __future__ import annotations

from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.db.models import Count, Max, Min, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sasaeai.core.access import public
from sasaeai.core.pillars import PILLARS
from sasaeai.core.publiccache import cached_public_page
from sasaeai.regions.models import Center

from . import opendata
from .models import NewsPost
from .progress import plan_progress, progress_version
from .queries import shown_prefecture

LATEST_NEWS = 5
UPCOMING_EVENTS = 5


def _center_or_none(request) -> Center | None:
    """The center the public pages are shown for (none in a fresh installation)."""
    try:
        prefecture = shown_prefecture(request.user)
    except Http404:
        return None
    return Center.objects.filter(prefecture_id=prefecture).select_related("prefecture").first()


def _center(request) -> Center:
    center = _center_or_none(request)
    if center is None:
        raise Http404
    return center


def _events_version(prefecture: str) -> tuple:
    """Public events change when one is added, published, cancelled or its sessions move
    (two queries)."""
    from sasaeai.events.models import Audience, Event, EventStatus, Session

    events = (
        Event.objects.in_prefecture(prefecture)
        .filter(audience=Audience.PUBLIC)
        .exclude(status=EventStatus.DRAFT)
    )
    row = events.aggregate(
        n=Count("pk"), last=Max("pk"), shown=Count("pk", filter=Q(status=EventStatus.PUBLISHED))
    )
    sessions = Session.objects.filter(event__in=events.values("pk")).aggregate(
        n=Count("pk"), last=Max("pk"), first=Min("starts_at"), end=Max("ends_at")
    )
    return (tuple(row.values()), tuple(sessions.values()))


def home_version(request, *args, **kwargs) -> tuple:
    center = _center_or_none(request)
    if center is None:
        return (None, timezone.localdate())
    prefecture = center.prefecture_id
    return (
        prefecture,
        timezone.localdate(),
        repr(sorted((center.settings or {}).items())),
        NewsPost.objects.in_prefecture(prefecture).published().version(),
        _events_version(prefecture),
        progress_version(prefecture),
    )


def upcoming_events(prefecture: str, *, now=None):
    """Public events still to come, soonest first, with their first session's time (one
    query)."""
    from sasaeai.events.models import EventStatus

    now = now or timezone.now()
    return (
        opendata.public_events(prefecture)
        .filter(status=EventStatus.PUBLISHED, last_end__gte=now)
        .order_by("first_start", "pk")[:UPCOMING_EVENTS]
    )


@public
@cached_public_page(home_version)
def home(request):
    center = _center_or_none(request)
    if center is None:  # a fresh installation: the pillars only
        return render(request, "publishing/home.html", {"pillars": PILLARS})
    prefecture = center.prefecture_id
    context = {
        "center": center,
        "pillars": PILLARS,
        "news": NewsPost.objects.in_prefecture(prefecture).published()[:LATEST_NEWS],
        "events": upcoming_events(prefecture),
        "progress": plan_progress(center, today=timezone.localdate()),
    }
    return render(request, "publishing/home.html", context)


def _proposals_version(request, *args, **kwargs) -> tuple:
    from sasaeai.proposals.models import Proposal

    center = _center(request)
    row = (
        Proposal.objects.in_prefecture(center.prefecture_id)
        .published()
        .aggregate(n=Count("pk"), changed=Max("updated_at"))
    )
    return (center.pk, repr(center.settings), center.name, tuple(row.values()))


@public
@cached_public_page(_proposals_version)
def about(request):
    from sasaeai.proposals.models import Proposal

    center = _center(request)
    proposals = (
        Proposal.objects.in_prefecture(center.prefecture_id)
        .published()
        .order_by("-published_on")[:5]
    )
    return render(
        request,
        "publishing/about.html",
        {"center": center, "pillars": PILLARS, "proposals": proposals},
    )


def _center_version(request, *args, **kwargs) -> tuple:
    center = _center(request)
    return (
        center.name,
        center.short_name,
        center.operator,
        center.address,
        center.phone,
        center.email,
        repr(center.settings),
    )


@public
@cached_public_page(_center_version)
def contact(request):
    return render(request, "publishing/contact.html", {"center": _center(request)})


@public
@cached_public_page(_center_version)
def privacy(request):
    from sasaeai.core import privacy as register

    center = _center(request)
    context = {
        "center": center,
        "register": register.public_register(center.settings),
        "retention_years": register.retention_years_of(center.settings),
    }
    return render(request, "publishing/privacy.html", context)


@public
@cached_public_page(_center_version)
def open_data(request):
    center = _center(request)
    return render(
        request,
        "publishing/open_data.html",
        {"center": center, "datasets": opendata.DATASETS, "licence": opendata.licence(center)},
    )


def _open_events_version(request, *args, **kwargs) -> tuple:
    prefecture = shown_prefecture(request.user)
    return (prefecture, _events_version(prefecture))


@public
@cached_public_page(_open_events_version)
def open_data_events(request):
    content = opendata.events_csv(shown_prefecture(request.user))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="events.csv"'
    return response


@public
def sitemap(request, sitemaps: dict):
    """``sitemap.xml`` over the sitemaps the project composes (see ``sasaeai/urls.py``)."""
    return django_sitemap(request, sitemaps=sitemaps)
