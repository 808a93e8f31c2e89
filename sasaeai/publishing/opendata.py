"""The open-data registry: the datasets the public pages offer for download, each with the
view that makes it. Other apps' datasets (activities, cases) are added to ``DATASETS`` where
the project is composed; the licence is CC BY 4.0 unless the center's settings name another
(``Center.settings["open_data_licence"] = {"name": ..., "url": ...}``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DEFAULT_LICENCE = {
    "name": "クリエイティブ・コモンズ 表示 4.0 国際 (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.ja",
}


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise | str
    description: Promise | str
    url_name: str  # the view that serves the file
    format: str = "CSV"
    media_type: str = "text/csv"

    @property
    def url(self) -> str:
        return reverse(self.url_name)


DATASETS: list[Dataset] = [
    Dataset(
        "events",
        _("Public events"),
        _("Trainings, forums and briefings open to the public: dates, venue, organiser."),
        "publishing:opendata-events",
    ),
]


def register(dataset: Dataset) -> None:
    """Add another app's dataset to the open-data page (once)."""
    if all(d.slug != dataset.slug for d in DATASETS):
        DATASETS.append(dataset)


def licence(center) -> dict:
    """The licence of the center's open data: its own setting, else CC BY 4.0."""
    chosen = (center.settings or {}).get("open_data_licence") if center else None
    if isinstance(chosen, str):
        return {"name": chosen, "url": ""}
    return chosen or DEFAULT_LICENCE


def csv_bytes(header: list[str], rows: Iterable[list]) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Japanese headers as they are."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


EVENT_HEADER = [
    "イベントID",
    "名称",
    "種別",
    "対象",
    "主催",
    "開始日時",
    "終了日時",
    "会場",
    "回数",
    "定員",
    "年度",
    "状態",
    "ページURL",
]


def public_events(prefecture: str):
    """Published (or cancelled, which the public must learn of) public events of a
    prefecture, with their first start, last end and first venue (one query)."""
    from sasaeai.events.models import Audience, Event, EventStatus

    return (
        Event.objects.in_prefecture(prefecture)
        .filter(audience=Audience.PUBLIC, status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
        .annotate(
            first_start=Min("sessions__starts_at"),
            last_end=Max("sessions__ends_at"),
            venue=Min("sessions__venue"),
            session_count=Max("sessions__number"),
        )
        .order_by("first_start", "pk")
    )


def events_csv(prefecture: str) -> bytes:
    """The events dataset: one row per public event, Japanese headers."""

    def local(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S%z") if moment else ""

    rows = (
        [
            event.pk,
            event.title,
            event.get_kind_display(),
            event.get_audience_display(),
            event.organiser,
            local(event.first_start),
            local(event.last_end),
            event.venue or "",
            event.session_count or 0,
            event.capacity if event.capacity is not None else "",
            event.fiscal_year,
            event.get_status_display(),
            settings.SASAEAI_SITE_URL + reverse("events:event-detail", args=[event.pk]),
        ]
        for event in public_events(prefecture)
    )
    with translation.override("ja"):  # open data is in Japanese, whatever the visitor chose
        return csv_bytes(EVENT_HEADER, rows)
