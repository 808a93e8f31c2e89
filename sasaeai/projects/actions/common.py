"""What the actions share: a date in messages, the prefecture and fiscal years checks."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def _day(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


def _same_prefecture(record, prefecture: str, message: str, code: str = "outside_prefecture"):
    if record is not None and record.prefecture_id != prefecture:
        raise ValidationError(message, code=code)


def _check_years(first: int, last: int | None) -> None:
    if last is not None and last < first:
        raise ValidationError(_("The last fiscal year comes before the first."), code="years")
