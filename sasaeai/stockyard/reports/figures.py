"""The stockyard's figures for a period: goods in and out by month, item, location, municipality
and referring organisation; households and people supported; stock value; the near-expiry list.

What counts (the same on the page, in the workbook and in the plan's measures):

- **In** (受入): intake movements dated in the period.
- **Out** (払出): picks for referrals net of their returns, by the date of each movement (a pick
  is dated on the approval, a return on the cancellation). A referral approved in March and
  cancelled in April is out in March and back, as a negative out, in April: the figures then
  add up with the ledger, for every location and item,
  ``stock at the end = stock the day before the start + in − out − disposed − given away
  + transferred in − transferred out + stocktake differences``.
- **Disposed** (廃棄), **given away** (譲渡), **transfers** in and out of each location and
  **stocktake differences** (signed) are their own columns; a transfer between two locations of
  the same report cancels out in its totals.
- **Value**: the quantity times the lot's value per unit (the catalogue value at intake, or the
  purchase price), in yen, rounded to the yen when shown.
- **Households supported**: distinct households with a referral handed over in the period and
  not cancelled since; **people**: the sum of those households' sizes as each referral
  recorded them (``Referral.household_size``; of a household's latest hand-over in the
  period), so a later referral never changes a past report.
- **By municipality**: the location's, a ward folded into its designated city.
- Quantities only add up within one item (kg and 缶 do not add), so the tables by month,
  location, municipality and referrer give values; the table by item gives both.

Every report is a constant number of queries (``GROUP BY`` in the database, whatever the
number of movements, lots, items or locations): see ``stock_report``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from sasaeai.core.dates import fiscal_year, fiscal_year_range

from .. import stock
from ..models import Location, Movement, MovementKind, Referral, ReferralStatus

ZERO = Decimal(0)
YEN = Decimal(1)

# Each kind of movement feeds one flow, with the sign that makes the flow positive.
FLOWS = (
    "received",
    "distributed",
    "disposed",
    "given_away",
    "transferred_in",
    "transferred_out",
    "stocktake",
)
FLOW_OF_KIND = {
    MovementKind.INTAKE: ("received", 1),
    MovementKind.PICK: ("distributed", -1),
    MovementKind.RETURN: ("distributed", -1),
    MovementKind.DISPOSAL: ("disposed", -1),
    MovementKind.GIVEN_AWAY: ("given_away", -1),
    MovementKind.TRANSFER_IN: ("transferred_in", 1),
    MovementKind.TRANSFER_OUT: ("transferred_out", -1),
    MovementKind.STOCKTAKE: ("stocktake", 1),
}
OUT_TO_HOUSEHOLDS = (MovementKind.PICK, MovementKind.RETURN)

VALUE = ExpressionWrapper(
    F("quantity") * F("lot__unit_value"), output_field=DecimalField(max_digits=24, decimal_places=2)
)


def yen(value: Decimal) -> int:
    """A value as whole yen (half up, as a receipt rounds)."""
    return int(Decimal(value).quantize(YEN, rounding=ROUND_HALF_UP))


# The figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    fiscal_year: int | None = None

    @classmethod
    def of_fiscal_year(cls, year: int) -> Period:
        start, end = fiscal_year_range(year)
        return cls(start, end, year)

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches."""
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return months


class Flows:
    """Quantities and values of each flow (``FLOWS``) of one row of a table."""

    __slots__ = ("quantity", "value")

    def __init__(self) -> None:
        self.quantity = dict.fromkeys(FLOWS, ZERO)
        self.value = dict.fromkeys(FLOWS, ZERO)

    def add(self, kind: str, quantity: Decimal, value: Decimal) -> None:
        name, sign = FLOW_OF_KIND[kind]
        self.quantity[name] += sign * quantity
        self.value[name] += sign * value

    def merge(self, other: Flows) -> None:
        for name in FLOWS:
            self.quantity[name] += other.quantity[name]
            self.value[name] += other.value[name]

    def net_value(self) -> Decimal:
        """What the flows change in the value of the stock."""
        v = self.value
        return (
            v["received"]
            - v["distributed"]
            - v["disposed"]
            - v["given_away"]
            + v["transferred_in"]
            - v["transferred_out"]
            + v["stocktake"]
        )


