"""The membership rate (加入率) as of any date, computed from the dated records.

The seed's definition counts facilities and business offices plus councils: a facility counts
when its corporation is a member on that day; a council when it is. The rate is also given
by corporations and by councils. Wards of a designated city count in the city.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from uuid import uuid4

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from sasaeai.core.dates import fiscal_year, fiscal_year_range

from .models import Corporation, Council, Facility, RegistryVersion
from .models.membership import MEMBER_KINDS, latest_event_kind


@dataclass(frozen=True)
class Target:
    rate: float
    deadline: datetime.date


@dataclass(frozen=True)
class MembershipRate:
    as_of: datetime.date
    prefecture: str
    municipality: str | None
    facilities_total: int
    facilities_member: int
    councils_total: int
    councils_member: int
    corporations_total: int
    corporations_member: int

    @property
    def numerator(self) -> int:
        return self.facilities_member + self.councils_member

    @property
    def denominator(self) -> int:
        return self.facilities_total + self.councils_total

    @property
    def rate(self) -> float | None:
        return _ratio(self.numerator, self.denominator)

    @property
    def by_corporation(self) -> float | None:
        return _ratio(self.corporations_member, self.corporations_total)

    @property
    def by_council(self) -> float | None:
        return _ratio(self.councils_member, self.councils_total)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


_UNREAD = object()


def membership_target_of(prefecture: str | None, *, center=_UNREAD) -> Target | None:
    """The prefecture's membership target (Okayama: 70 % by 2020-03-31): the plan's, else its
    center's setting. The center is read only when the plan sets none (the API's answer then
    costs one query less); a page that has it already passes it."""
    from sasaeai.core.kpis import target_of
    from sasaeai.regions.models import Center

    planned = target_of(prefecture, "membership_rate")
    if planned is not None:
        return Target(planned.value, planned.deadline)
    if center is _UNREAD:
        center = Center.objects.filter(prefecture_id=prefecture).first() if prefecture else None
    data = (center.settings or {}).get("membership_target") if center else None
    if not data:
        return None
    return Target(float(data["rate"]), datetime.date.fromisoformat(data["deadline"]))


def membership_target(center) -> Target | None:
    """The center's membership target: ``membership_target_of`` its prefecture."""
    return membership_target_of(center.prefecture_id if center else None, center=center)


# Whose membership decides: a facility counts with its corporation (the seed's definition).
MEMBER_OF = {
    Facility: {"member_field": "corporation", "outer": "corporation_id"},
    Corporation: {"member_field": "corporation", "outer": "pk"},
    Council: {"member_field": "council", "outer": "pk"},
}
COUNTS = {
    "total": Count("pk"),
    "member": Count("pk", filter=Q(member_state__in=MEMBER_KINDS)),
}


def _with_state(queryset, as_of: datetime.date):
    """Records open on ``as_of``, annotated with the member state that counts for them."""
    return queryset.active_on(as_of).annotate(
        member_state=latest_event_kind(as_of, **MEMBER_OF[queryset.model])
    )


def _counts(queryset, as_of: datetime.date) -> dict:
    return _with_state(queryset, as_of).aggregate(**COUNTS)


def membership_rate(
    *, prefecture: str, as_of: datetime.date, municipality: str | None = None
) -> MembershipRate:
    """The rate in a prefecture, or in one of its municipalities, on ``as_of`` (3 queries)."""

    def area(queryset):
        queryset = queryset.in_prefecture(prefecture)
        return queryset.in_municipality(municipality) if municipality else queryset

    facilities = _counts(area(Facility.objects), as_of)
    corporations = _counts(area(Corporation.objects), as_of)
    councils = Council.objects.in_prefecture(prefecture)
    if municipality:
        councils = councils.in_municipality(municipality)
    council_counts = _counts(councils, as_of)
    return MembershipRate(
        as_of=as_of,
        prefecture=prefecture,
        municipality=municipality,
        facilities_total=facilities["total"],
        facilities_member=facilities["member"],
        councils_total=council_counts["total"],
        councils_member=council_counts["member"],
        corporations_total=corporations["total"],
        corporations_member=corporations["member"],
    )


