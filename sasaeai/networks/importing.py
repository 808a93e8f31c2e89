"""Import of a network table as staff write it in Excel: preview with row errors, then all or
nothing; importing the same table again changes nothing.

One row per network (状況 設置済, with 組織名 and 設立日) or per step of a municipality that has
no network yet (状況 連絡会・情報交換会等開催 or 職員研修・局内検討, with the date 時点 of the
finding). Dates are read as written (``H29.10.10＊``, ``H30.5.25``, ``平成29年2月6日``,
``H31.3末``); a mark after a founding date is kept in the network's note on the date. Names
are normalised (half-width katakana, full-width digits); a nickname in （ ） or 「 」 after the
official name is split off.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sasaeai.core.dates import JapaneseDateError, parse_japanese_date
from sasaeai.core.tabular import (
    Column,
    RowError,
    TableSpec,
    match_headers,
    open_table,
    parse_bool,
    parse_choice,
    parse_date,
    parse_rows,
    parse_text,
)
from sasaeai.core.text import search_key
from sasaeai.members.models import Council
from sasaeai.regions.models import Municipality, MunicipalityKind, Prefecture

from . import actions
from .models import WITH_NETWORK, MunicipalNetwork, Source, Status, StatusEntry

# The seed's page 11 as staff would type it (see data/README.md); the demo imports it.
SEED_TABLE = Path(__file__).resolve().parent / "data" / "okayama-h31.csv"

STATUS_LABELS = {
    "設置済": Status.ESTABLISHED,
    "設置済み": Status.ESTABLISHED,
    "設置": Status.ESTABLISHED,
    "設立済": Status.ESTABLISHED,
    "設立": Status.ESTABLISHED,
    "連絡会・情報交換会等開催": Status.MEETINGS,
    "連絡会・情報交換会開催": Status.MEETINGS,
    "連絡会・情報交換会": Status.MEETINGS,
    "連絡会開催": Status.MEETINGS,
    "情報交換会開催": Status.MEETINGS,
    "連絡会": Status.MEETINGS,
    "情報交換会": Status.MEETINGS,
    "職員研修・局内検討": Status.STUDY,
    "職員研修": Status.STUDY,
    "局内検討": Status.STUDY,
    "未着手": Status.NONE,
    "活動中": Status.ACTIVE,
    "休止": Status.DORMANT,
    "休止中": Status.DORMANT,
    **{status.value: status for status in Status},
}
SOURCE_LABELS = {
    "調査": Source.SURVEY,
    "取組状況調査": Source.SURVEY,
    "アンケート": Source.SURVEY,
    "訪問": Source.VISIT,
    "アウトリーチ": Source.VISIT,
    "アウトリーチ支援": Source.VISIT,
    "報告": Source.REPORT,
    "その他": Source.OTHER,
    **{source.value: source for source in Source},
}
STATUS_EXPORT_LABELS = {
    Status.NONE: "未着手",
    Status.MEETINGS: "連絡会・情報交換会等開催",
    Status.STUDY: "職員研修・局内検討",
    Status.ESTABLISHED: "設置済",
    Status.ACTIVE: "活動中",
    Status.DORMANT: "休止",
}
SOURCE_EXPORT_LABELS = {
    Source.SURVEY: "調査",
    Source.VISIT: "訪問",
    Source.REPORT: "報告",
    Source.OTHER: "その他",
}


def _date_with_note(text: str) -> tuple[datetime.date, str]:
    """A date and the mark written after it (``H29.10.10＊`` → the date and ``＊``)."""
    try:
        parsed = parse_japanese_date(text)
    except JapaneseDateError as error:
        raise ValidationError(error.message, code=error.code, params=error.params) from error
    return parsed.value, parsed.note


SPEC = TableSpec(
    (
        Column(
            "municipality",
            ("市町村", "市町村名", "圏域", "区域", "municipality"),
            required=True,
            parse=parse_text(200),
        ),
        Column(
            "status",
            ("状況", "取組状況", "ステータス", "status"),
            parse=parse_choice(STATUS_LABELS),
        ),
        Column("name", ("組織名", "ネットワーク名", "名称", "name"), parse=parse_text(200)),
        Column("nickname", ("愛称", "nickname"), parse=parse_text(100)),
        Column(
            "established", ("設立日", "設置日", "設立年月日", "established"), parse=_date_with_note
        ),
        Column("as_of", ("時点", "基準日", "日付", "as_of"), parse=parse_date),
        Column("source", ("出典", "情報源", "source"), parse=parse_choice(SOURCE_LABELS)),
        Column("secretariat", ("事務局", "secretariat"), parse=parse_text(100)),
        Column("correction", ("訂正", "correction"), parse=parse_bool),
        Column("note", ("備考", "根拠", "摘要", "note"), parse=parse_text(2000), multiline=True),
    )
)
# Export headers: the network list and the status table, both read back by SPEC.
NETWORK_HEADERS = ("市町村", "状況", "組織名", "愛称", "設立日", "事務局", "備考")
STATUS_HEADERS = ("市町村", "状況", "時点", "組織名", "出典", "備考")

_NICKNAME = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<p>[^()]+)\)|「(?P<q>[^「」]+)」)$")
_SEPARATORS = re.compile(r"[・、,/]")
_DISTRICT = re.compile(r"^.+?郡")

NOT_FOUND = gettext_lazy("No municipality of %(prefecture)s is named “%(name)s”.")
AMBIGUOUS = gettext_lazy("“%(name)s” matches %(count)s municipalities: %(names)s.")


def split_nickname(name: str) -> tuple[str, str]:
    """``総社市社会貢献活動推進協議会（ふくしネットそうじゃ）`` → official name and nickname."""
    match = _NICKNAME.match(name)
    if not match:
        return name, ""
    return match["name"], match["p"] or match["q"]


class MunicipalityNames:
    """The municipalities of one prefecture by name (wards as 岡山市北区 or 北区)."""

    def __init__(self, prefecture: Prefecture) -> None:
        self.prefecture = prefecture
        self.names: dict[str, list[Municipality]] = defaultdict(list)
        for municipality in (
            Municipality.objects.of_prefecture(prefecture.code).active().select_related("parent")
        ):
            keys = {search_key(municipality.name)}
            if municipality.kind == MunicipalityKind.WARD and municipality.parent:
                keys.add(search_key(municipality.parent.name + municipality.name))
            for key in keys:
                self.names[key].append(municipality)

    def find(self, name: str) -> Municipality:
        key = search_key(name)
        for prefix in (search_key(self.prefecture.name),):
            if key.startswith(prefix) and len(key) > len(prefix):
                key = key[len(prefix) :]
        found = self.names.get(key) or self.names.get(_DISTRICT.sub("", key)) or []
        if not found:
            raise ValidationError(
                NOT_FOUND, code="not_found", params={"prefecture": self.prefecture, "name": name}
            )
        if len(found) > 1:
            raise ValidationError(
                AMBIGUOUS,
                code="ambiguous",
                params={
                    "name": name,
                    "count": len(found),
                    "names": "、".join(f"{m}（{m.code}）" for m in found),
                },
            )
        return actions.local_government(found[0])


@dataclass
class PlannedNetwork:
    rows: list[int]
    name: str
    nickname: str
    area: dict[str, Municipality]
    established_on: datetime.date
    established_note: str
    secretariat: Council | None
    source: str
    existing: MunicipalNetwork | None = None

    @property
    def changed(self) -> bool:
        network = self.existing
        if network is None:
            return True
        area = set(network.area.values_list("pk", flat=True))
        return (
            network.established_on != self.established_on
            or not set(self.area) <= area
            or bool(self.nickname and network.nickname != self.nickname)
        )


@dataclass
class PlannedStatus:
    row: int
    municipality: Municipality
    status: str
    effective_on: datetime.date
    source: str
    evidence: str
    network_key: str = ""
    is_correction: bool = False

    @property
    def label(self) -> str:
        return Status(self.status).label


@dataclass
class ImportPlan:
    prefecture: Prefecture
    networks: list[PlannedNetwork] = field(default_factory=list)
    statuses: list[PlannedStatus] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_networks(self) -> list[PlannedNetwork]:
        return [n for n in self.networks if n.existing is None]

    @property
    def updated_networks(self) -> list[PlannedNetwork]:
        return [n for n in self.networks if n.existing is not None and n.changed]


class _Rows:
    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan

    def error(self, row: int, column: str, value: object, message: object) -> None:
        header = SPEC.column(column).header
        self.plan.errors.append(RowError(row, header, str(value or ""), str(message)))


def plan_import(source, *, prefecture: str, filename: str = "") -> ImportPlan:
    """Read and check the whole table; write nothing. ``TableError`` for an unreadable file."""
    prefecture_obj = Prefecture.objects.get(code=prefecture)
    plan = ImportPlan(prefecture=prefecture_obj)
    rows = _Rows(plan)
    names = MunicipalityNames(prefecture_obj)
    councils = {
        search_key(c.name): c for c in Council.objects.in_prefecture(prefecture).filter(closed=None)
    }
    municipal_councils = {
        c.municipality_id: c
        for c in Council.objects.in_prefecture(prefecture).filter(
            closed=None, level=Council.Level.MUNICIPAL
        )
    }
    networks: dict[str, PlannedNetwork] = {}
    with open_table(source, filename=filename) as table:
        match = match_headers(table.headers, SPEC).require()
        plan.unknown_columns = match.unknown
        parsed = list(parse_rows(table, SPEC, match))
    for row in parsed:
        plan.errors.extend(row.errors)
        if not row.ok:
            continue
        values = row.values
        area = _area(rows, names, row.number, values["municipality"])
        if area is None:
            continue
        name, nickname = split_nickname(values.get("name") or "")
        nickname = values.get("nickname") or nickname
        status = values.get("status")
        established = values.get("established")
        if status is None:
            if not (name and established):
                rows.error(row.number, "status", "", _("Enter the status of the municipality."))
                continue
            status = Status.ESTABLISHED
        source = values.get("source") or Source.REPORT
        note = values.get("note") or ""
        if status in WITH_NETWORK:
            if not name:
                rows.error(row.number, "name", "", _("Enter the name of the network."))
                continue
            if status == Status.ESTABLISHED and not established:
                rows.error(row.number, "established", "", _("Enter the date it was established."))
                continue
        if status in WITH_NETWORK and established:
            secretariat = _secretariat(
                rows, row.number, values.get("secretariat"), councils, municipal_councils, area
            )
            if secretariat is False:
                continue
            planned = _merge_network(
                rows,
                networks,
                row.number,
                name,
                nickname,
                area,
                established,
                note,
                secretariat,
                source,
            )
            if planned is None or status == Status.ESTABLISHED:
                continue
        if status != Status.ESTABLISHED or not established:
            as_of = values.get("as_of")
            if as_of is None:
                rows.error(row.number, "as_of", "", _("Enter the date of this status."))
                continue
            for municipality in area:
                plan.statuses.append(
                    PlannedStatus(
                        row=row.number,
                        municipality=municipality,
                        status=status,
                        effective_on=as_of,
                        source=source,
                        evidence=" ".join(filter(None, [name and f"{name}", note])),
                        network_key=search_key(name) if status in WITH_NETWORK else "",
                        is_correction=bool(values.get("correction")),
                    )
                )
    plan.networks = list(networks.values())
    _check_against_records(plan, rows)
    plan.errors.sort(key=lambda error: error.row)
    return plan


def _area(
    rows: _Rows, names: MunicipalityNames, number: int, text: str
) -> list[Municipality] | None:
    area: dict[str, Municipality] = {}
    for part in filter(None, (p.strip() for p in _SEPARATORS.split(text))):
        try:
            municipality = names.find(part)
        except ValidationError as error:
            rows.error(number, "municipality", text, " ".join(error.messages))
            return None
        area[municipality.pk] = municipality
    if not area:
        rows.error(number, "municipality", text, _("Enter a municipality."))
        return None
    return list(area.values())


def _secretariat(rows, number, text, councils, municipal_councils, area):
    if text:
        council = councils.get(search_key(text))
        if council is None:
            rows.error(
                number, "secretariat", text, _("No open council of the prefecture has this name.")
            )
            return False
        return council
    return municipal_councils.get(area[0].pk)


def _merge_network(
    rows, networks, number, name, nickname, area, established, note, secretariat, source
):
    established_on, mark = established
    key = search_key(name)
    note_text = "\n".join(
        filter(None, [note, _("Mark in the source: %(mark)s") % {"mark": mark} if mark else ""])
    )
    planned = networks.get(key)
    if planned is None:
        planned = networks[key] = PlannedNetwork(
            rows=[number],
            name=name,
            nickname=nickname,
            area={m.pk: m for m in area},
            established_on=established_on,
            established_note=note_text,
            secretariat=secretariat,
            source=source,
        )
        return planned
    if planned.established_on != established_on:
        rows.error(
            number,
            "established",
            established_on,
            _("Row %(row)s gives this network another founding date (%(date)s).")
            % {"row": planned.rows[0], "date": planned.established_on},
        )
        return None
    planned.rows.append(number)
    planned.area.update({m.pk: m for m in area})
    planned.nickname = planned.nickname or nickname
    return planned


def _check_against_records(plan: ImportPlan, rows: _Rows) -> None:
    """The rules of the status history, against what is stored and the rest of the file."""
    code = plan.prefecture.code
    existing = {
        n.search_key: n
        for n in MunicipalNetwork.objects.in_prefecture(code).prefetch_related("area")
    }
    candidates: dict[str, MunicipalNetwork] = {}
    for planned in plan.networks:
        planned.existing = existing.get(search_key(planned.name))
        if (
            planned.existing is not None
            and planned.existing.established_on != planned.established_on
        ):
            # A different founding date is a correction made on the network's page, where the
            # steps it made are moved with it; a table never silently rewrites it.
            rows.error(
                planned.rows[0],
                "established",
                planned.established_on,
                _("%(network)s is recorded as established on %(date)s; correct it on its page.")
                % {"network": planned.existing.name, "date": planned.existing.established_on},
            )
            continue
        network = MunicipalNetwork(
            pk=None, prefecture_id=code, name=planned.name, established_on=planned.established_on
        )
        candidates[search_key(planned.name)] = network
    stored = set(
        StatusEntry.objects.in_prefecture(code).values_list(
            "municipality_id", "status", "effective_on"
        )
    )
    pending: list[StatusEntry] = []
    for planned in sorted(plan.statuses, key=lambda s: (s.effective_on, s.row)):
        if (planned.municipality.pk, planned.status, planned.effective_on) in stored:
            plan.unchanged += 1
            continue
        network = None
        if planned.network_key:
            network = existing.get(planned.network_key) or candidates.get(planned.network_key)
        try:
            actions.check_status(
                prefecture=code,
                municipality=planned.municipality,
                status=planned.status,
                effective_on=planned.effective_on,
                network=network,
                is_correction=planned.is_correction,
                pending=pending,
            )
        except ValidationError as error:
            rows.error(planned.row, "as_of", planned.effective_on, " ".join(error.messages))
            continue
        pending.append(
            StatusEntry(municipality=planned.municipality, effective_on=planned.effective_on)
        )
    plan.statuses = [
        s for s in plan.statuses if (s.municipality.pk, s.status, s.effective_on) not in stored
    ]
    plan.unchanged += sum(1 for n in plan.networks if n.existing is not None and not n.changed)


@dataclass(frozen=True)
class ImportResult:
    networks_created: int
    networks_updated: int
    statuses_created: int
    unchanged: int


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def apply_import(plan: ImportPlan, *, by=None) -> ImportResult:
    """Write a checked plan, all or nothing."""
    if not plan.ok:
        raise ImportRefused(plan.errors)
    code = plan.prefecture.code
    created = updated = 0
    with transaction.atomic():
        saved: dict[str, MunicipalNetwork] = {}
        for planned in plan.networks:
            network = planned.existing
            if network is not None and not planned.changed:
                saved[network.search_key] = network
                continue
            try:
                network = actions.save_network(
                    prefecture=code,
                    network=network,
                    name=planned.name if network is None else network.name,
                    nickname=planned.nickname or (network.nickname if network else ""),
                    area=[*planned.area.values(), *(network.area.all() if network else [])],
                    secretariat=planned.secretariat or (network.secretariat if network else None),
                    established_on=planned.established_on,
                    established_note=planned.established_note
                    or (network.established_note if network else ""),
                    dissolved_on=network.dissolved_on if network else None,
                    contact=network.contact if network else "",
                    note=network.note if network else "",
                    source=planned.source,
                    by=by,
                )
            except ValidationError as error:
                raise ImportRefused(
                    [
                        RowError(
                            planned.rows[0],
                            SPEC.column("name").header,
                            planned.name,
                            " ".join(error.messages),
                        )
                    ]
                ) from error
            if planned.existing is None:
                created += 1
            else:
                updated += 1
            saved[network.search_key] = network
        statuses = 0
        for planned in sorted(plan.statuses, key=lambda s: (s.effective_on, s.row)):
            network = None
            if planned.network_key:
                network = (
                    saved.get(planned.network_key)
                    or MunicipalNetwork.objects.filter(
                        prefecture_id=code, search_key=planned.network_key
                    ).first()
                )
            try:
                actions.record_status(
                    prefecture=code,
                    municipality=planned.municipality,
                    status=planned.status,
                    effective_on=planned.effective_on,
                    source=planned.source,
                    evidence=planned.evidence,
                    network=network,
                    is_correction=planned.is_correction,
                    by=by,
                )
            except ValidationError as error:
                raise ImportRefused(
                    [
                        RowError(
                            planned.row,
                            SPEC.column("as_of").header,
                            str(planned.effective_on),
                            " ".join(error.messages),
                        )
                    ]
                ) from error
            statuses += 1
    return ImportResult(
        networks_created=created,
        networks_updated=updated,
        statuses_created=statuses,
        unchanged=plan.unchanged,
    )


def import_networks(source, *, prefecture: str, filename: str = "", by=None) -> ImportResult:
    """Check and write a table in one go (the demo and the command use this)."""
    plan = plan_import(source, prefecture=prefecture, filename=filename)
    return apply_import(plan, by=by)
