"""The columns the registry's import reads (the headers staff use, their parsers), and what
an import tells."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sasaeai.core.tabular import (
    Column,
    HeaderMatch,
    RowError,
    TableSpec,
    parse_corporate_number,
    parse_date,
    parse_int,
    parse_text,
)

from ..models import ImportJob
from ..models.imports import ImportKind

ProgressCallback = Callable[[int, int], None]
Source = str | os.PathLike | BinaryIO

_POSTAL_CODE = re.compile(r"〒?\s*(\d{3}-?\d{4})")
BAD_POSTAL_CODE = gettext_lazy("Enter a postal code of 7 digits, e.g. 700-0807.")


@functools.lru_cache(maxsize=65536)
def parse_postal_code(text: str) -> str:
    """A postal code as written (``700-0807`` or ``7000807``), without a leading 〒."""
    text = re.sub(r"[‐-―−ー]", "-", text)
    match = _POSTAL_CODE.fullmatch(text)
    if match is None:
        raise ValidationError(BAD_POSTAL_CODE, code="invalid")
    return match.group(1)


# Headers are matched ignoring width, spaces, kana and marks such as ＊ or （必須）.
MUNICIPALITY_HEADERS = (
    "市町村",
    "市区町村",
    "市町村名",
    "市区町村名",
    "所在市町村",
    "市町村コード",
    "市区町村コード",
)
POSTAL_CODE = Column("postal_code", ("郵便番号", "〒"), parse=parse_postal_code)
ADDRESS = Column("address", ("所在地", "所在地住所", "住所"), parse=parse_text(200))
MUNICIPALITY = Column("municipality", MUNICIPALITY_HEADERS, required=True, parse=parse_text(40))

CORPORATION_SPEC = TableSpec(
    columns=(
        Column("corporate_number", ("法人番号",), required=True, parse=parse_corporate_number),
        Column(
            "name",
            ("法人名", "法人名称", "法人の名称", "名称"),
            required=True,
            parse=parse_text(200),
        ),
        Column(
            "name_kana",
            ("フリガナ", "法人名フリガナ", "法人名カナ", "カナ", "よみがな"),
            parse=parse_text(200),
        ),
        Column(
            "representative",
            ("代表者", "代表者名", "代表者氏名", "理事長", "理事長名"),
            parse=parse_text(100),
        ),
        POSTAL_CODE,
        ADDRESS,
        Column("phone", ("電話番号", "電話", "TEL"), parse=parse_text(20)),
        MUNICIPALITY,
        Column(
            "sector_group", ("種別協議会", "種別協議会名", "所属種別協議会"), parse=parse_text(100)
        ),
        Column("founded", ("設立年月日", "設立日", "認可年月日"), parse=parse_date),
        Column("closed", ("解散年月日", "解散日"), parse=parse_date),
    )
)

FACILITY_SPEC = TableSpec(
    columns=(
        Column("corporate_number", ("法人番号",), required=True, parse=parse_corporate_number),
        Column(
            "name",
            ("施設名", "施設・事業所名", "事業所名", "施設名称", "名称"),
            required=True,
            parse=parse_text(200),
        ),
        Column(
            "name_kana", ("フリガナ", "施設名フリガナ", "カナ", "よみがな"), parse=parse_text(200)
        ),
        Column(
            "kind",
            ("種別", "施設種別", "施設・事業所種別", "事業種別", "サービス種別"),
            parse=parse_text(100),
        ),
        MUNICIPALITY,
        POSTAL_CODE,
        ADDRESS,
        Column("capacity", ("定員", "利用定員", "入所定員"), parse=parse_int(0, 100_000)),
        Column("opened", ("開設年月日", "開設日", "事業開始年月日"), parse=parse_date),
        Column("closed", ("廃止年月日", "廃止日"), parse=parse_date),
        Column("office_number", ("事業所番号", "介護保険事業所番号"), parse=parse_text(20)),
    )
)

SPECS = {ImportKind.CORPORATIONS: CORPORATION_SPEC, ImportKind.FACILITIES: FACILITY_SPEC}


# Results --------------------------------------------------------------------------------------


@dataclass
class ImportPreview:
    """What an import would do: counts of rows and every row error; nothing written."""

    kind: str
    match: HeaderMatch = field(repr=False)
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def needs_mapping(self) -> bool:
        """Required columns are missing: the person must say which file column holds them."""
        return bool(self.match.missing)

    @property
    def missing_columns(self) -> list[Column]:
        return [self.match.spec.column(key) for key in self.match.missing]

    @property
    def ok(self) -> bool:
        return not self.needs_mapping and not self.errors


@dataclass(frozen=True)
class ImportResult:
    total: int
    created: int
    updated: int
    unchanged: int
    job: ImportJob


class ImportRefused(Exception):
    """The file has row errors: nothing was written."""

    def __init__(self, errors: list[RowError], *, total: int) -> None:
        super().__init__(
            _("%(count)d rows have errors; nothing was imported.") % {"count": len(errors)}
        )
        self.errors = errors
        self.total = total
