"""(e) The activity directory at national scale: 300,000 activities, p95 of a search.

Standalone: ``python bench/activities.py [--db sqlite|postgres] [--count 300000]``.

1. **Data.** A database of its own (SQLite ``WORK/activities-sqlite/sasaeai.sqlite3`` or the
   PostgreSQL database ``sasaeai_bench_activities`` at ``$BENCH_PG``), migrated, regions
   loaded, a center per prefecture with the seed's 12 themes, one fictitious corporation per
   local government, then ``--count`` published activities spread over every local government
   of Japan (bulk_create, in batches; the same seed gives the same data). Kept between runs.
2. **Measure.** In one process, through Django's test client (the full middleware stack) and
   in turn: the minimal view ``/bench/minimal/`` (the baseline), the public directory
   ``/activities/`` searched by theme + municipality + weekday + words (words of two
   characters, which fall back to LIKE, and of three or more, which use the trigram index),
   and the same searches through the query function (``queries.directory``: count and first
   page, what the page runs). The page is requested anonymously, as residents do, each URL
   once (a serial number is appended), so the public page cache never answers: these are the
   numbers of a page rendered from the database. p50/p95 in ms and the ratios to the
   baseline are printed; the goal is p95 < 50 ms on PostgreSQL.

Nothing here runs in the test suite; nothing is sent anywhere but 127.0.0.1.
"""

# A local, throw-away database: the tools and names are the bench's own; seeded randomness.
# ruff: noqa: S311, S603, S607, S608

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 8
GOAL_MS = 50.0
PREFECTURE = "33"  # the directory's center (the view's prefecture)
WORDS_2 = ("食堂", "カフェ", "居場所", "支援")  # 2-character and longer everyday words
TITLES = (
    "子ども食堂", "認知症カフェ", "地域の居場所", "フードドライブ", "買い物支援", "学習支援教室",
    "ふれあいサロン", "見守り訪問", "配食サービス", "移動支援", "子育てひろば", "就労体験",
    "多世代交流会", "防災ささえあい", "ひきこもり相談会", "困りごと相談",
)  # fmt: skip
NAMES = ("ひまわり", "さくら", "あおぞら", "つばさ", "みどり", "ほっと", "えがお", "きずな")


