"""Fictitious data at scale (架空データ): Okayama's size for the demo, Japan's for benchmarks.

Everything made up here says so: corporations carry ``is_fictitious`` and, like facilities,
names ending in （架空）; corporate numbers have a valid check digit but the base
``95`` + prefecture code + serial, an obviously made-up range. Councils (社協) are real bodies
that every municipality has: they get their real names and nothing else, while their membership
history here is made up and carries ``GENERATED_NOTE`` so that a reset can remove it.

The same seed gives the same data (each prefecture draws from its own ``random.Random``), and a
prefecture that already has generated corporations is skipped, so running twice adds nothing.
Rows are written with ``bulk_create``, which bypasses ``save()``: each record's
``normalize_names()`` is called here instead.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

from auditlog.context import disable_auditlog
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from sasaeai.core.hojin import make_corporate_number
from sasaeai.core.text import normalize_text
from sasaeai.regions.models import Municipality, MunicipalityKind, Prefecture

from .generator_data import (
    AZA,
    CAPACITIES,
    CORPORATION_SUFFIXES,
    FACILITY_NAMES,
    GIVEN_NAMES,
    KIND_MIX,
    KIND_WEIGHTS,
    OKAYAMA_POPULATION,
    OKAYAMA_POSTAL,
    OKAYAMA_STEMS,
    ORDINALS,
    POPULATION_10K,
    POSTAL_RANGES,
    SECTOR_SHARES,
    SECTOR_SIZE,
    STEMS,
    SURNAMES,
    TOWNS,
)
from .kpis import bump_registry_version
from .models import (
    Corporation,
    Council,
    Facility,
    FacilityKind,
    MembershipEvent,
    MemberType,
    SectorGroup,
)
from .models.membership import EventKind

D = datetime.date
BATCH_SIZE = 5000
FICTITIOUS_MARK = "（架空）"
GENERATED_NOTE = "架空データ（generate_data で生成）"
NUMBER_HEAD = "95"  # base numbers 95PPxxxxxxxx: PP the prefecture, then a serial
HISTORY_END = D(2022, 12, 31)
Curve = tuple[tuple[datetime.date, float], ...]
Report = Callable[[str], None]

# Share of facilities whose corporation is a member, by date. Okayama's center starts in FY2016
# and its plan aims at 70 % by 2020-03-31; the national set has ten years of history.
OKAYAMA_CURVE: Curve = (
    (D(2016, 4, 1), 0.0),
    (D(2017, 4, 1), 0.31),
    (D(2018, 4, 1), 0.40),
    (D(2019, 4, 1), 0.56),
    (D(2020, 3, 31), 0.72),
    (D(2021, 3, 31), 0.74),
    (D(2022, 3, 31), 0.755),
    (HISTORY_END, 0.76),
)
NATIONAL_CURVE: Curve = ((D(2013, 4, 1), 0.0), (D(2014, 4, 1), 0.12), (D(2016, 4, 1), 0.27))
NATIONAL_CURVE += OKAYAMA_CURVE[2:]


@dataclass(frozen=True)
class Scale:
    corporations: int
    facilities: int
    curve: Curve
    national: bool = False


SCALES = {
    "tiny": Scale(30, 120, OKAYAMA_CURVE),
    "okayama": Scale(600, 2500, OKAYAMA_CURVE),
    "national": Scale(21000, 80000, NATIONAL_CURVE, national=True),
}


@dataclass
class GenerationResult:
    corporations: int = 0
    facilities: int = 0
    councils: int = 0
    events: int = 0
    generated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass
class _Unit:
    """Where a record can sit: a municipality, or a ward for a designated city."""

    municipality: Municipality
    label: str  # 倉敷市, 岡山市北区
    place: tuple[str, str]  # the name and reading a corporation may take: 倉敷, クラシキ
    postal: str  # the first three digits of its postal codes
    weight: float


@dataclass
class _Draft:
    corporation: Corporation
    sector: str
    stem: tuple[str, str]
    unit: _Unit
    facilities: int = 1
    join: datetime.date | None = None


@dataclass
class _Context:
    """What one prefecture's generation needs, loaded once."""

    prefecture: Prefecture
    units: list[_Unit]
    cum_weights: list[float]
    rng: random.Random
    curve: Curve
    sectors: dict[str, SectorGroup]
    kinds: dict[str, FacilityKind]
    member_types: dict[str, MemberType]
    words: list[tuple[str, str]]
    stems: list[tuple[str, str]]  # the words and the prefecture's place names

    def pick_unit(self) -> _Unit:
        return self.rng.choices(self.units, cum_weights=self.cum_weights)[0]


