"""Reads that depend on who is asking, shared by pages, exports and the API.

Where each municipality stands and which networks exist is public (the seed publishes it);
documents, minutes, visits and the evidence of a step are for the staff of the area. Not
allowed and not found are the same 404.
"""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404

from sasaeai.accounts.scope import scope_of
from sasaeai.accounts.scope import shown_prefecture as home_prefecture  # noqa: F401 (the views' name)
from sasaeai.core.dates import month_end
from sasaeai.regions.models import Municipality

from .models import FollowUp, MunicipalNetwork, NetworkMember, OutreachVisit, StatusEntry


def networks_of(prefecture: str):
    return (
        MunicipalNetwork.objects.in_prefecture(prefecture)
        .select_related("secretariat")
        .prefetch_related("area")
    )


def get_network_or_404(pk: int) -> MunicipalNetwork:
    return get_object_or_404(
        MunicipalNetwork.objects.select_related("secretariat", "prefecture"), pk=pk
    )


def get_editable_network_or_404(user, pk: int) -> MunicipalNetwork:
    return get_object_or_404(
        MunicipalNetwork.objects.editable_by(user).select_related("secretariat"), pk=pk
    )


def can_edit_network(user, network: MunicipalNetwork) -> bool:
    return MunicipalNetwork.objects.editable_by(user).filter(pk=network.pk).exists()


def members_on(network: MunicipalNetwork, as_of: datetime.date):
    return (
        NetworkMember.objects.filter(network=network, joined_on__lte=as_of)
        .exclude(left_on__lte=as_of)
        .select_related("corporation")
    )


def can_record_status(user, municipality: Municipality) -> bool:
    """Center staff of its prefecture, council staff of the municipality itself."""
    scope = scope_of(user)
    if scope.sees_everything():
        return True
    return (
        municipality.prefecture_id in scope.prefecture_codes
        or municipality.pk in scope.municipality_codes
    )


def sees_evidence(user, prefecture: str) -> bool:
    """Evidence, visits and documents: center staff of the prefecture, council staff in it."""
    scope = scope_of(user)
    return (
        scope.sees_everything()
        or prefecture in scope.prefecture_codes
        or any(code.startswith(prefecture) for code in scope.municipality_codes)
    )


def history_of(municipality: Municipality):
    return (
        StatusEntry.objects.filter(municipality=municipality)
        .select_related("network", "recorded_by", "visit")
        .order_by("effective_on", "id")
    )


def get_local_government_or_404(prefecture: str, code: str) -> Municipality:
    return get_object_or_404(
        Municipality.objects.of_prefecture(prefecture).without_wards(), pk=code
    )


def visible_visits(user):
    return (
        OutreachVisit.objects.visible_to(user)
        .select_related("municipality", "network")
        .prefetch_related("staff", "follow_ups")
    )


def get_visit_for_user_or_404(user, pk: int) -> OutreachVisit:
    return get_object_or_404(visible_visits(user), pk=pk)


def follow_ups_due(user, *, until: datetime.date):
    return (
        FollowUp.objects.filter(
            visit__in=OutreachVisit.objects.visible_to(user), done_on=None, due_on__lte=until
        )
        .select_related("visit__municipality", "visit__network")
        .order_by("due_on", "id")
    )


def slider_dates(prefecture: str, today: datetime.date) -> list[datetime.date]:
    """Month ends from the month of the prefecture's first step to this month (the map's
    slider), at least twelve."""
    first = (
        StatusEntry.objects.in_prefecture(prefecture)
        .order_by("effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )
    start = first or today
    year, month = start.year, start.month
    if (today.year - year) * 12 + today.month - month < 11:
        year, month = divmod(today.year * 12 + today.month - 1 - 11, 12)
        month += 1
    dates = []
    while (year, month) <= (today.year, today.month):
        dates.append(month_end(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates
