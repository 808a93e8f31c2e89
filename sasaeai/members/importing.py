"""Import of the registry (corporations, then facilities) from the Excel and CSV files staff use.

``preview_import`` checks every row and writes nothing. ``commit_import`` checks every row
again, then writes all of them in one transaction, or none: it refuses the file with its row
errors. Rows are read lazily and handled in chunks of ``CHUNK`` rows (one query for the
existing records of a chunk, bulk writes in batches), so a 100,000-row file neither loads into
memory at once nor costs a query per row. Checking runs outside the transaction, so that the
database is locked only for the writing (SQLite locks the whole file for a write).

New records are written with ``sasaeai.core.db.bulk.insert_rows`` (one prepared INSERT over
plain tuples; building a model instance and compiling SQL per row cost more than everything
else together); changed ones with ``bulk_update``. Audit: bulk writes bypass ``save()`` and
django-auditlog. Names are normalised and search keys
computed here with the same ``sasaeai.core.text`` functions that ``save()`` uses, and each
import is recorded once, as an ``ImportJob`` (who, which file, which prefecture, when, how many
rows created, updated and unchanged), instead of one audit entry per row.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from sasaeai.core.db.bulk import insert_rows
from sasaeai.core.db.lookups import one_of
from sasaeai.core.tabular import (
    DEFAULT_MAX_BYTES,
    Column,
    HeaderMatch,
    ParsedRow,
    RowError,
    Table,
    TableError,
    TableSpec,
    match_headers,
    open_table,
    parse_corporate_number,
    parse_date,
    parse_int,
    parse_rows,
    parse_text,
)
from sasaeai.core.tabular.errors import join_names
from sasaeai.core.text import search_key
from sasaeai.regions.codes import InvalidMunicipalityCode, normalize_local_government_code
from sasaeai.regions.models import Municipality, MunicipalityKind, Prefecture

from .kpis import bump_registry_version
from .models import Corporation, Facility, FacilityKind, ImportJob, SectorGroup
from .models.imports import MAX_STORED_ERRORS, ImportKind, ImportStatus

__all__ = [
    "CORPORATION_SPEC",
    "FACILITY_SPEC",
    "SPECS",
    "ImportPreview",
    "ImportRefused",
    "ImportResult",
    "commit_import",
    "errors_as_json",
    "preview_import",
    "preview_job",
    "remap_job",
    "run_import_job",
    "start_job",
    "store_preview",
    "upload_import",
]

CHUNK = 2000
BATCH = 500
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


# Lookups: one query each, then dictionaries ----------------------------------------------------


class Municipalities:
    """The municipalities of one prefecture by code (5 or 6 digits) and by name, with or
    without the prefecture's name in front; a ward as its city's name and its own (岡山市北区)."""

    def __init__(self, prefecture: Prefecture) -> None:
        self.prefecture = prefecture
        self.by_key: dict[str, str] = {}
        rows = Municipality.objects.filter(prefecture=prefecture).order_by("is_active", "code")
        for code, name, kind, parent in rows.values_list("code", "name", "kind", "parent__name"):
            full = f"{parent}{name}" if kind == MunicipalityKind.WARD else name
            for key in (code, code[:5], full, f"{prefecture.name}{full}"):
                self.by_key[search_key(key)] = code  # active ones come last and win
        self.example = min(self.by_key.values(), default="")
        self.found: dict[str, str] = {}

    def resolve(self, text: str) -> str:
        code = self.found.get(text)
        if code is not None:
            return code
        if text.isascii() and text.isdigit():
            code = self._by_code(text)
        else:
            code = self.by_key.get(search_key(text))
            if code is None:
                raise ValidationError(self._unknown(text))
        self.found[text] = code  # a file names the same few municipalities again and again
        return code

    def _by_code(self, text: str) -> str:
        try:
            code = normalize_local_government_code(text)
        except InvalidMunicipalityCode as error:
            raise ValidationError(str(error)) from None
        if code not in self.by_key:
            raise ValidationError(self._unknown(text))
        return code

    def _unknown(self, text: str) -> str:
        return _(
            "“%(value)s” is not a municipality of %(prefecture)s. Enter its name "
            "(e.g. 津山市 or 岡山市北区) or its code (e.g. %(code)s)."
        ) % {"value": text, "prefecture": self.prefecture.name, "code": self.example}


class EditableChoices:
    """An editable list (sector groups, facility kinds) by name or code."""

    SHOWN = 8

    def __init__(self, model: type[Model], label: str) -> None:
        self.label = label
        self.by_key: dict[str, int] = {}
        self.names: list[str] = []
        self.found: dict[str, int] = {}
        for pk, code, name, active in model.objects.values_list("pk", "code", "name", "is_active"):
            self.by_key[search_key(code)] = self.by_key[search_key(name)] = pk
            if active:
                self.names.append(name)

    def resolve(self, text: str) -> int:
        pk = self.found.get(text)
        if pk is not None:
            return pk
        pk = self.by_key.get(search_key(text))
        if pk is not None:
            self.found[text] = pk
        else:
            shown = join_names(self.names[: self.SHOWN])
            shown += "…" if len(self.names) > self.SHOWN else ""
            raise ValidationError(
                _("“%(value)s” is not in the list of %(list)s. Valid values include: %(values)s.")
                % {"value": text, "list": self.label, "values": shown}
            )
        return pk


# The import of one kind -----------------------------------------------------------------------

# Columns that name another record, and the field that holds its key.
REFERENCES = {
    "municipality": "municipality_id",
    "sector_group": "sector_group_id",
    "kind": "kind_id",
}
TEXT_FIELDS = frozenset(
    {"name", "name_kana", "representative", "postal_code", "address", "phone", "office_number"}
)


# Built once, translated only when a duplicate is found (not for every row).
DUPLICATE_NUMBER = gettext_lazy("This 法人番号 is already in row %(row)s of this file.")
DUPLICATE_NAME = gettext_lazy(
    "A facility of this corporation with this name is already in row %(row)s."
)
DUPLICATE_OFFICE = gettext_lazy("This office number is already in row %(row)s of this file.")


@dataclass(slots=True)
class _Candidate:
    number: int
    key: str
    fields: dict[str, object]


class _Import:
    """Checks rows chunk by chunk against the database; writes them when ``write`` is set."""

    spec: TableSpec
    model: type[Model]
    start: str  # the field of the date the record started: founded or opened

    def __init__(
        self,
        *,
        prefecture: Prefecture,
        columns: Iterable[str],
        write: bool,
    ) -> None:
        self.prefecture = prefecture
        self.columns = frozenset(columns)
        self.write = write
        self.municipalities = Municipalities(prefecture)
        self.seen: dict[object, int] = {}
        self.counts: Counter[str] = Counter()
        self.errors: list[RowError] = []
        self.now = timezone.now()
        self.order = {column.header: index for index, column in enumerate(self.spec.columns)}
        self.plain_columns = tuple(self.columns - {"corporate_number", *REFERENCES})
        self.text_columns = tuple(key for key in self.plain_columns if key in TEXT_FIELDS)
        # The parsed values hold every column of the file: these are not model fields.
        self.not_fields = tuple(self.columns - set(self.plain_columns))

    def run(self, rows: Iterator[ParsedRow], *, total: int, on_progress: ProgressCallback) -> None:
        while chunk := list(islice(rows, CHUNK)):
            candidates = [c for row in chunk if (c := self.check(row)) is not None]
            self.apply(candidates)
            self.counts["total"] += len(chunk)
            on_progress(self.counts["total"], max(total, self.counts["total"]))

    def fail(self, number: int, column: str, value: object, message: str) -> None:
        header = self.spec.column(column).header
        self.errors.append(RowError(number, header, "" if value is None else str(value), message))

    def check(self, row: ParsedRow) -> _Candidate | None:
        """The row's values as model fields, or ``None`` after recording its errors."""
        before = len(self.errors)
        self.errors.extend(row.errors)
        fields = self.fields(row)
        key = self.duplicate_check(row)
        if len(self.errors) == before and key is not None:
            return _Candidate(row.number, key, fields)
        # A row's errors in the order of its columns.
        self.errors[before:] = sorted(
            self.errors[before:], key=lambda e: self.order.get(e.column, 0)
        )
        return None

    def fields(self, row: ParsedRow) -> dict[str, object]:
        # Cells arrive normalised (parse_rows: NFKC, spaces collapsed), as save() stores them.
        fields = row.values.copy()
        for key in self.not_fields:
            del fields[key]
        for key in self.text_columns:
            if fields[key] is None:
                fields[key] = ""
        self.reference(row, fields, "municipality", "municipality_id", self.municipalities)
        return fields

    def reference(self, row: ParsedRow, fields: dict, column: str, attribute: str, lookup) -> None:
        if column not in self.columns:
            return
        value = row.values.get(column)
        try:
            fields[attribute] = lookup.resolve(value) if value is not None else None
        except ValidationError as error:
            self.fail(row.number, column, value, " ".join(error.messages))

    def duplicate_check(self, row: ParsedRow) -> str | None:
        raise NotImplementedError

    def seen_before(self, row: ParsedRow, key: object, column: str, message: str) -> bool:
        """Whether an earlier row of the file has the same key (an error on this row)."""
        first = self.seen.setdefault(key, row.number)
        if first != row.number:
            self.fail(row.number, column, row.values.get(column), message % {"row": first})
        return first != row.number

    def apply(self, candidates: list[_Candidate]) -> None:
        raise NotImplementedError

    def update(self, record: Model, fields: Mapping[str, object]) -> bool:
        """Set the fields that differ; tell whether any did."""
        changed = [name for name, value in fields.items() if getattr(record, name) != value]
        for name in changed:
            setattr(record, name, fields[name])
        if changed:
            record.normalize_names()
            record.updated_at = self.now
        return bool(changed)

    def create(self, candidate: _Candidate, **fields: object) -> dict | bool:
        """The row's new record as column values (written by ``insert_rows``); only ``True``
        when checking, ``False`` after an error."""
        fields = {**fields, **candidate.fields}
        if not self.dates_in_order(candidate, fields.get(self.start), fields.get("closed")):
            return False
        if not self.write:
            return True
        names = self.model.name_fields
        fields["search_key"] = search_key(" ".join([fields.get(name) or "" for name in names]))
        return fields

    def outside_prefecture(self, candidate: _Candidate, record: Model, column: str) -> bool:
        """A record of another prefecture is its own center's to change."""
        if record.municipality_id[:2] == self.prefecture.code:
            return False
        message = _("This record belongs to another prefecture; only its center can change it.")
        self.fail(candidate.number, column, candidate.key, message)
        return True

    def dates_in_order(self, candidate: _Candidate, start, closed) -> bool:
        """A record closes on or after it starts (founded or opened)."""
        if closed is None or start is None or closed >= start:
            return True
        message = _("The closing date is before %(date)s.") % {"date": start}
        self.fail(candidate.number, "closed", closed, message)
        return False

    def plan(self, candidate: _Candidate, record: Model, creates: list, updates: list) -> None:
        """Create, update or leave the row's record; a record of another prefecture is an
        error."""
        if self.outside_prefecture(candidate, record, "corporate_number"):
            return
        if not self.update(record, candidate.fields):
            self.counts["unchanged"] += 1
        elif self.dates_in_order(candidate, getattr(record, self.start), record.closed):
            updates.append(record)

    def save(self, creates: list[Model], updates: list[Model]) -> None:
        self.counts["created"] += len(creates)
        self.counts["updated"] += len(updates)
        if not self.write or self.errors:
            return
        insert_rows(self.model, creates, now=self.now)
        if updates:
            names = [*self.update_fields(), "search_key", "updated_at"]
            self.model.objects.bulk_update(updates, names, batch_size=BATCH)

    def update_fields(self) -> list[str]:
        """The model fields fed by the file's columns."""
        return [REFERENCES.get(key, key) for key in self.columns if key != "corporate_number"]


