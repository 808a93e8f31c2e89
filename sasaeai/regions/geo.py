"""Import municipal boundaries from 国土数値情報 N03 (行政区域データ) into ``Boundary`` rows.

Reads a GeoJSON FeatureCollection or a TopoJSON Topology whose features carry the 5-digit
municipality code in the property ``N03_007``. N03 draws a designated city as its wards (岡山市
is 33101–33104, never 33100): the wards are merged into their city, because the map shows local
governments. Each prefecture found in the file has its boundaries replaced, all or nothing.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import shapely
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from sasaeai.core.errors import UserInputError

from .models import Boundary, Municipality, MunicipalityKind

__all__ = ["N03_SOURCE", "ImportResult", "import_boundaries"]

# MLIT's terms require this credit line, in Japanese, wherever the processed data is shown;
# it is data stored with each boundary, not a message to translate.
N03_SOURCE = "「国土数値情報（行政区域データ）」（国土交通省）を加工して作成"
CODE_PROPERTY = "N03_007"
PREFECTURE_CODE = re.compile(r"[0-9]{2}")

NOT_JSON = _("“%(name)s” cannot be read as JSON: %(error)s")
NOT_GEO = _(
    "“%(name)s” is neither a GeoJSON FeatureCollection nor a TopoJSON Topology of municipal "
    "boundaries."
)
BAD_GEOMETRY = _("“%(name)s” has a damaged geometry (code %(code)s): %(error)s")
BAD_PREFECTURE = _("“%(value)s” is not a prefecture code: give two digits, e.g. 33.")
UNNAMED = _("the file")

Ring = list[tuple[float, float]]
PolygonCoordinates = list[Ring]  # the outer ring, then the holes


@dataclass(frozen=True)
class ImportResult:
    count: int  # municipalities that now have a boundary
    prefectures: tuple[str, ...]  # the prefectures whose boundaries were replaced
    skipped: int  # features without a code, with an unknown code, or without a polygon


def import_boundaries(
    path_or_file: str | Path | IO,
    *,
    prefecture: str | None = None,
    tolerance: float = 0.001,
) -> ImportResult:
    """Replace the boundaries of every prefecture in an N03 file (or of ``prefecture`` only)."""
    if prefecture is not None and not PREFECTURE_CODE.fullmatch(prefecture):
        raise UserInputError(
            BAD_PREFECTURE, code="geo_bad_prefecture", params={"value": prefecture}
        )
    name = _name_of(path_or_file)
    features = _features(_read_json(path_or_file, name), name)
    polygons, skipped = _group(features, _municipalities_by_code5(prefecture), prefecture, name)
    rows = [
        Boundary(municipality_id=code, geometry=_merge(parts, tolerance), source=N03_SOURCE)
        for code, parts in sorted(polygons.items())
    ]
    prefectures = tuple(sorted({code[:2] for code in polygons}))
    with transaction.atomic():
        Boundary.objects.filter(municipality__prefecture_id__in=prefectures).delete()
        Boundary.objects.bulk_create(rows)
    return ImportResult(count=len(rows), prefectures=prefectures, skipped=skipped)


def _group(
    features: list[tuple[dict, list[PolygonCoordinates]]],
    by_code5: dict[str, Municipality],
    prefecture: str | None,
    name: object,
) -> tuple[dict[str, list[Polygon]], int]:
    """The polygons of each municipality (6-digit code), a ward's in its city; and the count
    of features skipped."""
    polygons: dict[str, list[Polygon]] = defaultdict(list)
    skipped = 0
    for properties, coordinates in features:
        code5 = str(properties.get(CODE_PROPERTY) or "").strip()
        if prefecture is not None and code5 and not code5.startswith(prefecture):
            continue  # another prefecture's feature: outside this import, not skipped
        municipality = by_code5.get(code5)
        parts = _polygons(coordinates, name, code5) if municipality else []
        if not parts:  # 所属未定地 (no code), an unknown code, or nothing with an area
            skipped += 1
            continue
        is_ward = municipality.kind == MunicipalityKind.WARD
        polygons[municipality.parent_id if is_ward else municipality.code].extend(parts)
    return polygons, skipped


def _name_of(path_or_file) -> object:
    if isinstance(path_or_file, str | Path):
        return Path(path_or_file).name
    return Path(getattr(path_or_file, "name", "") or "").name or UNNAMED


def _read_json(path_or_file, name: object) -> Any:
    """The parsed JSON; missing files raise OSError, which the caller reports."""
    if isinstance(path_or_file, str | Path):
        data = Path(path_or_file).read_bytes()
    else:
        data = path_or_file.read()
    try:
        # From bytes, json detects UTF-8 with or without a BOM (and UTF-16/32).
        return json.loads(data)
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        raise UserInputError(
            NOT_JSON, code="geo_not_json", params={"name": name, "error": error}
        ) from error


def _features(document: Any, name: object) -> list[tuple[dict, list[PolygonCoordinates]]]:
    """(properties, polygons) of every feature, from either format."""
    kind = document.get("type") if isinstance(document, dict) else None
    try:
        if kind == "FeatureCollection":
            return [
                (feature.get("properties") or {}, _geojson_polygons(feature.get("geometry")))
                for feature in document["features"]
            ]
        if kind == "Topology":
            arcs = decode_arcs(document)
            return [
                feature
                for geometry in document["objects"].values()
                for feature in _topology_features(geometry, arcs)
            ]
    except (AttributeError, KeyError, IndexError, TypeError, ValueError) as error:
        raise UserInputError(NOT_GEO, code="geo_not_geo", params={"name": name}) from error
    raise UserInputError(NOT_GEO, code="geo_not_geo", params={"name": name})


def _geojson_polygons(geometry: dict | None) -> list[PolygonCoordinates]:
    if not geometry:
        return []
    kind = geometry["type"]
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    if kind == "GeometryCollection":
        return [polygon for part in geometry["geometries"] for polygon in _geojson_polygons(part)]
    return []  # points and lines have no area to draw


def decode_arcs(topology: dict) -> list[Ring]:
    """The arcs in coordinates: a quantized topology stores each arc's first position, then
    the differences from the previous one, in units of ``transform.scale``."""
    transform = topology.get("transform")
    if not transform:
        return [[(float(x), float(y)) for x, y, *_rest in arc] for arc in topology["arcs"]]
    (scale_x, scale_y), (translate_x, translate_y) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_rest in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[Ring]) -> Ring:
    """A ring joined from arcs; a negative index ``~i`` is arc ``i`` walked backwards. Each arc
    starts where the previous one ended, so that shared point is kept once."""
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _topology_polygons(geometry: dict, arcs: list[Ring]) -> list[PolygonCoordinates]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [[_ring(ring, arcs) for ring in geometry["arcs"]]]
    if kind == "MultiPolygon":
        return [[_ring(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
    if kind == "GeometryCollection":
        return [
            polygon for part in geometry["geometries"] for polygon in _topology_polygons(part, arcs)
        ]
    return []  # points, lines and null geometries have no area to draw


def _topology_features(
    geometry: dict, arcs: list[Ring]
) -> Iterator[tuple[dict, list[PolygonCoordinates]]]:
    """A collection without properties is a list of features; any other geometry is one."""
    if geometry.get("type") == "GeometryCollection" and not geometry.get("properties"):
        for part in geometry["geometries"]:
            yield from _topology_features(part, arcs)
    else:
        yield geometry.get("properties") or {}, _topology_polygons(geometry, arcs)


def _polygons(coordinates: list[PolygonCoordinates], name: object, code5: str) -> list[Polygon]:
    try:
        polygons = [Polygon(rings[0], rings[1:]) for rings in coordinates if rings]
    except (IndexError, TypeError, ValueError, shapely.errors.GEOSException) as error:
        raise UserInputError(
            BAD_GEOMETRY,
            code="geo_bad_geometry",
            params={"name": name, "code": code5, "error": error},
        ) from error
    # Simplified sources have the odd self-touching ring: repaired, keeping only its areas.
    return [
        part
        for polygon in polygons
        for part in _polygonal(polygon if polygon.is_valid else shapely.make_valid(polygon))
    ]


def _polygonal(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    return [part for member in getattr(geometry, "geoms", []) for part in _polygonal(member)]


def _merge(parts: list[Polygon], tolerance: float) -> dict:
    """One simplified (Multi)Polygon as a GeoJSON geometry, coordinates to ~0.1 m."""
    merged = shapely.union_all(parts).simplify(tolerance, preserve_topology=True)
    polygons = _polygonal(merged)
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": _rings(polygons[0])}
    return {"type": "MultiPolygon", "coordinates": [_rings(polygon) for polygon in polygons]}


def _rings(polygon: Polygon) -> list[list[list[float]]]:
    return [
        [[round(x, 6), round(y, 6)] for x, y in ring.coords]
        for ring in (polygon.exterior, *polygon.interiors)
    ]


def _municipalities_by_code5(prefecture: str | None) -> dict[str, Municipality]:
    municipalities = Municipality.objects.only("code", "kind", "parent_id")
    if prefecture is not None:
        municipalities = municipalities.of_prefecture(prefecture)
    return {municipality.code5: municipality for municipality in municipalities}
