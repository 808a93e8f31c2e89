"""Form fields for the way Japanese offices write things."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from sasaeai.core.dates import JapaneseDateError, parse_japanese_date


class JapaneseDateField(forms.DateField):
    """A date typed as 2019-04-01, 2019/4/1, H31.4.1, 平成31年4月1日, R1.5.1 or 令和元年5月1日."""

    widget = forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Enter a date, for example H29.10.10, 平成29年10月10日, R1.5.1 or 2019-04-01.")
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_japanese_date(str(value)).value
        except JapaneseDateError as error:
            raise forms.ValidationError(
                error.message, code=error.code, params=error.params
            ) from None

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value