class _CorporationImport(_Import):
    spec = CORPORATION_SPEC
    model = Corporation
    start = "founded"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sectors = EditableChoices(SectorGroup, _("sector groups"))

    def fields(self, row: ParsedRow) -> dict[str, object]:
        fields = super().fields(row)
        self.reference(row, fields, "sector_group", "sector_group_id", self.sectors)
        return fields

    def duplicate_check(self, row: ParsedRow) -> str | None:
        number = row.values.get("corporate_number")
        message = DUPLICATE_NUMBER
        if number is None or self.seen_before(row, number, "corporate_number", message):
            return None
        return number

    def apply(self, candidates: list[_Candidate]) -> None:
        numbers = [c.key for c in candidates]
        rows = Corporation.objects.filter(
            one_of(Corporation, "corporate_number", numbers)
        ).order_by()
        existing = {record.corporate_number: record for record in rows}
        creates, updates = [], []
        for candidate in candidates:
            record = existing.get(candidate.key)
            if record is not None:
                self.plan(candidate, record, creates, updates)
            elif new := self.create(candidate, corporate_number=candidate.key):
                creates.append(new)
        self.save(creates, updates)


class _FacilityImport(_Import):
    spec = FACILITY_SPEC
    model = Facility
    start = "opened"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.kinds = EditableChoices(FacilityKind, _("facility kinds"))
        self.claimed: dict[int, int] = {}  # facility pk → the row that updates it
        self.corporation_ids: dict[str, int] = {}  # 法人番号 → pk, of the rows read so far

    def fields(self, row: ParsedRow) -> dict[str, object]:
        fields = super().fields(row)
        self.reference(row, fields, "kind", "kind_id", self.kinds)
        return fields

    def duplicate_check(self, row: ParsedRow) -> str | None:
        number, name = row.values.get("corporate_number"), row.values.get("name")
        if number is None or name is None:
            return None
        office = row.values.get("office_number")
        # The name arrives normalised (parse_rows), as it is stored.
        if self.seen_before(row, (number, name), "name", DUPLICATE_NAME):
            return None
        if office and self.seen_before(row, ("office", office), "office_number", DUPLICATE_OFFICE):
            return None
        return number

    def apply(self, candidates: list[_Candidate]) -> None:
        corporations = self.corporations(candidates)
        by_name, by_office = self.existing(candidates, corporations)
        creates, updates = [], []
        for candidate in candidates:
            corporation_id = corporations.get(candidate.key)
            if corporation_id is None:
                message = _(
                    "No corporation with this 法人番号 is in the registry. Import it first."
                )
                self.fail(candidate.number, "corporate_number", candidate.key, message)
                continue
            record = self.match(candidate, corporation_id, by_name, by_office)
            if record:
                self.plan(candidate, record, creates, updates)
            elif record is None and (new := self.create(candidate, corporation_id=corporation_id)):
                creates.append(new)
        self.save(creates, updates)

    def corporations(self, candidates: list[_Candidate]) -> dict[str, int]:
        """The corporations named in the chunk by 法人番号; those of earlier chunks are kept
        (a corporation's facilities follow one another), so each is read once per file."""
        known = self.corporation_ids
        numbers = {c.key for c in candidates} - known.keys()
        if numbers:
            rows = Corporation.objects.filter(one_of(Corporation, "corporate_number", numbers))
            known.update(rows.order_by().values_list("corporate_number", "pk"))
        return known

    def existing(self, candidates: list[_Candidate], corporations: dict[str, int]):
        """The facilities of the chunk's corporations, by (corporation, name), and those of its
        office numbers, by office number."""
        ids = {corporations[c.key] for c in candidates if c.key in corporations}
        offices = {c.fields.get("office_number") for c in candidates} - {None, ""}
        # Two queries, each on an index; one with OR would scan the whole table. All the
        # facilities of the corporations (a few each): sending every name of the chunk too
        # cost more than the rows it left out.
        records = list(Facility.objects.filter(one_of(Facility, "corporation_id", ids)).order_by())
        if offices:
            known = {f.pk for f in records}
            by_office = Facility.objects.filter(
                one_of(Facility, "office_number", offices)
            ).order_by()
            records += [f for f in by_office if f.pk not in known]
        by_name = {(f.corporation_id, f.name): f for f in records}
        by_office = {f.office_number: f for f in by_name.values() if f.office_number}
        return by_name, by_office

    def match(self, candidate: _Candidate, corporation_id: int, by_name: dict, by_office: dict):
        """The facility this row updates, ``None`` for a new one, ``False`` after an error."""
        named = by_name.get((corporation_id, candidate.fields["name"]))
        numbered = by_office.get(candidate.fields.get("office_number") or None)
        record = numbered or named
        message = None
        if numbered and named and numbered.pk != named.pk:
            message = _("This office number belongs to the facility “%(name)s”.")
        elif numbered and numbered.corporation_id != corporation_id:
            message = _("This office number belongs to “%(name)s” of another corporation.")
        elif record and self.claimed.setdefault(record.pk, candidate.number) != candidate.number:
            message = _("Row %(row)s of this file already updates this facility.")
        if message is None:
            return record
        params = {"name": numbered.name if numbered else "", "row": self.claimed.get(record.pk)}
        office = candidate.fields.get("office_number")
        column, value = ("office_number", office) if office else ("name", candidate.fields["name"])
        self.fail(candidate.number, column, value, message % params)
        return False


