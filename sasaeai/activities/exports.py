"""The activities as one flat table: the staff's Excel export and the open-data CSV share it
(Japanese headers: what the offices and residents read)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from django.http import FileResponse
from django.utils import timezone

from sasaeai.core.tabular import write_xlsx
from sasaeai.members.filters import today_in_japan
from sasaeai.members.io_views import content_disposition

HEADERS = (
    "活動ID", "活動名", "概要", "実施主体", "実施主体の種類", "法人番号", "市区町村コード",
    "市区町村", "会場", "郵便番号", "住所", "緯度", "経度", "日程", "曜日", "開始時刻",
    "終了時刻", "日程の備考", "対象", "テーマ", "費用", "参加方法・紹介方法", "電話", "メール",
    "連携先", "開始日", "終了日", "最終更新",
)  # fmt: skip
STAFF_HEADERS = (*HEADERS, "状態", "公開範囲", "差し戻し理由")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _owner(activity) -> tuple[str, str, str]:
    if activity.corporation_id:
        return activity.corporation.name, "社会福祉法人", activity.corporation.corporate_number
    return str(activity.network), "市町村域ネットワーク", ""


def _time(value) -> str:
    return value.strftime("%H:%M") if value else ""


def flat_row(activity) -> list[object]:
    """One activity as the flat table's row (themes prefetched)."""
    owner, owner_kind, corporate_number = _owner(activity)
    return [
        activity.pk, activity.title, activity.description, owner, owner_kind, corporate_number,
        activity.municipality_id, activity.municipality.name, activity.venue,
        activity.postal_code, activity.address,
        float(activity.latitude) if activity.latitude is not None else None,
        float(activity.longitude) if activity.longitude is not None else None,
        activity.schedule_text, "・".join(activity.weekday_labels), _time(activity.start_time),
        _time(activity.end_time), activity.schedule_note, "・".join(activity.target_labels),
        "・".join(theme.name for theme in activity.themes.all()), activity.cost,
        activity.how_to_join, activity.contact_phone, activity.contact_email, activity.partners,
        activity.started_on, activity.ended_on, timezone.localtime(activity.updated_at),
    ]  # fmt: skip


def with_owners(activities):
    return activities.select_related("municipality", "corporation", "network").prefetch_related(
        "themes"
    )


def flat_rows(activities) -> Iterator[list[object]]:
    for activity in with_owners(activities).iterator(chunk_size=2000):
        yield flat_row(activity)


def staff_rows(activities) -> Iterator[list[object]]:
    for activity in with_owners(activities).iterator(chunk_size=2000):
        yield [
            *flat_row(activity),
            activity.get_state_display(),
            activity.get_visibility_display(),
            activity.returned_reason,
        ]


def xlsx_response(activities) -> FileResponse:
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_xlsx(STAFF_HEADERS, staff_rows(activities), target, sheet_title="地域公益活動")
    target.seek(0)
    response = FileResponse(target, content_type=XLSX)
    today = today_in_japan().isoformat()
    response["Content-Disposition"] = content_disposition(
        f"activities-{today}.xlsx", f"地域公益活動-{today}.xlsx"
    )
    return response
