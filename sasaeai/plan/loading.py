"""A plan from its JSON description (the demo's is ``data/okayama-2018.json``): pillars,
measures and targets, checked like the forms check them, written all or nothing. Loading the
same file again updates the plan in place (a plan is found by its prefecture and first fiscal
year; a target by its KPI code), so it can be kept in a file and re-read."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Measure, Plan, PlanPillar, Target

DATA = Path(__file__).resolve().parent / "data"


def _date(value, where: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(
            _("%(where)s: “%(value)s” is not a date (YYYY-MM-DD).")
            % {"where": where, "value": value}
        ) from None


def _decimal(value, where: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(
            _("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}
        ) from None


@transaction.atomic
def load_plan(prefecture: str, data: dict) -> Plan:
    """Create or update the plan described by ``data`` in ``prefecture``."""
    plan, _created = Plan.objects.update_or_create(
        prefecture_id=prefecture,
        first_fiscal_year=int(data["first_fiscal_year"]),
        defaults={
            "name": data["name"],
            "last_fiscal_year": int(data["last_fiscal_year"]),
            "note": data.get("note", ""),
        },
    )
    plan.full_clean()
    pillars: dict[str, PlanPillar] = {}
    measures: dict[str, Measure] = {}
    for order, item in enumerate(data.get("pillars", []), start=1):
        pillar, _created = PlanPillar.objects.update_or_create(
            plan=plan, slug=item["slug"], defaults={"title": item["title"], "order": order}
        )
        pillar.full_clean()
        pillars[pillar.slug] = pillar
        for m_order, m in enumerate(item.get("measures", []), start=1):
            measure, _created = Measure.objects.update_or_create(
                pillar=pillar,
                title=m["title"],
                defaults={"order": m_order, "description": m.get("description", "")},
            )
            measures[measure.title] = measure
    for order, item in enumerate(data.get("targets", []), start=1):
        where = _("Target %(number)s (%(code)s)") % {"number": order, "code": item.get("kpi", "")}
        pillar = pillars.get(item.get("pillar"))
        if pillar is None:
            raise ValidationError(
                _("%(where)s: the pillar “%(pillar)s” is not one of the plan's.")
                % {"where": where, "pillar": item.get("pillar")}
            )
        target = Target.objects.filter(plan=plan, kpi_code=item["kpi"]).first() or Target(
            plan=plan, kpi_code=item["kpi"]
        )
        target.pillar = pillar
        target.measure = measures.get(item.get("measure", ""))
        target.label = item.get("label", "")
        target.value = _decimal(item.get("value"), where)
        target.deadline = _date(item.get("deadline"), where)
        target.baseline_on = _date(item.get("baseline_on"), where)
        target.source = item.get("source", "")
        target.is_public = bool(item.get("public", True))
        target.order = order
        try:
            target.full_clean()
        except ValidationError as error:
            raise ValidationError([f"{where}: {message}" for message in error.messages]) from None
        target.save()
    return plan


def load_plan_file(prefecture: str, path: Path | str) -> Plan:
    return load_plan(prefecture, json.loads(Path(path).read_text(encoding="utf-8")))
