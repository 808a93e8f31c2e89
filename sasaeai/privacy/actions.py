"""Every write about personal data requests: disclosure records, erasure, the scheduled purge."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from sasaeai.core import privacy as register
from sasaeai.core.audit import record_access
from sasaeai.core.privacy import Holding, Person
from sasaeai.core.versions import bump
from sasaeai.regions.models import Center

from .finding import Found, find
from .models import Channel, DataRequest, RequestKind, subject_digest


def _subject(person: Person) -> str:
    return subject_digest(person.email, person.name, person.phone, person.reference)


def _summary(found: list[Found]) -> dict[str, int]:
    return {item.holding.model: len(item.rows) for item in found}


def record_disclosure(
    *, person: Person, prefecture: str | None, by, channel: str, found: list[Found]
) -> DataRequest:
    """Record that the data about ``person`` was disclosed (and that ``by`` viewed it)."""
    request = DataRequest.objects.create(
        prefecture_id=prefecture,
        kind=RequestKind.DISCLOSURE,
        channel=channel,
        subject=_subject(person),
        handled_by=by,
        summary=_summary(found),
    )
    record_access(request, actor=by, what="disclosure")
    return request


def erase_rows(holding: Holding, pks: list[int]) -> int:
    """Erase the personal fields of these rows of ``holding`` and their audit values."""
    if not pks:
        return 0
    model = holding.model_class
    rows = model._default_manager.filter(pk__in=pks)
    values = [v for row in rows.values_list(*holding.field_names()) for v in row]
    updates = holding.erasure_updates()
    # A changed record says so: public pages are cached under its ``updated_at`` and its
    # app's version token, which an update() does not touch by itself.
    for f in model._meta.concrete_fields:
        if getattr(f, "auto_now", False):
            updates.setdefault(f.name, timezone.now())
    # Not through save(): the audit entry of the change would repeat the erased values.
    with disable_auditlog():
        rows.update(**updates)
    bump(model._meta.app_label)
    from .scrub import scrub_audit

    scrub_audit(holding, pks, values)
    return len(pks)


@transaction.atomic
def erase_person(
    *,
    person: Person,
    prefecture: str | None,
    by,
    channel: str,
    received_on: datetime.date | None = None,
) -> DataRequest:
    """Anonymise everything registered about ``person`` in ``prefecture``, as the register
    says: the rows stay (counts of registrations, attendance, answers, support given), their
    personal fields are blanked or become 匿名, and so do the audit log's copies."""
    found = find(person, prefecture)
    for item in found:
        erase_rows(item.holding, item.pks)
    return DataRequest.objects.create(
        prefecture_id=prefecture,
        kind=RequestKind.ERASURE,
        channel=channel,
        received_on=received_on or timezone.localdate(),
        subject=_subject(person),
        handled_by=by,
        summary=_summary(found),
    )


@dataclass(frozen=True)
class Purged:
    prefecture: str | None  # None: prefectures without a center (default periods)
    model: str
    years: int
    cutoff: datetime.date
    count: int


def _groups() -> list[tuple[str | None, dict]]:
    centers = [(c.prefecture_id, c.settings or {}) for c in Center.objects.order_by("prefecture")]
    return [*centers, (None, {})]


def _due(holding: Holding, prefecture: str | None, cutoff: datetime.date, centers):
    queryset = (
        holding.rows().exclude(holding.erased_q()).filter(holding.purged.started_before(cutoff))
    )
    if prefecture is not None:
        return holding.in_prefecture(queryset, prefecture)
    for code in centers:
        queryset = queryset.exclude(pk__in=holding.in_prefecture(holding.rows(), code).values("pk"))
    return queryset


@transaction.atomic
def purge_personal_data(
    *, today: datetime.date | None = None, dry_run: bool = False
) -> list[Purged]:
    """Anonymise what is past its retention period, per center's setting or the default.
    Erased rows are not counted again: running it twice does nothing more."""
    today = today or timezone.localdate()
    groups = _groups()
    centers = [code for code, _settings in groups if code is not None]
    done = []
    for prefecture, settings in groups:
        for holding in register.holdings():
            if holding.purged is None:
                continue
            years = register.retention_years(settings, holding.purged)
            cutoff = today - relativedelta(years=years)
            pks = list(_due(holding, prefecture, cutoff, centers).values_list("pk", flat=True))
            if pks and not dry_run:
                erase_rows(holding, pks)
            done.append(Purged(prefecture, holding.model, years, cutoff, len(pks)))
    if not dry_run and any(line.count for line in done):
        DataRequest.objects.create(
            kind=RequestKind.PURGE,
            channel=Channel.SCHEDULE,
            summary=_totals(done),
        )
    return done


def _totals(done: list[Purged]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in done:
        totals[line.model] = totals.get(line.model, 0) + line.count
    return totals
