"""Forms read what people type; the actions decide and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sasaeai.core.dates import JapaneseDateError, parse_japanese_date
from sasaeai.core.forms import JapaneseDateField
from sasaeai.projects.models import Theme
from sasaeai.regions.models import Municipality

from . import schedule as schedules
from .actions import ActivityFields
from .models import Activity, ReviewState, TargetGroup, Visibility, unpack
from .queries import WEEKDAY_CHOICES

DATE_HELP = _("e.g. 2019-04-01 or R1.5.1")
KIND_CHOICES = [
    (schedules.WEEKLY, _("every week (or every few weeks) on given days")),
    (schedules.MONTHLY_NTH, _("every month on the nth weekday (e.g. the 2nd Saturday)")),
    (schedules.MONTHLY_DAY, _("every month on a day of the month")),
    (schedules.DATES, _("on a list of dates")),
]
NTH_CHOICES = [("1", "第1"), ("2", "第2"), ("3", "第3"), ("4", "第4"), ("5", "第5"), ("-1", "最終")]


class ActivityForm(forms.Form):
    owner = forms.ChoiceField(label=_("run by"))
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        label=_("themes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    targets = forms.MultipleChoiceField(
        label=_("for whom"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("municipality")
    )
    venue = forms.CharField(label=_("venue"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("postal code"), max_length=8, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("longitude"), max_digits=9, decimal_places=6, required=False
    )
    kind = forms.ChoiceField(label=_("repeats"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    weekdays = forms.MultipleChoiceField(
        label=_("days of the week"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interval = forms.IntegerField(
        label=_("every how many weeks"), min_value=1, max_value=4, initial=1, required=False
    )
    nth = forms.TypedChoiceField(
        label=_("which weekday of the month"), choices=NTH_CHOICES, coerce=int, required=False
    )
    day = forms.IntegerField(label=_("day of the month"), required=False)
    dates = forms.CharField(
        label=_("dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One date per line."),
    )
    starts_on = JapaneseDateField(label=_("schedule from"), help_text=DATE_HELP)
    until = JapaneseDateField(label=_("schedule until"), required=False, help_text=DATE_HELP)
    start_time = forms.TimeField(label=_("start time"), required=False)
    end_time = forms.TimeField(label=_("end time"), required=False)
    schedule_note = forms.CharField(label=_("note on the schedule"), max_length=200, required=False)
    cost = forms.CharField(label=_("cost"), max_length=200, required=False)
    how_to_join = forms.CharField(
        label=_("how to join or refer someone"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_phone = forms.CharField(label=_("contact phone"), max_length=20, required=False)
    contact_email = forms.EmailField(label=_("contact email"), required=False)
    partners = forms.CharField(
        label=_("partners"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    started_on = JapaneseDateField(label=_("started on"), required=False, help_text=DATE_HELP)
    ended_on = JapaneseDateField(label=_("ended on"), required=False, help_text=DATE_HELP)
    visibility = forms.ChoiceField(label=_("visibility"), choices=Visibility.choices)

    def __init__(self, *args, prefecture: str, corporations, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.in_prefecture(prefecture).filter(active=True)
        self.fields["municipality"].queryset = (
            Municipality.objects.of_prefecture(prefecture).without_wards().active()
        )
        self._owners = {f"corporation:{c.pk}": c for c in corporations} | {
            f"network:{n.pk}": n for n in networks
        }
        self.fields["owner"].choices = [(key, str(owner)) for key, owner in self._owners.items()]

    def clean_dates(self):
        found = []
        for number, line in enumerate(self.cleaned_data["dates"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                found.append(parse_japanese_date(line.strip()).value)
            except JapaneseDateError as error:
                raise ValidationError(
                    _("Line %(line)d: %(message)s"),
                    params={"line": number, "message": str(error)},
                ) from None
        return found

    def owner_object(self):
        return self._owners[self.cleaned_data["owner"]]

    def schedule(self) -> schedules.Schedule:
        data = self.cleaned_data
        return schedules.Schedule(
            kind=data["kind"],
            starts_on=data["starts_on"],
            weekdays=tuple(int(day) for day in data["weekdays"]),
            interval=data.get("interval") or 1,
            nth=data.get("nth"),
            day=data.get("day"),
            dates=tuple(data.get("dates") or ()),
            until=data.get("until"),
            start_time=data.get("start_time"),
            end_time=data.get("end_time"),
            note=data.get("schedule_note") or "",
        )

    def fields_data(self) -> ActivityFields:
        data = self.cleaned_data
        return ActivityFields(
            title=data["title"],
            municipality=data["municipality"],
            schedule=self.schedule(),
            description=data["description"],
            themes=list(data["themes"]),
            venue=data["venue"],
            postal_code=data["postal_code"],
            address=data["address"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            targets=list(data["targets"]),
            cost=data["cost"],
            how_to_join=data["how_to_join"],
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
            partners=data["partners"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            visibility=data["visibility"],
        )


def initial_of(activity: Activity) -> dict:
    """The form's initial values for an activity being edited."""
    schedule = activity.schedule
    owner = (
        f"corporation:{activity.corporation_id}"
        if activity.corporation_id
        else f"network:{activity.network_id}"
    )
    return {
        "owner": owner,
        "title": activity.title,
        "description": activity.description,
        "themes": list(activity.themes.values_list("pk", flat=True)),
        "targets": unpack(activity.targets),
        "municipality": activity.municipality_id,
        "venue": activity.venue,
        "postal_code": activity.postal_code,
        "address": activity.address,
        "latitude": activity.latitude,
        "longitude": activity.longitude,
        "kind": schedule.kind,
        "weekdays": [str(day) for day in schedule.weekdays],
        "interval": schedule.interval,
        "nth": schedule.nth,
        "day": schedule.day,
        "dates": "\n".join(day.isoformat() for day in schedule.dates),
        "starts_on": schedule.starts_on,
        "until": schedule.until,
        "start_time": activity.start_time,
        "end_time": activity.end_time,
        "schedule_note": activity.schedule_note,
        "cost": activity.cost,
        "how_to_join": activity.how_to_join,
        "contact_phone": activity.contact_phone,
        "contact_email": activity.contact_email,
        "partners": activity.partners,
        "started_on": activity.started_on,
        "ended_on": activity.ended_on,
        "visibility": activity.visibility,
    }


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ManageFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"), choices=[("", _("all")), *ReviewState.choices], required=False
    )
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("municipality"), required=False
    )
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), label=_("theme"), required=False)

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = (
            Municipality.objects.of_prefecture(prefecture).without_wards().active()
        )
        self.fields["theme"].queryset = Theme.objects.in_prefecture(prefecture)