class Support:
    """Households supported: referrals handed over, their households and sizes, their value."""

    __slots__ = ("referrals", "sizes", "value")

    def __init__(self) -> None:
        self.sizes: dict[int, int] = {}
        self.referrals = 0
        self.value = ZERO

    def add(self, row: dict) -> None:
        self.sizes[row["household_id"]] = row["household_size"]
        self.referrals += 1
        self.value += row["value"] or ZERO

    @property
    def households(self) -> int:
        return len(self.sizes)

    @property
    def people(self) -> int:
        return sum(self.sizes.values())


@dataclass
class Row:
    """One row of a table: its key and name, its flows, its support, its stock at the end."""

    key: object
    name: str
    detail: str = ""  # the unit of an item, the municipality of a location, a referrer's kind
    flows: Flows = field(default_factory=Flows)
    support: Support = field(default_factory=Support)
    stock_quantity: Decimal = ZERO
    stock_value: Decimal = ZERO


@dataclass
class StockReport:
    prefecture: str
    period: Period
    today: datetime.date
    locations: list[Location]
    opening_value: Decimal
    closing_on: datetime.date
    closing_value: Decimal
    total: Row
    by_month: list[Row]
    by_item: list[Row]
    by_location: list[Row]
    by_municipality: list[Row]
    by_referrer: list[Row]
    near_expiry: list[stock.StockRow]


def _city(location: Location) -> tuple[str, str]:
    municipality = location.municipality
    city = municipality.parent if municipality.parent_id else municipality
    return city.code, city.name


def report_locations(locations, *, location: int | None = None, municipality: str | None = None):
    """The locations of a report: ``locations`` (a queryset), narrowed to one location or to
    one municipality (its wards included)."""
    if location is not None:
        locations = locations.filter(pk=location)
    if municipality:
        locations = locations.filter(
            Q(municipality_id=municipality) | Q(municipality__parent_id=municipality)
        )
    return locations


def _grouped(movements, *keys, **named):
    """The movements' sums of quantity and value per ``keys`` and kind: one query."""
    return (
        movements.values(*keys, "kind", **named)
        .annotate(q=Sum("quantity"), v=Sum(VALUE))
        .order_by()
    )


def _handed_over(locations, period: Period):
    """One row per referral handed over in the period (not cancelled since), with its value."""
    return (
        Referral.objects.filter(
            location__in=locations,
            status=ReferralStatus.HANDED_OVER,
            handed_over_on__gte=period.start,
            handed_over_on__lte=period.end,
        )
        .values(
            "pk",
            "household_id",
            "household_size",
            "handed_over_on",
            "location_id",
            "referring_corporation_id",
            "referring_corporation__name",
            "referring_municipality_id",
            "referring_municipality__name",
        )
        .annotate(
            value=Coalesce(
                -Sum(
                    F("movements__quantity") * F("movements__lot__unit_value"),
                    output_field=DecimalField(max_digits=24, decimal_places=2),
                ),
                ZERO,
                output_field=DecimalField(max_digits=24, decimal_places=2),
            )
        )
        .order_by("handed_over_on", "pk")
    )


def _referrer_row(referrers: dict[tuple, Row], row: dict, prefix: str = "") -> Row:
    """The row of the organisation that referred: a corporation, or a council (its
    municipality); ``detail`` says which."""
    corporation = row[f"{prefix}referring_corporation_id"]
    if corporation:
        key, name = ("corporation", corporation), row[f"{prefix}referring_corporation__name"]
    else:
        key = ("council", row[f"{prefix}referring_municipality_id"])
        name = row[f"{prefix}referring_municipality__name"] or ""
    if key not in referrers:
        referrers[key] = Row(key=key, name=name, detail=key[0])
    return referrers[key]


