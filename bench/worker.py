"""The Django side of the benchmark, one step per process: ``python -m bench.worker STEP``.

``run.py`` runs each step with the database chosen in its environment (SASAEAI_DATA_DIR for
SQLite, DATABASE_URL for PostgreSQL) and reads one JSON object from the last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

BENCH_USER = "bench-center"
BENCH_PASSWORD = "bench-only-password-0f3c"  # noqa: S105 — a local, throw-away database
OKAYAMA = "33"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sasaeai.settings")
    import django

    django.setup()


def setup(scale: str) -> dict:
    """Migrate, generate the scale's data (once) and make a center-staff user of Okayama."""
    from django.core.management import call_command

    from sasaeai.members.generator import generate

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    result = generate(scale=scale, seed=1)
    seconds = time.perf_counter() - started
    _ensure_center_staff()
    return {
        "generated": bool(result.generated),
        "seconds": seconds,
        "corporations": result.corporations,
        "facilities": result.facilities,
        "events": result.events,
    }


def _ensure_center_staff() -> None:
    from sasaeai.accounts.actions import grant_role
    from sasaeai.accounts.models import User
    from sasaeai.regions.models import Center

    center, _ = Center.objects.get_or_create(
        prefecture_id=OKAYAMA,
        defaults={
            "name": "岡山県地域公益活動推進センター",
            "short_name": "岡山ささえ愛センター",
            "settings": {"membership_target": {"rate": 0.7, "deadline": "2020-03-31"}},
        },
    )
    user, created = User.objects.get_or_create(username=BENCH_USER)
    if created:
        user.set_password(BENCH_PASSWORD)
        user.save()
        grant_role(user=user, role="center_staff", center=center)


def fresh(_: str) -> dict:
    """An empty registry with its reference data, for the import to write into."""
    from django.core.management import call_command

    from sasaeai.regions.loading import load_regions

    call_command("migrate", interactive=False, verbosity=0)
    load_regions()
    return {}


def export(directory: str) -> dict:
    """One workbook of corporations and one of facilities per prefecture (the import is a
    center's: one prefecture at a time), with the headers the import reads."""
    from sasaeai.core.tabular import write_xlsx
    from sasaeai.members.importing import CORPORATION_SPEC, FACILITY_SPEC
    from sasaeai.regions.models import Prefecture

    files = []
    for code in Prefecture.objects.order_by("code").values_list("code", flat=True):
        for kind, spec, rows in (
            ("corporations", CORPORATION_SPEC, _corporation_rows(code)),
            ("facilities", FACILITY_SPEC, _facility_rows(code)),
        ):
            if not rows:
                continue
            path = Path(directory) / f"{kind}-{code}.xlsx"
            write_xlsx(spec, rows, path)
            files.append({"kind": kind, "prefecture": code, "path": str(path), "rows": len(rows)})
    return {"files": files}


def _with_area(rows, index: int) -> list[list]:
    """Rows with the municipality (at ``index``) and its city (next) as one name: 岡山市北区."""
    return [
        [*row[:index], f"{row[index + 1] or ''}{row[index]}", *row[index + 2 :]] for row in rows
    ]


CORPORATION_FIELDS = (
    "corporate_number", "name", "name_kana", "representative", "postal_code", "address",
    "phone", "municipality__name", "municipality__parent__name", "sector_group__name",
    "founded", "closed",
)  # fmt: skip
FACILITY_FIELDS = (
    "corporation__corporate_number", "name", "name_kana", "kind__name", "municipality__name",
    "municipality__parent__name", "postal_code", "address", "capacity", "opened", "closed",
    "office_number",
)  # fmt: skip


def _corporation_rows(code: str) -> list[list]:
    from sasaeai.members.models import Corporation

    rows = Corporation.objects.in_prefecture(code).order_by("corporate_number")
    return _with_area(rows.values_list(*CORPORATION_FIELDS), 7)


def _facility_rows(code: str) -> list[list]:
    from sasaeai.members.models import Facility

    rows = Facility.objects.filter(corporation__municipality__prefecture_id=code).order_by("id")
    return _with_area(rows.values_list(*FACILITY_FIELDS), 4)


def import_files(listing: str) -> dict:
    """Import every workbook with the project's import (all rows checked, then written in
    one transaction per file), timing each call."""
    from sasaeai.members.importing import commit_import

    timings = []
    for item in json.loads(Path(listing).read_text())["files"]:
        started = time.perf_counter()
        result = commit_import(item["kind"], item["path"], prefecture=item["prefecture"])
        seconds = time.perf_counter() - started
        timings.append({**item, "seconds": seconds, "created": result.created})
    return {"files": timings}


# (c) Registration rush ----------------------------------------------------------------------

RUSH_CAPACITY = 100


def rush_event(_: str) -> dict:
    """A fresh public event of Okayama with ``RUSH_CAPACITY`` seats and one session a week
    ahead, created as the center creates one (``actions.create_event``, by ``bench-center``).
    Every run makes a new one, so that the rush always starts with every seat free."""
    import datetime

    from django.utils import timezone

    from sasaeai.accounts.models import User
    from sasaeai.events.actions import SessionData, create_event

    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=7)
    event = create_event(
        prefecture=OKAYAMA,
        sessions=[SessionData(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))],
        by=User.objects.filter(username=BENCH_USER).first(),
        kind="training",
        title=f"ベンチマーク 申込殺到 {timezone.localtime():%Y-%m-%d %H:%M:%S}",
        audience="public",
        capacity=RUSH_CAPACITY,
    )
    return {"id": event.pk, "capacity": event.capacity}


def rush_count(event_id: str) -> dict:
    """The event's registrations by status, read straight from the database."""
    from django.db.models import Count

    from sasaeai.events.models import Registration

    rows = Registration.objects.filter(event_id=int(event_id)).values("status")
    counts = {row["status"]: row["n"] for row in rows.annotate(n=Count("id")).order_by()}
    return {
        "confirmed": counts.get("confirmed", 0),
        "waitlisted": counts.get("waitlisted", 0),
        "cancelled": counts.get("cancelled", 0),
        "total": sum(counts.values()),
    }


STEPS = {
    "setup": setup,
    "fresh": fresh,
    "export": export,
    "import": import_files,
    "rush-event": rush_event,
    "rush-count": rush_count,
}


def _steps() -> dict:
    from bench.surveys import STEPS as SURVEY_STEPS  # (d), survey results

    return {**STEPS, **SURVEY_STEPS}


def main() -> None:
    parser = argparse.ArgumentParser()
    steps = _steps()
    parser.add_argument("step", choices=steps)
    parser.add_argument("argument", nargs="?", default="")
    args = parser.parse_args()
    _django()
    print(json.dumps(steps[args.step](args.argument)), file=sys.stdout)


if __name__ == "__main__":
    main()
