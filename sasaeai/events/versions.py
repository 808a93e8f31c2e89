"""Version tokens per fiscal year of the events' records (``core.versions``): the plan's
yearly counts (events held, participants) of a fiscal year read only that year's events, so a
write bumps the token of the year it touches and the other years' figures stay cached. Every
single write arrives here through signals; ``actions.set_attendance`` (a bulk insert) calls
``bump_year`` itself, as must any other bulk write."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from sasaeai.core.versions import bump

from .models import Attendance, Event, Registration, Session


def year_version(fiscal_year: int) -> str:
    return f"events-fy{fiscal_year}"


def bump_year(*fiscal_years: int | None) -> None:
    bump(*sorted({year_version(year) for year in fiscal_years if year is not None}))


def _year_of_event(event_id) -> int | None:
    return Event.objects.filter(pk=event_id).values_list("fiscal_year", flat=True).first()


def _event_saving(sender, instance: Event, raw=False, **kwargs) -> None:
    """An event moved to another fiscal year changes the figures of the year it left."""
    instance._fiscal_year_before = (
        None if raw or instance.pk is None else _year_of_event(instance.pk)
    )


def _event_changed(sender, instance: Event, raw=False, **kwargs) -> None:
    if not raw:
        bump_year(instance.fiscal_year, getattr(instance, "_fiscal_year_before", None))


def _session_saving(sender, instance: Session, raw=False, **kwargs) -> None:
    before = None
    if not raw and instance.pk is not None:
        before = Session.objects.filter(pk=instance.pk).values_list("event_id", flat=True).first()
    instance._event_before = before


def _session_changed(sender, instance: Session, raw=False, **kwargs) -> None:
    if raw:
        return
    events = {instance.event_id, getattr(instance, "_event_before", None)} - {None}
    bump_year(*(_year_of_event(event_id) for event_id in events))


def _registration_changed(sender, instance: Registration, raw=False, **kwargs) -> None:
    if not raw:
        bump_year(_year_of_event(instance.event_id))


def _attendance_changed(sender, instance: Attendance, raw=False, **kwargs) -> None:
    if raw:
        return
    year = (
        Session.objects.filter(pk=instance.session_id)
        .values_list("event__fiscal_year", flat=True)
        .first()
    )
    bump_year(year)


def connect() -> None:
    uid = "sasaeai.events.versions"
    pre_save.connect(_event_saving, sender=Event, dispatch_uid=f"{uid}:event:pre")
    pre_save.connect(_session_saving, sender=Session, dispatch_uid=f"{uid}:session:pre")
    for model, handler in (
        (Event, _event_changed),
        (Session, _session_changed),
        (Registration, _registration_changed),
        (Attendance, _attendance_changed),
    ):
        name = model._meta.model_name
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}:{name}:save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}:{name}:delete")