IMPORTS: dict[str, type[_Import]] = {
    ImportKind.CORPORATIONS: _CorporationImport,
    ImportKind.FACILITIES: _FacilityImport,
}


# Entry points ---------------------------------------------------------------------------------


def _prefecture(code: str) -> Prefecture:
    try:
        return Prefecture.objects.get(code=code)
    except Prefecture.DoesNotExist:
        raise ValueError(f"No prefecture has the code {code!r}.") from None


def _filename(file: Source, filename: str) -> str:
    """The name to show for the file: the one given, else the path's or the stream's own."""
    if filename:
        return filename
    name = file if isinstance(file, str | os.PathLike) else getattr(file, "name", "")
    return Path(name).name if name else ""


def _no_progress(processed: int, total: int) -> None:
    """Progress is not reported."""


def _count_rows(table: Table, file: Source) -> int:
    """The number of data rows, for progress: from the workbook, or the CSV's line breaks (a
    cell with line breaks makes it a little high)."""
    known = table.total_rows()
    if known is not None:
        return known
    if isinstance(file, str | os.PathLike):
        with open(file, "rb") as stream:
            return _count_lines(stream)
    return _count_lines(file)


def _count_lines(stream: BinaryIO) -> int:
    position, lines, last = stream.tell(), 0, b"\n"
    stream.seek(0)
    while chunk := stream.read(1 << 20):
        lines, last = lines + chunk.count(b"\n"), chunk[-1:]
    stream.seek(position)
    return max(0, lines + (last != b"\n") - 1)


