from django import template

from ..charts import format_value

register = template.Library()


@register.simple_tag
def kpi_value(value, reading, digits: int = 1) -> str:
    """A figure in the unit of its KPI: 63.2% for a rate, 7 for a count."""
    return format_value(value, is_rate=reading.is_rate, digits=digits)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
