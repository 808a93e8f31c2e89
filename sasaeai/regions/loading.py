"""Load the regions data file into the database: all rows checked first, then one transaction."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from . import codes
from .models import Municipality, MunicipalityKind, Prefecture

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "municipalities.csv"
HEADER = ["code", "prefecture_code", "name", "kana", "kind", "parent_code"]
PREFECTURE = "prefecture"
KINDS = {PREFECTURE, *MunicipalityKind.values}
FULL_WIDTH_KATAKANA = re.compile(r"[ァ-ヶー]+")
BATCH_SIZE = 500


class RegionDataError(ValueError):
    """A row of the data file that cannot be loaded; nothing has been written."""

    def __init__(self, *, line: int, field: str, reason: str):
        self.line = line
        self.field = field
        self.reason = reason
        super().__init__(
            _("Line %(line)d, field %(field)s: %(reason)s")
            % {"line": line, "field": field, "reason": reason}
        )


@dataclass(frozen=True)
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    prefecture_code: str
    name: str
    kana: str
    kind: str
    parent_code: str


def load_regions(*, path: Path | None = None) -> LoadResult:
    """Upsert prefectures and municipalities from the data file; mark vanished codes inactive."""
    rows = read_rows(path or DEFAULT_PATH)
    with transaction.atomic():
        prefectures = _upsert_prefectures([row for row in rows if row.kind == PREFECTURE])
        municipalities = _upsert_municipalities([row for row in rows if row.kind != PREFECTURE])
    return LoadResult(
        created=prefectures.created + municipalities.created,
        updated=prefectures.updated + municipalities.updated,
        unchanged=prefectures.unchanged + municipalities.unchanged,
        deactivated=municipalities.deactivated,
    )


def read_rows(path: Path) -> list[_Row]:
    """Every row of the file, validated on its own and against the others."""
    with Path(path).open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        header = next(reader, None)
        if header != HEADER:
            raise RegionDataError(
                line=1,
                field="header",
                reason=_("expected %(expected)s") % {"expected": ",".join(HEADER)},
            )
        rows = [_parse(reader.line_num, values) for values in reader if any(values)]
    _check_references(rows)
    return rows


def _parse(line: int, values: list[str]) -> _Row:
    if len(values) != len(HEADER):
        raise RegionDataError(
            line=line,
            field="row",
            reason=_("expected %(expected)d fields, found %(found)d")
            % {"expected": len(HEADER), "found": len(values)},
        )
    row = _Row(line, *(value.strip() for value in values))
    if not codes.is_valid_local_government_code(row.code):
        raise RegionDataError(
            line=line,
            field="code",
            reason=_("%(code)s is not a valid local government code") % {"code": row.code},
        )
    if row.prefecture_code != row.code[:2]:
        raise RegionDataError(
            line=line,
            field="prefecture_code",
            reason=_("%(value)s does not match the code %(code)s")
            % {"value": row.prefecture_code, "code": row.code},
        )
    if not row.name:
        raise RegionDataError(line=line, field="name", reason=_("the name is empty"))
    if not FULL_WIDTH_KATAKANA.fullmatch(row.kana):
        raise RegionDataError(
            line=line,
            field="kana",
            reason=_("%(value)s is not full-width katakana") % {"value": row.kana},
        )
    _check_kind(row)
    return row


def _check_kind(row: _Row) -> None:
    if row.kind not in KINDS:
        raise RegionDataError(
            line=row.line,
            field="kind",
            reason=_("unknown kind %(value)s") % {"value": row.kind},
        )
    if row.kind == PREFECTURE:
        expected = PREFECTURE if row.code[2:5] == "000" else None
    else:
        try:
            expected = codes.infer_kind(row.code, row.name)
        except ValueError:
            expected = None
    if row.kind != expected:
        raise RegionDataError(
            line=row.line,
            field="kind",
            reason=_("%(value)s does not fit the code %(code)s and the name %(name)s")
            % {"value": row.kind, "code": row.code, "name": row.name},
        )


def _check_references(rows: list[_Row]) -> None:
    """Codes are unique; a municipality's parent is its prefecture, a ward's its city."""
    by_code: dict[str, _Row] = {}
    for row in rows:
        if row.code in by_code:
            raise RegionDataError(
                line=row.line,
                field="code",
                reason=_("%(code)s is already on line %(other)d")
                % {"code": row.code, "other": by_code[row.code].line},
            )
        by_code[row.code] = row
    for row in rows:
        parent = by_code.get(row.parent_code)
        if row.kind == PREFECTURE:
            valid = row.parent_code == ""
        elif row.kind == MunicipalityKind.WARD:
            valid = (
                parent is not None
                and parent.kind == MunicipalityKind.DESIGNATED_CITY
                and parent.prefecture_code == row.prefecture_code
            )
        else:
            valid = (
                parent is not None
                and parent.kind == PREFECTURE
                and parent.prefecture_code == row.prefecture_code
            )
        if not valid:
            raise RegionDataError(
                line=row.line,
                field="parent_code",
                reason=_("%(value)s is not a valid parent for %(code)s")
                % {"value": row.parent_code or "''", "code": row.code},
            )


def _upsert_prefectures(rows: list[_Row]) -> LoadResult:
    existing = Prefecture.objects.in_bulk()
    to_create, to_update = [], []
    for row in rows:
        prefecture = existing.get(row.prefecture_code)
        if prefecture is None:
            to_create.append(Prefecture(code=row.prefecture_code, name=row.name, kana=row.kana))
        elif (prefecture.name, prefecture.kana) != (row.name, row.kana):
            prefecture.name, prefecture.kana = row.name, row.kana
            to_update.append(prefecture)
    Prefecture.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Prefecture.objects.bulk_update(to_update, ["name", "kana"], batch_size=BATCH_SIZE)
    return LoadResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
    )


MUNICIPALITY_FIELDS = ["prefecture_id", "name", "kana", "kind", "parent_id", "is_active"]


def _upsert_municipalities(rows: list[_Row]) -> LoadResult:
    existing = Municipality.objects.in_bulk()
    to_create, to_update = [], []
    # In code order, a designated city comes before its wards.
    for row in sorted(rows, key=lambda row: row.code):
        values = {
            "prefecture_id": row.prefecture_code,
            "name": row.name,
            "kana": row.kana,
            "kind": row.kind,
            "parent_id": row.parent_code if row.kind == MunicipalityKind.WARD else None,
            "is_active": True,
        }
        municipality = existing.get(row.code)
        if municipality is None:
            to_create.append(Municipality(code=row.code, **values))
        elif any(getattr(municipality, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(municipality, name, value)
            to_update.append(municipality)
    in_file = {row.code for row in rows}
    to_deactivate = [
        code
        for code, municipality in existing.items()
        if code not in in_file and municipality.is_active
    ]
    Municipality.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    update_fields = [name.removesuffix("_id") for name in MUNICIPALITY_FIELDS]
    Municipality.objects.bulk_update(to_update, update_fields, batch_size=BATCH_SIZE)
    if to_deactivate:
        Municipality.objects.filter(code__in=to_deactivate).update(is_active=False)
    if to_create or to_update or to_deactivate:
        from sasaeai.core.versions import bump

        bump("regions")  # bulk writes send no signals; names cached by version (surveys)
    return LoadResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
        deactivated=len(to_deactivate),
    )
