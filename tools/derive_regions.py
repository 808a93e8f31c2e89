"""Derive the project's regions data file from 総務省's code list (as shared in shared/data/).

    python tools/derive_regions.py /work/shared/data/municipalities.csv

Writes sasaeai/regions/data/municipalities.csv: the 47 prefectures, every municipality and the
wards (行政区) of the designated cities, which 総務省's main list does not carry and which come
from tools/designated_city_wards.csv. Kana are turned from half-width into full-width katakana,
otherwise exactly as published. Every check digit is verified; any doubt stops the script.

Standard library only, so that it runs without the project installed. The check digit and the
kind rule repeat sasaeai/regions/codes.py; the tests check that both agree on every row.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WARDS = ROOT / "tools" / "designated_city_wards.csv"
DEFAULT_OUTPUT = ROOT / "sasaeai" / "regions" / "data" / "municipalities.csv"

SOURCE_HEADER = ["code", "prefecture", "city", "prefecture_kana", "city_kana"]
WARDS_HEADER = ["code5", "name", "kana"]
OUTPUT_HEADER = ["code", "prefecture_code", "name", "kana", "kind", "parent_code"]
PREFECTURE_COUNT = 47

FULL_WIDTH_KATAKANA = re.compile(r"[ァ-ヶー]+")


class DerivationError(Exception):
    """The source data cannot be trusted: the script stops and says where."""


@dataclass(frozen=True)
class Row:
    code: str
    prefecture_code: str
    name: str
    kana: str
    kind: str
    parent_code: str

    def as_list(self) -> list[str]:
        return [self.code, self.prefecture_code, self.name, self.kana, self.kind, self.parent_code]


def check_digit(code5: str) -> int:
    """総務省's check digit: 11 - (digits x 6,5,4,3,2 summed, mod 11), its ones digit."""
    total = sum(int(digit) * weight for digit, weight in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def verified_code(code: str, where: str) -> str:
    if not re.fullmatch(r"[0-9]{6}", code):
        raise DerivationError(f"{where}: code {code!r} is not 6 digits")
    if check_digit(code[:5]) != int(code[5]):
        raise DerivationError(
            f"{where}: code {code} has check digit {code[5]}, expected {check_digit(code[:5])}"
        )
    return code


def full_width_kana(half_width: str, where: str) -> str:
    """Half-width katakana as published, in full width (ｿｳｼﾞﾔｼ -> ソウジヤシ, nothing else)."""
    kana = unicodedata.normalize("NFKC", half_width)
    if not FULL_WIDTH_KATAKANA.fullmatch(kana):
        raise DerivationError(f"{where}: kana {half_width!r} is not katakana")
    return kana


def infer_kind(code: str, name: str, where: str) -> str:
    city_part = int(code[2:5])
    last = name[-1:]
    kind = ""
    if 100 <= city_part <= 199:
        if code[:2] == "13" and last == "区":
            kind = "special_ward"
        elif code[:2] != "13" and city_part % 10 == 0 and last == "市":
            kind = "designated_city"
        elif code[:2] != "13" and last == "区":
            kind = "ward"
    elif 201 <= city_part <= 299:
        kind = "city" if last == "市" else ""
    else:
        kind = {"町": "town", "村": "village"}.get(last, "")
    if not kind:
        raise DerivationError(f"{where}: cannot tell the kind of {code} {name}")
    return kind


def read_csv(path: Path, header: list[str]) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        if reader.fieldnames != header:
            raise DerivationError(f"{path}: header {reader.fieldnames}, expected {header}")
        return [(reader.line_num, row) for row in reader]


def derive_official(source: Path) -> list[Row]:
    """Prefectures and municipalities from 総務省's list."""
    rows: list[Row] = []
    for line, record in read_csv(source, SOURCE_HEADER):
        where = f"{source}:{line}"
        code = verified_code(record["code"], where)
        prefecture_code = code[:2]
        prefecture_row_code = f"{prefecture_code}000{check_digit(prefecture_code + '000')}"
        if not record["city"]:
            if code[2:5] != "000":
                raise DerivationError(f"{where}: {code} has no city name but is no prefecture")
            kana = full_width_kana(record["prefecture_kana"], where)
            rows.append(Row(code, prefecture_code, record["prefecture"], kana, "prefecture", ""))
            continue
        kana = full_width_kana(record["city_kana"], where)
        kind = infer_kind(code, record["city"], where)
        if kind == "ward":
            raise DerivationError(f"{where}: the official list is not expected to carry wards")
        rows.append(Row(code, prefecture_code, record["city"], kana, kind, prefecture_row_code))
    return rows


def derive_wards(wards: Path, official: list[Row]) -> list[Row]:
    """Wards, each under the designated city of its prefecture whose code precedes it."""
    cities = sorted(row.code for row in official if row.kind == "designated_city")
    rows: list[Row] = []
    for line, record in read_csv(wards, WARDS_HEADER):
        where = f"{wards}:{line}"
        code5 = record["code5"]
        if not re.fullmatch(r"[0-9]{5}", code5):
            raise DerivationError(f"{where}: code5 {code5!r} is not 5 digits")
        code = f"{code5}{check_digit(code5)}"
        if infer_kind(code, record["name"], where) != "ward":
            raise DerivationError(f"{where}: {code} {record['name']} is not a ward's code")
        if not FULL_WIDTH_KATAKANA.fullmatch(record["kana"]) or not record["kana"].endswith("ク"):
            raise DerivationError(f"{where}: kana {record['kana']!r} is not a ward's katakana")
        parents = [city for city in cities if city[:2] == code[:2] and city < code]
        if not parents:
            raise DerivationError(f"{where}: no designated city for ward {code}")
        rows.append(Row(code, code[:2], record["name"], record["kana"], "ward", parents[-1]))
    return rows


def check_whole(rows: list[Row]) -> None:
    codes = [row.code for row in rows]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise DerivationError(f"duplicate codes: {', '.join(duplicates)}")
    prefectures = [row for row in rows if row.kind == "prefecture"]
    if len(prefectures) != PREFECTURE_COUNT:
        raise DerivationError(f"{len(prefectures)} prefectures, expected {PREFECTURE_COUNT}")
    with_wards = {row.parent_code for row in rows if row.kind == "ward"}
    for row in rows:
        if row.kind == "designated_city" and row.code not in with_wards:
            raise DerivationError(f"designated city {row.code} {row.name} has no ward")


def derive(source: Path, wards: Path = DEFAULT_WARDS) -> list[Row]:
    official = derive_official(source)
    rows = sorted(official + derive_wards(wards, official), key=lambda row: row.code)
    check_whole(rows)
    return rows


def write(rows: list[Row], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(OUTPUT_HEADER)
        writer.writerows(row.as_list() for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="総務省's list: shared/data/municipalities.csv")
    parser.add_argument("--wards", type=Path, default=DEFAULT_WARDS, help="wards (code5,name,kana)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    try:
        rows = derive(args.source, args.wards)
    except DerivationError as error:
        print(f"derive_regions: {error}", file=sys.stderr)
        return 1
    write(rows, args.output)
    counts = {
        kind: sum(row.kind == kind for row in rows) for kind in sorted({r.kind for r in rows})
    }
    print(f"Wrote {len(rows)} rows to {args.output}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
