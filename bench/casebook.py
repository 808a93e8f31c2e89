"""Casebook search at national scale: p95 of the public search page against a minimal view.

    .venv/bin/python bench/casebook.py [--db sqlite|postgres] [--cases 20000] [--requests 200]

A fresh database (SQLite file in a temporary directory, or PostgreSQL database
``bench_casebook`` on BENCH_PG, dropped and created) is migrated; 20,000 published cases with
Japanese text composed from realistic fragments (background, what was done, partners, costs,
results, lessons; 1–3 of the 12 themes; 27 municipalities; FY2016–2023; 300 owners) are written
with ``bulk_create`` together with their ``search_text``, then the trigram index is filled
(SQLite: FTS5 ``rebuild``; PostgreSQL: ``VACUUM ANALYZE``). All are in one prefecture, so every
search runs over all 20,000 (the worst case: a national deployment spreads them over 47).

Then, in this process, Django's test client (full middleware stack, anonymous, production
settings with DEBUG off and the page cache off so that every request renders) asks
``/cases/?q=…`` in turn for: terms of 3+ characters, 2 characters, 1 character, a 3+ term with
a theme, a 3+ term with a municipality, and no term with a theme and a fiscal year; and the
baseline ``/bench/minimal/`` (one query, small JSON) measured in the same run. p50/p95 per kind
and the ratio of p95 to the baseline's p95 are printed. Goal: p95 < 50 ms on PostgreSQL.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_HOST = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "bench_casebook"
GOAL_MS = 50.0
SEED = 8
OKAYAMA = "33"

# Fragments of the kind of text the casebook holds (written for the bench).
OPENINGS = (
    "民生委員から夕食をひとりで食べる子どもがいると聞いた",
    "地域のサロンの担い手が高齢化して続けられないという声があった",
    "生活困窮の相談で当日の食料に困る世帯への手段がなかった",
    "認知症の方の家族が気軽に相談できる場所がほしいという要望があった",
    "買い物に行けない高齢者が増えていると自治会から相談を受けた",
    "ひきこもりの若者の居場所が地域にないことが連絡会で話題になった",
    "施設を退所した若者の住まいの確保が難しいという課題があった",
    "災害時に支援が必要な人の把握が進んでいないことがわかった",
)
ACTIVITIES = (
    "特別養護老人ホームの地域交流スペースで月2回の子ども食堂を開いた",
    "大学生ボランティアと一緒に学習支援と見守りを行った",
    "商店街の店先に回収箱を置きフードドライブを続けている",
    "法人の送迎車両の空き時間を使って買い物支援バスを走らせた",
    "保育園の園庭を開放して親子の居場所をつくった",
    "認知症カフェを公民館で毎月開催し専門職が相談に応じた",
    "就労体験の受け入れ先として法人の厨房と清掃業務を提供した",
    "ボランティア育成講座を全5回開き修了者が担い手になった",
    "一時宿泊のための居室を確保し入居支援まで伴走した",
    "社会福祉協議会と連携して緊急一時支援の食料を届けた",
)
PARTNERS = (
    "市町村社会福祉協議会", "民生委員・児童委員", "自治会・町内会", "地元の大学", "商店街振興組合",
    "生活協同組合", "フードバンク", "地域包括支援センター", "小学校・中学校", "公民館",
)  # fmt: skip
RESULTS = (
    "毎回25人ほどの子どもが参加するようになった",
    "気になる家庭の相談が学校からつながるようになった",
    "延べ120世帯に食料を届けることができた",
    "修了者の半数がボランティアとして活動を始めた",
    "参加した家族の孤立感が和らいだという声が聞かれた",
)
LESSONS = (
    "送迎とアレルギーへの対応が課題",
    "名簿を作らず安心して来られる場にしたことがよかった",
    "賞味期限の管理表を共有して無駄をなくした",
    "平日と土曜日の2コースにして働く世代も参加できた",
    "複数の法人で費用と人手を分担したことで続けられた",
)
TITLES = (
    "子ども食堂", "学習支援", "フードドライブ", "買い物支援", "認知症カフェ", "地域の居場所",
    "就労体験", "ボランティア育成", "住まいの確保", "緊急一時支援", "見守り活動", "移動支援",
)  # fmt: skip
ENDINGS = ("の取組", "づくり", "の実践")
FUNDS = ("寄付", "法人負担", "助成金", "共同募金の配分金")
QUERIES = {
    "3+ chars": ["子ども食堂", "ボランティア", "ﾌｰﾄﾞﾄﾞﾗｲﾌﾞ", "認知症カフェ", "社会福祉協議会",
                 "買い物支援", "大学生", "ひきこもり", "商店街 回収箱", "見守り"],
    "2 chars": ["食堂", "送迎", "居場", "学習", "公民", "支援", "寄付", "課題"],
    "1 char": ["食", "園", "宿", "港", "森", "車", "薬", "雪"],
}  # fmt: skip


def _env(db: str, work: Path) -> dict[str, str]:
    env = {
        "SASAEAI_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "SASAEAI_DATA_DIR": str(work),
    }
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG_HOST}/{PG_NAME}"
    return env


def _pg(*arguments: str) -> None:
    server = urllib.parse.urlsplit(PG_HOST)
    connection = ["-h", server.hostname or "127.0.0.1", "-p", str(server.port or 5432)]
    connection += ["-U", server.username or "postgres"]
    subprocess.run(arguments[:1] + tuple(connection) + arguments[1:], check=False,  # noqa: S603
                   capture_output=True)  # fmt: skip


def _prepare_pg() -> None:
    for tool in ("dropdb", "createdb"):
        if shutil.which(tool) is None:
            sys.exit(f"bench: {tool} is not installed")
    _pg("dropdb", "--if-exists", PG_NAME)
    _pg("createdb", "-T", "template0", "-E", "UTF8", "--lc-ctype=C.UTF-8",
        "--lc-collate=C.UTF-8", PG_NAME)  # fmt: skip


# Django side ----------------------------------------------------------------------------------


def _text(rng: random.Random, pool, k: int) -> str:
    return "。".join(rng.sample(pool, k)) + "。"


def generate(count: int) -> dict:
    """The reference data, 300 owners and ``count`` published cases; seconds per step."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from sasaeai.casebook.models import Case, CaseStatus
    from sasaeai.casebook.search import INDEX, spaced
    from sasaeai.core.hojin import make_corporate_number
    from sasaeai.core.text import search_key
    from sasaeai.members.models import Corporation
    from sasaeai.projects import actions as project_actions
    from sasaeai.projects.models import Theme
    from sasaeai.regions.loading import load_regions
    from sasaeai.regions.models import Center, Municipality

    timings = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_regions()
    Center.objects.get_or_create(
        prefecture_id=OKAYAMA, defaults={"name": "ベンチセンター", "short_name": "ベンチ"}
    )
    project_actions.load_starting_themes(OKAYAMA)
    timings["migrate and reference data"] = time.perf_counter() - started

    rng = random.Random(SEED)  # noqa: S311 — reproducible data, not secrets
    started = time.perf_counter()
    places = list(Municipality.objects.of_prefecture(OKAYAMA).without_wards().active())
    themes = list(Theme.objects.in_prefecture(OKAYAMA))
    owners = Corporation.objects.bulk_create(
        Corporation(
            corporate_number=make_corporate_number(f"{800000000000 + n:012d}"),
            name=f"社会福祉法人ベンチ{n:03d}福祉会",
            municipality=places[n % len(places)],
        )
        for n in range(300)
    )
    owners = list(Corporation.objects.filter(name__startswith="社会福祉法人ベンチ"))
    user = get_user_model().objects.create(username="bench-casebook")
    now = timezone.now()
    cases, chosen = [], []
    for _ in range(count):
        owner = rng.choice(owners)
        place = rng.choice(places)
        picked = rng.sample(themes, rng.randint(1, 3))
        fields = {
            "title": place.name + "の" + rng.choice(TITLES) + rng.choice(ENDINGS),
            "summary": _text(rng, ACTIVITIES, 1),
            "background": _text(rng, OPENINGS, 2),
            "activities": _text(rng, ACTIVITIES, 3),
            "partners": "、".join(rng.sample(PARTNERS, 3)),
            "costs": f"年間約{rng.randint(2, 80)}万円。{rng.choice(FUNDS)}を活用。",
            "results": _text(rng, RESULTS, 2),
            "lessons": _text(rng, LESSONS, 2),
        }
        parts = [*fields.values(), *(t.name for t in picked), owner.name, place.name]
        key = "\n".join(search_key(part) for part in parts)
        cases.append(
            Case(
                prefecture_id=OKAYAMA, corporation=owner, municipality=place,
                fiscal_year=rng.randint(2016, 2023), status=CaseStatus.PUBLISHED,
                published_at=now, created_by=user,
                search_text=key, search_chars=spaced(key), **fields,
            )
        )  # fmt: skip
        chosen.append(picked)
    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=2000)
        links = [
            Case.themes.through(case_id=case.pk, theme_id=theme.pk)
            for case, picked in zip(cases, chosen, strict=True)
            for theme in picked
        ]
        Case.themes.through.objects.bulk_create(links, batch_size=5000)
    timings[f"bulk_create {count} cases"] = time.perf_counter() - started

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f'INSERT INTO "{INDEX}"("{INDEX}") VALUES (\'rebuild\')')  # noqa: S608
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE")
    timings["fill the index"] = time.perf_counter() - started
    return {
        "timings": timings,
        "themes": [t.pk for t in themes],
        "places": [p.code for p in places],
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(requests: int, themes: list[int], places: list[str]) -> dict[str, list[float]]:
    from django.test import Client
    from django.test.utils import override_settings

    rng = random.Random(SEED + 1)  # noqa: S311
    kinds = {
        **{kind: [{"q": q} for q in queries] for kind, queries in QUERIES.items()},
        "3+ chars + theme": [{"q": q, "theme": rng.choice(themes)} for q in QUERIES["3+ chars"]],
        "3+ chars + municipality": [
            {"q": q, "municipality": rng.choice(places)} for q in QUERIES["3+ chars"]
        ],
        "theme + fiscal year": [{"theme": t, "year": str(rng.randint(2016, 2023))} for t in themes],
    }
    client = Client(HTTP_HOST="127.0.0.1")
    times: dict[str, list[float]] = {kind: [] for kind in [*kinds, "baseline (minimal view)"]}
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy, ALLOWED_HOSTS=["127.0.0.1"]):
        for params in kinds.values():  # warm up every plan once
            assert client.get("/cases/", params[0]).status_code == 200
        client.get("/bench/minimal/")
        for n in range(requests):
            for kind, params in kinds.items():
                query = params[n % len(params)]
                started = time.perf_counter()
                response = client.get("/cases/", query)
                times[kind].append(time.perf_counter() - started)
                assert response.status_code == 200, (kind, query, response.status_code)
            started = time.perf_counter()
            client.get("/bench/minimal/")
            times["baseline (minimal view)"].append(time.perf_counter() - started)
    return times


