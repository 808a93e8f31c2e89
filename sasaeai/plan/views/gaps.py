"""Gaps between systems (制度の狭間) for the center: every theme by every municipality on a
date, empty cells marked, a map of one theme, and the matrix as a workbook."""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sasaeai.accounts.access import center_staff
from sasaeai.core.tabular import write_xlsx
from sasaeai.regions.maps import colour, prefecture_map
from sasaeai.regions.models import Municipality

from ..gaps import Cell, GapMatrix, gap_matrix
from ..queries import plan_for
from .common import as_of_from, home_prefecture

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The map's shades by a municipality's total for the theme: none (a gap) stands apart in a
# warm colour, then light to dark blue. Every shade keeps the dark names readable.
SHADES = [
    (0, "#f9c8a7"),
    (1, "#d9e6ff"),
    (2, "#9db7f9"),
    (5, "#5a82ef"),
]


@dataclass(frozen=True)
class PlaceRow:
    municipality: Municipality
    cell: Cell


def shade(total: int) -> int:
    """The index of the shade for a total: 0 none, 1 one, 2 two to four, 3 five or more."""
    return max(i for i, (least, _colour) in enumerate(SHADES) if total >= least)


def shade_labels() -> list[str]:
    return [_("none"), "1", "2–4", _("5 or more")]


def _titles(rows: list[PlaceRow]) -> dict[str, str]:
    return {
        row.municipality.code: _("activities %(a)d, model sites %(s)d, cases %(c)d")
        % {"a": row.cell.activities, "s": row.cell.sites, "c": row.cell.cases}
        for row in rows
    }


def theme_map(prefecture: str, rows: list[PlaceRow]) -> dict:
    """The prefecture's map coloured by each municipality's total for one theme."""
    drawn = prefecture_map(prefecture)
    levels = {row.municipality.code: shade(row.cell.total) for row in rows}
    counts = [sum(1 for level in levels.values() if level == i) for i in range(len(SHADES))]
    return {
        "map": drawn,
        "shapes": colour(
            drawn,
            {code: f"gaps-map--{level}" for code, level in levels.items()},
            _titles(rows),
            colours={code: SHADES[level][1] for code, level in levels.items()},
        ),
        "legend": [(label, counts[i], SHADES[i][1]) for i, label in enumerate(shade_labels())],
    }


def _matrix(request) -> tuple[GapMatrix, object]:
    prefecture = home_prefecture(request)
    as_of, form = as_of_from(request, plan_for(prefecture))
    return gap_matrix(prefecture=prefecture, as_of=as_of), form


@require_GET
@center_staff
def gaps(request):
    matrix, form = _matrix(request)
    theme = next((t for t in matrix.themes if t.code == request.GET.get("theme")), None)
    theme = theme or (matrix.themes[0] if matrix.themes else None)
    context = {"matrix": matrix, "form": form, "as_of": matrix.as_of, "theme": theme}
    if "prefecture" in request.GET:
        context["prefecture_param"] = matrix.prefecture
    if theme is not None:
        row = matrix.rows[matrix.themes.index(theme)]
        rows = [PlaceRow(m, c) for m, c in zip(matrix.municipalities, row.cells, strict=True)]
        context.update(theme_rows=rows, theme_total=row, **theme_map(matrix.prefecture, rows))
    return render(request, "plan/gaps.html", context)


def _workbook_rows(matrix: GapMatrix):
    kinds = [
        ("total", _("total")),
        ("activities", _("activities")),
        ("sites", _("model sites")),
        ("cases", _("cases")),
    ]
    for row in matrix.rows:
        for attribute, label in kinds:
            values = [getattr(cell, attribute) for cell in row.cells]
            yield [row.theme.code, row.theme.name, label, *values, getattr(row.total, attribute)]


@require_GET
@center_staff
def gaps_xlsx(request):
    """The matrix as the page shows it: four rows per theme (total and each source)."""
    matrix, _form = _matrix(request)
    headers = [
        _("code"),
        _("theme"),
        _("count"),
        *(m.name for m in matrix.municipalities),
        _("all municipalities"),
    ]
    buffer = io.BytesIO()
    write_xlsx(headers, _workbook_rows(matrix), buffer, sheet_title=_("Gaps"))
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"gaps-{matrix.prefecture}-{matrix.as_of:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
