"""A map of a prefecture's municipalities, drawn on the server as inline SVG.

No tile server, no CDN, no JavaScript: the page carries the whole map. With boundaries imported
(``sasaeai geo import FILE``, see ``geo.py``) the map draws them and carries the MLIT credit
line; without any, it draws a tile grid: one square per municipality, laid out by hand in
``data/tilegrid.csv`` (columns ``code5,col,row``), or, for a prefecture without a layout there,
squares in code order filling a square-ish grid.

Interface::

    drawn = prefecture_map("33")  # PrefectureMap, cached until boundaries are imported again
    shapes = colour(drawn, fills={"332038": "status-established"}, titles={"332038": "設置済み"},
                    colours={"332038": "#5b9bd5"})
    # template: {% include "regions/prefecture_map.html" with map=drawn shapes=shapes %}

Points (say, the activities of a directory's results) go on top with ``place_points``::

    points = place_points(drawn, [PointInput("332038", 35.06, 134.0, "子ども食堂", "/a/1/")])
    # {% include "regions/prefecture_map.html" with map=drawn shapes=shapes points=points %}

On a boundaries map a point with coordinates is projected like the outlines; one without
sits near its municipality's label. On the tile grid every point sits inside its
municipality's square, laid out in a small grid of its own.

``fills`` and ``titles`` are keyed by the municipality's 6-digit code; a municipality missing
from ``fills`` gets no class (the map's neutral grey), one missing from ``titles`` is titled
with its name only. The template ``regions/prefecture_map.html`` takes ``map`` (the
PrefectureMap), ``shapes`` (from ``colour``) and, optionally, ``map_title`` (the map's
accessible name) and ``map_id`` (an id prefix unique in the page, default ``prefecture-map``).

The shapes are the prefecture's active local governments, wards left out, in code order. A
municipality without a boundary on a boundaries map is left out of the map; pages list every
municipality in a table anyway.
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.core.cache import cache
from django.db.models import Count, Max
from shapely.geometry import Polygon, shape
from shapely.geometry.base import BaseGeometry

from .models import Boundary, Municipality

__all__ = [
    "ColouredShape",
    "MapPoint",
    "MapShape",
    "PointInput",
    "PrefectureMap",
    "colour",
    "place_points",
    "prefecture_map",
]

BOUNDARIES = "boundaries"
GRID = "grid"
WIDTH = 600.0  # the widest a map is drawn, in SVG units (px at 100 %)
MAX_HEIGHT = 600.0
MARGIN = 10.0
CELL = 100.0  # the largest grid square, gap included
GAP = 4.0
TILEGRID_PATH = Path(__file__).resolve().parent / "data" / "tilegrid.csv"
CACHE_SECONDS = 24 * 60 * 60
MEMO_SIZE = 64
_MEMO: dict[str, PrefectureMap] = {}


@dataclass(frozen=True)
class MapShape:
    municipality: Municipality
    path: str  # the SVG path's "d" attribute
    label_x: float
    label_y: float


@dataclass(frozen=True)
class PrefectureMap:
    kind: str  # BOUNDARIES or GRID
    view_box: str
    width: float
    height: float
    shapes: list[MapShape]
    credit: str  # the data's credit line, to show under the map; "" for the grid
    # Boundaries: (west, north, shrink, scale) of the projection; grid: the squares' size.
    projection: tuple[float, float, float, float] | None = None
    cell: float = 0.0

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        west, north, shrink, scale = self.projection
        return round(MARGIN + (lon - west) * shrink * scale, 1), round(
            MARGIN + (north - lat) * scale, 1
        )


@dataclass(frozen=True)
class ColouredShape:
    municipality: Municipality
    path: str
    label_x: float
    label_y: float
    css_class: str
    title: str
    fill: str = ""  # a colour for the SVG ``fill`` attribute (PDFs ignore page stylesheets)


def prefecture_map(prefecture_code: str) -> PrefectureMap:
    """The map of a prefecture: its boundaries if any were imported, else a tile grid."""
    version = Boundary.objects.filter(municipality__prefecture_id=prefecture_code).aggregate(
        count=Count("pk"), latest=Max("imported_at")
    )
    latest = version["latest"].isoformat() if version["latest"] else "-"
    key = f"regions:prefecture-map:2:{prefecture_code}:{version['count']}:{latest}"
    # The key names the boundaries' state, so a map kept in this process is never stale; it
    # saves unpickling the map from the shared cache on every page (~20 ms with its models).
    drawn = _MEMO.get(key) or cache.get(key)
    if drawn is None:
        drawn = _draw(prefecture_code)
        cache.set(key, drawn, CACHE_SECONDS)
    if len(_MEMO) >= MEMO_SIZE:
        _MEMO.clear()
    _MEMO[key] = drawn
    return drawn


def colour(
    drawn: PrefectureMap,
    fills: Mapping[str, str],
    titles: Mapping[str, str] | None = None,
    *,
    colours: Mapping[str, str] | None = None,
) -> list[ColouredShape]:
    """The map's shapes with the CSS class, the title text and, optionally, the fill colour
    of each municipality (by code)."""
    titles = titles or {}
    colours = colours or {}
    return [
        ColouredShape(
            municipality=item.municipality,
            path=item.path,
            label_x=item.label_x,
            label_y=item.label_y,
            css_class=fills.get(item.municipality.code, ""),
            title=titles.get(item.municipality.code, ""),
            fill=colours.get(item.municipality.code, ""),
        )
        for item in drawn.shapes
    ]


@dataclass(frozen=True)
class PointInput:
    municipality_code: str
    latitude: float | None
    longitude: float | None
    title: str
    url: str = ""


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    title: str
    url: str


POINT_SPREAD = 6.0  # px between points that share a place on the map


def place_points(drawn: PrefectureMap, points: list[PointInput]) -> list[MapPoint]:
    """SVG positions of ``points`` on ``drawn``; points in municipalities not on the map are
    left out (the page's table lists them anyway)."""
    shapes = {item.municipality.code: item for item in drawn.shapes}
    by_place: dict[str, list[PointInput]] = {}
    placed = []
    for point in points:
        shape_ = shapes.get(point.municipality_code)
        if shape_ is None:
            continue
        if drawn.kind == BOUNDARIES and point.latitude is not None and drawn.projection:
            x, y = drawn.project(float(point.longitude), float(point.latitude))
            placed.append(MapPoint(x, y, point.title, point.url))
        else:
            by_place.setdefault(point.municipality_code, []).append(point)
    for code, group in by_place.items():
        shape_ = shapes[code]
        placed.extend(_spread(drawn, shape_, group))
    return placed


def _spread(drawn: PrefectureMap, shape_: MapShape, group: list[PointInput]) -> list[MapPoint]:
    """Points laid out in a small grid around the municipality's label point; on the tile grid
    kept inside its square."""
    columns = max(1, math.ceil(math.sqrt(len(group))))
    rows = math.ceil(len(group) / columns)
    step = POINT_SPREAD
    if drawn.kind == GRID and drawn.cell:
        step = min(POINT_SPREAD, (drawn.cell - 2 * POINT_SPREAD) / max(columns, rows))
    left = shape_.label_x - step * (columns - 1) / 2
    top = shape_.label_y + 10 - step * (rows - 1) / 2  # below the name
    if drawn.kind == GRID and drawn.cell:
        half = drawn.cell / 2 - POINT_SPREAD / 2
        top = min(top, shape_.label_y + half - step * (rows - 1))
    return [
        MapPoint(
            round(left + step * (index % columns), 1),
            round(top + step * (index // columns), 1),
            point.title,
            point.url,
        )
        for index, point in enumerate(group)
    ]


def _draw(prefecture_code: str) -> PrefectureMap:
    municipalities = list(
        Municipality.objects.of_prefecture(prefecture_code).without_wards().active()
    )
    boundaries = {
        boundary.municipality_id: boundary
        for boundary in Boundary.objects.filter(municipality__in=municipalities)
    }
    if boundaries:
        return _boundary_map(municipalities, boundaries)
    return _grid_map(prefecture_code, municipalities)


# Boundaries ----------------------------------------------------------------------------------


def _boundary_map(
    municipalities: list[Municipality], boundaries: dict[str, Boundary]
) -> PrefectureMap:
    """Equirectangular, x shrunk by the cosine of the mean latitude: true to shape at the
    scale of a prefecture."""
    drawn = [
        (item, shape(boundaries[item.code].geometry))
        for item in municipalities
        if item.code in boundaries
    ]
    west, south, east, north = shapely.total_bounds([geometry for _, geometry in drawn])
    shrink = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * shrink, 1e-9), max(north - south, 1e-9)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (MAX_HEIGHT - 2 * MARGIN) / span_y)

    def project(lon: float, lat: float) -> tuple[float, float]:
        x = MARGIN + (lon - west) * shrink * scale
        y = MARGIN + (north - lat) * scale  # SVG's y grows downwards
        return round(x, 1), round(y, 1)

    shapes = []
    for item, geometry in drawn:
        label = geometry.representative_point()
        label_x, label_y = project(label.x, label.y)
        shapes.append(MapShape(item, _svg_path(geometry, project), label_x, label_y))
    width = round(span_x * scale + 2 * MARGIN, 1)
    height = round(span_y * scale + 2 * MARGIN, 1)
    sources = dict.fromkeys(boundaries[item.code].source for item, _ in drawn)
    return PrefectureMap(
        kind=BOUNDARIES,
        view_box=f"0 0 {_number(width)} {_number(height)}",
        width=width,
        height=height,
        shapes=shapes,
        credit=" / ".join(source for source in sources if source),
        projection=(west, north, shrink, scale),
    )


def _svg_path(geometry: BaseGeometry, project: Callable[[float, float], tuple]) -> str:
    """One subpath per ring, holes included (drawn with fill-rule evenodd)."""
    subpaths = []
    for polygon in _polygons(geometry):
        for ring in (polygon.exterior, *polygon.interiors):
            points: list[tuple[float, float]] = []
            for x, y in ring.coords[:-1]:
                point = project(x, y)
                if not points or points[-1] != point:
                    points.append(point)
            if len(points) >= 3:
                subpaths.append("M" + " ".join(f"{_number(x)},{_number(y)}" for x, y in points))
    return "Z".join(subpaths) + "Z" if subpaths else ""


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    return [part for member in getattr(geometry, "geoms", []) for part in _polygons(member)]


def _number(value: float) -> str:
    """12.0 as "12", 12.5 as "12.5": SVG numbers without trailing zeros."""
    return f"{value:g}"


# Tile grid -----------------------------------------------------------------------------------


def _grid_map(prefecture_code: str, municipalities: list[Municipality]) -> PrefectureMap:
    positions = _grid_positions(prefecture_code, municipalities)
    columns = max((col for col, _ in positions.values()), default=0) + 1
    rows = max((row for _, row in positions.values()), default=0) + 1
    cell = min(CELL, (WIDTH - 2 * MARGIN) / columns)
    size = cell - GAP
    shapes = []
    for item in municipalities:
        col, row = positions[item.code]
        x, y = MARGIN + col * cell + GAP / 2, MARGIN + row * cell + GAP / 2
        path = f"M{_number(round(x, 1))},{_number(round(y, 1))}h{_number(round(size, 1))}"
        path += f"v{_number(round(size, 1))}h{_number(round(-size, 1))}Z"
        shapes.append(MapShape(item, path, round(x + size / 2, 1), round(y + size / 2, 1)))
    width, height = round(columns * cell + 2 * MARGIN, 1), round(rows * cell + 2 * MARGIN, 1)
    return PrefectureMap(
        kind=GRID,
        view_box=f"0 0 {_number(width)} {_number(height)}",
        width=width,
        height=height,
        shapes=shapes,
        credit="",
        cell=size,
    )


def _grid_positions(
    prefecture_code: str, municipalities: list[Municipality]
) -> dict[str, tuple[int, int]]:
    """(column, row) by 6-digit code: the hand-made layout, any municipality it lacks (a new
    code after a merger) on rows below it; without a layout, a square-ish grid in code order."""
    layout = _tile_layouts().get(prefecture_code, {})
    placed = {item.code: layout[item.code5] for item in municipalities if item.code5 in layout}
    rest = [item for item in municipalities if item.code not in placed]
    if placed:
        columns = max(col for col, _ in placed.values()) + 1
        first_row = max(row for _, row in placed.values()) + 1
    else:
        columns, first_row = max(1, math.ceil(math.sqrt(len(rest)))), 0
    for index, item in enumerate(rest):
        placed[item.code] = (index % columns, first_row + index // columns)
    return placed


@functools.cache
def _tile_layouts() -> dict[str, dict[str, tuple[int, int]]]:
    """The hand-made layouts of ``data/tilegrid.csv``, by prefecture code."""
    layouts: dict[str, dict[str, tuple[int, int]]] = {}
    with TILEGRID_PATH.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            code5 = row["code5"]
            layouts.setdefault(code5[:2], {})[code5] = (int(row["col"]), int(row["row"]))
    return layouts
