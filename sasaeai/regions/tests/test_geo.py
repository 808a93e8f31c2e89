"""Boundaries from N03-shaped GeoJSON and TopoJSON, and the SVG map of a prefecture."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import translation
from shapely.geometry import shape

from sasaeai.cli import main as sasaeai
from sasaeai.core.errors import UserInputError
from sasaeai.regions.geo import N03_SOURCE, decode_arcs, import_boundaries
from sasaeai.regions.maps import colour, prefecture_map
from sasaeai.regions.models import Boundary, Municipality

pytestmark = pytest.mark.django_db

OKAYAMA_CITY = "331007"  # 岡山市, drawn by N03 as its wards 33101 北区, 33102 中区 ...
TSUYAMA = "332038"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def square(west: float, south: float, size: float = 0.1) -> list[list[list[float]]]:
    east, north = round(west + size, 6), round(south + size, 6)
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


def feature(code: str | None, coordinates, kind: str = "Polygon") -> dict:
    properties = {"N03_001": "岡山県", "N03_004": None, "N03_007": code}
    geometry = {"type": kind, "coordinates": coordinates}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def n03_geojson(*extra: dict) -> dict:
    """Two adjacent wards of 岡山市, 津山市, and a piece of land that belongs to no one."""
    return {
        "type": "FeatureCollection",
        "features": [
            feature("33101", square(133.9, 34.6)),
            feature("33102", square(134.0, 34.6)),
            feature("33203", square(134.0, 35.0)),
            feature(None, [square(134.2, 34.9)], kind="MultiPolygon"),  # 所属未定地
            *extra,
        ],
    }


def n03_topojson() -> dict:
    """The same shapes, quantized to 0.01° and delta-encoded; the wards share arc 0, which 中区
    walks backwards (~0)."""
    return {
        "type": "Topology",
        "transform": {"scale": [0.01, 0.01], "translate": [133.9, 34.6]},
        "arcs": [
            [[10, 0], [0, 10]],  # the border of 北区 and 中区, south to north
            [[10, 10], [-10, 0], [0, -10], [10, 0]],  # the rest of 北区
            [[10, 0], [10, 0], [0, 10], [-10, 0]],  # the rest of 中区
            [[10, 40], [10, 0], [0, 10], [-10, 0], [0, -10]],  # 津山市
            [[30, 30], [10, 0], [0, 10], [-10, 0], [0, -10]],  # no code
        ],
        "objects": {
            "N03-21_33_210101": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"N03_007": "33101"}},
                    {"type": "Polygon", "arcs": [[~0, 2]], "properties": {"N03_007": "33102"}},
                    {"type": "Polygon", "arcs": [[3]], "properties": {"N03_007": "33203"}},
                    {"type": "MultiPolygon", "arcs": [[[4]]], "properties": {"N03_007": None}},
                ],
            }
        },
    }


def write(tmp_path: Path, document: dict | str, name: str = "N03.geojson") -> Path:
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def geometry_of(code: str):
    return shape(Boundary.objects.get(municipality_id=code).geometry)


# Import ---------------------------------------------------------------------------------------


def test_wards_are_merged_into_one_polygon_of_their_city(tmp_path):
    result = import_boundaries(write(tmp_path, n03_geojson()))

    assert (result.count, result.prefectures, result.skipped) == (2, ("33",), 1)
    okayama = geometry_of(OKAYAMA_CITY)
    assert okayama.geom_type == "Polygon"
    assert okayama.area == pytest.approx(0.02)
    assert okayama.bounds == pytest.approx((133.9, 34.6, 134.1, 34.7))
    assert geometry_of(TSUYAMA).area == pytest.approx(0.01)
    assert not Boundary.objects.filter(municipality__kind="ward").exists()
    assert set(Boundary.objects.values_list("source", flat=True)) == {N03_SOURCE}


def test_quantized_arcs_are_decoded_from_their_deltas():
    arcs = decode_arcs(n03_topojson())

    assert arcs[0] == [pytest.approx((134.0, 34.6)), pytest.approx((134.0, 34.7))]
    assert arcs[3][-1] == pytest.approx((134.0, 35.0))


def test_topojson_gives_the_same_boundaries_as_geojson(tmp_path):
    import_boundaries(write(tmp_path, n03_geojson()))
    from_geojson = {code: geometry_of(code) for code in (OKAYAMA_CITY, TSUYAMA)}

    result = import_boundaries(write(tmp_path, n03_topojson(), "N03.topojson.json"))

    assert (result.count, result.skipped) == (2, 1)
    for code, expected in from_geojson.items():
        imported = geometry_of(code)
        assert imported.geom_type == "Polygon"
        assert imported.symmetric_difference(expected).area == pytest.approx(0, abs=1e-9)


def test_a_second_import_replaces_the_prefectures_boundaries(tmp_path):
    path = write(tmp_path, n03_geojson())
    first = import_boundaries(path)
    again = import_boundaries(path)

    assert first == again
    assert Boundary.objects.count() == 2
    only_tsuyama = {"type": "FeatureCollection", "features": [feature("33203", square(134, 35))]}
    import_boundaries(write(tmp_path, only_tsuyama, "tsuyama.geojson"))
    assert list(Boundary.objects.values_list("municipality_id", flat=True)) == [TSUYAMA]


def test_unknown_codes_are_skipped_not_refused(tmp_path):
    result = import_boundaries(write(tmp_path, n03_geojson(feature("33999", square(134.3, 35)))))

    assert (result.count, result.skipped) == (2, 2)


def test_the_prefecture_option_leaves_other_prefectures_alone(tmp_path):
    chiyoda = feature("13101", square(139.7, 35.6))  # 千代田区: a special ward, not merged
    path = write(tmp_path, n03_geojson(chiyoda))

    only_okayama = import_boundaries(path, prefecture="33")
    assert (only_okayama.prefectures, only_okayama.count) == (("33",), 2)
    assert not Boundary.objects.filter(municipality__prefecture_id="13").exists()

    both = import_boundaries(path)
    assert (both.prefectures, both.count) == (("13", "33"), 3)
    assert Boundary.objects.filter(municipality_id="131016").exists()


@pytest.mark.parametrize(
    "content",
    [
        "not JSON at all",
        '{"type": "FeatureCollection", "features": [',
        '{"type": "Feature", "geometry": null, "properties": {}}',
        '{"type": "Topology", "arcs": [], "objects": {"x": {"type": "Polygon", "arcs": [[7]]}}}',
        "[1, 2, 3]",
    ],
    ids=["text", "truncated", "one-feature", "missing-arc", "list"],
)
def test_a_file_that_is_not_n03_is_refused_and_nothing_changes(tmp_path, content):
    import_boundaries(write(tmp_path, n03_geojson()))
    before = list(Boundary.objects.values_list("pk", "geometry"))

    with pytest.raises(UserInputError) as refused:
        import_boundaries(write(tmp_path, content, "bad.json"))

    assert "bad.json" in str(refused.value)
    assert list(Boundary.objects.values_list("pk", "geometry")) == before


def test_a_prefecture_code_must_have_two_digits(tmp_path):
    with pytest.raises(UserInputError, match="not a prefecture code"):
        import_boundaries(write(tmp_path, n03_geojson()), prefecture="岡山")


def test_the_command_prints_a_summary_and_the_cli_passes_its_arguments(tmp_path, capsys):
    path = write(tmp_path, n03_geojson())
    out = io.StringIO()

    call_command("import_geo", str(path), "--prefecture", "33", "--tolerance", "0", stdout=out)

    assert "2 municipalities" in out.getvalue()
    assert "1 features skipped" in out.getvalue()
    assert sasaeai(["geo", "import", str(tmp_path / "missing.json")]) == 1
    assert "Cannot read" in capsys.readouterr().err


# Maps -----------------------------------------------------------------------------------------


def positions(drawn) -> list[str]:
    """The top-left corner of each shape's path."""
    return [re.match(r"M([\d.]+,[\d.]+)", item.path).group(1) for item in drawn.shapes]


