from django import template
from django.utils.translation import gettext as _

from ..charts import format_value

register = template.Library()


@register.simple_tag
def kpi_value(value, reading, digits: int = 1) -> str:
    """A figure in the unit of its KPI: 63.2% for a rate, 7 for a count."""
    return format_value(value, is_rate=reading.is_rate, digits=digits)


@register.simple_tag
def kpi_change(value, reading) -> str:
    """A change per month: percentage points for a rate (+1.3 pt), a count with a sign."""
    if value is None:
        return "—"
    if reading.is_rate:
        return _("%(sign)s%(points).2f pt") % {
            "sign": "+" if value >= 0 else "−",
            "points": abs(value) * 100,
        }
    return f"{'+' if value >= 0 else '−'}{abs(value):.2f}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def report_cell(context, value) -> str:
    """A cell of a report's table: a date in the reader's style, a number with separators."""
    import datetime

    from sasaeai.core.templatetags.sasaeai import jdate

    if isinstance(value, datetime.date):
        return jdate(context, value)
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@register.filter
def cell_class(value) -> str:
    """The class of a report's cell: numbers to the right, dates on one line."""
    import datetime

    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "num"
    return ""
