"""The figures a plan reads: each KPI's value for one area on one date, cached under the
version tokens of the records it reads (``core.versions``). A dashboard reads the tokens in one
query and every figure in one cache read; the figures not cached are measured, many dates at
once for a KPI that can (``Kpi.measure_series``), one by one otherwise."""

from __future__ import annotations

import datetime

from django.core.cache import cache

from sasaeai.core import kpis
from sasaeai.core.versions import tokens

CACHE_SECONDS = 24 * 3600


class Figures:
    """Values of KPIs on dates for one area, cached under the tokens of their records."""

    def __init__(self, prefecture: str, municipality: str | None = None) -> None:
        self.prefecture = prefecture
        self.municipality = municipality
        self._tokens: dict[str, str] = {}

    @staticmethod
    def _names(kpi: kpis.Kpi, day: datetime.date) -> tuple[str, ...]:
        return kpi.versions_on(day) if kpi.versions_on is not None else kpi.depends_on

    def load_tokens(self, wanted: dict[kpis.Kpi, set[datetime.date]]) -> None:
        """Read the tokens of every figure ``wanted`` (one query)."""
        names = sorted(
            {name for kpi, days in wanted.items() for day in days for name in self._names(kpi, day)}
        )
        self._tokens = dict(zip(names, tokens(*names), strict=True)) if names else {}

    def _key(self, kpi: kpis.Kpi, day: datetime.date) -> str:
        version = ".".join(self._tokens.get(name, "?") for name in self._names(kpi, day))
        area = self.prefecture + (f"/{self.municipality}" if self.municipality else "")
        return f"plan:fig:{kpi.code}:{area}:{day.isoformat()}:{version}"

    def measure(self, kpi: kpis.Kpi, day: datetime.date) -> float | int | None:
        if self.municipality is None:
            return kpi.measure(self.prefecture, day)
        if kpi.measure_municipality is None:
            return None
        return kpi.measure_municipality(self.prefecture, self.municipality, day)

    def _batches(self, pairs: list[tuple[kpis.Kpi, datetime.date]]) -> dict[kpis.Kpi, dict]:
        """The missing figures of the KPIs that measure many dates at once, in one call each."""
        if self.municipality is not None:
            return {}
        days: dict[kpis.Kpi, set[datetime.date]] = {}
        for kpi, day in pairs:
            if kpi.measure_series is not None:
                days.setdefault(kpi, set()).add(day)
        return {kpi: kpi.measure_series(self.prefecture, sorted(ds)) for kpi, ds in days.items()}

    def values(
        self, wanted: dict[kpis.Kpi, set[datetime.date]]
    ) -> dict[tuple[str, datetime.date], float | None]:
        """Every (KPI, date) asked for: one cache read, the missing ones measured and stored."""
        keys = {self._key(kpi, day): (kpi, day) for kpi, days in wanted.items() for day in days}
        found = cache.get_many(list(keys))
        missing = {}
        result = {}
        batches = self._batches([pair for key, pair in keys.items() if key not in found])
        for key, (kpi, day) in keys.items():
            if key in found:
                result[(kpi.code, day)] = found[key][0]
            else:
                value = batches[kpi][day] if kpi in batches else self.measure(kpi, day)
                value = None if value is None else float(value)
                result[(kpi.code, day)] = value
                missing[key] = (value,)
        if missing:
            cache.set_many(missing, CACHE_SECONDS)
        return result