# Entry points -------------------------------------------------------------------------------


def generate(
    *,
    scale: str,
    seed: int = 1,
    prefecture: str | None = None,
    reset: bool = False,
    report: Report = lambda message: None,
) -> GenerationResult:
    """Generate the fictitious data of ``scale``; prefectures generated before are skipped."""
    _ensure_regions()
    if reset:
        report(
            _(
                "Deleted generated data: %(corporations)d corporations, %(facilities)d "
                "facilities, %(events)d membership events."
            )
            % reset_fictitious()
        )
    result = GenerationResult()
    municipalities = _municipalities_by_prefecture()
    if prefecture is not None and prefecture not in municipalities:
        raise ValueError(_("No prefecture has the code %(code)s.") % {"code": prefecture})
    for code, corporations, facilities in _plan(SCALES[scale], prefecture):
        if has_generated_data(code):
            result.skipped.append(code)
            report(_("%(code)s: already generated, skipped.") % {"code": code})
            continue
        started = time.perf_counter()
        context = _context(code, municipalities[code], seed=seed, scale=SCALES[scale])
        with transaction.atomic():
            counts = _generate_prefecture(context, corporations, facilities)
        _add(result, code, counts)
        report(_progress(context.prefecture, counts, time.perf_counter() - started))
    if result.generated and connection.vendor == "postgresql":
        _analyze()
    if result.generated or reset:
        bump_registry_version()  # bulk writes send no signals
    return result


def generated_corporations(prefecture: str | None = None) -> QuerySet[Corporation]:
    """Corporations made by this generator (of one prefecture), never real or named demo ones."""
    head = NUMBER_HEAD + (prefecture or "")
    return Corporation.objects.annotate(
        number_head=Substr("corporate_number", 2, len(head))
    ).filter(is_fictitious=True, number_head=head)


def has_generated_data(prefecture: str) -> bool:
    return generated_corporations(prefecture).exists()


@transaction.atomic
def reset_fictitious() -> dict[str, int]:
    """Delete generated corporations, their facilities and events, and generated council
    history; real records and the named demo corporations stay. Nothing to audit: the rows
    were made up and bulk-written without audit entries."""
    corporations = Corporation.objects.filter(pk__in=generated_corporations().values("pk"))
    events = MembershipEvent.objects.filter(
        Q(corporation__in=corporations.values("pk")) | Q(council__isnull=False, note=GENERATED_NOTE)
    )
    with disable_auditlog():
        deleted_events = events.delete()[1].get(MembershipEvent._meta.label, 0)
        facilities = Facility.objects.filter(corporation__in=corporations.values("pk")).delete()
        corporations.exclude(merged_into=None).update(merged_into=None)
        deleted_corporations = corporations.delete()[1].get(Corporation._meta.label, 0)
    return {
        "corporations": deleted_corporations,
        "facilities": facilities[1].get(Facility._meta.label, 0),
        "events": deleted_events,
    }


def _analyze() -> None:
    """Fresh statistics after a bulk load, so that PostgreSQL plans for the new rows at once
    rather than after autovacuum's next pass (the national KPI query: 23 → 14 ms)."""
    with connection.cursor() as cursor:
        for model in (Corporation, Facility, Council, MembershipEvent):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# Planning -----------------------------------------------------------------------------------


def _ensure_regions() -> None:
    if not Municipality.objects.exists():
        from sasaeai.regions.loading import load_regions

        load_regions()


def _plan(scale: Scale, prefecture: str | None) -> list[tuple[str, int, int]]:
    """(prefecture, corporations, facilities) to generate; national: shared by population."""
    if not scale.national:
        return [(prefecture or "33", scale.corporations, scale.facilities)]
    codes = sorted(POPULATION_10K)
    weights = [POPULATION_10K[code] ** 0.85 for code in codes]
    corporations = apportion(scale.corporations, weights)
    facilities = apportion(scale.facilities, weights)
    plan = list(zip(codes, corporations, facilities, strict=True))
    return [row for row in plan if prefecture in (None, row[0])]


