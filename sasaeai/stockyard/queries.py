"""Reads that depend on who is asking.

Staff of a prefecture (center, council, corporation staff) see its locations, catalogue and
stock, so that they can refer a household to the right place; writes to a location are for its
keepers (``Location.objects.kept_by``). A referral and its household are seen only by those
handling the case: the referring corporation's or council's staff, the keepers of its location
and the center's staff. Not allowed and not found are the same 404.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from sasaeai.accounts.scope import scope_of

from .models import Campaign, Donation, Item, Location, Referral, SupportRule


def _prefectures(user) -> set[str] | None:
    """The prefectures whose stockyard a user works in (None: all, for superusers)."""
    scope = scope_of(user)
    if scope.sees_everything():
        return None
    if not scope.is_authenticated:
        return set()
    codes = set(scope.prefecture_codes)
    codes |= {code[:2] for code in scope.municipality_codes}
    codes |= set(scope.corporation_prefecture_codes)
    return codes


def _in_prefectures(queryset, user, path: str):
    codes = _prefectures(user)
    return queryset if codes is None else queryset.filter(**{f"{path}__in": codes})


def locations_for(user):
    return _in_prefectures(Location.objects.all(), user, "prefecture_id")


def items_for(user):
    return _in_prefectures(Item.objects.all(), user, "prefecture_id")


def campaigns_for(user):
    return _in_prefectures(Campaign.objects.all(), user, "prefecture_id")


def managed_locations(user):
    """The locations whose details a user may change: center staff their prefecture's, council
    staff their municipality's (``actions.manages``)."""
    return Location.objects.filter(scope_of(user).area_q("municipality"))


def placeable_municipalities(user):
    """Where a user may place a new location (``actions.may_place_in``); a superuser, in the
    prefecture the pages are shown for."""
    from sasaeai.accounts.scope import shown_prefecture
    from sasaeai.regions.models import Municipality

    scope = scope_of(user)
    active = Municipality.objects.active()
    if scope.sees_everything():
        return active.of_prefecture(shown_prefecture(user))
    codes = scope.municipality_codes
    return active.filter(
        Q(prefecture_id__in=scope.prefecture_codes) | Q(pk__in=codes) | Q(parent_id__in=codes)
    )


def donations_for(user):
    """Donations (their donors' names and addresses) are for the keepers of their location."""
    return Donation.objects.filter(location__in=Location.objects.kept_by(user))


def referrals_for(user):
    """The referrals a user handles: made by their corporation or council, at a location they
    keep, or, for center staff, in their prefecture."""
    scope = scope_of(user)
    if scope.sees_everything():
        return Referral.objects.all()
    if not scope.is_authenticated:
        return Referral.objects.none()
    q = Q(location__in=Location.objects.kept_by(user))
    if scope.corporation_ids:
        q |= Q(referring_corporation_id__in=scope.corporation_ids)
    if scope.municipality_codes:
        q |= Q(
            referring_corporation__isnull=True,
            referring_municipality_id__in=scope.municipality_codes,
        )
    return Referral.objects.filter(q)


def get_location_or_404(user, pk) -> Location:
    return get_object_or_404(locations_for(user), pk=pk)


def get_kept_location_or_404(user, pk) -> Location:
    return get_object_or_404(Location.objects.kept_by(user), pk=pk)


def get_managed_location_or_404(user, pk) -> Location:
    return get_object_or_404(managed_locations(user).select_related("municipality"), pk=pk)


def get_referral_or_404(user, pk) -> Referral:
    return get_object_or_404(
        referrals_for(user).select_related(
            "household", "location", "referring_corporation", "referring_municipality"
        ),
        pk=pk,
    )


def support_rules_for(user):
    """The support limits in the user's prefectures: read by every referrer."""
    return _in_prefectures(SupportRule.objects.all(), user, "prefecture_id")


def get_managed_rule_or_404(user, pk) -> SupportRule:
    """A support limit that the user, as the center's staff of its prefecture, may change."""
    return get_object_or_404(SupportRule.objects.managed_by(user), pk=pk)


def get_donation_or_404(user, pk) -> Donation:
    return get_object_or_404(donations_for(user).select_related("location", "campaign"), pk=pk)


def referrers_of(user) -> dict:
    """The organisations a user may refer for: ``{"corporations": [...], "municipalities":
    [...]}`` (their corporations; their councils' municipalities)."""
    from sasaeai.members.models import Corporation
    from sasaeai.regions.models import Municipality

    scope = scope_of(user)
    if not scope.is_authenticated:
        raise Http404
    return {
        "corporations": list(Corporation.objects.filter(pk__in=scope.corporation_ids)),
        "municipalities": list(Municipality.objects.filter(pk__in=scope.municipality_codes)),
    }
