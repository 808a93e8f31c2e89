"""The registry of the plan's measures (KPIs): each is defined in code by the app that owns its
records and registered under a stable code, so that a plan's target names what it counts
(``membership_rate``, ``networks_established`` ...) and the figure always comes from the
dated records.

An app registers its KPIs in its ``AppConfig.ready``; the plan reads the registry and never
the apps' tables. ``core`` imports no app: a KPI carries its own functions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = ["Kpi", "UnknownKpi", "get", "register", "registered"]

# How a figure behaves over time.
LEVEL = "level"  # a state on the date (a rate, a count of what exists): compare on the date
YEARLY = "yearly"  # counted within the fiscal year of the date, from its April 1
PERIODS = {LEVEL: _("on the date"), YEARLY: _("in the fiscal year")}

RATE = "rate"  # 0..1, shown as a percentage
COUNT = "count"
UNITS = {RATE: "%", COUNT: _("count unit")}


class UnknownKpi(LookupError):
    """No app registered a KPI under this code."""


@dataclass(frozen=True)
class Kpi:
    code: str
    label: Promise
    pillar: str  # slug of core.pillars
    unit: str  # RATE or COUNT
    period: str  # LEVEL or YEARLY
    # The figure of a prefecture on a date (None: nothing to measure yet, e.g. no survey).
    measure: Callable[[str, datetime.date], float | int | None]
    # Names of the version tokens (core.versions) whose records the figure reads.
    depends_on: tuple[str, ...]
    source: Promise  # where the figure comes from, for the KPI table's 出典
    # The page listing the records behind the figure: (prefecture, date) → URL, or None.
    records_url: Callable[[str, datetime.date], str | None] | None = None
    note: Promise | str = ""
    # The version names the figure of one day reads, when narrower than ``depends_on`` (a
    # yearly count reads its fiscal year's records only: a write in another year keeps it).
    versions_on: Callable[[datetime.date], tuple[str, ...]] | None = None
    # The figure of one municipality, for councils' dashboards (None: not measured there).
    measure_municipality: Callable[[str, str, datetime.date], float | int | None] | None = field(
        default=None
    )
    # The figures of a prefecture on many dates at once (optional): (prefecture, dates) → {date:
    # figure}, the same values as ``measure`` for each date, in a few queries whatever the number
    # of dates. A dashboard measures a target on some 50 dates (its chart's month ends): after a
    # write, one batch instead of 50 rounds of ``measure``.
    measure_series: (
        Callable[[str, list[datetime.date]], dict[datetime.date, float | int | None]] | None
    ) = None

    @property
    def is_rate(self) -> bool:
        return self.unit == RATE


_REGISTRY: dict[str, Kpi] = {}


def register(*kpis: Kpi) -> None:
    for kpi in kpis:
        existing = _REGISTRY.get(kpi.code)
        if existing is not None and existing != kpi:
            raise ValueError(f"KPI {kpi.code!r} is registered twice")
        _REGISTRY[kpi.code] = kpi


def get(code: str) -> Kpi:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise UnknownKpi(code) from None


def registered() -> list[Kpi]:
    """Every registered KPI, in the order of registration."""
    return list(_REGISTRY.values())


def register_app(app_label: str, kpis: tuple[Kpi, ...]) -> None:
    """An app's ``ready``: register its KPIs and replace its version token after every write
    of its records (``core.versions.watch``), so that cached figures follow the records."""
    from .versions import watch

    watch(app_label)
    register(*kpis)


# Targets ---------------------------------------------------------------------------------------
# The plan holds the targets; the pages of the apps that own the records show them too (the
# membership page's 70 %, the networks map's 15). They ask here, and the plan answers (it
# registers its source in ``ready``); without a plan an app falls back on its own setting.


@dataclass(frozen=True)
class TargetValue:
    value: float
    deadline: datetime.date


_target_source: Callable[[str, str], TargetValue | None] | None = None


def provide_targets(source: Callable[[str, str], TargetValue | None]) -> None:
    global _target_source
    _target_source = source


def target_of(prefecture: str | None, code: str) -> TargetValue | None:
    """The target of the KPI ``code`` in the prefecture's current plan, if it sets one."""
    if _target_source is None or not prefecture:
        return None
    return _target_source(prefecture, code)