def apportion(total: int, weights: Sequence[float], *, minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders), at least ``minimum``."""
    rest = total - minimum * len(weights)
    quotas = [rest * weight / sum(weights) for weight in weights]
    counts = [minimum + int(quota) for quota in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: int(quotas[i]) - quotas[i])
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


def _municipalities_by_prefecture() -> dict[str, list[Municipality]]:
    grouped: dict[str, list[Municipality]] = {}
    for municipality in Municipality.objects.active().select_related("parent"):
        grouped.setdefault(municipality.prefecture_id, []).append(municipality)
    return grouped


def _context(code: str, municipalities: list[Municipality], *, seed: int, scale: Scale):
    rng = random.Random(f"{seed}:{code}")  # noqa: S311 — made-up data, not secrets
    units = _units(code, municipalities, rng)
    # Prefectures differ: the national set scales each one's curve a little (Okayama's stays).
    factor = 1.0 if code == "33" or not scale.national else rng.uniform(0.85, 1.05)
    places = [unit.place for unit in units if unit.municipality.kind != MunicipalityKind.WARD]
    words = [*STEMS, *(OKAYAMA_STEMS if code == "33" else ())]
    return _Context(
        prefecture=Prefecture.objects.get(code=code),
        units=units,
        cum_weights=list(accumulate(unit.weight for unit in units)),
        rng=rng,
        curve=tuple((date, share * factor) for date, share in scale.curve),
        sectors={group.code: group for group in SectorGroup.objects.all()},
        kinds={kind.code: kind for kind in FacilityKind.objects.all()},
        member_types={member_type.code: member_type for member_type in MemberType.objects.all()},
        words=words,
        stems=[*words, *places],
    )


def _units(code: str, municipalities: list[Municipality], rng: random.Random) -> list[_Unit]:
    """Every municipality, with a designated city replaced by its wards."""
    units = []
    first, last = POSTAL_RANGES[code]
    for municipality in municipalities:
        if municipality.kind == MunicipalityKind.DESIGNATED_CITY:
            continue
        city = municipality.parent or municipality
        units.append(
            _Unit(
                municipality=municipality,
                label=f"{city.name}{municipality.name}" if municipality.parent else city.name,
                place=_place(city),
                postal=OKAYAMA_POSTAL.get(
                    municipality.code, f"{first + int(municipality.code) % (last - first + 1):03d}"
                ),
                weight=OKAYAMA_POPULATION.get(municipality.code, 0) ** 0.8
                or KIND_WEIGHTS[municipality.kind] * rng.lognormvariate(0, 0.5),
            )
        )
    return units


def _place(municipality: Municipality) -> tuple[str, str]:
    """倉敷市 クラシキシ → 倉敷 クラシキ: the place name a corporation may be named after."""
    name, kana = municipality.name[:-1], municipality.kana
    for suffix in ("シ", "チョウ", "マチ", "ソン", "ムラ", "ク"):
        if kana.endswith(suffix):
            return name, kana.removesuffix(suffix)
    return name, kana


# Corporations and facilities ----------------------------------------------------------------


def _generate_prefecture(context: _Context, corporations: int, facilities: int) -> dict:
    drafts = _corporation_drafts(context, corporations)
    _spread_facilities(context, drafts, facilities)
    Corporation.objects.bulk_create([draft.corporation for draft in drafts], batch_size=BATCH_SIZE)
    _merge_some(context, drafts)
    made = _bulk(Facility, (f for draft in drafts for f in _facilities_of(context, draft)))
    councils, new_councils = _ensure_councils(context)
    events = _bulk(MembershipEvent, _corporation_events(context, drafts))
    events += _bulk(MembershipEvent, _council_events(context, councils))
    return {
        "corporations": len(drafts),
        "facilities": made,
        "councils": new_councils,
        "events": events,
    }


def _bulk(model, objects) -> int:
    """Insert in batches of ``BATCH_SIZE`` without holding every row of a prefecture twice."""
    batch, count = [], 0
    for obj in objects:
        batch.append(obj)
        if len(batch) == BATCH_SIZE:
            count += len(model.objects.bulk_create(batch))
            batch = []
    return count + len(model.objects.bulk_create(batch))


def _corporation_drafts(context: _Context, count: int) -> list[_Draft]:
    """Corporations spread over the units by weight (every unit one at least, at scale)."""
    minimum = 1 if count >= 3 * len(context.units) else 0
    per_unit = apportion(count, [unit.weight for unit in context.units], minimum=minimum)
    units = [unit for unit, n in zip(context.units, per_unit, strict=True) for _ in range(n)]
    taken: set[str] = set()
    return [_corporation(context, serial, unit, taken) for serial, unit in enumerate(units, 1)]


def _corporation(context: _Context, serial: int, unit: _Unit, taken: set[str]) -> _Draft:
    rng = context.rng
    sector = rng.choices(list(SECTOR_SHARES), weights=list(SECTOR_SHARES.values()))[0]
    stem, suffix = _unique_name(rng, context.stems, CORPORATION_SUFFIXES[sector], taken)
    name = normalize_text(f"社会福祉法人{stem[0]}{suffix[0]}{FICTITIOUS_MARK}")
    kana = stem[1] + suffix[1]
    founded = _founded(rng)
    corporation = Corporation(
        corporate_number=make_corporate_number(
            f"{NUMBER_HEAD}{context.prefecture.code}{serial:08d}"
        ),
        name=name,
        name_kana=kana,
        representative=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}",
        postal_code=f"{unit.postal}-{rng.randrange(10000):04d}",
        address=_address(rng, context.prefecture, unit),
        municipality=unit.municipality,
        sector_group=context.sectors.get(sector),
        founded=founded,
        is_fictitious=True,
    )
    corporation.normalize_names()
    earliest_closing = max(founded, D(2013, 4, 1)) + _days(365)
    if rng.random() < 0.03 and earliest_closing < HISTORY_END:
        corporation.closed = _between(rng, earliest_closing, HISTORY_END)
        corporation.closed_reason = "解散"
    return _Draft(corporation, sector, stem, unit)


def _unique_name(rng, stems, suffixes, taken: set[str]) -> tuple[tuple[str, str], tuple[str, str]]:
    """A stem and suffix not yet used in the prefecture (a second one gets 第二...)."""
    for _attempt in range(20):
        stem, suffix = rng.choice(stems), rng.choice(suffixes)
        if stem[0] + suffix[0] not in taken:
            break
    for number, (ordinal, reading) in enumerate(ORDINALS):
        candidate = (ordinal + stem[0], reading + stem[1]) if number else stem
        if candidate[0] + suffix[0] not in taken or number == len(ORDINALS) - 1:
            taken.add(candidate[0] + suffix[0])
            return candidate, suffix
    raise AssertionError  # unreachable: the last ordinal is always taken


def _founded(rng: random.Random) -> datetime.date:
    """Most corporations date from 1952–2010; a few are recent."""
    first, last = rng.choices(
        [(D(1952, 5, 1), D(1979, 12, 31)), (D(1980, 1, 1), D(1999, 12, 31)),
         (D(2000, 1, 1), D(2015, 12, 31)), (D(2016, 1, 1), D(2021, 12, 31))],
        weights=[35, 35, 25, 5],
    )[0]  # fmt: skip
    return _between(rng, first, last)


def _between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + _days(rng.randrange(max((last - first).days, 0) + 1))


def _days(days: int) -> datetime.timedelta:
    return datetime.timedelta(days=days)


def _address(rng: random.Random, prefecture: Prefecture, unit: _Unit) -> str:
    """A street address in the unit: 丁目 in cities and wards, 大字 in towns and villages."""
    if unit.municipality.kind in (MunicipalityKind.TOWN, MunicipalityKind.VILLAGE):
        street = f"大字{rng.choice(AZA)}{rng.randrange(1, 3000)}番地"
    else:
        block, lot = rng.randrange(1, 30), rng.randrange(1, 20)
        street = f"{rng.choice(TOWNS)}{rng.randrange(1, 6)}丁目{block}-{lot}"
    return f"{prefecture.name}{unit.label}{street}"


def _spread_facilities(context: _Context, drafts: list[_Draft], total: int) -> None:
    """One facility each, the rest by size: elderly care runs many, a nursery one or two."""
    weights = [SECTOR_SIZE[draft.sector] * context.rng.lognormvariate(0, 0.9) for draft in drafts]
    for draft, extra in zip(drafts, apportion(total - len(drafts), weights), strict=True):
        draft.facilities = 1 + extra


def _merge_some(context: _Context, drafts: list[_Draft]) -> None:
    """A few closed corporations merged into another of the prefecture (needs their ids)."""
    open_ones = [draft.corporation for draft in drafts if draft.corporation.closed is None]
    merged = []
    for draft in drafts:
        corporation = draft.corporation
        if corporation.closed and open_ones and context.rng.random() < 0.4:
            corporation.merged_into = context.rng.choice(open_ones)
            corporation.closed_reason = "合併"
            merged.append(corporation)
    Corporation.objects.bulk_update(merged, ["merged_into", "closed_reason"], batch_size=BATCH_SIZE)


def _facilities_of(context: _Context, draft: _Draft):
    rng, corporation = context.rng, draft.corporation
    names: set[str] = set()
    for index in range(draft.facilities):
        kind = rng.choices(list(KIND_MIX[draft.sector]), list(KIND_MIX[draft.sector].values()))[0]
        unit = draft.unit if rng.random() < 0.75 else context.pick_unit()
        stem = _facility_stem(rng, context, draft, unit, first=index == 0)
        name, kana = _facility_name(rng.choice(FACILITY_NAMES[kind]), stem, names)
        opened = _opened(rng, corporation.founded, corporation.closed)
        closed = corporation.closed
        if closed is None and rng.random() < 0.04:
            closed = _between(rng, opened + _days(365), HISTORY_END + _days(365))
            closed = closed if closed <= HISTORY_END else None
        facility = Facility(
            corporation_id=corporation.pk,
            name=name,
            name_kana=kana,
            kind=context.kinds.get(kind),
            municipality=unit.municipality,
            postal_code=f"{unit.postal}-{rng.randrange(10000):04d}",
            address=_address(rng, context.prefecture, unit),
            capacity=_capacity(rng, kind),
            opened=opened,
            closed=closed,
        )
        facility.normalize_names()
        yield facility


def _facility_name(pattern: tuple, stem: tuple[str, str], taken: set[str]) -> tuple[str, str]:
    """A name unique in the corporation: 特別養護老人ホーム + stem + 荘, or 第二... if taken."""
    prefix, prefix_kana, suffix, suffix_kana = pattern
    for ordinal, reading in ORDINALS:
        name = normalize_text(f"{prefix}{ordinal}{stem[0]}{suffix}{FICTITIOUS_MARK}")
        if name not in taken:
            taken.add(name)
            return name, f"{prefix_kana}{reading}{stem[1]}{suffix_kana}"
    name = normalize_text(f"{prefix}{stem[0]}{suffix}{len(taken) + 1}{FICTITIOUS_MARK}")
    taken.add(name)
    return name, f"{prefix_kana}{stem[1]}{suffix_kana}"


def _facility_stem(rng, context: _Context, draft: _Draft, unit: _Unit, *, first: bool):
    """The first facility takes the corporation's name; others that, their place's or a word."""
    roll = rng.random()
    if first or roll < 0.3:
        return draft.stem
    return unit.place if roll < 0.6 else rng.choice(context.words)


def _opened(rng, founded: datetime.date, closed: datetime.date | None) -> datetime.date:
    """Most facilities opened before the history starts; one in six during it; none after
    its corporation closed."""
    first, last = max(founded, D(1960, 4, 1)), min(closed or D(2022, 10, 1), D(2022, 10, 1))
    if rng.random() < 0.17 or first >= D(2013, 4, 1):
        return _between(rng, min(max(first, D(2013, 4, 1)), last), last)
    return _between(rng, first, min(D(2013, 3, 31), last))


def _capacity(rng: random.Random, kind: str) -> int | None:
    choices = CAPACITIES.get(kind)
    return rng.choice(choices) if choices else None


# Membership history -------------------------------------------------------------------------


def _corporation_events(context: _Context, drafts: list[_Draft]):
    """Joins spread so that the facility-basis rate follows the curve, with a few
    withdrawals, re-joins and changes; a closing member withdraws on the day it closes."""
    _assign_joins(context, drafts)
    member_type = context.member_types.get("basic-corporation")
    for draft in drafts:
        for kind, date in _timeline(context.rng, draft):
            yield MembershipEvent(
                corporation_id=draft.corporation.pk,
                kind=kind,
                effective_date=date,
                member_type=None if kind == EventKind.WITHDRAW else member_type,
                note=GENERATED_NOTE,
            )


def _assign_joins(context: _Context, drafts: list[_Draft]) -> None:
    """In random order, each corporation joins when the curve reaches the facilities before it."""
    order = list(drafts)
    context.rng.shuffle(order)
    total, before = sum(draft.facilities for draft in drafts), 0
    for draft in order:
        share = (before + draft.facilities / 2) / total
        before += draft.facilities
        draft.join = _date_at_share(context.curve, share)
        if draft.join and context.rng.random() < 0.3:
            draft.join = draft.join.replace(day=1)  # many join from the first of a month


def _date_at_share(curve: Curve, share: float) -> datetime.date | None:
    """The date the curve reaches ``share``; None when it never does."""
    for (start, low), (end, high) in pairwise(curve):
        if share <= high:
            fraction = (share - low) / (high - low) if high > low else 0.0
            return start + _days(round(fraction * (end - start).days))
    return None


def _timeline(rng: random.Random, draft: _Draft) -> list[tuple[str, datetime.date]]:
    corporation = draft.corporation
    end = min(corporation.closed or HISTORY_END, HISTORY_END)
    if draft.join is None:
        return []
    join = max(draft.join, corporation.founded + _days(30))
    if join >= end:
        return []
    events = [(EventKind.JOIN, join)]
    roll = rng.random()
    if roll < 0.05:
        events += _withdrawal_and_return(rng, join, end)
    elif roll < 0.08:
        change = join + _days(rng.randrange(90, 1500))
        events += [(EventKind.CHANGE, change)] if change < end else []
    if corporation.closed and corporation.closed <= HISTORY_END and events[-1][0] != "withdraw":
        events.append((EventKind.WITHDRAW, corporation.closed))
    return events


def _withdrawal_and_return(rng, join: datetime.date, end: datetime.date) -> list:
    withdraw = join + _days(rng.randrange(365, 1500))
    if withdraw >= end:
        return []
    rejoin = withdraw + _days(rng.randrange(180, 900))
    if rng.random() < 0.5 and rejoin < end:
        return [(EventKind.WITHDRAW, withdraw), (EventKind.JOIN, rejoin)]
    return [(EventKind.WITHDRAW, withdraw)]


# Councils -----------------------------------------------------------------------------------


def _ensure_councils(context: _Context) -> tuple[list[Council], int]:
    """The prefectural council and one per municipality (wards have none), real names only;
    returns the prefecture's open councils and how many were added."""
    prefecture = context.prefecture
    existing = Council.objects.filter(prefecture=prefecture, closed__isnull=True)
    have = {council.municipality_id for council in existing}
    wanted = [None] + [unit.municipality.parent or unit.municipality for unit in context.units]
    missing, seen = [], set(have)
    for municipality in wanted:
        key = municipality.code if municipality else None
        if key in seen:
            continue
        seen.add(key)
        name = f"{municipality.name if municipality else prefecture.name}社会福祉協議会"
        missing.append(
            Council(
                level=Council.Level.MUNICIPAL if municipality else Council.Level.PREFECTURAL,
                prefecture=prefecture,
                municipality=municipality,
                name=name,
            )
        )
    for council in missing:
        council.normalize_names()
    Council.objects.bulk_create(missing, batch_size=BATCH_SIZE)
    return list(Council.objects.filter(prefecture=prefecture, closed__isnull=True)), len(missing)


