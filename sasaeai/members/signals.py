"""Housekeeping only: a saved or deleted record of the registry replaces the version token
under which the membership figures are cached."""

from django.db import transaction


def registry_changed(sender, **kwargs) -> None:
    from .kpis import bump_registry_version

    transaction.on_commit(bump_registry_version)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Corporation, Council, Facility, MembershipEvent

    for model in (Corporation, Facility, Council, MembershipEvent):
        post_save.connect(registry_changed, sender=model, dispatch_uid=f"figures-{model.__name__}")
        post_delete.connect(
            registry_changed, sender=model, dispatch_uid=f"figures-del-{model.__name__}"
        )