def test_without_boundaries_okayama_is_a_hand_made_tile_grid():
    drawn = prefecture_map("33")

    assert drawn.kind == "grid"
    assert drawn.credit == ""
    assert len(drawn.shapes) == 27
    codes = [item.municipality.code for item in drawn.shapes]
    assert codes == sorted(codes)
    assert OKAYAMA_CITY in codes and "331015" not in codes
    assert len(set(positions(drawn))) == 27
    by_name = {item.municipality.name: item for item in drawn.shapes}
    assert by_name["津山市"].label_y < by_name["岡山市"].label_y < by_name["玉野市"].label_y
    assert by_name["笠岡市"].label_x < by_name["里庄町"].label_x < by_name["浅口市"].label_x


def test_a_prefecture_without_a_layout_gets_a_square_grid_in_code_order():
    drawn = prefecture_map("13")
    expected = Municipality.objects.of_prefecture("13").without_wards().active()

    assert drawn.kind == "grid"
    assert [item.municipality.code for item in drawn.shapes] == [m.code for m in expected]
    assert len(set(positions(drawn))) == len(drawn.shapes)
    assert drawn.width == pytest.approx(drawn.height, rel=0.2)


def test_after_an_import_the_map_draws_the_boundaries_with_the_credit(tmp_path):
    assert prefecture_map("33").kind == "grid"  # cached, until the import below

    import_boundaries(write(tmp_path, n03_geojson()))
    drawn = prefecture_map("33")

    assert drawn.kind == "boundaries"
    assert drawn.credit == N03_SOURCE
    assert [item.municipality.code for item in drawn.shapes] == [OKAYAMA_CITY, TSUYAMA]
    okayama, tsuyama = drawn.shapes
    assert tsuyama.label_y < okayama.label_y  # north is up
    numbers = [float(n) for item in drawn.shapes for n in re.findall(r"[\d.]+", item.path)]
    assert max(numbers) <= max(drawn.width, drawn.height)
    assert max(drawn.width, drawn.height) == pytest.approx(600)
    assert drawn.view_box == f"0 0 {drawn.width:g} {drawn.height:g}"


def test_the_template_draws_each_shape_with_its_class_and_title(tmp_path):
    import_boundaries(write(tmp_path, n03_geojson()))
    drawn = prefecture_map("33")
    shapes = colour(drawn, {TSUYAMA: "status-established"}, {TSUYAMA: "established"})

    html = render_to_string("regions/prefecture_map.html", {"map": drawn, "shapes": shapes})

    assert 'role="img"' in html
    assert 'aria-labelledby="prefecture-map-title"' in html
    assert html.count("<path ") == 2
    assert '<path class="status-established"' in html
    assert "<title>津山市: established</title>" in html
    assert "<title>岡山市</title>" in html
    assert ">岡山市</text>" in html
    assert N03_SOURCE in html


def test_the_grid_has_no_credit_line():
    drawn = prefecture_map("33")
    html = render_to_string(
        "regions/prefecture_map.html", {"map": drawn, "shapes": colour(drawn, {}, {})}
    )

    assert html.count("<path ") == 27
    assert "figcaption" not in html
