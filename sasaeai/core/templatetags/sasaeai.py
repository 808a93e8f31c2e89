"""Template filters for Japanese dates: one place decides 和暦 or 西暦 for every page."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from sasaeai.core.dates import fiscal_year_label, format_wareki

register = template.Library()


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    return None


def _date_style(context) -> str:
    user = getattr(context.get("request"), "user", None)
    return getattr(user, "date_style", "wareki") if user is not None else "wareki"


@register.simple_tag(takes_context=True)
def jdate(context, value, style: str = "") -> str:
    """A date in the reader's chosen style: 令和元年5月1日 or 2019年5月1日."""
    day = _as_date(value)
    if day is None:
        return ""
    if (style or _date_style(context)) == "western":
        return f"{day.year}年{day.month}月{day.day}日"
    return format_wareki(day)


@register.simple_tag(takes_context=True)
def jdatetime(context, value) -> str:
    """A moment in Asia/Tokyo, in the reader's date style, with hours and minutes."""
    if not isinstance(value, datetime.datetime):
        return ""
    local = timezone.localtime(value)
    return f"{jdate(context, local)} {local:%H:%M}"


@register.simple_tag(takes_context=True)
def fiscal_year(context, year: int) -> str:
    """A fiscal year label: 令和元年度 (和暦) or 2019年度 (西暦)."""
    style = "western" if _date_style(context) == "western" else "wareki"
    return fiscal_year_label(int(year), style=style)


@register.filter
def percent(value, digits: int = 1) -> str:
    """0.7 → "70.0%"; no value (nothing to divide) → "—"."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def bar_width(value) -> str:
    """A 0..1 share as a CSS width for the bars drawn beside the numbers of a table."""
    if value is None or value == "":
        return "0%"
    return f"{max(0.0, min(1.0, float(value))) * 100:.1f}%"


@register.filter
def bar_class(value) -> str:
    """A 0..1 share as the class of a bar's length, ``bar--0`` to ``bar--100`` in whole
    percent: the Content Security Policy allows no style= attribute in a page."""
    if value is None or value == "":
        return "bar--0"
    return f"bar--{round(max(0.0, min(1.0, float(value))) * 100)}"
