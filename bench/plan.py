"""(f) The center's plan dashboard at national scale: p95 warm and after a write, queries, PDF.

Standalone: ``python bench/plan.py [--db sqlite|postgres]`` (bench/README.md, issue 9).

1. **Data.** A database of its own (SQLite ``WORK/plan-sqlite/sasaeai.sqlite3`` or the
   PostgreSQL database ``sasaeai_bench_plan`` at ``$BENCH_PG``), migrated, regions loaded, kept
   between runs (each step is skipped when its rows are there). The registry by
   ``members.generator.generate(scale="national")`` (21,000 corporations, 80,000 facilities,
   ten years of membership history), then, fictitious and seeded, every other domain the plan
   reads, written in batches: a center per prefecture with 12 themes, 300,000 activities
   (started and some ended over 2012-2022), every local government's dated network status
   (meetings → study → established → active) with its network, model projects with their
   status history, five fiscal years (2018-2022) of events per prefecture with sessions and
   1,000,000 registrations in all with their attendances, five yearly survey rounds per
   prefecture to its corporations naming the KPI question, some proposals and published
   cases; the demo plan (``plan/data/okayama-2018.json``) loaded for every prefecture. Every
   version token is replaced at the end (bulk writes send no signals).
2. **Measure.** In one process, through Django's test client (the full middleware stack),
   logged in as center staff: the minimal view ``/bench/minimal/`` (the baseline), then
   ``/plan/center/?as_of=…`` for Okayama (33) and Tokyo (13, the largest): warm (the figures
   cached), and right after a committed ORM write of one app (its figures measured afresh);
   the queries of a warm request and of one after a write, for both prefectures; the PDF
   report when the URL ``plan:report-pdf`` exists. p50/p95 in ms and the ratio of p95 to the
   baseline's are printed; the goal is p95 < 100 ms on PostgreSQL, the PDF < 5 s.

Nothing here runs in the test suite; nothing is sent anywhere but 127.0.0.1.
"""

# A local, throw-away database: the tools and names are the bench's own; seeded randomness.
# ruff: noqa: S311

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.activities import (  # noqa: E402
    NAMES,
    TITLES,
    _centers_and_themes,
    _database,
    _django,
    _percentile,
)

D = datetime.date
SEED = 9
GOAL_MS = 100.0
PDF_GOAL_S = 5.0
YEARS = tuple(range(2018, 2023))
ACTIVITIES = 300_000
REGISTRATIONS = 1_000_000
EVENTS_A_YEAR = 2_000  # over Japan, shared by population
SURVEY_QUESTIONS = 10
SURVEY_CODE = "bench-plan"
MARK = "（架空）"
BATCH = 5000
APPS = (
    "members", "networks", "projects", "grants", "events", "surveys", "activities",
    "casebook", "proposals",
)  # fmt: skip
YEAR_TOKENS = tuple(f"events-fy{year}" for year in YEARS)  # events.versions.year_version
PLAN_FILE = ROOT / "sasaeai" / "plan" / "data" / "okayama-2018.json"
USERS = {"33": "bench-plan-33", "13": "bench-plan-13"}


def _say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def _weights() -> dict[str, float]:
    from sasaeai.members.generator_data import POPULATION_10K

    return {code: POPULATION_10K[code] ** 0.85 for code in sorted(POPULATION_10K)}


def _between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _corporations_by_prefecture() -> dict[str, list[tuple[int, str, str]]]:
    """(pk, name, local government) of the generated corporations, by prefecture."""
    from sasaeai.members.generator import generated_corporations

    grouped: dict[str, list[tuple[int, str, str]]] = {}
    for pk, name, place, parent in (
        generated_corporations()
        .order_by("pk")
        .values_list("pk", "name", "municipality_id", "municipality__parent_id")
    ):
        grouped.setdefault(place[:2], []).append((pk, name, parent or place))
    return grouped


# Data ------------------------------------------------------------------------------------------


