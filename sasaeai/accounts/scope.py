"""A user's scope, computed once per request from their roles.

Every app's ``visible_to(user)`` builds its filter from this one object, so that pages, API,
exports and dashboards agree on who sees what.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from .models import Role


@dataclass(frozen=True)
class Scope:
    is_authenticated: bool = False
    is_superuser: bool = False
    prefecture_codes: frozenset[str] = field(default_factory=frozenset)
    center_ids: frozenset[int] = field(default_factory=frozenset)
    municipality_codes: frozenset[str] = field(default_factory=frozenset)
    corporation_ids: frozenset[int] = field(default_factory=frozenset)
    corporation_prefecture_codes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_center_staff(self) -> bool:
        return self.is_superuser or bool(self.center_ids)

    @property
    def home_prefecture(self) -> str | None:
        """The prefecture a user works in: their center's, else their municipality's (the first
        two digits of its code), else their corporation's."""
        candidates = (
            sorted(self.prefecture_codes)
            or sorted(code[:2] for code in self.municipality_codes)
            or sorted(self.corporation_prefecture_codes)
        )
        return candidates[0] if candidates else None

    def sees_everything(self) -> bool:
        return self.is_superuser

    def area_q(self, path: str) -> Q:
        """Records whose municipality (at ``path``) lies in this scope's prefectures or
        municipalities; a designated city's council also covers its wards."""
        if self.is_superuser:
            return Q()
        q = Q(pk__in=[])
        if self.prefecture_codes:
            q |= Q(**{f"{path}__prefecture_id__in": self.prefecture_codes})
        if self.municipality_codes:
            q |= Q(**{f"{path}__in": self.municipality_codes})
            q |= Q(**{f"{path}__parent_id__in": self.municipality_codes})
        return q

    def prefecture_q(self, path: str) -> Q:
        """Records that belong to one of this scope's prefectures (center staff's view)."""
        if self.is_superuser:
            return Q()
        return (
            Q(**{f"{path}__in": self.prefecture_codes}) if self.prefecture_codes else Q(pk__in=[])
        )


ANONYMOUS = Scope()


def scope_of(user) -> Scope:
    """The scope of ``user`` (anonymous: empty), cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_sasaeai_scope", None)
    if cached is not None:
        return cached
    prefectures, centers, municipalities, corporations = set(), set(), set(), set()
    corporation_prefectures = set()
    rows = user.roles.values_list(
        "role",
        "center_id",
        "center__prefecture_id",
        "municipality_id",
        "corporation_id",
        "corporation__municipality__prefecture_id",
    )
    for role, center_id, prefecture_code, municipality_code, corporation_id, corp_pref in rows:
        if role == Role.CENTER_STAFF:
            centers.add(center_id)
            prefectures.add(prefecture_code)
        elif role == Role.COUNCIL_STAFF:
            municipalities.add(municipality_code)
        elif role == Role.CORPORATION_STAFF:
            corporations.add(corporation_id)
            corporation_prefectures.add(corp_pref)
    scope = Scope(
        is_authenticated=True,
        is_superuser=user.is_superuser,
        prefecture_codes=frozenset(prefectures),
        center_ids=frozenset(centers),
        municipality_codes=frozenset(municipalities),
        corporation_ids=frozenset(corporations),
        corporation_prefecture_codes=frozenset(corporation_prefectures),
    )
    user._sasaeai_scope = scope
    return scope


def shown_prefecture(user) -> str:
    """The prefecture a page is shown for: the user's own (``Scope.home_prefecture``), else
    the deployment's center's (``Center.objects.for_display``); none at all is a 404."""
    from django.http import Http404

    from sasaeai.regions.models import Center

    prefecture = scope_of(user).home_prefecture
    if prefecture is None:
        center = Center.objects.for_display()
        prefecture = center.prefecture_id if center else None
    if prefecture is None:
        raise Http404
    return prefecture


class CenterScopedQuerySet(models.QuerySet):
    """Records that belong to one center's prefecture, reached at ``prefecture_path``: the
    prefecture's records, and those the center staff of a user manage."""

    prefecture_path = "prefecture_id"

    def in_prefecture(self, code: str):
        return self.filter(**{self.prefecture_path: code})

    def managed_by(self, user):
        scope = scope_of(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(scope.prefecture_q(self.prefecture_path))
