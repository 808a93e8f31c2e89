"""What the casebook gives out as files: the yearly casebook PDF, the open-data CSV of
published cases (Japanese headers, UTF-8 with BOM) and the staff's Excel list.

The PDF is rendered as ``core.pdf.render_pdf`` renders (WeasyPrint, IPAex fonts, no network),
photos inlined as ``data:`` URLs scaled down so that the book stays small. ``core.pdf``'s
fetcher accepts ``data:`` URLs only.
"""

from __future__ import annotations

import base64
import io

from django.urls import reverse

from sasaeai.core.dates import fiscal_year_label
from sasaeai.core.pdf import render_pdf
from sasaeai.core.tabular import stream_csv, write_xlsx

from .models import Case

PHOTO_BOX = (1200, 900)

OPEN_DATA_HEADERS = [
    "事例ID",
    "タイトル",
    "概要",
    "きっかけ",
    "取組内容",
    "連携先",
    "費用・財源",
    "成果",
    "工夫・課題",
    "テーマ",
    "実施主体",
    "都道府県コード",
    "市区町村コード",
    "市区町村名",
    "年度",
    "公開日",
    "URL",
]

STAFF_HEADERS = ["事例ID", "タイトル", "実施主体", "市区町村", "年度", "テーマ", "状況", "更新日時"]


def _themes(case: Case) -> str:
    return "・".join(theme.name for theme in case.themes.all())


def open_data_rows(cases, *, base_url: str):
    for case in cases:
        path = reverse("casebook:case-detail", args=[case.pk])
        yield [
            case.pk,
            case.title,
            case.summary,
            case.background,
            case.activities,
            case.partners,
            case.costs,
            case.results,
            case.lessons,
            _themes(case),
            str(case.owner),
            case.prefecture_id,
            case.municipality_id,
            case.municipality.name,
            case.fiscal_year,
            case.published_at.date() if case.published_at else None,
            base_url + path,
        ]


def open_data_csv(cases, *, base_url: str) -> bytes:
    return b"".join(stream_csv(OPEN_DATA_HEADERS, open_data_rows(cases, base_url=base_url)))


def staff_workbook(cases) -> bytes:
    rows = (
        [
            case.pk,
            case.title,
            str(case.owner),
            case.municipality.name,
            case.fiscal_year,
            _themes(case),
            case.get_status_display(),
            case.updated_at,
        ]
        for case in cases
    )
    buffer = io.BytesIO()
    write_xlsx(STAFF_HEADERS, rows, buffer, sheet_title="事例")
    return buffer.getvalue()


def _render_pdf(template_name: str, context: dict) -> bytes:
    """``core.pdf.render_pdf`` without a request."""
    return render_pdf(template_name, context)


def _inline(photo) -> str | None:
    """The photo as a ``data:`` URL of a JPEG at most ``PHOTO_BOX``; ``None`` if unreadable."""
    from PIL import Image

    try:
        with photo.image.open("rb") as handle, Image.open(handle) as image:
            image = image.convert("RGB")
            image.thumbnail(PHOTO_BOX)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=80)
    except (OSError, ValueError):
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def casebook_pdf(*, fiscal_year: int, cases, center=None) -> bytes:
    """The yearly casebook: cover, table of contents, one section per case with its photos."""
    from .queries import shown_photos

    sections = []
    for number, case in enumerate(cases, 1):
        photos = [(photo, _inline(photo)) for photo in shown_photos(case)]
        sections.append(
            {
                "number": number,
                "case": case,
                "photos": [(photo, url) for photo, url in photos if url],
            }
        )
    return _render_pdf(
        "casebook/pdf/casebook.html",
        {
            "year_label": fiscal_year_label(fiscal_year, style="wareki"),
            "fiscal_year": fiscal_year,
            "sections": sections,
            "center": center,
        },
    )
