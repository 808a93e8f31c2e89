"""(g) The stockyard at national scale: stock on a past date from the ledger, and approvals
that pick first-expiring-first-out under row locks.

Standalone: ``python bench/stockyard.py [--db sqlite|postgres] [--years 5]``.

1. **Data.** A database of its own (SQLite ``WORK/stockyard-sqlite/`` or the PostgreSQL database
   ``sasaeai_bench_stockyard``), migrated, regions loaded, then for every local government of
   Japan (1,741 plus wards) one stockyard kept by its council, a catalogue of 30 items per
   prefecture, and ``--years`` years of ledger: 40 donations' lots per location and year, each
   taken in, and most of it picked out again in two movements, as referrals do (bulk_create;
   the running balances are written to agree with the ledger; seeded, so the same data every
   time). Kept between runs.
2. **Stock on a past date.** ``stock.stock_on(locations, day)`` (the ORM, what the location
   page and the API run) for Okayama's locations and for all of Japan's, against DuckDB
   reading the same ledger from a Parquet file (``location, lot, item, expiry, value, day,
   quantity``) with the same ``GROUP BY … HAVING sum > 0``; the two answers are compared row
   by row. Ratio = project p50 / DuckDB p50.
3. **Approvals.** A referral of three items at an Okayama stockyard is made and approved
   (``actions.refer`` + ``actions.approve``: the household locked and checked against a limit,
   the lots' balances locked, FEFO, the ledger rows) one after the other, against the minimal
   view ``/bench/minimal/`` through the test client as the baseline. p50 / p95 in ms.

4. **Pages.** As center staff of Okayama, through the test client: the stockyard's start page
   (every Okayama location with its stock, near-expiry and below-minimum counts), a
   location's page on today and on a past date, and the fiscal year's report, against the
   minimal view. p50 / p95 in ms and p95 / baseline p95.

Nothing here runs in the test suite; nothing is sent anywhere but 127.0.0.1.
"""

# A local, throw-away database: the tools and names are the bench's own; seeded randomness.
# ruff: noqa: S311, S608

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.activities import _analyse, _database, _django, _percentile

