"""The Django side of the load-and-fault bench, one step per process:
``python -m bench.loadsteps STEP [ARGUMENT]`` prints one JSON object on its last line.

``bench/load.py`` runs these against its private PostgreSQL cluster (``DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

OKAYAMA = "33"
STAFF = "center-okayama"  # a demo login (sasaeai.demo.ACCOUNTS)
IMPORT_BASE = 812_345_000_000  # 法人番号 of the bench's import file: 12 digits + check digit
WRITE_CAPACITY = 1_000_000


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sasaeai.settings")
    import django

    django.setup()


def setup(subscribers: str) -> dict:
    """Migrate, load the demo (the Okayama-scale registry, events, surveys, plan, logins),
    add ``subscribers`` confirmed newsletter subscribers of Okayama and a public event with
    room for every registration of the load; the ids the load's requests use."""
    from django.core.management import call_command

    from sasaeai.demo import DEMO_PASSWORD, load_demo

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter() - started
    load_demo()
    _subscribers(int(subscribers or 0))
    ids = _ids(_write_event())
    return {
        **ids,
        "newsletter": _newsletter(),
        "staff": STAFF,
        "password": DEMO_PASSWORD,
        "migrate_seconds": migrated,
        "seconds": time.perf_counter() - started,
    }


def _subscribers(count: int) -> None:
    from django.utils import timezone

    from sasaeai.publishing.models import Subscriber

    now = timezone.now()
    rows = [
        Subscriber(prefecture_id=OKAYAMA, email=f"load{n:06d}@example.jp", confirmed_at=now)
        for n in range(count)
    ]
    Subscriber.objects.bulk_create(rows, batch_size=1000)


def _write_event() -> int:
    """A public event of Okayama that the load registers to (seats for every attempt)."""
    from django.utils import timezone

    from sasaeai.accounts.models import User
    from sasaeai.events.actions import SessionData, create_event

    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=14)
    event = create_event(
        prefecture=OKAYAMA,
        sessions=[SessionData(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))],
        by=User.objects.get(username=STAFF),
        kind="training",
        title="負荷試験 申込",
        audience="public",
        capacity=WRITE_CAPACITY,
    )
    return event.pk


def _ids(write_event: int) -> dict:
    """Ids that center staff of Okayama may open, for the detail pages of the load."""
    from sasaeai.accounts.models import User
    from sasaeai.events.models import Event
    from sasaeai.members.queries import visible_corporations

    staff = User.objects.get(username=STAFF)
    corporations = list(visible_corporations(staff).order_by("pk").values_list("pk", flat=True))
    events = Event.objects.filter(prefecture_id=OKAYAMA).exclude(pk=write_event)
    return {
        "corporations": corporations[:: max(1, len(corporations) // 40)][:40],
        "events": list(events.order_by("-pk").values_list("pk", flat=True)[:20]),
        "write_event": write_event,
    }


def import_file(spec: str) -> dict:
    """``PATH:ROWS``: a CSV of ROWS new corporations of Okayama (valid 法人番号 in a range no
    generator uses), for the member import the task worker is killed in."""
    from sasaeai.core.hojin import make_corporate_number
    from sasaeai.members.models import Corporation

    path, rows = spec.rsplit(":", 1)
    numbers = [make_corporate_number(str(IMPORT_BASE + n)) for n in range(int(rows))]
    towns = ["津山市", "岡山市北区", "倉敷市", "玉野市", "笠岡市", "総社市"]
    lines = ["法人番号,法人名,フリガナ,市町村,種別協議会,設立年月日"]
    lines += [
        f"{number},負荷試験福祉会{n},フカシケン,{towns[n % len(towns)]},老人福祉,H29.10.10"
        for n, number in enumerate(numbers)
    ]
    Path(path).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    existing = Corporation.objects.filter(corporate_number__in=numbers).count()
    return {"path": path, "rows": len(numbers), "existing": existing}


def import_start(path: str) -> dict:
    """Upload the file and start its import as center staff do (preview, then commit): the
    job is queued for ``sasaeai worker``."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from sasaeai.accounts.models import User
    from sasaeai.members.importing import start_job, upload_import

    upload = SimpleUploadedFile(Path(path).name, Path(path).read_bytes(), "text/csv")
    staff = User.objects.get(username=STAFF)
    job = upload_import(kind="corporations", upload=upload, prefecture=OKAYAMA, by=staff)
    if job.error_count or job.missing_columns:
        return {"job": job.pk, "error": f"{job.error_count} errors: {job.errors[:3]}"}
    with transaction.atomic():
        start_job(job=job)
    return {"job": job.pk, "rows": job.total_rows}


def _newsletter() -> dict:
    """A new issue of Okayama's newsletter, published today and not sent yet: the load sends
    it as staff do (the send button) while the task worker is killed."""
    from django.db.models import Max
    from django.utils import timezone

    from sasaeai.accounts.models import User
    from sasaeai.publishing.actions import NewsletterData, create_newsletter
    from sasaeai.publishing.models import Newsletter, Subscriber

    today = timezone.localdate()
    number = (Newsletter.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    data = NewsletterData(
        number=number,
        title="負荷試験号",
        fiscal_year=today.year if today.month > 3 else today.year - 1,
        published_on=today,
        body="負荷試験の配信です。",
    )
    issue = create_newsletter(prefecture=OKAYAMA, data=data, by=User.objects.get(username=STAFF))
    receiving = Subscriber.objects.in_prefecture(OKAYAMA).receiving()
    return {"issue": issue.pk, "subscribers": sorted(receiving.values_list("email", flat=True))}


def registrations(path: str) -> dict:
    """Which of the acknowledged registrations (ids in the JSON file) are in the database."""
    from sasaeai.events.models import Registration

    acknowledged = set(json.loads(Path(path).read_text()))
    found = set(Registration.objects.filter(pk__in=acknowledged).values_list("pk", flat=True))
    return {"acknowledged": len(acknowledged), "found": len(found & acknowledged)}


STEPS = {
    "setup": setup,
    "import-file": import_file,
    "import-start": import_start,
    "registrations": registrations,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("argument", nargs="?", default="")
    args = parser.parse_args()
    _django()
    print(json.dumps(STEPS[args.step](args.argument)))


if __name__ == "__main__":
    sys.exit(main())