def _grouped(queryset, as_of: datetime.date) -> dict[str, dict]:
    """Totals and members per municipality (a ward counts in its city)."""
    rows = (
        _with_state(queryset, as_of)
        .annotate(area=Coalesce("municipality__parent_id", "municipality_id"))
        .values("area")
        .annotate(**COUNTS)
    )
    return {row["area"]: row for row in rows}


def membership_rate_by_municipality(
    *, prefecture: str, as_of: datetime.date
) -> dict[str, MembershipRate]:
    """The rate of every municipality of a prefecture on ``as_of`` (3 queries)."""
    facilities = _grouped(Facility.objects.in_prefecture(prefecture), as_of)
    corporations = _grouped(Corporation.objects.in_prefecture(prefecture), as_of)
    councils = _grouped(
        Council.objects.in_prefecture(prefecture).filter(municipality__isnull=False), as_of
    )
    empty = {"total": 0, "member": 0}
    return {
        code: MembershipRate(
            as_of=as_of,
            prefecture=prefecture,
            municipality=code,
            facilities_total=facilities.get(code, empty)["total"],
            facilities_member=facilities.get(code, empty)["member"],
            councils_total=councils.get(code, empty)["total"],
            councils_member=councils.get(code, empty)["member"],
            corporations_total=corporations.get(code, empty)["total"],
            corporations_member=corporations.get(code, empty)["member"],
        )
        for code in sorted(set(facilities) | set(corporations) | set(councils))
    }


def fiscal_year_ends(first: int, as_of: datetime.date) -> list[datetime.date]:
    """The last day of every fiscal year from ``first`` to the one of ``as_of`` (that one:
    ``as_of`` itself when the year is not over)."""
    ends = [fiscal_year_range(year)[1] for year in range(first, fiscal_year(as_of) + 1)]
    return [min(end, as_of) for end in ends]


def month_ends(as_of: datetime.date, *, months: int = 12) -> list[datetime.date]:
    """The last day of each of the ``months`` months up to ``as_of`` (the last one: as_of)."""
    ends = []
    first_of_month = as_of.replace(day=1)
    for _ in range(months):
        ends.append(min(as_of, _next_month(first_of_month) - datetime.timedelta(days=1)))
        first_of_month = (first_of_month - datetime.timedelta(days=1)).replace(day=1)
    return sorted(ends)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


# Cached figures -------------------------------------------------------------------------------
# The rate on a past date changes only when the records change, so figures are cached under a
# version token that every write of the registry or the membership replaces (signals for
# single saves; imports and the generator call ``bump_registry_version`` after bulk writes).
CACHE_SECONDS = 6 * 3600


def registry_version() -> str:
    """The current token (one indexed row)."""
    return RegistryVersion.objects.filter(pk=1).values_list("token", flat=True).first() or "-"


def bump_registry_version() -> None:
    """Replace the token: every cached figure is computed afresh on its next use."""
    from sasaeai.core.versions import bump

    token = uuid4().hex
    if not RegistryVersion.objects.filter(pk=1).update(token=token):
        RegistryVersion.objects.update_or_create(pk=1, defaults={"token": token})
    bump("members")


class Figures:
    """The membership figures of one version of the records, cached across requests."""

    def __init__(self, version: str | None = None) -> None:
        self.version = version or registry_version()

    def _cached(self, name: str, compute, *parts):
        key = ":".join(["members", name, self.version, *map(str, parts)])
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, CACHE_SECONDS)
        return value

    def rate(self, *, prefecture: str, as_of: datetime.date, municipality: str | None = None):
        return self._cached(
            "rate",
            lambda: membership_rate(prefecture=prefecture, as_of=as_of, municipality=municipality),
            prefecture,
            municipality,
            as_of.isoformat(),
        )

    def by_municipality(self, *, prefecture: str, as_of: datetime.date):
        return self._cached(
            "by-municipality",
            lambda: membership_rate_by_municipality(prefecture=prefecture, as_of=as_of),
            prefecture,
            as_of.isoformat(),
        )

    def trend(self, *, prefecture: str, dates: list[datetime.date]) -> list[MembershipRate]:
        return [self.rate(prefecture=prefecture, as_of=date) for date in dates]