SEED = 10
PREFECTURE = "33"
FIRST_YEAR = 2020
AS_OF = datetime.date(2023, 3, 31)
ITEMS = (
    ("米", "staple", "kg", 400, False), ("缶詰", "food", "缶", 150, True),
    ("レトルト食品", "food", "袋", 200, True), ("粉ミルク", "baby", "缶", 2000, True),
    ("紙おむつ", "baby", "枚", 30, True), ("生理用品", "sanitary", "袋", 300, True),
)  # fmt: skip


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def generate(years: int) -> tuple[bool, float]:
    from django.db import transaction

    from sasaeai.regions.models import Municipality
    from sasaeai.stockyard.models import (
        Balance,
        Donation,
        DonorKind,
        Item,
        KeeperKind,
        Location,
        LocationKind,
        Lot,
        Movement,
        MovementKind,
    )

    if Location.objects.exists():
        return False, 0.0
    started = time.perf_counter()
    rng = random.Random(SEED)
    places = list(Municipality.objects.active().values_list("code", "prefecture_id", "name"))
    items: dict[str, list[Item]] = {}
    for prefecture in sorted({p for _c, p, _n in places}):
        rows = [
            Item(prefecture_id=prefecture, name=f"{name}{n}", category=category, unit=unit,
                 unit_value=Decimal(value), whole_units=whole, expires=True)
            for n in range(5) for name, category, unit, value, whole in ITEMS
        ]  # fmt: skip
        items[prefecture] = Item.objects.bulk_create(rows)
    locations = Location.objects.bulk_create(
        Location(prefecture_id=prefecture, municipality_id=code, name=f"{name}ストックヤード",
                 kind=LocationKind.STOCKYARD, address=f"{name}1-1", keeper_kind=KeeperKind.COUNCIL,
                 keeper_name=f"{name}社会福祉協議会")
        for code, prefecture, name in places
    )  # fmt: skip
    _say(f"  {len(locations):,} locations")
    for index, location in enumerate(locations):
        donations, lots, flows = [], [], []
        for year in range(FIRST_YEAR, FIRST_YEAR + years):
            for _n in range(40):
                day = datetime.date(year, 4, 1) + datetime.timedelta(days=rng.randrange(365))
                item = rng.choice(items[location.prefecture_id])
                quantity = Decimal(rng.randrange(5, 60))
                picks = [
                    (day + datetime.timedelta(days=rng.randrange(1, 60)), quantity // 3),
                    (day + datetime.timedelta(days=rng.randrange(60, 120)), quantity // 3),
                ]
                donations.append(
                    Donation(location=location, donor_kind=DonorKind.FOOD_DRIVE, received_on=day)
                )
                lots.append(
                    Lot(item=item, quantity=quantity, unit_value=item.unit_value,
                        expires_on=day + datetime.timedelta(days=rng.randrange(90, 400)),
                        expiry_kind="best_before")
                )  # fmt: skip
                flows.append([(day, quantity, MovementKind.INTAKE)] + [
                    (when, -taken, MovementKind.PICK) for when, taken in picks if taken
                ])  # fmt: skip
        with transaction.atomic():
            donations = Donation.objects.bulk_create(donations)
            for donation, lot in zip(donations, lots, strict=True):
                lot.donation = donation
            lots = Lot.objects.bulk_create(lots)
            Movement.objects.bulk_create(
                Movement(lot=lot, location=location, kind=kind, quantity=quantity, occurred_on=day)
                for lot, moves in zip(lots, flows, strict=True)
                for day, quantity, kind in moves
            )
            Balance.objects.bulk_create(
                Balance(lot=lot, location=location, item_id=lot.item_id, expires_on=lot.expires_on,
                        quantity=sum(q for _d, q, _k in moves))
                for lot, moves in zip(lots, flows, strict=True)
            )  # fmt: skip
        if index % 200 == 199:
            _say(f"  {index + 1:,} locations' ledgers")
    _analyse()
    return True, time.perf_counter() - started


# Measure ---------------------------------------------------------------------------------------


def _export(path: Path) -> int:
    """The ledger, joined to its lots, as Parquet (through a CSV that DuckDB converts)."""
    import csv

    import duckdb

    from sasaeai.stockyard.models import Movement

    csv_path = path.with_suffix(".csv")
    rows = 0
    with csv_path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["location", "prefecture", "lot", "item", "expires_on", "unit_value",
                         "occurred_on", "quantity"])  # fmt: skip
        query = Movement.objects.values_list(
            "location_id", "location__prefecture_id", "lot_id", "lot__item_id",
            "lot__expires_on", "lot__unit_value", "occurred_on", "quantity",
        )  # fmt: skip
        for row in query.iterator(chunk_size=50000):
            writer.writerow(row)
            rows += 1
    quoted = str(path).replace("'", "''")
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv_auto('{csv_path}', types={{'prefecture': 'VARCHAR'}})) "
        f"TO '{quoted}' (FORMAT parquet)"
    )
    csv_path.unlink()
    return rows


STOCK_SQL = """
SELECT location, lot, sum(quantity) AS quantity FROM ledger
WHERE occurred_on <= ? AND (? IS NULL OR prefecture = ?)
GROUP BY location, lot HAVING sum(quantity) > 0
"""


def _timed(call, runs: int) -> tuple[list[float], object]:
    call()
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings, result


def measure_stock(runs: int, work: Path) -> list[str]:
    import duckdb

    from sasaeai.stockyard.models import Location
    from sasaeai.stockyard.stock import stock_on

    parquet = work / "stockyard-ledger.parquet"
    rows = _export(parquet)
    con = duckdb.connect()
    quoted = str(parquet).replace("'", "''")
    con.execute(f"CREATE VIEW ledger AS SELECT * FROM read_parquet('{quoted}')")
    lines = [f"(g) stock on {AS_OF} from the ledger ({rows:,} rows): p50 / p95 ms"]
    for label, prefecture in (("Okayama", PREFECTURE), ("all Japan", None)):
        locations = Location.objects.all()
        if prefecture:
            locations = locations.filter(prefecture_id=prefecture)
        mine, ours = _timed(lambda locations=locations: stock_on(locations, AS_OF), runs)
        theirs, duck = _timed(
            lambda p=prefecture: con.execute(STOCK_SQL, [AS_OF, p, p]).fetchall(), runs
        )
        same = sorted((r.location_id, r.lot_id, r.quantity) for r in ours) == sorted(
            (location, lot, Decimal(str(quantity)).quantize(Decimal("0.01")))
            for location, lot, quantity in duck
        )
        ratio = statistics.median(mine) / statistics.median(theirs)
        lines.append(
            f"  {label:<10} project {statistics.median(mine):8.1f} / {_percentile(mine, 95):8.1f}"
            f"   duckdb {statistics.median(theirs):7.1f} / {_percentile(theirs, 95):7.1f}"
            f"   ratio {ratio:5.2f}x   {len(ours):,} lots   same answer: {'yes' if same else 'NO'}"
        )
    return lines