def _database(db: str, work: Path, name: str = "activities") -> dict[str, str]:
    """The bench's own database: ``WORK/<name>-sqlite/`` or PostgreSQL ``sasaeai_bench_<name>``
    (created once, kept between runs)."""
    if db == "sqlite":
        directory = work / f"{name}-sqlite"
        directory.mkdir(parents=True, exist_ok=True)
        return {"SASAEAI_DATA_DIR": str(directory), "DATABASE_URL": ""}
    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    name = f"sasaeai_bench_{name}"
    host = server.split("@")[-1].split(":")[0]
    exists = subprocess.run(
        ["psql", "-h", host, "-U", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run(
            ["createdb", "-h", host, "-U", "postgres", "-T", "template0", "-E", "UTF8",
             "--lc-ctype=C.UTF-8", "--lc-collate=C.UTF-8", name],
            check=True,
        )  # fmt: skip
    return {"DATABASE_URL": f"{server}/{name}"}


def _django(environment: dict[str, str]) -> None:
    os.environ.update(environment)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("SASAEAI_DEFAULT_PREFECTURE", PREFECTURE)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# Data ------------------------------------------------------------------------------------------


def _centers_and_themes() -> None:
    from sasaeai.projects.actions import load_starting_themes
    from sasaeai.projects.models import Theme
    from sasaeai.regions.models import Center, Prefecture

    for prefecture in Prefecture.objects.all():
        Center.objects.get_or_create(
            prefecture=prefecture,
            defaults={"name": f"{prefecture.name}センター", "short_name": prefecture.name},
        )
        if Theme.objects.in_prefecture(prefecture.code).exists():
            continue
        if prefecture.code == PREFECTURE:
            load_starting_themes(prefecture.code)
        else:
            Theme.objects.bulk_create(
                Theme(prefecture=prefecture, code=f"T{n:02d}", name=f"テーマ{n}", order=n)
                for n in range(1, 13)
            )


def _corporations() -> dict[str, int]:
    from sasaeai.core.hojin import make_corporate_number
    from sasaeai.members.actions import register_corporation
    from sasaeai.members.models import Corporation
    from sasaeai.regions.models import Municipality

    existing = dict(
        Corporation.objects.filter(is_fictitious=True).values_list("municipality_id", "pk")
    )
    places = Municipality.objects.without_wards().active().exclude(pk__in=existing)
    for index, municipality in enumerate(places.order_by("code")):
        corporation = register_corporation(
            corporate_number=make_corporate_number(f"{700000000000 + int(municipality.code)}"),
            name=f"社会福祉法人ベンチ{municipality.name}福祉会{index}",
            municipality_code=municipality.code,
            is_fictitious=True,
        )
        existing[municipality.code] = corporation.pk
    return existing


def generate(count: int) -> tuple[bool, float]:
    """``count`` published public activities over every local government (once)."""
    from django.db import transaction
    from django.utils import timezone

    from sasaeai.activities import schedule as schedules
    from sasaeai.activities.actions import searchable_text
    from sasaeai.activities.models import Activity, ReviewState, TargetGroup, pack
    from sasaeai.projects.models import Theme

    have = Activity.objects.count()
    if have >= count:
        return False, 0.0
    started = time.perf_counter()
    _centers_and_themes()
    owners = _corporations()
    themes: dict[str, list[Theme]] = {}
    for theme in Theme.objects.order_by("pk"):
        themes.setdefault(theme.prefecture_id, []).append(theme)
    codes = sorted(owners)
    random_ = random.Random(SEED + have)
    now = timezone.now()
    through = Activity.themes.through
    batch = 5000
    import datetime

    for first in range(have, count, batch):
        rows, chosen = [], []
        for n in range(first, min(first + batch, count)):
            code = codes[n % len(codes)]
            title = f"{random_.choice(NAMES)}{random_.choice(TITLES)}{n}"
            days = tuple(sorted(random_.sample(range(7), random_.choice((1, 1, 2, 3)))))
            plan = schedules.Schedule(
                schedules.WEEKLY, datetime.date(2019, 4, 1), weekdays=days,
                start_time=datetime.time(10), end_time=datetime.time(12),
            )  # fmt: skip
            activity = Activity(
                prefecture_id=code[:2], corporation_id=owners[code], municipality_id=code,
                title=title, description=f"{title}の説明。{random_.choice(TITLES)}と連携",
                venue=f"{random_.choice(NAMES)}会館", address="",
                schedule_rule=schedules.to_rule(plan),
                start_time=plan.start_time, end_time=plan.end_time,
                schedule_text=schedules.japanese(plan), weekdays="".join(map(str, days)),
                targets=pack(random_.sample(TargetGroup.values, 2)),
                started_on=datetime.date(2019, 4, 1),
                state=ReviewState.PUBLISHED, visibility="public", published_at=now,
            )  # fmt: skip
            picked = random_.sample(themes[code[:2]], 2)
            activity.search_text = searchable_text(activity, picked)
            rows.append(activity)
            chosen.append(picked)
        with transaction.atomic():
            created = Activity.objects.bulk_create(rows)
            through.objects.bulk_create(
                through(activity_id=activity.pk, theme_id=theme.pk)
                for activity, picked in zip(created, chosen, strict=True)
                for theme in picked
            )
        print(f"  {min(first + batch, count):,} activities", file=sys.stderr, flush=True)
    _analyse()
    return True, time.perf_counter() - started


def _analyse() -> None:
    from django.db import connection

    # PostgreSQL: vacuumed too, so that index-only scans see an up-to-date visibility map.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# Measure ---------------------------------------------------------------------------------------


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def _searches(count: int, prefecture: str | None) -> list[dict[str, str]]:
    from sasaeai.projects.models import Theme
    from sasaeai.regions.models import Municipality

    random_ = random.Random(SEED)
    places = Municipality.objects.without_wards().active()
    if prefecture:
        places = places.filter(prefecture_id=prefecture)
    places = list(places.values_list("code", flat=True))
    themes: dict[str, list[int]] = {}
    for pk, code in Theme.objects.values_list("pk", "prefecture_id"):
        themes.setdefault(code, []).append(pk)
    searches = []
    for n in range(count):
        code = random_.choice(places)
        searches.append({
            "theme": str(random_.choice(themes[code[:2]])),
            "municipality": code,
            "weekday": str(random_.randrange(7)),
            "q": WORDS_2[n % 2] if n % 2 == 0 else random_.choice(TITLES)[:3],
        })  # fmt: skip
    return searches


def _time(fire, items, warmup: int) -> list[float]:
    for item in items[:warmup]:
        fire(item)
    timings = []
    for item in items[warmup:]:
        started = time.perf_counter()
        fire(item)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def measure(requests: int, warmup: int) -> list[tuple[str, list[float]]]:
    from urllib.parse import urlencode

    from django.test import Client

    from sasaeai.activities import queries

    client = Client()  # anonymous, as residents are; every URL is new, so the cache misses
    serial = iter(range(10**9))

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    def function(params: dict[str, str]) -> None:
        search, errors = queries.parse_search(params, params["municipality"][:2])
        assert not errors, errors
        found = queries.directory(params["municipality"][:2], search)
        found.count()
        list(found.select_related("municipality")[:30])

    total = requests + warmup
    okayama = _searches(total, PREFECTURE)
    national = _searches(total, None)
    results = [
        ("GET /bench/minimal/ (baseline)",
         _time(lambda _: get("/bench/minimal/"), okayama, warmup)),
        ("GET /activities/?theme&municipality&weekday&q (Okayama)",
         _time(lambda p: get(f"/activities/?{urlencode(p)}&n={next(serial)}"), okayama, warmup)),
        ("queries.directory, Okayama", _time(function, okayama, warmup)),
        ("queries.directory, all Japan", _time(function, national, warmup)),
        ("queries.directory, 2-character words, all Japan",
         _time(function, [s for s in national if len(s["q"]) == 2] * 2, warmup)),
    ]  # fmt: skip
    return results


def report(results, db: str) -> list[str]:
    base = results[0][1]
    base_p95 = _percentile(base, 95)
    lines = [f"(e) activity directory, {db}: p50 / p95 ms (ratio of p95 to the minimal view)"]
    for label, timings in results:
        p50, p95 = statistics.median(timings), _percentile(timings, 95)
        verdict = "" if label.startswith("GET /bench") else (
            f"  {'ok' if p95 < GOAL_MS else 'OVER'} (goal p95 < {GOAL_MS:.0f} ms)"
        )  # fmt: skip
        lines.append(f"  {label:<58} {p50:7.2f} / {p95:7.2f}  ({p95 / base_p95:5.2f}x){verdict}")
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--count", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--skip-measure", action="store_true", help="only generate the data")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sasaeai-bench")
    args = parser.parse_args(argv)
    _django(_database(args.db, args.work))
    from django.core.management import call_command

    from sasaeai.activities.models import Activity
    from sasaeai.regions.loading import load_regions

    call_command("migrate", interactive=False, verbosity=0)
    load_regions()
    generated, seconds = generate(args.count)
    if not generated:
        _analyse()
    total = Activity.objects.count()
    state = f"generated now in {seconds:.0f} s" if generated else "kept from an earlier run"
    print(f"data: {total:,} activities ({state})")
    if args.skip_measure:
        return
    for line in report(measure(args.requests, args.warmup), args.db):
        print(line)


if __name__ == "__main__":
    main()