# The plan's measure ---------------------------------------------------------------------------
def _plan_rate(prefecture: str, as_of: datetime.date) -> float | None:
    return Figures().rate(prefecture=prefecture, as_of=as_of).rate


def _plan_rate_in(prefecture: str, municipality: str, as_of: datetime.date) -> float | None:
    return Figures().rate(prefecture=prefecture, as_of=as_of, municipality=municipality).rate


def _members_url(prefecture: str, as_of: datetime.date) -> str:
    from django.urls import reverse

    return f"{reverse('members:facility-list')}?member=1&as_of={as_of.isoformat()}"


def plan_kpis():
    from django.utils.translation import gettext_lazy as _

    from sasaeai.core import kpis

    return (
        kpis.Kpi(
            code="membership_rate",
            label=_("Membership rate of facilities, business offices and councils"),
            pillar="momentum",
            unit=kpis.RATE,
            period=kpis.LEVEL,
            measure=_plan_rate,
            measure_series=membership_rate_series,
            measure_municipality=_plan_rate_in,
            depends_on=("members",),
            source=_("Member registry (facilities and councils open on the date)"),
            records_url=_members_url,
        ),
    )


def membership_rate_series(prefecture: str, dates: list[datetime.date]) -> dict:
    """The facility-basis rate (``membership_rate(...).rate``) on each of ``dates``, from three
    reads of the prefecture's facilities, councils and membership events: the plan measures a
    few dozen dates at once, and one pass is far cheaper than three queries per date.

    Each record adds +1 from the day it counts to the day it stops (open: ``[opened, closed)``;
    member: the open days on which its latest event is a join or a change), so a date's figure
    is a prefix sum over the sorted change days."""
    import bisect
    from collections import Counter, defaultdict
    from itertools import accumulate

    from .models import MembershipEvent

    facilities = Facility.objects.in_prefecture(prefecture).values_list(
        "corporation_id", "opened", "closed"
    )
    councils = Council.objects.in_prefecture(prefecture).values_list("pk", "founded", "closed")
    events = (
        MembershipEvent.objects.in_force()
        .filter(
            Q(corporation__in=Facility.objects.in_prefecture(prefecture).values("corporation_id"))
            | Q(council__in=Council.objects.in_prefecture(prefecture).values("pk"))
        )
        .order_by("effective_date", "id")
        .values_list("corporation_id", "council_id", "effective_date", "kind")
    )
    changes: dict[tuple[str, int], list] = defaultdict(list)
    for corporation_id, council_id, effective, kind in events:
        key = ("corporation", corporation_id) if corporation_id else ("council", council_id)
        changes[key].append((effective, kind in MEMBER_KINDS))
    spans: dict[tuple[str, int], list] = {}
    for key, steps in changes.items():  # the days from which each member is one, and to which
        runs, start = [], None
        for day, is_member in steps:
            if is_member and start is None:
                start = day
            elif not is_member and start is not None:
                if start < day:
                    runs.append((start, day))
                start = None
        if start is not None:
            runs.append((start, None))
        spans[key] = runs

    total, member = Counter(), Counter()

    def add(counter, start, end) -> None:
        counter[start] += 1
        if end is not None:
            counter[end] -= 1

    def count(key, opened, closed) -> None:
        opened = opened or datetime.date.min
        if closed is not None and closed <= opened:
            return
        add(total, opened, closed)
        for start, end in spans.get(key, ()):
            first = max(start, opened)
            last = end if closed is None else (closed if end is None else min(end, closed))
            if last is None or first < last:
                add(member, first, last)

    for corporation_id, opened, closed in facilities:
        count(("corporation", corporation_id), opened, closed)
    for council_id, founded, closed in councils:
        count(("council", council_id), founded, closed)

    def on(counter):
        days = sorted(counter)
        sums = list(accumulate(counter[day] for day in days))
        return lambda day: sums[i - 1] if (i := bisect.bisect_right(days, day)) else 0

    total_on, member_on = on(total), on(member)
    return {day: _ratio(member_on(day), total_on(day)) for day in dates}