def _council_events(context: _Context, councils: list[Council]):
    """Councils join early: the prefectural one at the start, most municipal ones within the
    first year, a few later, a few never. Councils with a history of their own are left alone."""
    with_history = set(
        MembershipEvent.objects.filter(council__in=councils).values_list("council_id", flat=True)
    )
    start, rng = context.curve[0][0], context.rng
    member_type = context.member_types.get("council")
    for council in councils:
        roll = rng.random()
        if council.pk in with_history or roll >= 0.93:
            continue
        days = 0 if council.level == Council.Level.PREFECTURAL else rng.randrange(365)
        date = start + _days(days if roll < 0.82 else rng.randrange(365, 4 * 365))
        yield MembershipEvent(
            council_id=council.pk,
            kind=EventKind.JOIN,
            effective_date=date,
            member_type=member_type,
            note=GENERATED_NOTE,
        )


# Reporting ----------------------------------------------------------------------------------


def _add(result: GenerationResult, code: str, counts: dict) -> None:
    result.generated.append(code)
    result.corporations += counts["corporations"]
    result.facilities += counts["facilities"]
    result.councils += counts["councils"]
    result.events += counts["events"]


def _progress(prefecture: Prefecture, counts: dict, seconds: float) -> str:
    return _(
        "%(code)s %(name)s: %(corporations)d corporations, %(facilities)d facilities, "
        "%(councils)d councils, %(events)d membership events (%(seconds).1f s)"
    ) % {"code": prefecture.code, "name": prefecture.name, "seconds": seconds, **counts}
