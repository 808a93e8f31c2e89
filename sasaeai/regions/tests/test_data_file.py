"""The checked-in data file, and the script that derives it."""

import csv
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from sasaeai.regions.codes import infer_kind, is_valid_local_government_code
from sasaeai.regions.loading import DEFAULT_PATH

ROOT = Path(__file__).resolve().parents[3]
SHARED_SOURCE = ROOT.parent / "shared" / "data" / "municipalities.csv"

# shared/DOMAIN.md, "Okayama's 27 municipalities" (JIS X 0402, without check digit).
OKAYAMA = {
    "33100": "岡山市",
    "33202": "倉敷市",
    "33203": "津山市",
    "33204": "玉野市",
    "33205": "笠岡市",
    "33207": "井原市",
    "33208": "総社市",
    "33209": "高梁市",
    "33210": "新見市",
    "33211": "備前市",
    "33212": "瀬戸内市",
    "33213": "赤磐市",
    "33214": "真庭市",
    "33215": "美作市",
    "33216": "浅口市",
    "33346": "和気町",
    "33423": "早島町",
    "33445": "里庄町",
    "33461": "矢掛町",
    "33606": "鏡野町",
    "33622": "勝央町",
    "33623": "奈義町",
    "33663": "久米南町",
    "33666": "美咲町",
    "33681": "吉備中央町",
    "33586": "新庄村",
    "33643": "西粟倉村",
}
OKAYAMA_WARDS = {"33101": "北区", "33102": "中区", "33103": "東区", "33104": "南区"}
WARDS_PER_DESIGNATED_CITY = {  # as of 2021 (浜松市 had 7 wards until 2024)
    "札幌市": 10,
    "仙台市": 5,
    "さいたま市": 10,
    "千葉市": 6,
    "横浜市": 18,
    "川崎市": 7,
    "相模原市": 3,
    "新潟市": 8,
    "静岡市": 3,
    "浜松市": 7,
    "名古屋市": 16,
    "京都市": 11,
    "大阪市": 24,
    "堺市": 7,
    "神戸市": 9,
    "岡山市": 4,
    "広島市": 8,
    "北九州市": 7,
    "福岡市": 7,
    "熊本市": 5,
}


def load_derive_script():
    spec = importlib.util.spec_from_file_location(
        "derive_regions", ROOT / "tools" / "derive_regions.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows():
    with DEFAULT_PATH.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def by_code(rows):
    return {row["code"]: row for row in rows}


def test_has_47_prefectures_and_1741_municipalities_not_counting_wards(rows):
    kinds = Counter(row["kind"] for row in rows)
    assert kinds["prefecture"] == 47
    assert sum(count for kind, count in kinds.items() if kind not in {"prefecture", "ward"}) == 1741
    assert kinds["special_ward"] == 23
    assert kinds["designated_city"] == 20
    assert kinds["ward"] == 175


def test_every_code_is_unique_and_its_check_digit_verifies(rows):
    assert len({row["code"] for row in rows}) == len(rows)
    assert all(is_valid_local_government_code(row["code"]) for row in rows)
    assert [row["code"] for row in rows] == sorted(row["code"] for row in rows)


def test_every_kind_follows_from_code_and_name(rows):
    for row in rows:
        if row["kind"] != "prefecture":
            assert infer_kind(row["code"], row["name"]) == row["kind"], row


def test_okayama_holds_exactly_the_27_municipalities_of_the_domain(rows):
    okayama = {
        row["code"][:5]: row["name"]
        for row in rows
        if row["prefecture_code"] == "33" and row["kind"] not in {"prefecture", "ward"}
    }
    assert okayama == OKAYAMA


def test_okayama_city_has_its_four_wards(by_code):
    wards = {
        code[:5]: row["name"] for code, row in by_code.items() if row["parent_code"] == "331007"
    }
    assert wards == OKAYAMA_WARDS
    assert {code for code, row in by_code.items() if row["parent_code"] == "331007"} == {
        "331015",
        "331023",
        "331031",
        "331040",
    }
    assert by_code["331015"]["kana"] == "キタク"
    assert by_code["331007"]["kind"] == "designated_city"


def test_each_designated_city_has_its_wards_of_2021(rows, by_code):
    counts = Counter(by_code[row["parent_code"]]["name"] for row in rows if row["kind"] == "ward")
    assert counts == WARDS_PER_DESIGNATED_CITY


def test_parents(rows, by_code):
    for row in rows:
        parent = by_code.get(row["parent_code"])
        if row["kind"] == "prefecture":
            assert row["parent_code"] == ""
        elif row["kind"] == "ward":
            assert parent["kind"] == "designated_city"
            assert parent["prefecture_code"] == row["prefecture_code"]
        else:
            assert parent["kind"] == "prefecture"
            assert parent["prefecture_code"] == row["prefecture_code"]


def test_kana_is_full_width_katakana_only_and_kept_as_published(rows, by_code):
    for row in rows:
        assert re.fullmatch(r"[ァ-ヶー]+", row["kana"]), row
    assert by_code["332089"]["kana"] == "ソウジヤシ"  # 総社市, as 総務省 writes it
    assert by_code["330001"]["kana"] == "オカヤマケン"


@pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="shared/ is not beside the repository")
def test_the_script_derives_exactly_the_checked_in_file(tmp_path):
    derive = load_derive_script()
    output = tmp_path / "municipalities.csv"
    assert derive.main([str(SHARED_SOURCE), "--output", str(output)]) == 0
    assert output.read_bytes() == DEFAULT_PATH.read_bytes()


def write_source(path: Path, lines: list[str]) -> Path:
    path.write_text("code,prefecture,city,prefecture_kana,city_kana\n" + "\n".join(lines) + "\n")
    return path


def test_the_script_fails_loudly_on_a_wrong_check_digit(tmp_path, capsys):
    derive = load_derive_script()
    source = write_source(
        tmp_path / "source.csv", ["330001,岡山県,,ｵｶﾔﾏｹﾝ,", "332021,岡山県,倉敷市,ｵｶﾔﾏｹﾝ,ｸﾗｼｷｼ"]
    )
    assert derive.main([str(source), "--output", str(tmp_path / "out.csv")]) == 1
    error = capsys.readouterr().err
    assert "source.csv:3" in error
    assert "332021" in error
    assert "expected 0" in error
    assert not (tmp_path / "out.csv").exists()


def test_the_script_turns_half_width_kana_into_full_width_only(tmp_path):
    derive = load_derive_script()
    source = write_source(
        tmp_path / "source.csv", ["330001,岡山県,,ｵｶﾔﾏｹﾝ,", "332089,岡山県,総社市,ｵｶﾔﾏｹﾝ,ｿｳｼﾞﾔｼ"]
    )
    rows = derive.derive_official(source)
    assert [row.kana for row in rows] == ["オカヤマケン", "ソウジヤシ"]
    assert rows[1].parent_code == "330001"
