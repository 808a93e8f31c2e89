"""What the event pages share: finding an event the user may see or manage, a PDF answer."""

from __future__ import annotations

from urllib.parse import quote

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from ..models import (
    Event,
    Session,
)

IMPORT_SALT = "sasaeai.events.attendance"


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


def _visible_event_or_404(user, pk: int) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(user)
        .with_counts()
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at"))),
        pk=pk,
    )


def _managed_event_or_404(user, pk: int) -> Event:
    return get_object_or_404(
        Event.objects.managed_by(user)
        .with_counts()
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at"))),
        pk=pk,
    )