def _check(
    kind: str,
    table: Table,
    match: HeaderMatch,
    *,
    prefecture: Prefecture,
    write: bool,
    total: int,
    on_progress: ProgressCallback = _no_progress,
) -> _Import:
    """Read every row of ``table`` through the import of ``kind``, writing when ``write``."""
    importer = IMPORTS[kind](prefecture=prefecture, columns=match.indexes, write=write)
    with _older_objects_frozen(), _lookups_by_index():
        importer.run(parse_rows(table, SPECS[kind], match), total=total, on_progress=on_progress)
    return importer


@contextlib.contextmanager
def _lookups_by_index() -> Iterator[None]:
    """On PostgreSQL, have the chunks' lookups use their indexes, whatever the statistics say.

    A registry table that has just been filled (a new database, or an import that doubles
    it) has no statistics yet: the planner then takes a chunk's hundreds of ids for most of
    the table and reads all of it, for every chunk (18 ms a chunk at 80,000 facilities
    against 0.7 ms by the index; 1.7 s of a national import). Every lookup here has its
    index, so sequential scans are switched off while the rows are read, and JIT with them
    (the switched-off plans' costs would start it). Inside a transaction ``SET LOCAL`` ends
    with it; outside, the settings are reset after the rows.
    """
    connection = connections[router.db_for_read(Facility)]
    if connection.vendor != "postgresql":
        yield
        return
    scope = "LOCAL " if connection.in_atomic_block else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SET {scope}enable_seqscan = off; SET {scope}jit = off")
    try:
        yield
    finally:
        if not scope:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("RESET enable_seqscan; RESET jit")