def _registry() -> None:
    from sasaeai.members.generator import generate

    result = generate(scale="national", seed=1, report=_say)
    if result.generated:
        _say(f"registry: {result.corporations:,} corporations, {result.facilities:,} facilities")


def _activities(corporations) -> None:
    """``ACTIVITIES`` published public activities of the generated corporations, started over
    2012-2022, one in seven ended since (bench/activities.py's titles and schedules)."""
    from django.db import transaction
    from django.utils import timezone

    from sasaeai.activities import schedule as schedules
    from sasaeai.activities.actions import searchable_text
    from sasaeai.activities.models import Activity, ReviewState, TargetGroup, pack
    from sasaeai.projects.models import Theme

    have = Activity.objects.count()
    if have >= ACTIVITIES:
        return
    themes: dict[str, list[Theme]] = {}
    for theme in Theme.objects.order_by("pk"):
        themes.setdefault(theme.prefecture_id, []).append(theme)
    owners = [row for code in sorted(corporations) for row in corporations[code]]
    rng = random.Random(SEED + have)
    now = timezone.now()
    through = Activity.themes.through
    for first in range(have, ACTIVITIES, BATCH):
        rows, chosen = [], []
        for n in range(first, min(first + BATCH, ACTIVITIES)):
            pk, _name, place = owners[(n * 7919) % len(owners)]
            title = f"{rng.choice(NAMES)}{rng.choice(TITLES)}{n}"
            days = tuple(sorted(rng.sample(range(7), rng.choice((1, 1, 2, 3)))))
            started = _between(rng, D(2012, 4, 1), D(2022, 12, 31))
            ended = None
            if rng.random() < 1 / 7:
                ended = _between(rng, started, D(2023, 3, 31))
            plan = schedules.Schedule(
                schedules.WEEKLY, started, weekdays=days,
                start_time=datetime.time(10), end_time=datetime.time(12),
            )  # fmt: skip
            activity = Activity(
                prefecture_id=place[:2], corporation_id=pk, municipality_id=place,
                title=title, description=f"{title}の説明。{rng.choice(TITLES)}と連携",
                venue=f"{rng.choice(NAMES)}会館", address="",
                schedule_rule=schedules.to_rule(plan),
                start_time=plan.start_time, end_time=plan.end_time,
                schedule_text=schedules.japanese(plan), weekdays="".join(map(str, days)),
                targets=pack(rng.sample(TargetGroup.values, 2)),
                started_on=started, ended_on=ended,
                state=ReviewState.PUBLISHED, visibility="public", published_at=now,
            )  # fmt: skip
            picked = rng.sample(themes[place[:2]], 2)
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
        if (first // BATCH) % 10 == 9:
            _say(f"{min(first + BATCH, ACTIVITIES):,} activities")


def _networks() -> None:
    """Every local government's way to a network, dated: most hold meetings from 2016 on,
    many study, about half establish a network (the municipality's own, its council the
    secretariat) that soon becomes active; a few go dormant."""
    from django.db import transaction

    from sasaeai.core.text import search_key
    from sasaeai.members.models import Council
    from sasaeai.networks.models import MunicipalNetwork, Source, Status, StatusEntry
    from sasaeai.regions.models import Municipality

    if StatusEntry.objects.exists():
        return
    rng = random.Random(SEED)
    councils = dict(
        Council.objects.filter(municipality__isnull=False, closed__isnull=True).values_list(
            "municipality_id", "pk"
        )
    )
    places = list(Municipality.objects.without_wards().active().order_by("code"))
    networks, steps = [], []
    for place in places:
        roll = rng.random()
        if roll < 0.15:
            steps.append((place, Status.NONE, D(2016, 4, 1), None))
            continue
        day = _between(rng, D(2016, 4, 1), D(2021, 3, 31))
        steps.append((place, Status.MEETINGS, day, None))
        if roll < 0.35:
            continue
        day = _between(rng, day + datetime.timedelta(days=30), day + datetime.timedelta(days=500))
        steps.append((place, Status.STUDY, day, None))
        if roll < 0.5 or day > D(2022, 9, 30):
            continue
        founded = _between(rng, day + datetime.timedelta(days=30), D(2022, 12, 31))
        name = f"{place.name}社会福祉法人連絡会{MARK}"
        network = MunicipalNetwork(
            prefecture_id=place.prefecture_id, name=name, search_key=search_key(name),
            secretariat_id=councils.get(place.code), established_on=founded,
            established_note="架空データ",
        )  # fmt: skip
        networks.append((place, network))
        steps.append((place, Status.ESTABLISHED, founded, network))
        active = founded + datetime.timedelta(days=rng.randrange(30, 400))
        if active <= D(2022, 12, 31):
            steps.append((place, Status.ACTIVE, active, network))
            dormant = active + datetime.timedelta(days=rng.randrange(200, 1500))
            if rng.random() < 0.08 and dormant <= D(2022, 12, 31):
                steps.append((place, Status.DORMANT, dormant, network))
    with transaction.atomic():
        MunicipalNetwork.objects.bulk_create([network for _place, network in networks])
        MunicipalNetwork.area.through.objects.bulk_create(
            MunicipalNetwork.area.through(municipalnetwork_id=network.pk, municipality_id=p.code)
            for p, network in networks
        )
        StatusEntry.objects.bulk_create(
            (
                StatusEntry(
                    municipality_id=place.code,
                    status=status,
                    effective_on=day,
                    source=Source.SURVEY,
                    network_id=network.pk if network else None,
                )
                for place, status, day, network in steps
            ),
            batch_size=BATCH,
        )
    _say(f"networks: {len(networks):,} networks, {len(steps):,} status entries")


def _projects() -> None:
    """Eight model projects per prefecture, each planned → running → evaluated → shared over
    FY2018-2022 (some stop on the way)."""
    from django.db import transaction

    from sasaeai.projects.models import ModelProject, ProjectStatus, ProjectStatusEntry, Theme

    if ModelProject.objects.exists():
        return
    rng = random.Random(SEED)
    themes: dict[str, list[int]] = {}
    for pk, code in Theme.objects.order_by("pk").values_list("pk", "prefecture_id"):
        themes.setdefault(code, []).append(pk)
    projects, histories = [], []
    for code in sorted(themes):
        for n in range(8):
            first = rng.choice(YEARS[:3])
            projects.append(
                ModelProject(
                    prefecture_id=code,
                    theme_id=themes[code][n % len(themes[code])],
                    title=f"モデル事業{n + 1}{MARK}",
                    first_fiscal_year=first,
                    last_fiscal_year=first + 1,
                )
            )
            day, steps = D(first, 4, 1), []
            for status in (ProjectStatus.PLANNED, ProjectStatus.RUNNING, ProjectStatus.EVALUATED,
                           ProjectStatus.SHARED):  # fmt: skip
                if day > D(2022, 12, 31) or (steps and rng.random() < 0.15):
                    break
                steps.append((status, day))
                day += datetime.timedelta(days=rng.randrange(90, 400))
            histories.append(steps)
    with transaction.atomic():
        for project, steps in zip(projects, histories, strict=True):
            project.status = steps[-1][0]
        ModelProject.objects.bulk_create(projects)
        ProjectStatusEntry.objects.bulk_create(
            ProjectStatusEntry(project_id=project.pk, status=status, effective_on=day)
            for project, steps in zip(projects, histories, strict=True)
            for status, day in steps
        )
    _say(f"projects: {len(projects):,} model projects")


def _events() -> None:
    """Per prefecture and fiscal year, events (shared by population, 8 at least) of one to
    three sessions; ``REGISTRATIONS`` registrations in all (90 % confirmed, 5 % waitlisted,
    5 % cancelled) and an attendance for 85 % of the sessions of a confirmed one."""
    from django.db import transaction
    from django.utils import timezone

    from sasaeai.core.db.bulk import insert_rows
    from sasaeai.events.models import (
        Attendance,
        Audience,
        Event,
        EventKind,
        EventStatus,
        Registration,
        RegistrationStatus,
        Session,
    )
    from sasaeai.members.generator import apportion

    done = set(Event.objects.order_by().values_list("prefecture_id", flat=True).distinct())
    weights = _weights()
    codes = list(weights)
    per_year = dict(
        zip(codes, apportion(EVENTS_A_YEAR, list(weights.values()), minimum=8), strict=True)
    )
    rng = random.Random(SEED)
    # The registrations shared by every event, by a random size each (seeded).
    sizes = [rng.uniform(0.3, 1.7) for _ in range(sum(per_year.values()) * len(YEARS))]
    seats = iter(apportion(REGISTRATIONS, sizes))
    kinds = (EventKind.TRAINING, EventKind.COURSE, EventKind.BRIEFING, EventKind.FORUM)
    now = timezone.now()
    person = 0
    for code in codes:
        if code in done:  # written by an earlier run (each prefecture in one transaction)
            for _ in range(per_year[code] * len(YEARS)):
                next(seats)
            continue
        started = time.perf_counter()
        with transaction.atomic():
            for year in YEARS:
                events, plans = [], []
                for n in range(per_year[code]):
                    first = _between(rng, D(year, 4, 10), D(year + 1, 3, 15))
                    events.append(
                        Event(
                            prefecture_id=code,
                            kind=rng.choice(kinds),
                            title=f"地域公益活動研修{year}-{n + 1}{MARK}",
                            audience=Audience.SECTOR,
                            fiscal_year=year,
                            status=EventStatus.PUBLISHED,
                        )
                    )
                    plans.append((first, rng.choice((1, 1, 2, 3)), next(seats)))
                Event.objects.bulk_create(events)
                sessions = []
                for event, (first, count, _seats) in zip(events, plans, strict=True):
                    for number in range(1, count + 1):
                        day = first + datetime.timedelta(days=14 * (number - 1))
                        sessions.append(
                            Session(
                                event_id=event.pk,
                                number=number,
                                starts_at=_aware(day, 13),
                                ends_at=_aware(day, 16),
                            )
                        )
                Session.objects.bulk_create(sessions)
                by_event: dict[int, list[Session]] = {}
                for session in sessions:
                    by_event.setdefault(session.event_id, []).append(session)
                registrations = []
                for event, (first, _count, size) in zip(events, plans, strict=True):
                    opened = _aware(first - datetime.timedelta(days=30), 9)
                    for _ in range(size):
                        person += 1
                        roll = rng.random()
                        status = (
                            RegistrationStatus.CONFIRMED if roll < 0.9
                            else RegistrationStatus.WAITLISTED if roll < 0.95
                            else RegistrationStatus.CANCELLED
                        )  # fmt: skip
                        registrations.append({
                            "event_id": event.pk, "status": status, "name": f"参加者{person}",
                            "email": f"p{person}@example.jp", "person_key": f"bench:{person}",
                            "created_at": opened + datetime.timedelta(minutes=person % 40000),
                        })  # fmt: skip
                insert_rows(Registration, registrations, now=now, batch_size=20000)
                confirmed = (
                    Registration.objects.filter(
                        event__in=[e.pk for e in events], status=RegistrationStatus.CONFIRMED
                    )
                    .order_by("pk")
                    .values_list("pk", "event_id")
                )
                insert_rows(
                    Attendance,
                    (
                        {"registration_id": pk, "session_id": session.pk, "method": "list",
                         "checked_in_at": session.starts_at}
                        for pk, event_id in confirmed.iterator(chunk_size=20000)
                        for session in by_event[event_id]
                        if rng.random() < 0.85
                    ),
                    now=now,
                    batch_size=20000,
                )  # fmt: skip
        _say(f"events {code}: {per_year[code] * len(YEARS)} events, up to {person:,} "
             f"registrations ({time.perf_counter() - started:.1f} s)")  # fmt: skip


def _survey_definition(code: str) -> dict:
    questions = [
        {
            "code": f"q{n:02d}",
            "kind": "single",
            "text": "地域における公益的な取組をしていますか" if n == 1 else f"設問 q{n:02d}",
            "required": True,
            "choices": [{"code": c, "label": f"選択肢 {c}"} for c in ("a1", "a2", "a3", "a4")],
        }
        for n in range(1, SURVEY_QUESTIONS + 1)
    ]
    return {
        "code": SURVEY_CODE,
        "title": f"地域公益活動 取組状況調査{MARK}",
        "description": "bench/plan.py の架空データ",
        "fiscal_year": YEARS[0],
        "sections": [{"title": "取組状況", "questions": questions}],
    }


def _surveys(corporations) -> None:
    """Per prefecture a yearly survey of ``SURVEY_QUESTIONS`` single-choice questions sent
    each of FY2018-2022 to every generated corporation of the prefecture; q01 is the round's
    KPI question (a1 = 「している」). 90 % answer, between late June and the deadline (July
    31); the answers are drawn as bench/surveys.py draws them (``_Skew``: a1 grows by year)."""
    from django.db import transaction
    from django.utils import timezone

    from bench.surveys import _Skew
    from sasaeai.core.db.bulk import insert_rows
    from sasaeai.surveys.definition import copy_to_next_year, import_definition
    from sasaeai.surveys.models import Answer, Invitation, Response, Round, Survey, new_token

    done = set(Survey.objects.filter(code=SURVEY_CODE).values_list("prefecture_id", flat=True))
    now = timezone.now()
    places = {place for rows in corporations.values() for _pk, _name, place in rows}
    skew = _Skew(places, random.Random(SEED))
    for code in sorted(set(corporations) - done):
        started = time.perf_counter()
        with transaction.atomic():
            survey = import_definition(_survey_definition(code), prefecture=code)
            for year in YEARS:
                if year != survey.fiscal_year:
                    survey = copy_to_next_year(survey)
                questions = list(survey.questions.order_by("order").prefetch_related("choices"))
                deadline = _aware(D(year, 7, 31), 23)
                round_ = Round.objects.create(
                    survey=survey, fiscal_year=year, title=f"{year}年度 取組状況調査{MARK}",
                    target_kind="corporations", deadline=deadline, closed_at=deadline,
                    kpi_question=questions[0], kpi_choices=["a1"],
                )  # fmt: skip
                insert_rows(
                    Invitation,
                    (
                        {"round_id": round_.pk, "token": new_token(), "corporation_id": pk,
                         "name": name, "municipality_id": place}
                        for pk, name, place in corporations[code]
                    ),
                    now=now,
                )  # fmt: skip
                invited = list(
                    Invitation.objects.filter(round=round_)
                    .order_by("pk")
                    .values_list("pk", "municipality_id")
                )
                rng = skew.rng
                insert_rows(
                    Response,
                    (
                        {"invitation_id": pk, "round_id": round_.pk, "municipality_id": place,
                         "submitted_at": deadline - datetime.timedelta(hours=rng.randrange(900))}
                        for pk, place in invited
                        if rng.random() < 0.9
                    ),
                    now=now,
                )  # fmt: skip
                respondents = list(
                    Response.objects.filter(round=round_)
                    .order_by("pk")
                    .values_list("pk", "municipality_id")
                )
                choice_ids = [
                    [c.pk for c in sorted(q.choices.all(), key=lambda c: c.code)] for q in questions
                ]
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
        _say(f"surveys {code}: {len(corporations[code]):,} corporations a year "
             f"({time.perf_counter() - started:.1f} s)")  # fmt: skip


def _proposals_and_cases(corporations) -> None:
    """Per prefecture six proposals submitted over FY2018-2022 (two drafts more) and thirty
    cases of its corporations published over the same years."""
    from django.db import transaction

    from sasaeai.casebook.models import Case, CaseStatus
    from sasaeai.proposals.models import Addressee, Proposal, ProposalStatus

    if Proposal.objects.exists():
        return
    rng = random.Random(SEED)
    proposals, cases = [], []
    for code in sorted(corporations):
        for n in range(8):
            submitted = _between(rng, D(2018, 6, 1), D(2022, 12, 31)) if n < 6 else None
            proposals.append(
                Proposal(
                    prefecture_id=code,
                    title=f"提言{n + 1}{MARK}",
                    addressee_kind=Addressee.PREFECTURE,
                    addressee="県知事",
                    text="架空の提言",
                    submitted_on=submitted,
                    status=ProposalStatus.SUBMITTED if submitted else ProposalStatus.DRAFT,
                )
            )
        for n in range(30):
            pk, _name, place = rng.choice(corporations[code])
            published = _between(rng, D(2018, 5, 1), D(2022, 12, 31))
            cases.append(
                Case(
                    prefecture_id=code,
                    corporation_id=pk,
                    municipality_id=place,
                    fiscal_year=published.year if published.month > 3 else published.year - 1,
                    title=f"実践事例{n + 1}{MARK}",
                    summary="架空の事例",
                    status=CaseStatus.PUBLISHED,
                    published_at=_aware(published),
                )
            )
    with transaction.atomic():
        Proposal.objects.bulk_create(proposals)
        Case.objects.bulk_create(cases)


def _plans_and_staff() -> None:
    from sasaeai.accounts.actions import grant_role
    from sasaeai.accounts.models import User
    from sasaeai.plan.loading import load_plan_file
    from sasaeai.plan.models import Plan
    from sasaeai.regions.models import Center, Prefecture

    have = set(Plan.objects.values_list("prefecture_id", flat=True))
    for code in Prefecture.objects.exclude(code__in=have).values_list("code", flat=True):
        load_plan_file(code, PLAN_FILE)
    for code, username in USERS.items():
        user, created = User.objects.get_or_create(username=username)
        if created:
            grant_role(user=user, role="center_staff", center=Center.objects.get(prefecture=code))


def _analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def generate() -> float:
    """Every step not done yet; the seconds it took (0 when everything was there)."""
    from sasaeai.core.versions import bump
    from sasaeai.members.kpis import bump_registry_version
    from sasaeai.regions.loading import load_regions

    started = time.perf_counter()
    load_regions()
    steps = [
        ("registry", _registry),
        ("centers and themes", _centers_and_themes),
    ]
    did = False
    for label, step in steps:
        began = time.perf_counter()
        step()
        _say(f"{label}: {time.perf_counter() - began:.1f} s")
    corporations = _corporations_by_prefecture()
    for label, step in (
        ("activities", _activities),
        ("networks", lambda _c: _networks()),
        ("projects", lambda _c: _projects()),
        ("events", lambda _c: _events()),
        ("surveys", _surveys),
        ("proposals and cases", _proposals_and_cases),
        ("plans and staff", lambda _c: _plans_and_staff()),
    ):
        began = time.perf_counter()
        step(corporations)
        seconds = time.perf_counter() - began
        did = did or seconds > 2
        _say(f"{label}: {seconds:.1f} s")
    if did:
        _analyse()
        bump(*APPS, *YEAR_TOKENS)  # bulk writes send no signals
        bump_registry_version()
        return time.perf_counter() - started
    return 0.0


def counts() -> dict[str, int]:
    from sasaeai.activities.models import Activity
    from sasaeai.events.models import Attendance, Event, Registration
    from sasaeai.members.models import Facility
    from sasaeai.networks.models import StatusEntry
    from sasaeai.surveys.models import Answer

    return {
        "facilities": Facility.objects.count(),
        "activities": Activity.objects.count(),
        "network status entries": StatusEntry.objects.count(),
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
        "attendances": Attendance.objects.count(),
        "survey answers": Answer.objects.count(),
    }


# Writes between requests -----------------------------------------------------------------------


class Writer:
    """One committed ORM write of an app, through its actions where one fits, so that the
    app's version token changes (after the commit) and its figures are measured afresh."""

    def __init__(self, prefecture: str, user) -> None:
        from sasaeai.activities.models import Activity
        from sasaeai.events.models import Registration
        from sasaeai.members.generator import generated_corporations
        from sasaeai.members.models import MemberType
        from sasaeai.networks.models import MunicipalNetwork
        from sasaeai.surveys.models import Response

        self.user = user
        self.corporation = (
            generated_corporations(prefecture)
            .filter(closed__isnull=True, membership_events__isnull=True)
            .order_by("pk")
            .first()
        )
        self.member_type = MemberType.objects.get(code="basic-corporation")
        self.day = D(2023, 1, 1)
        self.network = MunicipalNetwork.objects.in_prefecture(prefecture).order_by("pk").first()
        self.activity = Activity.objects.filter(prefecture_id=prefecture).order_by("pk").first()
        self.registration = (
            Registration.objects.filter(event__prefecture_id=prefecture).order_by("pk").first()
        )
        self.response = (
            Response.objects.filter(round__survey__prefecture_id=prefecture).order_by("pk").first()
        )
        self.serial = 0

    def write(self, app: str) -> None:
        from django.db import transaction

        from sasaeai.members.actions import record_membership_event
        from sasaeai.members.models.membership import EventKind

        self.serial += 1
        if app == "members":  # a join, then a withdrawal, of a corporation never a member
            kind = EventKind.JOIN if self.serial % 2 else EventKind.WITHDRAW
            self.day += datetime.timedelta(days=1)
            record_membership_event(
                member=self.corporation, kind=kind, effective_date=self.day, by=self.user,
                member_type=self.member_type, note="bench/plan.py",
            )  # fmt: skip
            return
        with transaction.atomic():
            if app == "networks":
                self.network.note = f"bench {self.serial}"
                self.network.save()
            elif app == "activities":
                self.activity.venue = f"会館{self.serial}"
                self.activity.save()
            elif app == "events":
                self.registration.affiliation = f"所属{self.serial}"
                self.registration.save()
            elif app == "surveys":
                self.response.source = "web" if self.serial % 2 else "import"
                self.response.save()
            else:
                raise ValueError(app)


WRITES = ("members", "networks", "activities", "events", "surveys")


# Measure ---------------------------------------------------------------------------------------


def _stats(label: str, timings: list[float], base_p95: float | None, goal: float | None):
    p50, p95 = statistics.median(timings), _percentile(timings, 95)
    ratio = f"({p95 / base_p95:6.1f}x)" if base_p95 else "         "
    verdict = ""
    if goal is not None:
        verdict = f"  {'ok' if p95 < goal else 'OVER'}"
    return f"  {label:<62} {len(timings):4d} {p50:8.1f} / {p95:8.1f} {ratio}{verdict}"


def measure(requests: int, rounds: int, dates: list[str]) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from sasaeai.accounts.models import User

    clients, writers = {}, {}
    for code, username in USERS.items():
        user = User.objects.get(username=username)
        clients[code] = Client()
        clients[code].force_login(user)
        writers[code] = Writer(code, user)
    dashboard = reverse("plan:dashboard")

    def get(code: str, path: str) -> float:
        started = time.perf_counter()
        response = clients[code].get(path)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, response.status_code)
        return elapsed

    def url(as_of: str) -> str:
        return f"{dashboard}?as_of={as_of}"

    lines = ["  what" + " " * 58 + "   n   p50 ms /   p95 ms (p95 / baseline p95)"]
    for _ in range(20):
        get("33", "/bench/minimal/")
    base = [get("33", "/bench/minimal/") for _ in range(requests)]
    base_p95 = _percentile(base, 95)
    lines.append(_stats("GET /bench/minimal/ (baseline)", base, None, None))

    # Cold: the first request after every token was replaced (all figures measured afresh).
    from sasaeai.core.versions import bump

    for code in USERS:
        for as_of in dates[-1:]:
            bump(*APPS, *YEAR_TOKENS)
            cold = [get(code, url(as_of))]
            lines.append(_stats(f"{code} dashboard as_of={as_of}, every figure cold", cold,
                                base_p95, None))  # fmt: skip

    # (a) warm
    for code in USERS:
        for as_of in dates if code == "33" else dates[-1:]:
            get(code, url(as_of))
            warm = [get(code, url(as_of)) for _ in range(requests)]
            lines.append(_stats(f"{code} dashboard as_of={as_of}, warm", warm, base_p95, GOAL_MS))

    # (b) after a write of one app
    for code in USERS:
        every: list[float] = []
        for app in WRITES:
            timings = []
            for _ in range(rounds):
                for as_of in dates if code == "33" else dates[-1:]:
                    get(code, url(as_of))  # warm first
                    writers[code].write(app)
                    timings.append(get(code, url(as_of)))
            every += timings
            lines.append(_stats(f"{code} dashboard after a write of {app}", timings, base_p95,
                                GOAL_MS))  # fmt: skip
        lines.append(_stats(f"{code} dashboard after a write, all apps", every, base_p95, GOAL_MS))

    # (c) queries
    lines.append("  queries of one request (warm / after a write of members / of events):")
    for code in USERS:
        as_of = dates[-1]
        get(code, url(as_of))
        with CaptureQueriesContext(connection) as warm:
            get(code, url(as_of))
        found = [len(warm)]
        for app in ("members", "events"):
            writers[code].write(app)
            with CaptureQueriesContext(connection) as after:
                get(code, url(as_of))
            found.append(len(after))
        lines.append(f"    {code} as_of={as_of}: {found[0]} / {found[1]} / {found[2]}")

    # (d) the PDF report
    try:
        pdf = reverse("plan:report-pdf")
    except NoReverseMatch:
        lines.append("  PDF report: the URL plan:report-pdf does not exist here, skipped")
    else:
        for code in USERS:
            as_of = dates[-1]
            timings = [get(code, f"{pdf}?as_of={as_of}") / 1000 for _ in range(3)]
            lines.append(
                f"  {code} PDF report as_of={as_of}: "
                + " / ".join(f"{t:.2f}" for t in timings)
                + f" s  {'ok' if max(timings) < PDF_GOAL_S else 'OVER'} (goal < {PDF_GOAL_S} s)"
            )
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=50, help="warm requests per date")
    parser.add_argument("--rounds", type=int, default=3, help="writes per app and date")
    parser.add_argument(
        "--dates", default="2019-03-31,2020-03-31,2022-03-31", help="as_of dates, comma-separated"
    )
    parser.add_argument("--skip-measure", action="store_true", help="only generate the data")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sasaeai-bench")
    args = parser.parse_args(argv)
    os.environ.setdefault("SASAEAI_DEFAULT_PREFECTURE", "33")
    _django(_database(args.db, args.work, "plan"))
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    seconds = generate()
    state = f"generated now in {seconds:.0f} s" if seconds else "kept from an earlier run"
    sizes = ", ".join(f"{n:,} {label}" for label, n in counts().items())
    print(f"data ({args.db}): {sizes} ({state})")
    if args.skip_measure:
        return
    print(f"(f) plan dashboard, {args.db}: goal p95 < {GOAL_MS:.0f} ms")
    for line in measure(args.requests, args.rounds, args.dates.split(",")):
        print(line)


if __name__ == "__main__":
    main()
