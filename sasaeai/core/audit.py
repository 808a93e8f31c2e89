"""Who changed what, when: every domain model is registered with django-auditlog here.

The actor comes from ``AuditlogMiddleware`` for web requests; actions run from commands and
tasks set it with ``auditlog.context.set_actor``.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models import Model, QuerySet


def register_for_audit(model: type[Model], *, exclude_fields: list[str] | None = None) -> None:
    """Record every create, update and delete of ``model``."""
    if not auditlog.contains(model):
        auditlog.register(model, exclude_fields=exclude_fields or [])


def history_of(instance: Model) -> QuerySet[LogEntry]:
    """The audit entries of one record, newest first, with their actors."""
    return LogEntry.objects.get_for_object(instance).select_related("actor").order_by("-timestamp")


def record_access(instance: Model, *, actor=None, what: str = "") -> LogEntry:
    """Record that ``actor`` viewed the personal data of ``instance`` (what: which page or
    export), as an ACCESS entry of the audit log (個人情報の閲覧記録)."""
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        additional_data={"viewed": what} if what else None,
    )


def record_accesses(instances, *, actor=None, what: str = "") -> list[LogEntry]:
    """``record_access`` for every record a list shows, in one INSERT (a page of an API list
    keeps its constant number of queries). The request's address comes from auditlog's
    context, as ``log_create`` would take it."""
    from auditlog.cid import get_cid
    from auditlog.context import auditlog_value
    from django.contrib.contenttypes.models import ContentType
    from django.utils.encoding import smart_str

    context = auditlog_value.get({})
    known = getattr(actor, "is_authenticated", False)
    entries = [
        LogEntry(
            content_type=ContentType.objects.get_for_model(instance),
            object_pk=str(instance.pk),
            object_id=instance.pk if isinstance(instance.pk, int) else None,
            object_repr=smart_str(instance),
            action=LogEntry.Action.ACCESS,
            actor=actor if known else None,
            additional_data={"viewed": what} if what else None,
            cid=get_cid(),
            remote_addr=context.get("remote_addr"),
        )
        for instance in instances
    ]
    return LogEntry.objects.bulk_create(entries)
