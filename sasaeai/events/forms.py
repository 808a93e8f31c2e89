from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.core.dates import JapaneseDateError, parse_japanese_date
from sasaeai.core.forms import JapaneseDateField
from sasaeai.core.text import normalize_text
from sasaeai.core.uploads import MAX_BYTES, CheckedFileField
from sasaeai.projects.models import Theme

from .actions import SessionData
from .models import Audience, Event, EventKind

DATE_HELP = _("e.g. 2019-06-15 or R1.6.15")
_TIMES = re.compile(r"^(\d{1,2}):(\d{2})\s*[-~〜]\s*(\d{1,2}):(\d{2})$")


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def parse_sessions(text: str) -> list[SessionData]:
    """One session a line: ``R1.6.15 13:00-16:00 岡山県総合福祉会館`` (venue or an online link
    optional); a message names the line that cannot be read."""
    sessions = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = normalize_text(raw)
        if not line:
            continue
        parts = line.split(" ", 2)
        if len(parts) < 2:
            raise ValidationError(
                _("Line %(line)s: write the date, then the times like 13:00-16:00."),
                params={"line": number},
            )
        try:
            day = parse_japanese_date(parts[0]).value
        except JapaneseDateError as error:
            raise ValidationError(
                _("Line %(line)s: %(error)s"), params={"line": number, "error": error}
            ) from None
        times = _TIMES.match(parts[1])
        if not times:
            raise ValidationError(
                _("Line %(line)s: write the times like 13:00-16:00."), params={"line": number}
            )
        h1, m1, h2, m2 = (int(value) for value in times.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValidationError(_("Line %(line)s: no such time."), params={"line": number})
        place = parts[2] if len(parts) > 2 else ""
        online = place if place.startswith(("http://", "https://")) else ""
        sessions.append(
            SessionData(
                starts_at=_at(day, h1, m1),
                ends_at=_at(day, h2, m2),
                venue="" if online else place,
                online_url=online,
            )
        )
    return sessions


def _end_of(day: datetime.date | None) -> datetime.datetime | None:
    return _at(day, 23, 59) if day else None


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    pillar = forms.ChoiceField(label=_("pillar"), choices=Event._meta.get_field("pillar").choices)
    themes = forms.ModelMultipleChoiceField(
        label=_("themes between systems"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("keywords"), required=False, help_text=_("Separate with commas or 、.")
    )
    organiser = forms.CharField(label=_("organiser"), max_length=200, required=False)
    audience = forms.ChoiceField(label=_("audience"), choices=Audience.choices)
    sessions = forms.CharField(
        label=_("sessions"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One a line: date, times, venue or online link (e.g. R1.6.15 13:00-16:00 会館)."
        ),
    )
    capacity = forms.IntegerField(label=_("capacity"), min_value=1, required=False)
    per_organisation_limit = forms.IntegerField(
        label=_("limit per organisation"), min_value=1, required=False
    )
    registration_opens = JapaneseDateField(
        label=_("registration opens"), required=False, help_text=DATE_HELP
    )
    registration_closes = JapaneseDateField(
        label=_("registration deadline"), required=False, help_text=DATE_HELP
    )
    cancellation_cutoff = JapaneseDateField(
        label=_("cancellation possible until"), required=False, help_text=DATE_HELP
    )
    completion_min_sessions = forms.IntegerField(
        label=_("sessions needed to complete"), min_value=1, required=False
    )
    reminder_days = forms.IntegerField(
        label=_("reminder, days before"), min_value=0, max_value=60, initial=3
    )

    def __init__(self, *args, prefecture: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(prefecture_id=prefecture, active=True)

    def clean_sessions(self):
        return parse_sessions(self.cleaned_data["sessions"])

    def clean_tags(self):
        text = normalize_text(self.cleaned_data["tags"])
        return [tag.strip() for tag in re.split(r"[,、]", text) if tag.strip()]

    def event_fields(self) -> dict:
        data = self.cleaned_data
        opens = data.get("registration_opens")
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "pillar": data["pillar"],
            "tags": data["tags"],
            "themes": list(data.get("themes") or []),
            "organiser": data["organiser"],
            "audience": data["audience"],
            "capacity": data.get("capacity"),
            "per_organisation_limit": data["per_organisation_limit"],
            "registration_opens_at": _at(opens, 0, 0) if opens else None,
            "registration_closes_at": _end_of(data.get("registration_closes")),
            "cancellation_cutoff": _end_of(data.get("cancellation_cutoff")),
            "completion_min_sessions": data["completion_min_sessions"],
            "reminder_days": data["reminder_days"],
        }


class PublicRegistrationForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    affiliation = forms.CharField(label=_("affiliation"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("email"), help_text=_("The confirmation with a link to cancel goes here.")
    )


class StaffRegistrationForm(forms.Form):
    name = forms.CharField(label=_("name of the person attending"), max_length=100)
    email = forms.EmailField(label=_("email"), required=False)
    organisation = forms.ChoiceField(label=_("organisation"))

    def __init__(self, *args, organisations: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("capacity"), min_value=1, required=False)


class CancelEventForm(forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=500)


SCALE = [(n, str(n)) for n in range(5, 0, -1)]


class EvaluationForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("overall satisfaction (5 = very good)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    usefulness = forms.TypedChoiceField(
        label=_("useful for your work (5 = very useful)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class UploadForm(forms.Form):
    file = CheckedFileField(kind="table", max_bytes=MAX_BYTES, label=_("Excel or CSV file"))


class EventEditForm(EventForm):
    """The event's details after creation: capacity has its own form (it moves people
    between the waitlist and the seats); sessions are only added here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["capacity"]
        self.fields["sessions"].required = False
        self.fields["sessions"].label = _("add sessions")

    @classmethod
    def initial_of(cls, event: Event) -> dict:
        local = timezone.localtime
        return {
            "kind": event.kind,
            "title": event.title,
            "description": event.description,
            "pillar": event.pillar,
            "tags": "、".join(event.tags),
            "themes": list(event.themes.all()),
            "organiser": event.organiser,
            "audience": event.audience,
            "per_organisation_limit": event.per_organisation_limit,
            "registration_opens": local(event.registration_opens_at).date()
            if event.registration_opens_at
            else None,
            "registration_closes": local(event.registration_closes_at).date()
            if event.registration_closes_at
            else None,
            "cancellation_cutoff": local(event.cancellation_cutoff).date()
            if event.cancellation_cutoff
            else None,
            "completion_min_sessions": event.completion_min_sessions,
            "reminder_days": event.reminder_days,
        }

    def event_fields(self) -> dict:
        fields = super().event_fields()
        fields.pop("capacity")
        return fields
