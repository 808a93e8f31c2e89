"""(d) Survey results at national scale, against DuckDB on the same answers (bench/README.md).

Django side (steps of ``bench.worker``, run in the bench database's process):

- ``survey-setup``: once per database, a definition of 40 single-choice questions (q01..q40,
  choices a1..a4) imported under prefecture ``SURVEY_PREFECTURE`` for FY2018 and copied to
  each next year with ``copy_to_next_year``; per year a round to every generated corporation
  of the database (21,000 at the national scale, 600 at Okayama's), one invitation each,
  every invitation a submitted response answering every question. Invitations, responses and
  answers are written with ``sasaeai.core.db.bulk.insert_rows``. The answers are drawn from a
  seeded skew: each local government and question leans towards a1 more or less, and a1
  grows year by year.
- ``survey-export FILE``: every answer of the five rounds as CSV (response id, local
  government code, fiscal year, question code, choice code).
- ``survey-measure "N FILE"``: ``results.crosstab`` of q01 of FY2022 by municipality and
  ``results.year_over_year`` of q01, and the same two tables computed by DuckDB from the
  Parquet FILE, each N times, in turn; timings, figures and a per-query breakdown.

Run side (``bench/run.py``): the CSV turned into Parquet by DuckDB, the figures compared,
the ratios printed.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import itertools
import math
import os
import random
import statistics
import time
from pathlib import Path

SURVEY_CODE = "bench-national"
SURVEY_PREFECTURE = "33"  # year_over_year looks in one prefecture: every year's copy is here
YEARS = tuple(range(2018, 2023))
QUESTIONS = tuple(f"q{n:02d}" for n in range(1, 41))
CHOICES = ("a1", "a2", "a3", "a4")
QUESTION = "q01"
CROSSTAB_YEAR = 2022
SEED = 40
GOAL = 1.5


# Django side ----------------------------------------------------------------------------------


def _definition() -> dict:
    sections = []
    for part in range(4):
        codes = QUESTIONS[part * 10 : part * 10 + 10]
        sections.append(
            {
                "title": f"第{part + 1}部",
                "questions": [
                    {
                        "code": code,
                        "kind": "single",
                        "text": f"ベンチマーク設問 {code}",
                        "required": True,
                        "choices": [{"code": c, "label": f"選択肢 {c}"} for c in CHOICES],
                    }
                    for code in codes
                ],
            }
        )
    return {
        "code": SURVEY_CODE,
        "title": "ベンチマーク 全国調査（架空）",
        "description": "bench/run.py (d) の架空データ",
        "fiscal_year": YEARS[0],
        "sections": sections,
    }


def _rounds():
    from sasaeai.surveys.models import Round

    return Round.objects.filter(
        survey__prefecture_id=SURVEY_PREFECTURE, survey__code=SURVEY_CODE
    ).order_by("fiscal_year")


def survey_setup(_: str) -> dict:
    """Build the survey once (in one transaction); how long it took, and its size."""
    from django.apps import apps
    from django.db import connection

    from sasaeai.surveys.models import Answer, Invitation, Response

    built, seconds = False, 0.0
    if _rounds().count() != len(YEARS):
        started = time.perf_counter()
        _build()
        built, seconds = True, time.perf_counter() - started
    if connection.vendor == "postgresql":
        # The state autovacuum keeps a table in after a bulk load or a migration that
        # rewrote it, now rather than after its next pass (if it runs at all: it is off on
        # some servers): statistics, and the visibility map that lets counts read an index
        # without visiting the rows. On a table already vacuumed this takes a moment.
        with connection.cursor() as cursor:
            for model in apps.get_app_config("surveys").get_models():
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"VACUUM ANALYZE {table}")
    rounds = list(_rounds())
    invitations = Invitation.objects.filter(round__in=rounds)
    return {
        "built": built,
        "seconds": seconds,
        "rounds": len(rounds),
        "respondents": Response.objects.filter(
            round=rounds[-1], submitted_at__isnull=False
        ).count(),
        "answers": Answer.objects.filter(response__round__in=rounds).count(),
        "places": invitations.values("municipality_id").distinct().count(),
    }


class _Skew:
    """Seeded answer shares: each local government has its lean, each question its base,
    and a1 grows by year (a4 shrinks)."""

    def __init__(self, places, rng: random.Random) -> None:
        self.rng = rng
        ordered = sorted(places, key=lambda place: (place is None, place or ""))
        self.lean = {place: rng.gauss(0, 0.7) for place in ordered}
        self.tilt = {place: rng.gauss(0, 0.4) for place in ordered}
        self.base = [rng.gauss(0, 0.5) for _ in QUESTIONS]
        self.cache: dict[tuple, list[float]] = {}

    def weights(self, place, question: int, year: int) -> list[float]:
        key = (place, question, year)
        found = self.cache.get(key)
        if found is None:
            lean, growth = self.lean[place] + self.base[question], 0.35 * (year - YEARS[0])
            raw = [
                math.exp(lean + growth),
                math.exp(self.tilt[place]),
                1.0,
                math.exp(-lean / 2 - growth / 2),
            ]
            found = self.cache[key] = list(itertools.accumulate(raw))
        return found

    def pick(self, place, question: int, year: int) -> int:
        cumulative = self.weights(place, question, year)
        return bisect.bisect(cumulative, self.rng.random() * cumulative[-1])


def _build() -> None:
    from django.db import transaction
    from django.utils import timezone

    from sasaeai.core.db.bulk import insert_rows
    from sasaeai.members.generator import generated_corporations
    from sasaeai.surveys.definition import copy_to_next_year, import_definition
    from sasaeai.surveys.models import Answer, Invitation, Response, Round, new_token

    now = timezone.now()
    corporations = [
        (pk, name, parent or place)  # the local government: a ward's city
        for pk, name, place, parent in generated_corporations()
        .order_by("pk")
        .values_list("pk", "name", "municipality_id", "municipality__parent_id")
    ]
    skew = _Skew({place for _pk, _name, place in corporations}, random.Random(SEED))  # noqa: S311
    with transaction.atomic():
        survey = import_definition(_definition(), prefecture=SURVEY_PREFECTURE)
        for year in YEARS:
            if year != survey.fiscal_year:
                survey = copy_to_next_year(survey)
            deadline = timezone.make_aware(datetime.datetime(year, 7, 31, 23, 59))
            round_ = Round.objects.create(
                survey=survey,
                fiscal_year=year,
                title=f"{year}年度 ベンチマーク全国調査（架空）",
                target_kind="corporations",
                deadline=deadline,
                closed_at=deadline,
            )
            insert_rows(
                Invitation,
                (
                    {"round_id": round_.pk, "token": new_token(), "corporation_id": pk,
                     "name": name, "municipality_id": place}
                    for pk, name, place in corporations
                ),
                now=now,
            )  # fmt: skip
            invited = Invitation.objects.filter(round=round_).order_by("pk")
            submitted = deadline - datetime.timedelta(days=10)
            insert_rows(
                Response,
                (
                    {"invitation_id": pk, "round_id": round_.pk, "municipality_id": place,
                     "submitted_at": submitted}
                    for pk, place in list(invited.values_list("pk", "municipality_id"))
                ),
                now=now,
            )  # fmt: skip
            respondents = list(
                Response.objects.filter(round=round_)
                .order_by("pk")
                .values_list("pk", "invitation__municipality_id")
            )
            questions = list(survey.questions.order_by("order").prefetch_related("choices"))
            choice_ids = [
                [c.pk for c in sorted(q.choices.all(), key=lambda c: c.code)] for q in questions
            ]
            assert [q.code for q in questions] == list(QUESTIONS)
            insert_rows(
                Answer,
                (
                    {"response_id": response, "question_id": question.pk,
                     "municipality_id": place,
                     "choice_id": choice_ids[index][skew.pick(place, index, year)]}
                    for response, place in respondents
                    for index, question in enumerate(questions)
                ),
                now=now,
                batch_size=20000,
            )  # fmt: skip


def survey_export(path: str) -> dict:
    """Every answer of the rounds, one CSV row each, the local government computed as the
    cross-tab computes it (a ward's city, else the municipality)."""
    from django.db.models.functions import Coalesce

    from sasaeai.surveys.models import Answer

    started = time.perf_counter()
    invitation = "response__invitation__municipality"
    answers = (
        Answer.objects.filter(
            response__round__in=_rounds(),
            response__submitted_at__isnull=False,
            choice__isnull=False,
        )
        .order_by("pk")  # as written: by response, then question; the same on every engine
        .annotate(place=Coalesce(f"{invitation}__parent_id", f"{invitation}_id"))
        .values_list(
            "response_id", "place", "response__round__fiscal_year", "question__code", "choice__code"
        )
    )
    rows = 0
    with Path(path).open("w", newline="", encoding="utf-8") as output:
        writer = csv.writer(output)
        writer.writerow(["response_id", "municipality", "fiscal_year", "question", "choice"])
        for row in answers.iterator(chunk_size=50000):
            writer.writerow(row)
            rows += 1
    return {"rows": rows, "seconds": time.perf_counter() - started}


def survey_measure(argument: str) -> dict:
    """``RUNS PARQUET``: the project's two tables and DuckDB's, each ``RUNS`` times, run by
    run in turn (project, DuckDB, project, …) in this one process, so that both meet the same
    load; one untimed call of each first. The round and question are looked up before, as
    the results view does. Then one more project run of each with its queries timed."""
    import duckdb
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sasaeai.surveys import results

    runs, parquet = argument.split(" ", 1)
    round_ = _rounds().get(fiscal_year=CROSSTAB_YEAR)
    question = round_.survey.questions.get(code=QUESTION)
    con = duckdb.connect()
    # The bench's own path, quoted: DuckDB takes no parameter for the file of a view.
    quoted = parquet.replace("'", "''")
    con.execute(f"CREATE VIEW answers AS SELECT * FROM read_parquet('{quoted}')")  # noqa: S608

    def crosstab():
        return results.crosstab(round_, question, by="municipality", hide_small=False)

    def yoy():
        return results.year_over_year(SURVEY_CODE, QUESTION, prefecture=SURVEY_PREFECTURE)

    pairs = {"crosstab": (crosstab, duckdb_crosstab), "yoy": (yoy, duckdb_yoy)}
    timings: dict[str, list[float]] = {}
    figures: dict[str, object] = {}
    load = [os.getloadavg()[0]]
    for name, (mine, theirs) in pairs.items():
        sides = {f"project {name}": mine, f"duckdb {name}": lambda theirs=theirs: theirs(con)}
        for key, call in sides.items():
            call()
            timings[key] = []
        for _ in range(int(runs)):
            for key, call in sides.items():
                started = time.perf_counter()
                figures[key] = call()
                timings[key].append(time.perf_counter() - started)
    load.append(os.getloadavg()[0])
    queries = {}
    for name, (mine, _theirs) in pairs.items():
        with CaptureQueriesContext(connection) as captured:
            mine()
        queries[name] = [
            {"seconds": float(q["time"]), "sql": q["sql"][:160]} for q in captured.captured_queries
        ]
    table, years = figures["project crosstab"], figures["project yoy"]
    return {
        "vendor": connection.vendor,
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        "seconds": timings,
        "load": load,
        "queries": queries,
        "codes": table.codes,
        "crosstab": [[row.key, row.total, row.counts] for row in table.rows],
        "overall": [table.overall.total, table.overall.counts],
        "yoy": [[row.fiscal_year, row.respondents, row.counts_by_choice_code] for row in years],
        "duckdb crosstab": [[key, *value] for key, value in figures["duckdb crosstab"].items()],
        "duckdb yoy": [[key, *value] for key, value in figures["duckdb yoy"].items()],
    }


STEPS = {
    "survey-setup": survey_setup,
    "survey-export": survey_export,
    "survey-measure": survey_measure,
}


# Run side -------------------------------------------------------------------------------------

CROSSTAB_SQL = """
SELECT municipality, choice, count(DISTINCT response_id) AS n,
       grouping(municipality) AS all_places, grouping(choice) AS all_choices
FROM answers WHERE fiscal_year = $year AND question = $question
GROUP BY GROUPING SETS ((municipality, choice), (municipality), (choice), ())
"""
YOY_SQL = """
SELECT fiscal_year, choice, count(DISTINCT response_id) AS n, grouping(choice) AS all_choices
FROM answers WHERE question = $question
GROUP BY GROUPING SETS ((fiscal_year, choice), (fiscal_year))
"""


def duckdb_crosstab(con) -> dict:
    """{municipality: (respondents, {choice: n})}, and the overall figures under "*"."""
    table: dict = {}
    rows = con.execute(CROSSTAB_SQL, {"year": CROSSTAB_YEAR, "question": QUESTION}).fetchall()
    for place, choice, n, all_places, all_choices in rows:
        entry = table.setdefault("*" if all_places else place, [0, {}])
        if all_choices:
            entry[0] = n
        else:
            entry[1][choice] = n
    return table


def duckdb_yoy(con) -> dict:
    table: dict = {}
    for year, choice, n, all_choices in con.execute(YOY_SQL, {"question": QUESTION}).fetchall():
        entry = table.setdefault(year, [0, {}])
        if all_choices:
            entry[0] = n
        else:
            entry[1][choice] = n
    return table


def _same(project: dict, duck_cross: dict, duck_yoy: dict) -> list[str]:
    """The differences between the project's figures and DuckDB's (none: identical)."""
    codes = project["codes"]
    mine = {key: [total, counts] for key, total, counts in project["crosstab"]}
    mine["*"] = project["overall"]
    theirs = {
        key: [total, [counts.get(code, 0) for code in codes]]
        for key, (total, counts) in duck_cross.items()
    }
    problems = [
        f"crosstab {key}: project {mine.get(key)}, DuckDB {theirs.get(key)}"
        for key in sorted(set(mine) | set(theirs), key=str)
        if mine.get(key) != theirs.get(key)
    ]
    mine_years = {year: [n, counts] for year, n, counts in project["yoy"]}
    theirs_years = {
        year: [n, {code: counts.get(code, 0) for code in codes}]
        for year, (n, counts) in duck_yoy.items()
    }
    problems += [
        f"year_over_year {year}: project {mine_years.get(year)}, DuckDB {theirs_years.get(year)}"
        for year in sorted(set(mine_years) | set(theirs_years))
        if mine_years.get(year) != theirs_years.get(year)
    ]
    return problems


def _ms(values: list[float]) -> tuple[float, float]:
    return statistics.median(values) * 1000, min(values) * 1000


def bench_surveys(main, scale: str, runs: int, work: Path, worker) -> tuple[list[str], bool]:
    """(d): the lines to print, and whether the figures were identical."""
    try:
        import duckdb
    except ImportError:
        return ["bench (d): pip install duckdb to run the DuckDB baseline"], True

    setup = worker("survey-setup", scale, main)
    csv_path, parquet = work / "survey-answers.csv", work / "survey-answers.parquet"
    exported = worker("survey-export", str(csv_path), main)
    started = time.perf_counter()
    # The bench's own paths, quoted: DuckDB takes no parameter for the files of COPY.
    quoted, source = (str(path).replace("'", "''") for path in (parquet, csv_path))
    columns = (
        "{'response_id': 'BIGINT', 'municipality': 'VARCHAR', 'fiscal_year': 'INTEGER',"
        " 'question': 'VARCHAR', 'choice': 'VARCHAR'}"
    )
    copy = f"COPY (SELECT * FROM read_csv('{source}', header = true, columns = {columns}))"  # noqa: S608
    with duckdb.connect() as con:
        con.execute(f"{copy} TO '{quoted}' (FORMAT parquet)")
    converted = time.perf_counter() - started
    csv_path.unlink()
    measured = worker("survey-measure", f"{runs} {parquet}", main)
    problems = _same(
        measured,
        {key: (total, counts) for key, total, counts in measured["duckdb crosstab"]},
        {year: (total, counts) for year, total, counts in measured["duckdb yoy"]},
    )
    return _table(
        setup, exported, converted, parquet, runs, measured, problems, duckdb.__version__, scale
    ), not problems


def _table(setup, exported, converted, parquet, runs, project, problems, version, scale):
    places = len(project["crosstab"])
    lines = [
        f"(d) Survey results: {setup['rounds']} rounds (FY{YEARS[0]}-{YEARS[-1]}) of one"
        f" definition, {len(QUESTIONS)} single-choice questions x {len(CHOICES)} choices,"
        f" {setup['respondents']:,} respondents a year, {setup['answers']:,} answers"
        f" ({scale} corporations, {setup['places']:,} local governments)",
        f"  survey data: built now in {setup['seconds']:.1f} s (insert_rows)"
        if setup["built"]
        else "  survey data: built by an earlier run (kept in the bench database)",
        f"  answers exported in {exported['seconds']:.1f} s ({exported['rows']:,} rows, Django"
        f" -> CSV), CSV -> Parquet by DuckDB in {converted:.1f} s"
        f" ({parquet.stat().st_size / 1e6:.1f} MB); DuckDB {version}, {project['threads']}"
        " threads, querying the Parquet file",
        f"  {runs} runs each after one untimed, project and DuckDB in turn in one process;"
        f" load average {project['load'][0]:.2f} before, {project['load'][1]:.2f} after",
        "  {:<74} {:>9} {:>9} {:>8}".format("", "median ms", "min ms", "ratio"),
    ]
    row = "  {:<74} {:>9.1f} {:>9.1f} {:>8}"
    labels = {
        "crosstab": f"cross-tab {QUESTION} of FY{CROSSTAB_YEAR} by municipality ({places} rows)",
        "yoy": f"year over year {QUESTION}, FY{YEARS[0]}-{YEARS[-1]}",
    }
    ratios = {}
    for name, label in labels.items():
        mine = _ms(project["seconds"][f"project {name}"])
        theirs = _ms(project["seconds"][f"duckdb {name}"])
        ratios[name] = mine[0] / theirs[0]
        lines.append(row.format(f"{label}: DuckDB on Parquet", *theirs, "1.00x"))
        lines.append(
            row.format(f"{label}: project ({project['vendor']})", *mine, f"{ratios[name]:.2f}x")
        )
    for name in labels:
        queries = project["queries"][name]
        each = ", ".join(f"{q['seconds'] * 1000:.1f}" for q in queries)
        top = max(queries, key=lambda q: q["seconds"])
        lines.append(
            f"  {name}, one more run with its queries timed: {len(queries)} queries, ms each:"
            f" {each}; slowest: {top['sql'][:110]}…"
        )
    if problems:
        lines.append(f"  figures identical: NO ({len(problems)} differences)")
        lines += [f"    {problem}" for problem in problems[:10]]
    else:
        lines.append(
            f"  figures identical: yes (cross-tab {places} municipalities + total x"
            f" {len(CHOICES)} choices and respondents; {len(project['yoy'])} years)"
        )
    for name, label in (("crosstab", "cross-tab"), ("yoy", "year over year")):
        verdict = "met" if ratios[name] <= GOAL else "NOT met"
        lines.append(
            f"  {label} project / DuckDB = {ratios[name]:.2f}x (goal <= {GOAL}x: {verdict})"
        )
    return lines
