"""Charts of a target over time as inline SVG drawn on the server: no script, no request,
the same drawing on the dashboard and in the PDF. The figures are always also in a table
beside the chart (the templates put it there); the SVG carries a title and description."""

from __future__ import annotations

import datetime
import math
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .measuring import Reading

ACTUAL = "#0017c1"  # design tokens: blue 900 (contrast ≥ 7:1 on white)
FORECAST = "#6b4b00"
TARGET = "#b30000"
GRID = "#d8d8db"
TEXT = "#1a1a1c"


def format_value(value: float | None, *, is_rate: bool, digits: int = 1) -> str:
    if value is None:
        return "—"
    if is_rate:
        return f"{value * 100:.{digits}f}%"
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.{digits}f}"


def _x_range(reading: Reading) -> tuple[datetime.date, datetime.date]:
    days = [p.on for p in reading.series]
    if reading.deadline:
        days.append(reading.deadline)
    if reading.evaluated_on:
        days.append(reading.evaluated_on)
    return min(days), max(days)


def line_chart(
    reading: Reading, *, width: int = 480, height: int = 200, dom_id: str = ""
) -> SafeString:
    """The values month by month (solid), the forecast to the deadline (dashed), the target
    (a horizontal red line) and the deadline (a vertical line)."""
    points = [p for p in reading.series if p.value is not None]
    if not points:
        return mark_safe("")
    left, right, top, bottom = 52, 12, 14, 26
    first, last = _x_range(reading)
    span = max(1, (last - first).days)
    values = [p.value for p in points]
    if reading.target is not None:
        values.append(reading.target)
    # Counts: a top that four gridlines divide into whole numbers (0, 1, 2, 3, 4 at least).
    high = 1.0 if reading.is_rate else 4.0 * math.ceil(max(1.0, max(values) * 1.1) / 4)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: datetime.date) -> float:
        return left + plot_w * (day - first).days / span

    def y(value: float) -> float:
        return top + plot_h * (1 - value / high)

    title = escape(reading.label)
    desc = escape(
        _("%(label)s from %(first)s to %(last)s; the table below gives every figure.")
        % {"label": reading.label, "first": first.isoformat(), "last": last.isoformat()}
    )
    ident = escape(dom_id or f"chart-{reading.code}")
    parts = [
        f'<svg class="plan-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{title}</title><desc id="{ident}-d">{desc}</desc>',
    ]
    for step in range(5):
        value = high * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="10" '
            f'fill="{TEXT}">{escape(format_value(value, is_rate=reading.is_rate, digits=0))}</text>'
        )
    for year in range(
        first.year + (first.month > 4 or (first.month == 4 and first.day > 1)), last.year + 1
    ):
        start = datetime.date(year, 4, 1)
        if first <= start <= last:
            parts.append(
                f'<line x1="{x(start):.1f}" x2="{x(start):.1f}" y1="{top}" y2="{height - bottom}" '
                f'stroke="{GRID}" stroke-width="1"/>'
                f'<text x="{x(start) + 2:.1f}" y="{height - 8}" font-size="10" fill="{TEXT}">'
                f"{year}</text>"
            )
    if reading.target is not None:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(reading.target):.1f}" '
            f'y2="{y(reading.target):.1f}" stroke="{TARGET}" stroke-width="1.5" '
            f'stroke-dasharray="6 3"/>'
        )
    if reading.deadline and first <= reading.deadline <= last:
        parts.append(
            f'<line x1="{x(reading.deadline):.1f}" x2="{x(reading.deadline):.1f}" y1="{top}" '
            f'y2="{height - bottom}" stroke="{TARGET}" stroke-width="1.5"/>'
        )
    actual = [p for p in points if not p.forecast]
    forecast = [p for p in points if p.forecast]
    for line, colour, dash in (
        (actual, ACTUAL, ""),
        (forecast, FORECAST, ' stroke-dasharray="4 3"'),
    ):
        if len(line) >= 2:
            path = " ".join(f"{x(p.on):.1f},{y(p.value):.1f}" for p in line)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
            )
        elif line:
            p = line[0]
            parts.append(
                f'<circle cx="{x(p.on):.1f}" cy="{y(p.value):.1f}" r="3" fill="{colour}"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
