"""Reads that depend on who is asking.

The public sees the published cases of the deployment's prefecture; corporation staff their
own, council staff their municipality's, center staff their prefecture's. Not allowed and not
found are the same 404.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from sasaeai.projects.models import Theme
from sasaeai.projects.queries import home_prefecture, manages
from sasaeai.regions.models import Municipality

from .models import Case, CasePhoto, CaseStatus, Consent
from .search import Results

# What a result card shows (the title, the summary, place, year, owner and themes); the long
# texts and the search columns stay in the table.
CARD_FIELDS = (
    "id", "title", "summary", "fiscal_year", "published_at", "municipality__name",
    "corporation__name", "network__name", "network__nickname",
)  # fmt: skip

__all__ = [
    "get_case_for_user_or_404",
    "get_photo_for_user_or_404",
    "get_working_case_or_404",
    "home_prefecture",
    "manages",
    "public_cases",
    "search_published",
    "working_cases",
]


def public_cases(prefecture: str):
    return (
        Case.objects.published()
        .in_prefecture(prefecture)
        .select_related("municipality", "corporation", "network")
    )


def search_published(prefecture: str, *, query="", theme=None, municipality=None, year=None):
    """Published cases matching the free text and the filters, as ``search.Results``
    (``ValidationError`` for a query of symbols only)."""
    cases = public_cases(prefecture)
    if theme is not None:
        cases = cases.filter(themes=theme)
    if municipality is not None:
        # A designated city's wards are its own: their codes, so that the index on the
        # municipality serves the filter (an OR through the join would not).
        wards = Municipality.objects.filter(parent=municipality).values_list("code", flat=True)
        cases = cases.filter(municipality_id__in=[municipality.code, *wards])
    if year is not None:
        cases = cases.filter(fiscal_year=year)
    # A result card shows the title and the summary: the long texts stay in the table.
    cases = (
        cases.only(*CARD_FIELDS)
        .order_by("-published_at", "-pk")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("name", "order", "code")))
    )
    return Results(cases, query)


def _with_details(cases):
    return cases.select_related("municipality", "corporation", "network").prefetch_related(
        "themes", Prefetch("photos", queryset=CasePhoto.objects.order_by("order", "pk"))
    )


def get_case_for_user_or_404(user, pk: int) -> Case:
    return get_object_or_404(_with_details(Case.objects.visible_to(user)), pk=pk)


def get_public_case_or_404(pk: int) -> Case:
    return get_object_or_404(_with_details(Case.objects.published()), pk=pk)


def working_cases(user):
    """The cases a user works on (never other corporations' published ones)."""
    return (
        Case.objects.in_scope_of(user)
        .select_related("municipality", "corporation", "network")
        .prefetch_related("themes")
        .order_by("-updated_at")
    )


def get_working_case_or_404(user, pk: int) -> Case:
    return get_object_or_404(_with_details(Case.objects.in_scope_of(user)), pk=pk)


def get_photo_for_user_or_404(user, pk: int, photo_pk: int) -> CasePhoto:
    """A photo of a case the user may see; the public only when the consent covers photos."""
    case = get_object_or_404(Case.objects.visible_to(user), pk=pk)
    photo = get_object_or_404(case.photos, pk=photo_pk)
    if not Case.objects.in_scope_of(user).filter(pk=case.pk).exists():
        consent = case.current_consent()
        if case.status != CaseStatus.PUBLISHED or consent is None or not consent.includes_photos:
            raise Http404
    return photo


def with_consent_in_force(cases):
    """Cases with their consent in force prefetched (``consents_in_force``), so that
    ``shown_photos`` reads no row per case."""
    in_force = Consent.objects.filter(withdrawn_at__isnull=True).order_by("-given_on", "-pk")
    return cases.prefetch_related(
        Prefetch("consents", queryset=in_force, to_attr="consents_in_force")
    )


def shown_photos(case: Case) -> list[CasePhoto]:
    """The photos a public page shows: none unless the consent covers them."""
    prefetched = getattr(case, "consents_in_force", None)
    if prefetched is None:
        consent = case.current_consent()
    else:
        consent = prefetched[0] if prefetched else None
    if consent is None or not consent.includes_photos:
        return []
    return list(case.photos.all())
