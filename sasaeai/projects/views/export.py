"""The model projects a page lists, as an Excel sheet."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.http import HttpResponse

from sasaeai.core.access import public
from sasaeai.core.dates import fiscal_year_label
from sasaeai.core.tabular import write_xlsx
from sasaeai.members.filters import today_in_japan

from .. import queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@public
def project_export(request):
    """The model projects the page lists, as an Excel sheet."""
    prefecture = queries.home_prefecture(request.user)
    projects = queries.projects_of(request.user, prefecture).prefetch_related(
        "sites__corporation", "sites__network"
    )
    headers = ["テーマ", "事業名", "開始年度", "終了年度", "状況", "指定先", "目標"]
    rows = (
        [
            f"{p.theme.code} {p.theme.name}",
            p.title,
            fiscal_year_label(p.first_fiscal_year, style="wareki"),
            fiscal_year_label(p.last_fiscal_year, style="wareki"),
            p.get_status_display(),
            "・".join(str(s.holder) for s in p.sites.all() if s.ended_on is None),
            p.goals,
        ]
        for p in projects
    )
    buffer = io.BytesIO()
    write_xlsx(headers, rows, buffer, sheet_title="モデル事業")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"model-projects-{prefecture}-{today_in_japan():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