@contextlib.contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """Keep the garbage collector to the objects made while rows are read.

    A file's rows make many short-lived objects, and with them full collections that walk
    every object of the process (Django's included; about 0.1 s each). Frozen (``gc.freeze``),
    the objects that existed before are left out of those walks until the rows are done;
    nothing is collected less in the end. Left alone when something else froze objects.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def preview_import(
    kind: str,
    file: Source,
    *,
    prefecture: str,
    mapping: Mapping[str, str] | None = None,
    filename: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: ProgressCallback = _no_progress,
) -> ImportPreview:
    """Check every row of ``file`` and tell what an import would do; write nothing.

    Raise ``TableError`` for a file that cannot be read at all. Missing required columns are
    not an error here: the preview says which ones, for the person to map.
    """
    filename = _filename(file, filename)
    with open_table(file, filename=filename, max_bytes=max_bytes) as table:
        match = match_headers(table.headers, SPECS[kind], mapping=mapping)
        preview = ImportPreview(kind=kind, match=match)
        if preview.needs_mapping:
            return preview
        match.require()
        place, total = _prefecture(prefecture), _count_rows(table, file)
        importer = _check(
            kind, table, match, prefecture=place, write=False, total=total, on_progress=on_progress
        )
    counts = importer.counts
    preview.total, preview.created = counts["total"], counts["created"]
    preview.updated, preview.unchanged = counts["updated"], counts["unchanged"]
    preview.errors = importer.errors
    return preview


def commit_import(
    kind: str,
    file: Source,
    *,
    prefecture: str,
    mapping: Mapping[str, str] | None = None,
    filename: str = "",
    by=None,
    job: ImportJob | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: ProgressCallback = _no_progress,
    check_first: bool = False,
) -> ImportResult:
    """Import every row of ``file`` in one transaction, or none (``ImportRefused``).

    Upserts corporations by 法人番号 and facilities by 法人番号 + 施設名 (or 事業所番号); rows
    equal to the registry are not written. Progress is reported while the rows are checked;
    the writing follows in one transaction. The import is recorded as ``job`` (or a new
    ``ImportJob``), the one audit record of its bulk writes.

    With ``check_first`` every row is checked outside the transaction before the writing
    pass, so that another connection (the web's progress page) sees the progress; without it
    (the command line) rows are checked and written in one pass, rolled back on any error.
    """
    place, filename = _prefecture(prefecture), _filename(file, filename)
    with open_table(file, filename=filename, max_bytes=max_bytes) as table:
        match = match_headers(table.headers, SPECS[kind], mapping=mapping).require()
        total = _count_rows(table, file)
        if check_first:
            checked = _check(
                kind,
                table,
                match,
                prefecture=place,
                write=False,
                total=total,
                on_progress=on_progress,
            )
            if checked.errors:
                raise ImportRefused(checked.errors, total=checked.counts["total"])
            total = checked.counts["total"]
        job = job or ImportJob(
            kind=kind, prefecture=place, original_name=filename or table.name, created_by=by
        )
        counts = _write(
            kind,
            table,
            match,
            job=job,
            total=total,
            on_progress=_no_progress if check_first else on_progress,
        )
    return ImportResult(
        counts["total"], counts["created"], counts["updated"], counts["unchanged"], job
    )


def _write(
    kind: str,
    table: Table,
    match: HeaderMatch,
    *,
    job: ImportJob,
    total: int,
    on_progress: ProgressCallback = _no_progress,
) -> Counter:
    """Check the rows and write them with the job's summary, in one transaction, or refuse
    them all."""
    try:
        with transaction.atomic():
            written = _check(
                kind,
                table,
                match,
                prefecture=job.prefecture,
                write=True,
                total=total,
                on_progress=on_progress,
            )
            if written.errors:
                raise ImportRefused(written.errors, total=written.counts["total"])
            _record(job, counts=written.counts)
    except IntegrityError as error:
        # Rows that collide only once written, e.g. one renamed onto another's name.
        message = _("The rows conflict with the registry: %(error)s") % {"error": error}
        raise ImportRefused([RowError(0, "", "", message)], total=total) from error
    return written.counts


def _record(job: ImportJob, *, counts: Counter) -> None:
    """The one audit record of an import's bulk writes."""
    job.status, job.finished_at = ImportStatus.DONE, timezone.now()
    job.total_rows = job.processed_rows = counts["total"]
    job.created_count, job.updated_count = counts["created"], counts["updated"]
    job.unchanged_count, job.error_count, job.errors = counts["unchanged"], 0, []
    job.save()
    if counts["created"] or counts["updated"]:
        transaction.on_commit(bump_registry_version)  # bulk writes send no signals


# The web's import: upload and preview, then commit as a background task ------------------------


def errors_as_json(errors: list[RowError]) -> list[dict[str, object]]:
    """The first errors, as stored on a job and shown on its page."""
    return [
        {"row": e.row, "column": e.column, "value": e.value, "message": e.message}
        for e in errors[:MAX_STORED_ERRORS]
    ]


def store_preview(job: ImportJob, preview: ImportPreview) -> ImportJob:
    """Keep a preview's outcome on its job, for the preview page."""
    match = preview.match
    job.headers = [header for header in match.headers if header and header.strip()]
    job.missing_columns = list(match.missing)
    job.ignored_columns = list(match.unknown)
    job.total_rows, job.processed_rows = preview.total, 0
    job.created_count, job.updated_count = preview.created, preview.updated
    job.unchanged_count, job.error_count = preview.unchanged, len(preview.errors)
    job.errors = errors_as_json(preview.errors)
    job.status = ImportStatus.PREVIEWED
    job.save()
    return job


def upload_import(*, kind: str, upload: UploadedFile, prefecture: str, by) -> ImportJob:
    """Check an uploaded file and keep it with its preview; nothing is imported yet.

    Raise ``TableError`` for a file that cannot be read: then nothing is kept either.
    """
    preview = preview_import(kind, upload, prefecture=prefecture, filename=upload.name)
    job = ImportJob(kind=kind, prefecture_id=prefecture, original_name=upload.name, created_by=by)
    upload.seek(0)
    # A name of our own: the person's file name is kept in original_name, for display only.
    job.file.save(f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()[:8]}", upload, save=False)
    return store_preview(job, preview)


def remap_job(*, job: ImportJob, mapping: Mapping[str, str]) -> ImportJob:
    """Say which file columns hold the missing ones, and check the file again."""
    if job.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("This import has already started."))
    job.mapping = {**job.mapping, **mapping}
    return preview_job(job=job)


