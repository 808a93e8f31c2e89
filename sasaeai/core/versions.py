"""Version tokens of the records: a cached figure is stored under the tokens of what it reads,
and every write replaces the token of its app after the commit.

``watch(app_label)`` (called by an app's ``AppConfig.ready``) replaces the app's token after
every save, delete and many-to-many change of its models; bulk writes (``bulk_create``,
``QuerySet.update``, imports, the generator) call ``bump(app_label)`` themselves. Reading the
tokens of any number of apps is one indexed query.
"""

from __future__ import annotations

from uuid import uuid4

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import DataVersion

__all__ = ["bump", "tokens", "watch"]

_WATCHED: set[str] = set()


def _replace(name: str) -> None:
    token = uuid4().hex
    if not DataVersion.objects.filter(name=name).update(token=token):
        DataVersion.objects.update_or_create(name=name, defaults={"token": token})


class _Replacement:
    """The replacement of one name's token, queued on the commit. Every write queues one, but
    only the first of a name in one commit touches the database: the later ones see their
    ``first`` done and skip (a test's captured callbacks run without the first, and run)."""

    __slots__ = ("done", "first", "name")

    def __init__(self, name: str, first: _Replacement | None) -> None:
        self.name, self.first, self.done = name, first, False

    def __call__(self) -> None:
        if self.first is not None and self.first.done:
            return
        self.done = True
        _replace(self.name)


def bump(*names: str) -> None:
    """Replace the tokens of ``names`` once the current transaction commits: one query per
    name and commit, however many rows it writes. The first replacement of each name is
    remembered with the connection's list of commit callbacks, which Django replaces on a
    commit and on a savepoint's rollback, so a dropped callback is never relied on."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        for name in names:
            _replace(name)
        return
    state = getattr(connection, "_sasaeai_versions", None)
    if state is None or state[0] is not connection.run_on_commit:
        state = (connection.run_on_commit, {})
        connection._sasaeai_versions = state
    firsts = state[1]
    for name in names:
        first = firsts.get(name)
        if first is not None and first.done:  # already run (a test's captured callbacks)
            first = None
        replacement = _Replacement(name, first)
        if first is None:
            firsts[name] = replacement
        transaction.on_commit(replacement)


def tokens(*names: str) -> tuple[str, ...]:
    """The current tokens of ``names`` in that order ("-" for a name never written)."""
    found = dict(DataVersion.objects.filter(name__in=names).values_list("name", "token"))
    return tuple(found.get(name, "-") for name in names)


def _changed(sender, **kwargs) -> None:
    if not kwargs.get("raw"):
        bump(sender._meta.app_label)


def watch(app_label: str) -> None:
    """Bump ``app_label``'s token after every single write of its models."""
    if app_label in _WATCHED:
        return
    _WATCHED.add(app_label)
    for model in apps.get_app_config(app_label).get_models():
        uid = f"sasaeai.core.versions:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ":save", weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ":delete", weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _m2m_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}:{field.name}:m2m",
                weak=False,
            )


def _m2m_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_"):
        bump(type(instance)._meta.app_label)