def measure_approvals(count: int) -> list[str]:
    from django.test import Client

    from sasaeai.stockyard import actions
    from sasaeai.stockyard.models import Item, Location, SupportRule

    location = Location.objects.filter(prefecture_id=PREFECTURE).order_by("pk").first()
    SupportRule.objects.get_or_create(
        prefecture_id=PREFECTURE, name="bench", defaults={"period_days": 365, "max_value": 10**9}
    )
    items = list(Item.objects.filter(prefecture_id=PREFECTURE).order_by("pk")[:3])
    today = datetime.date.today()
    actions.receive(
        location=location,
        lines=[
            actions.LotData(item=item, quantity=count * 2 + 10,
                            expires_on=today + datetime.timedelta(days=30 + n))
            for n, item in enumerate(items)
        ],
        received_on=today,
    )  # fmt: skip
    client = Client()

    def baseline(_n):
        assert client.get("/bench/minimal/").status_code == 200

    def approval(n):
        referral = actions.refer(
            location=location,
            household=actions.HouseholdData(location.municipality_id, f"bench-{time.time_ns()}", 2),
            lines=[(item, 1) for item in items],
            urgency="today",
            municipality=location.municipality,
        )
        actions.approve(referral=referral)

    lines = [f"(g) {count} approvals (refer + FEFO pick of 3 items under locks): p50 / p95 ms"]
    base = None
    for label, call in (
        ("GET /bench/minimal/ (baseline)", baseline),
        ("refer + approve", approval),
    ):
        timings = []
        for n in range(count):
            started = time.perf_counter()
            call(n)
            timings.append((time.perf_counter() - started) * 1000)
        p50, p95 = statistics.median(timings), _percentile(timings, 95)
        base = base or p95
        lines.append(f"  {label:<34} {p50:7.2f} / {p95:7.2f}  ({p95 / base:5.2f}x)")
    return lines


def _center_staff():
    from sasaeai.accounts.actions import grant_role
    from sasaeai.accounts.models import User
    from sasaeai.regions.models import Center

    center, _new = Center.objects.get_or_create(
        prefecture_id=PREFECTURE, defaults={"name": "岡山ベンチセンター", "short_name": "岡山"}
    )
    user, created = User.objects.get_or_create(username="bench-stockyard")
    if created:
        grant_role(user=user, role="center_staff", center=center)
    return user


def measure_pages(requests: int) -> list[str]:
    from django.test import Client

    from sasaeai.stockyard.models import Location

    client = Client()
    client.force_login(_center_staff())
    location = Location.objects.filter(prefecture_id=PREFECTURE).order_by("pk").first()
    pages = (
        ("GET /bench/minimal/ (baseline)", "/bench/minimal/"),
        ("GET /stockyard/ (Okayama's locations)", "/stockyard/"),
        ("GET a location, today", f"/stockyard/locations/{location.pk}/"),
        ("GET a location, on a past date",
         f"/stockyard/locations/{location.pk}/?as_of={AS_OF.isoformat()}"),
        ("GET /stockyard/reports/ (FY2022)", "/stockyard/reports/?fy=2022"),
    )  # fmt: skip
    lines = [f"(g) pages as center staff, {requests} requests each: p50 / p95 ms"]
    base = None
    for label, path in pages:
        timings = []
        for n in range(requests + 3):
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (path, response.status_code)
            if n >= 3:
                timings.append(elapsed)
        p50, p95 = statistics.median(timings), _percentile(timings, 95)
        base = base or p95
        lines.append(f"  {label:<40} {p50:7.2f} / {p95:7.2f}  ({p95 / base:5.2f}x)")
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--approvals", type=int, default=200)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--skip-measure", action="store_true", help="only generate the data")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sasaeai-bench")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    _django(_database(args.db, args.work, "stockyard"))
    from django.core.management import call_command

    from sasaeai.regions.loading import load_regions
    from sasaeai.stockyard.models import Location, Movement

    call_command("migrate", interactive=False, verbosity=0)
    load_regions()
    generated, seconds = generate(args.years)
    state = f"generated now in {seconds:.0f} s" if generated else "kept from an earlier run"
    print(
        f"data: {Location.objects.count():,} locations, {Movement.objects.count():,} ledger rows"
        f" ({state})"
    )
    if args.skip_measure:
        return
    for line in (
        measure_stock(args.runs, args.work)
        + measure_approvals(args.approvals)
        + measure_pages(args.requests)
    ):
        print(line)


if __name__ == "__main__":
    main()