def _report(label: str, generated: dict, times: dict[str, list[float]], requests: int) -> bool:
    print(f"\nCasebook search — {label}, {requests} requests per kind, in-process test client")
    for step, seconds in generated["timings"].items():
        print(f"  {step}: {seconds:.1f} s")
    base_p95 = _percentile(times["baseline (minimal view)"], 0.95) * 1000
    print(f"\n  {'kind':<28}{'p50 ms':>9}{'p95 ms':>9}{'p95 / baseline':>16}")
    ok = True
    for kind, values in times.items():
        p50 = statistics.median(values) * 1000
        p95 = _percentile(values, 0.95) * 1000
        print(f"  {kind:<28}{p50:>9.1f}{p95:>9.1f}{p95 / base_p95:>15.1f}x")
        if not kind.startswith("baseline") and p95 >= GOAL_MS:
            ok = False
    print(f"\n  goal: p95 < {GOAL_MS:.0f} ms for every search kind: {'met' if ok else 'NOT met'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-casebook-"))
    try:
        if args.db == "postgres":
            _prepare_pg()
        os.environ.update(_env(args.db, work))
        sys.path.insert(0, str(ROOT))
        os.chdir(ROOT)
        import django

        django.setup()
        from django.db import connection

        generated = generate(args.cases)
        times = measure(args.requests, generated["themes"], generated["places"])
        label = f"{connection.vendor} {connection.Database.__name__}, {args.cases} cases"
        ok = _report(label, generated, times, args.requests)
        connection.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.db == "postgres":
            _pg("dropdb", "--if-exists", PG_NAME)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