def preview_job(*, job: ImportJob) -> ImportJob:
    """Check a job's uploaded file again (after a new mapping) and store the preview."""
    with job.file.open("rb") as file:
        preview = preview_import(
            job.kind,
            file,
            prefecture=job.prefecture_id,
            mapping=job.mapping,
            filename=job.original_name,
        )
    return store_preview(job, preview)


def start_job(*, job: ImportJob) -> ImportJob:
    """Queue the commit of a previewed job, once the request's transaction commits."""
    if job.status != ImportStatus.PREVIEWED or job.missing_columns or job.error_count:
        raise ValidationError(_("Only a checked file without errors can be imported."))
    job.status, job.processed_rows = ImportStatus.RUNNING, 0
    job.save(update_fields=["status", "processed_rows"])
    transaction.on_commit(lambda: run_import_job.enqueue(job_id=job.pk))
    return job


def _job_progress(job: ImportJob) -> ProgressCallback:
    def report(processed: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed, total_rows=total)

    return report


def _fail(job: ImportJob, *, errors: list[RowError] = (), problem: str = "") -> None:
    job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
    job.error_count, job.errors, job.problem = len(errors), errors_as_json(list(errors)), problem
    job.save(update_fields=["status", "finished_at", "error_count", "errors", "problem"])


@task()
def run_import_job(job_id: int) -> None:
    """Commit an uploaded import (run by ``sasaeai worker``; at once in tests and the demo)."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.RUNNING:
        return  # run again after its worker was killed, but it had committed (or failed) already
    try:
        with job.file.open("rb") as file:
            commit_import(
                job.kind,
                file,
                prefecture=job.prefecture_id,
                mapping=job.mapping,
                filename=job.original_name,
                by=job.created_by,
                job=job,
                on_progress=_job_progress(job),
                check_first=True,
            )
    except ImportRefused as refusal:
        _fail(job, errors=refusal.errors)
    except TableError as error:
        _fail(job, problem=str(error))
    except (OSError, ValueError) as error:
        _fail(job, problem=str(error))
        raise
