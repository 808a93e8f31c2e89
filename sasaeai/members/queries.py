"""Reads that depend on who is asking: every page, export and API of members goes through here.

Not allowed and not found are the same 404.
"""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404

from . import kpis
from .filters import today_in_japan
from .models import (
    Corporation,
    CorporationQuerySet,
    Council,
    Dues,
    Facility,
    FacilityKind,
    MembershipApplication,
    MembershipEvent,
)
from .models.membership import MEMBER_KINDS


def visible_corporations(user) -> CorporationQuerySet:
    return Corporation.objects.visible_to(user).select_related(
        "municipality__parent", "sector_group"
    )


def get_corporation_for_user_or_404(user, pk: int) -> Corporation:
    """The corporation ``pk`` if ``user`` may see it; otherwise the same 404 as a missing one."""
    return get_object_or_404(visible_corporations(user), pk=pk)


def get_editable_corporation_or_404(user, pk: int) -> Corporation:
    return get_object_or_404(
        Corporation.objects.editable_by(user).select_related("municipality"), pk=pk
    )


def can_edit_corporation(user, corporation: Corporation) -> bool:
    return Corporation.objects.editable_by(user).filter(pk=corporation.pk).exists()


def visible_facilities(user):
    return Facility.objects.visible_to(user).select_related(
        "corporation", "kind", "municipality__parent"
    )


def get_facility_for_user_or_404(user, pk: int) -> Facility:
    return get_object_or_404(visible_facilities(user), pk=pk)


def can_edit_facility(user, facility: Facility) -> bool:
    return Facility.objects.editable_by(user).filter(pk=facility.pk).exists()


def get_editable_facility_or_404(user, pk: int) -> Facility:
    return get_object_or_404(
        Facility.objects.editable_by(user).select_related("municipality"), pk=pk
    )


def visible_councils(user):
    return Council.objects.visible_to(user).select_related("municipality__parent")


def get_council_for_user_or_404(user, pk: int) -> Council:
    return get_object_or_404(visible_councils(user), pk=pk)


def facility_kinds():
    return FacilityKind.objects.filter(is_active=True)


def membership_events_of(member):
    field = "corporation" if isinstance(member, Corporation) else "council"
    return (
        MembershipEvent.objects.filter(**{field: member})
        .select_related("member_type", "recorded_by")
        .prefetch_related("facilities")
        .order_by("effective_date", "id")
    )


def get_membership_event_for_user_or_404(user, pk: int) -> MembershipEvent:
    return get_object_or_404(
        MembershipEvent.objects.visible_to(user).select_related(
            "corporation__municipality", "council"
        ),
        pk=pk,
    )


def is_member_today(corporation: Corporation) -> bool:
    state = (
        Corporation.objects.with_member_state(today_in_japan())
        .filter(pk=corporation.pk)
        .values_list("member_state", flat=True)
        .first()
    )
    return state in MEMBER_KINDS


def pending_applications(user):
    return (
        MembershipApplication.objects.visible_to(user)
        .pending()
        .select_related("corporation__municipality__parent", "member_type", "applied_by")
    )


def get_application_for_user_or_404(user, pk: int) -> MembershipApplication:
    return get_object_or_404(
        MembershipApplication.objects.visible_to(user).select_related(
            "corporation__municipality", "member_type", "applied_by"
        ),
        pk=pk,
    )


def chosen_fiscal_year(text: str | None) -> int:
    """The fiscal year asked for (2019, H31, 令和元年度 ...), else the current one."""
    from sasaeai.core.dates import JapaneseDateError, fiscal_year, parse_fiscal_year

    if text:
        try:
            return parse_fiscal_year(text)
        except JapaneseDateError:
            pass
    return fiscal_year(today_in_japan())


def dues_of_year(user, *, prefecture: str, fiscal_year: int):
    return list(
        Dues.objects.visible_to(user)
        .in_prefecture(prefecture)
        .filter(fiscal_year=fiscal_year)
        .select_related("corporation", "council", "member_type")
        .order_by("paid_on", "corporation__name_kana", "council__name")
    )


def dues_totals(dues: list) -> dict:
    paid = [d.amount for d in dues if d.paid_on]
    unpaid = [d.amount for d in dues if not d.paid_on]
    return {
        "paid": sum(paid),
        "paid_count": len(paid),
        "unpaid": sum(unpaid),
        "unpaid_count": len(unpaid),
    }


def get_dues_for_user_or_404(user, pk: int):
    return get_object_or_404(
        Dues.objects.visible_to(user).select_related("corporation__municipality", "council"), pk=pk
    )


def rates_by_municipality(
    figures: kpis.Figures, *, prefecture: str, as_of: datetime.date
) -> list[tuple]:
    """(municipality, rate) for every municipality of the prefecture, wards folded in."""
    from sasaeai.regions.models import Municipality

    rates = figures.by_municipality(prefecture=prefecture, as_of=as_of)
    municipalities = Municipality.objects.of_prefecture(prefecture).without_wards().active()
    return [(municipality, rates.get(municipality.code)) for municipality in municipalities]
