"""Gaps between systems made visible (制度の狭間): for each of a prefecture's themes in each of
its municipalities, what exists on a date, and where nothing does yet.

Three sources count, each with the rule its own figure for the plan uses: public activities
running on the date (published, public, started and not ended), model sites designated on the
date (designated on or before it, not ended by then; the theme is their project's), and cases
published by the end of the date. A ward counts in its designated city. A record with several
themes counts under each, so a municipality's column adds up records more than once.

One GROUP BY per source, however many themes and municipalities (5 queries in all).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from sasaeai.activities.models import Activity
from sasaeai.casebook.models import Case
from sasaeai.core.dates import end_of_day
from sasaeai.projects.models import ModelSite, Theme
from sasaeai.regions.models import Municipality

SOURCES = ("activities", "sites", "cases")
AREA = Coalesce("municipality__parent_id", "municipality_id")


@dataclass(frozen=True)
class Cell:
    activities: int = 0
    sites: int = 0
    cases: int = 0

    @property
    def total(self) -> int:
        return self.activities + self.sites + self.cases

    @property
    def is_empty(self) -> bool:
        return self.total == 0

    def __add__(self, other: Cell) -> Cell:
        return Cell(*(getattr(self, s) + getattr(other, s) for s in SOURCES))


EMPTY = Cell()


@dataclass(frozen=True)
class Row:
    """One theme across the municipalities (in the matrix's column order)."""

    theme: Theme
    cells: list[Cell]
    total: Cell

    @property
    def empty(self) -> int:
        return sum(cell.is_empty for cell in self.cells)


@dataclass(frozen=True)
class GapMatrix:
    prefecture: str
    as_of: datetime.date
    themes: list[Theme]
    municipalities: list[Municipality]
    rows: list[Row]
    column_totals: list[Cell]
    total: Cell
    empty_cells: int
    _cells: dict[tuple[str, str], Cell] = field(repr=False, default_factory=dict)

    @property
    def cell_count(self) -> int:
        return len(self.themes) * len(self.municipalities)

    def cell(self, theme_code: str, municipality_code: str) -> Cell:
        return self._cells.get((theme_code, municipality_code), EMPTY)


def _grouped(queryset, theme_path: str) -> Counter:
    """(theme id, municipality code) → count of distinct records (one query)."""
    rows = (
        queryset.order_by()
        .annotate(area=AREA)
        .values(theme_path, "area")
        .annotate(n=Count("pk", distinct=True))
    )
    return Counter({(row[theme_path], row["area"]): row["n"] for row in rows})


def counts_by_source(prefecture: str, as_of: datetime.date) -> dict[str, Counter]:
    """Each source's counts by (theme id, municipality or city code) on ``as_of``."""
    activities = Activity.objects.public().in_prefecture(prefecture).running_on(as_of)
    sites = ModelSite.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of),
        project__prefecture_id=prefecture,
        designated_on__lte=as_of,
    )
    cases = (
        Case.objects.published()
        .in_prefecture(prefecture)
        .filter(published_at__lt=end_of_day(as_of))
    )
    return {
        "activities": _grouped(activities, "themes"),
        "sites": _grouped(sites, "project__theme"),
        "cases": _grouped(cases, "themes"),
    }


def gap_matrix(*, prefecture: str, as_of: datetime.date) -> GapMatrix:
    """The prefecture's themes in use by its municipalities (wards folded in) on ``as_of``."""
    themes = list(Theme.objects.in_prefecture(prefecture).filter(active=True))
    municipalities = list(Municipality.objects.of_prefecture(prefecture).without_wards().active())
    counts = counts_by_source(prefecture, as_of)
    cells, rows = {}, []
    for theme in themes:
        row = [
            Cell(**{s: counts[s][theme.pk, place.code] for s in SOURCES})
            for place in municipalities
        ]
        cells.update(
            {
                (theme.code, place.code): cell
                for place, cell in zip(municipalities, row, strict=True)
            }
        )
        rows.append(Row(theme=theme, cells=row, total=sum(row, EMPTY)))
    columns = [sum((row.cells[i] for row in rows), EMPTY) for i in range(len(municipalities))]
    return GapMatrix(
        prefecture=prefecture,
        as_of=as_of,
        themes=themes,
        municipalities=municipalities,
        rows=rows,
        column_totals=columns,
        total=sum(columns, EMPTY),
        empty_cells=sum(row.empty for row in rows),
        _cells=cells,
    )
