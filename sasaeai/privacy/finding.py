"""What is held about one person, across every app's registered holdings (開示)."""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.core import privacy as register
from sasaeai.core.privacy import Holding, Person
from sasaeai.core.tabular.writing import write_xlsx


def where(holding: Holding) -> str:
    """The app and the model that hold the data, in the user's language."""
    model = holding.model_class
    return f"{model._meta.app_config.verbose_name} / {model._meta.verbose_name}"


@dataclass
class Found:
    holding: Holding
    rows: list[dict] = field(default_factory=list)

    @property
    def where(self) -> str:
        return where(self.holding)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def stored(self) -> list:
        return sorted(row["stored"] for row in self.rows if row["stored"] is not None)

    @property
    def pks(self) -> list[int]:
        return [row["pk"] for row in self.rows]


def path_label(model, path: str) -> str:
    """The verbose name of the field at ``path`` (``event__title`` → タイトル)."""
    parts = path.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    try:
        return str(model._meta.get_field(parts[-1]).verbose_name)
    except FieldDoesNotExist:
        return parts[-1]


def find(person: Person, prefecture: str | None) -> list[Found]:
    """Every registered record about ``person`` in ``prefecture`` (None: everywhere), one
    query per holding."""
    if person.is_empty():
        return []
    found = []
    for holding in register.holdings():
        if not person.may_be_in(holding.identified_by):
            continue
        queryset = holding.in_prefecture(holding.about(person), prefecture)
        rows = list(
            queryset.order_by("pk").values(
                "pk", *holding.field_names(), *holding.context, stored=F(holding.stored_at)
            )
        )
        if rows:
            found.append(Found(holding, rows))
    return found


def _shown(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def records(found: list[Found], settings: dict | None = None) -> list[dict]:
    """The disclosure as plain records: where, which record, when stored, every field."""
    out = []
    for item in found:
        model = item.holding.model_class
        for row in item.rows:
            out.append(
                {
                    "where": item.where,
                    "model": item.holding.model,
                    "id": row["pk"],
                    "stored_at": _shown(row["stored"]),
                    "whose": str(item.holding.whose),
                    "purpose": str(item.holding.purpose),
                    "retention": item.holding.retention_text(settings),
                    "record": {path_label(model, p): _shown(row[p]) for p in item.holding.context},
                    "data": {str(f.label): row[f.name] for f in item.holding.fields},
                }
            )
    return out


def as_json(found: list[Found], *, prefecture: str | None, settings: dict | None = None) -> bytes:
    document = {
        "generated_at": timezone.localtime(),
        "prefecture": prefecture,
        "records": records(found, settings),
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def as_xlsx(found: list[Found], settings: dict | None = None) -> bytes:
    """One row per field held: where, which record, when stored, the field and its value."""
    headers = [
        _("Where held"),
        _("Record"),
        _("Stored at"),
        _("About"),
        _("Item"),
        _("Value"),
        _("Purpose"),
        _("Retention"),
    ]
    rows = []
    for record in records(found, settings):
        about = " / ".join(f"{k}: {v}" for k, v in record["record"].items())
        for label, value in record["data"].items():
            rows.append(
                [
                    record["where"],
                    record["id"],
                    record["stored_at"],
                    about,
                    label,
                    value,
                    record["purpose"],
                    record["retention"],
                ]
            )
    buffer = io.BytesIO()
    write_xlsx(headers, rows, buffer, sheet_title=_("Personal data disclosure"))
    return buffer.getvalue()
