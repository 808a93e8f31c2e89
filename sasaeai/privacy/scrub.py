"""Taking erased values out of the audit log: the entries stay (who did what, when), the
personal values in their representation and changes become 匿名."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from sasaeai.core.privacy import ANONYMOUS, Holding

# Values too short or only digits (ages, sizes) would match inside unrelated text.
_TOO_PLAIN = re.compile(r"[\d\s,、.]*")


def _pattern(values: Iterable[str]) -> re.Pattern | None:
    words = sorted(
        {v for v in values if isinstance(v, str) and len(v) >= 2 and not _TOO_PLAIN.fullmatch(v)},
        key=len,
        reverse=True,
    )
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def _scrub(value, pattern: re.Pattern | None, fields: set[str]):
    if isinstance(value, dict):
        return {
            key: _blank(item) if key in fields else _scrub(item, pattern, fields)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_scrub(item, pattern, fields) for item in value]
    if isinstance(value, str) and pattern is not None:
        return pattern.sub(ANONYMOUS, value)
    return value


def _blank(value):
    """A personal field's logged values: every text becomes 匿名 (None stays None)."""
    if isinstance(value, list):
        return [_blank(item) for item in value]
    if isinstance(value, str) and value not in ("", "None"):
        return ANONYMOUS
    return value


def _entries(holding: Holding, pks: list[int]):
    model = holding.model_class
    targets = [(model, pks)]
    for label, path in holding.audit_children:
        child = apps.get_model(label)
        targets.append(
            (child, list(child.objects.filter(**{f"{path}__in": pks}).values_list("pk", flat=True)))
        )
    for target, ids in targets:
        if ids:
            content_type = ContentType.objects.get_for_model(target)
            yield from LogEntry.objects.filter(content_type=content_type, object_id__in=ids)


def scrub_audit(holding: Holding, pks: list[int], values: Iterable[str]) -> int:
    """Scrub the entries of the erased rows (and of the rows that repeat them); returns how
    many entries were changed."""
    pattern = _pattern(values)
    fields = set(holding.field_names())
    changed = []
    for entry in _entries(holding, pks):
        entry.object_repr = _scrub(entry.object_repr, pattern, fields)
        entry.changes = _scrub(entry.changes, pattern, fields)
        entry.changes_text = _scrub(entry.changes_text, pattern, fields)
        entry.serialized_data = _scrub(entry.serialized_data, pattern, fields)
        entry.additional_data = _scrub(entry.additional_data, pattern, fields)
        changed.append(entry)
    LogEntry.objects.bulk_update(
        changed,
        ["object_repr", "changes", "changes_text", "serialized_data", "additional_data"],
        batch_size=500,
    )
    if holding.model_class._meta.label == settings.AUTH_USER_MODEL:
        # What the erased user did stays attributed to the (anonymised) account.
        LogEntry.objects.filter(actor_id__in=pks).update(actor_email="", remote_addr=None)
    return len(changed)
