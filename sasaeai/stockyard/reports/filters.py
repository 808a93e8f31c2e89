"""The report's parameters, shared by the page and the workbook so that the workbook holds
exactly what the page showed: a fiscal year (this one by default) or two dates, and a location
or a municipality among those the reader may see."""

from __future__ import annotations

import datetime

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from sasaeai.core.dates import fiscal_year, fiscal_year_label
from sasaeai.core.forms import JapaneseDateField

from .figures import Period

DATE_HELP = _("e.g. 2019-04-01 or H31.3.31")
MAX_YEARS = 5


class ReportForm(forms.Form):
    fy = forms.TypedChoiceField(
        label=_("fiscal year"),
        coerce=int,
        required=False,
        help_text=_("Two dates, when given, take the place of the fiscal year."),
    )
    start = JapaneseDateField(label=_("first day"), required=False, help_text=DATE_HELP)
    end = JapaneseDateField(label=_("last day"), required=False, help_text=DATE_HELP)
    location = forms.TypedChoiceField(
        label=_("location"), coerce=int, required=False, empty_value=None
    )
    municipality = forms.ChoiceField(label=_("municipality"), required=False)

    def __init__(self, data, *, places, years: list[int], today: datetime.date):
        super().__init__(data)
        self.today = today
        self.fields["fy"].choices = [
            (year, f"{fiscal_year_label(year, style='wareki')}（{fiscal_year_label(year)}）")
            for year in years
        ]
        self.fields["location"].choices = [
            ("", _("All locations")),
            *((place.pk, place.name) for place in places),
        ]
        cities = {}
        for place in places:
            city = place.municipality.parent or place.municipality
            cities.setdefault(city.code, city.name)
        self.fields["municipality"].choices = [
            ("", _("All municipalities")),
            *sorted(cities.items()),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if (start is None) != (end is None):
            missing = "end" if end is None else "start"
            self.add_error(missing, _("Enter both dates, or leave both empty for a fiscal year."))
        elif start and end and end < start:
            self.add_error("end", _("The end comes before the start."))
        elif start and end and (end - start).days > 366 * MAX_YEARS:
            self.add_error(
                "end", _("A report covers at most %(years)s years.") % {"years": MAX_YEARS}
            )
        return data

    def period(self) -> Period:
        """The chosen period (call after ``is_valid``)."""
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        return Period.of_fiscal_year(data.get("fy") or fiscal_year(self.today))

    def query(self) -> str:
        """The parameters as a query string, for the workbook's link."""
        query = QueryDict(mutable=True)
        for name in self.fields:
            value = self.data.get(name)
            if value:
                query[name] = value
        return query.urlencode()
