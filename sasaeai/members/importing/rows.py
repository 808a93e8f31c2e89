"""The import of one kind: rows checked chunk by chunk against the database, and written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sasaeai.core.db.bulk import insert_rows
from sasaeai.core.db.lookups import one_of
from sasaeai.core.tabular import (
    ParsedRow,
    RowError,
    TableSpec,
)
from sasaeai.core.text import search_key
from sasaeai.regions.models import Prefecture

from ..models import Corporation, Facility, FacilityKind, SectorGroup
from ..models.imports import ImportKind
from .lookups import EditableChoices, Municipalities
from .specs import (
    CORPORATION_SPEC,
    FACILITY_SPEC,
    ProgressCallback,
)

CHUNK = 2000
BATCH = 500


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
