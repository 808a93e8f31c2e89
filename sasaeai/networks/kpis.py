"""The plan's second target as of any date: municipal areas with a network (Okayama: 15 by
2020-03-31), and where each of the prefecture's municipalities stands.

Computed from the dated records only: a network counts from its founding date until it is
dissolved; a municipality's status is its latest ``StatusEntry`` on or before the date.
Municipalities are local governments: a designated city counts once, its wards folded in.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from sasaeai.regions.models import Municipality

from .models import (
    CONSIDERING,
    STATUS_COLOURS,
    STATUS_ORDER,
    WITH_NETWORK,
    MunicipalNetwork,
    Status,
    latest_status,
)


@dataclass(frozen=True)
class Target:
    value: int
    deadline: datetime.date


def network_target(center) -> Target | None:
    """The center's network target (Okayama: 15 areas by 2020-03-31): the plan's, else the
    center's setting."""
    from sasaeai.core.kpis import target_of

    planned = target_of(center.prefecture_id if center else None, "networks_established")
    if planned is not None:
        return Target(int(planned.value), planned.deadline)
    data = (center.settings or {}).get("network_target") if center else None
    if not data:
        return None
    return Target(int(data["value"]), datetime.date.fromisoformat(data["deadline"]))


@dataclass(frozen=True)
class MunicipalityStatus:
    municipality: Municipality
    status: str
    since: datetime.date | None
    network: MunicipalNetwork | None
    source: str = ""

    @property
    def label(self) -> str:
        return Status(self.status).label

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]


def municipality_statuses(*, prefecture: str, as_of: datetime.date) -> list[MunicipalityStatus]:
    """Every municipality of the prefecture with its status on ``as_of`` (2 queries)."""
    municipalities = list(
        Municipality.objects.of_prefecture(prefecture)
        .without_wards()
        .active()
        .annotate(
            status_on=latest_status(as_of),
            since_on=latest_status(as_of, "effective_on"),
            network_on=latest_status(as_of, "network_id"),
            source_on=latest_status(as_of, "source"),
        )
        .order_by("code")
    )
    network_ids = {m.network_on for m in municipalities if m.network_on}
    networks = MunicipalNetwork.objects.in_bulk(network_ids) if network_ids else {}
    return [
        MunicipalityStatus(
            municipality=m,
            status=m.status_on or Status.NONE,
            since=m.since_on,
            network=networks.get(m.network_on),
            source=m.source_on or "",
        )
        for m in municipalities
    ]


@dataclass(frozen=True)
class NetworkFigures:
    as_of: datetime.date
    prefecture: str
    established: int  # networks (areas) established and not dissolved
    by_status: dict[str, int]  # municipalities by status

    @property
    def municipalities_total(self) -> int:
        return sum(self.by_status.values())

    @property
    def municipalities_established(self) -> int:
        return sum(self.by_status.get(status, 0) for status in WITH_NETWORK)

    @property
    def municipalities_considering(self) -> int:
        return sum(self.by_status.get(status, 0) for status in CONSIDERING)

    @property
    def municipalities_none(self) -> int:
        return self.by_status.get(Status.NONE, 0)

    @property
    def municipalities_engaged(self) -> int:
        """With a network or considering one (the seed's "18 of 27")."""
        return self.municipalities_established + self.municipalities_considering

    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in the order of the way."""
        return [(s.value, s.label, self.by_status.get(s, 0)) for s in STATUS_ORDER]


def network_figures(
    *, prefecture: str, as_of: datetime.date, statuses: list[MunicipalityStatus] | None = None
) -> NetworkFigures:
    """The counts on ``as_of`` (3 queries, or 1 when the statuses are already at hand)."""
    if statuses is None:
        statuses = municipality_statuses(prefecture=prefecture, as_of=as_of)
    established = MunicipalNetwork.objects.in_prefecture(prefecture).established_on(as_of).count()
    return NetworkFigures(
        as_of=as_of,
        prefecture=prefecture,
        established=established,
        by_status=dict(Counter(entry.status for entry in statuses)),
    )


# The plan's measures --------------------------------------------------------------------------
def _established(prefecture: str, as_of: datetime.date) -> int:
    return MunicipalNetwork.objects.in_prefecture(prefecture).established_on(as_of).count()


def _engaged(prefecture: str, as_of: datetime.date) -> int:
    return network_figures(prefecture=prefecture, as_of=as_of).municipalities_engaged


def _engaged_in(prefecture: str, municipality: str, as_of: datetime.date) -> int:
    """1 when the municipality has a network or is considering one on the date, else 0."""
    status = (
        Municipality.objects.filter(code=municipality)
        .annotate(status_on=latest_status(as_of))
        .values_list("status_on", flat=True)
        .first()
    )
    return int(status in set(WITH_NETWORK) | set(CONSIDERING))


def _overview_url(prefecture: str, as_of: datetime.date) -> str:
    from django.urls import reverse

    return f"{reverse('networks:overview')}?as_of={as_of.isoformat()}"


def plan_kpis():
    from django.utils.translation import gettext_lazy as _

    from sasaeai.core import kpis

    return (
        kpis.Kpi(
            code="networks_established",
            label=_("Municipal areas with a network"),
            pillar="networks",
            unit=kpis.COUNT,
            period=kpis.LEVEL,
            measure=_established,
            measure_series=established_series,
            depends_on=("networks",),
            source=_("Network registry (founding and dissolution dates)"),
            records_url=_overview_url,
        ),
        kpis.Kpi(
            code="municipalities_engaged",
            label=_("Municipalities with a network or considering one"),
            pillar="networks",
            unit=kpis.COUNT,
            period=kpis.LEVEL,
            measure=_engaged,
            measure_series=engaged_series,
            measure_municipality=_engaged_in,
            depends_on=("networks",),
            source=_("Dated status of each municipality"),
            records_url=_overview_url,
        ),
    )


def established_series(prefecture: str, dates: list[datetime.date]) -> dict:
    """``_established`` on each of ``dates`` from one read of the networks' dates."""
    spans = list(
        MunicipalNetwork.objects.in_prefecture(prefecture).values_list(
            "established_on", "dissolved_on"
        )
    )
    return {
        day: sum(
            1
            for start, end in spans
            if start is not None and start <= day and (end is None or end > day)
        )
        for day in dates
    }


def engaged_series(prefecture: str, dates: list[datetime.date]) -> dict:
    """``_engaged`` on each of ``dates``: every municipality's entries read once, and its latest
    on each date taken by bisection (the order of ``latest_first``: date, then entry)."""
    import bisect
    from collections import defaultdict

    from .models import StatusEntry

    codes = set(
        Municipality.objects.of_prefecture(prefecture)
        .without_wards()
        .active()
        .values_list("code", flat=True)
    )
    entries: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    rows = (
        StatusEntry.objects.filter(municipality_id__in=codes)
        .order_by("effective_on", "id")
        .values_list("municipality_id", "effective_on", "status")
    )
    for code, effective, status in rows:
        entries[code][0].append(effective)
        entries[code][1].append(status)
    engaged = set(WITH_NETWORK) | set(CONSIDERING)
    result = {}
    for day in dates:
        count = 0
        for days, statuses in entries.values():
            index = bisect.bisect_right(days, day)
            count += index > 0 and statuses[index - 1] in engaged
        result[day] = count
    return result