def stock_report(
    *,
    prefecture: str,
    locations,
    period: Period,
    today: datetime.date | None = None,
) -> StockReport:
    """The report of ``locations`` (a queryset, already scoped to the reader) in ``period``.
    Nine queries, whatever the number of movements, lots, items or locations."""
    today = today or timezone.localdate()
    locations = locations.filter(prefecture_id=prefecture)
    places = list(
        locations.select_related("municipality__parent").order_by("municipality_id", "name")
    )
    movements = Movement.objects.filter(
        location__in=locations, occurred_on__gte=period.start, occurred_on__lte=period.end
    )
    total = Row(key=None, name="")
    months = _by_month(movements, period, total)
    items = _by_item(movements)
    by_location = {
        place.pk: Row(key=place.pk, name=place.name, detail=_city(place)[1]) for place in places
    }
    for row in _grouped(movements, "location_id"):
        by_location[row["location_id"]].flows.add(row["kind"], row["q"], row["v"])
    referrers = _by_referrer(movements)
    for row in _handed_over(locations, period):
        total.support.add(row)
        months[row["handed_over_on"].replace(day=1)].support.add(row)
        by_location[row["location_id"]].support.add(row)
        _referrer_row(referrers, row).support.add(row)

    opening = stock.stock_on(locations, period.start - datetime.timedelta(days=1))
    closing_on = min(period.end, today)
    closing = stock.stock_on(locations, closing_on)
    for line in closing:
        by_location[line.location_id].stock_value += line.value
        item = items.setdefault(
            line.item_id, Row(key=line.item_id, name=line.item, detail=line.unit)
        )
        item.stock_quantity += line.quantity
        item.stock_value += line.value
    return StockReport(
        prefecture=prefecture,
        period=period,
        today=today,
        locations=places,
        opening_value=sum((line.value for line in opening), ZERO),
        closing_on=closing_on,
        closing_value=sum((line.value for line in closing), ZERO),
        total=total,
        by_month=list(months.values()),
        by_item=sorted(items.values(), key=lambda row: row.name),
        by_location=list(by_location.values()),
        by_municipality=_by_municipality(places, by_location),
        by_referrer=sorted(referrers.values(), key=lambda row: (row.detail != "council", row.name)),
        near_expiry=stock.near_expiry(locations, today),
    )


def _by_month(movements, period: Period, total: Row) -> dict[datetime.date, Row]:
    """A row for every month of the period (empty months too); the total beside them."""
    months = {month: Row(key=month, name="") for month in period.months()}
    for row in _grouped(movements, month=TruncMonth("occurred_on")):
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        months[month].flows.add(row["kind"], row["q"], row["v"])
        total.flows.add(row["kind"], row["q"], row["v"])
    return months


def _by_item(movements) -> dict[int, Row]:
    items: dict[int, Row] = {}
    for row in _grouped(movements, "lot__item_id", "lot__item__name", "lot__item__unit"):
        key = row["lot__item_id"]
        if key not in items:
            items[key] = Row(key=key, name=row["lot__item__name"], detail=row["lot__item__unit"])
        items[key].flows.add(row["kind"], row["q"], row["v"])
    return items


def _by_referrer(movements) -> dict[tuple, Row]:
    """Goods out on each organisation's referrals (picks net of returns)."""
    referrers: dict[tuple, Row] = {}
    rows = _grouped(
        movements.filter(kind__in=OUT_TO_HOUSEHOLDS),
        "referral__referring_corporation_id",
        "referral__referring_corporation__name",
        "referral__referring_municipality_id",
        "referral__referring_municipality__name",
    )
    for row in rows:
        _referrer_row(referrers, row, "referral__").flows.add(row["kind"], row["q"], row["v"])
    return referrers


def _by_municipality(places: list[Location], by_location: dict[int, Row]) -> list[Row]:
    """The locations' rows folded into their municipalities (a ward into its city)."""
    cities: dict[str, Row] = {}
    for place in places:
        code, name = _city(place)
        city = cities.setdefault(code, Row(key=code, name=name))
        row = by_location[place.pk]
        city.flows.merge(row.flows)
        city.support.sizes.update(row.support.sizes)
        city.support.referrals += row.support.referrals
        city.support.value += row.support.value
        city.stock_value += row.stock_value
    return list(cities.values())


def stock_value(locations, day: datetime.date) -> int:
    """The value of the stock at ``locations`` at the end of ``day``, in yen: one query."""
    return yen(sum((line.value for line in stock.stock_on(locations, day)), ZERO))


def fiscal_years_of(locations, today: datetime.date) -> list[int]:
    """The fiscal years with movements at ``locations`` up to this one, newest first."""
    first = Movement.objects.filter(location__in=locations).aggregate(first=Min("occurred_on"))
    current = fiscal_year(today)
    start = fiscal_year(first["first"]) if first["first"] else current
    return list(range(max(current, start), min(start, current) - 1, -1))
