"""Forms read what people type; the actions decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sasaeai.core.dates import JapaneseDateError, parse_fiscal_year
from sasaeai.core.forms import JapaneseDateField
from sasaeai.core.uploads import DOCUMENT_MAX_BYTES, CheckedFileField
from sasaeai.members.models import Corporation, Council
from sasaeai.networks.models import MunicipalNetwork

from .models import (
    CommitteeMember,
    DocumentKind,
    PartnerKind,
    ProjectStatus,
    Theme,
)

DATE_HELP = _("e.g. 2019-04-01 or H31.3.31")
FY_HELP = _("e.g. 2019, H31 or R1")


class FiscalYearField(forms.Field):
    """A fiscal year typed as 2019, H31, 令和元年度 or FY2019."""

    widget = forms.TextInput(attrs={"size": 8, "maxlength": 12, "autocomplete": "off"})

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", FY_HELP)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return parse_fiscal_year(str(value))
        except JapaneseDateError as error:
            raise ValidationError(error.message, code=error.code, params=error.params) from None

    def prepare_value(self, value):
        return str(value) if isinstance(value, int) else value


def themes_for(prefecture: str):
    return Theme.objects.in_prefecture(prefecture).filter(active=True)


class ThemeForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=20, help_text=_("e.g. T05"))
    name = forms.CharField(label=_("name"), max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    order = forms.IntegerField(label=_("order"), min_value=0, initial=0)
    active = forms.BooleanField(label=_("in use"), required=False, initial=True)


class ModelProjectForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), label=_("theme"))
    title = forms.CharField(label=_("title"), max_length=200)
    first_fiscal_year = FiscalYearField(label=_("first fiscal year"))
    last_fiscal_year = FiscalYearField(label=_("last fiscal year"))
    goals = forms.CharField(
        label=_("goals"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcomes = forms.CharField(
        label=_("outcomes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    max_sites = forms.IntegerField(label=_("sites at most"), min_value=1, max_value=20, initial=3)

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes_for(prefecture)


class NewModelProjectForm(ModelProjectForm):
    planned_on = JapaneseDateField(
        label=_("planned from"),
        required=False,
        help_text=_("Empty: the first day of the first fiscal year."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=ProjectStatus.choices)
    effective_on = JapaneseDateField(label=_("date"), help_text=DATE_HELP)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class SiteForm(forms.Form):
    corporation = forms.ModelChoiceField(
        queryset=Corporation.objects.none(),
        label=_("corporation"),
        required=False,
        help_text=_("A member corporation of the center."),
    )
    network = forms.ModelChoiceField(
        queryset=MunicipalNetwork.objects.none(), label=_("municipal network"), required=False
    )
    designated_on = JapaneseDateField(label=_("designated on"), help_text=DATE_HELP)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corporation"].queryset = (
            Corporation.objects.in_prefecture(prefecture)
            .filter(closed=None, membership_events__isnull=False)
            .distinct()
            .order_by("name_kana")
        )
        self.fields["network"].queryset = MunicipalNetwork.objects.in_prefecture(prefecture)

    def clean(self):
        data = super().clean()
        if bool(data.get("corporation")) == bool(data.get("network")):
            raise ValidationError(_("Designate either a corporation or a municipal network."))
        return data


class EndSiteForm(forms.Form):
    ended_on = JapaneseDateField(label=_("ended on"), help_text=DATE_HELP)


class ReportForm(forms.Form):
    site = forms.ModelChoiceField(queryset=None, label=_("site"), required=False)
    fiscal_year = FiscalYearField(label=_("fiscal year"))
    reported_on = JapaneseDateField(label=_("reported on"), help_text=DATE_HELP)
    text = forms.CharField(label=_("report"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, sites, site_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["site"].required = site_required


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    file = CheckedFileField(kind="document", max_bytes=DOCUMENT_MAX_BYTES, label=_("file"))
    published = forms.BooleanField(label=_("public"), required=False)


class LeadingProjectForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), label=_("theme"))
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    first_fiscal_year = FiscalYearField(label=_("first fiscal year"))
    last_fiscal_year = FiscalYearField(label=_("last fiscal year"), required=False)

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes_for(prefecture)


class PartnerForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=PartnerKind.choices)
    name = forms.CharField(
        label=_("name"),
        max_length=200,
        required=False,
        help_text=_("Empty: the name of the corporation or council chosen."),
    )
    corporation = forms.ModelChoiceField(
        queryset=Corporation.objects.none(), label=_("corporation"), required=False
    )
    council = forms.ModelChoiceField(
        queryset=Council.objects.none(), label=_("council of social welfare"), required=False
    )
    role = forms.CharField(label=_("role"), max_length=200, required=False)
    joined_on = JapaneseDateField(label=_("since"), required=False, help_text=DATE_HELP)

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corporation"].queryset = (
            Corporation.objects.in_prefecture(prefecture).filter(closed=None).order_by("name_kana")
        )
        self.fields["council"].queryset = Council.objects.in_prefecture(prefecture).filter(
            closed=None
        )


class LeadingYearForm(forms.Form):
    fiscal_year = FiscalYearField(label=_("fiscal year"))
    activities = forms.CharField(label=_("activities"), widget=forms.Textarea(attrs={"rows": 4}))
    results = forms.CharField(
        label=_("results"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    times_held = forms.IntegerField(label=_("times held"), min_value=0, required=False)
    people_reached = forms.IntegerField(label=_("people reached"), min_value=0, required=False)


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), label=_("theme"), required=False)
    purpose = forms.CharField(
        label=_("purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    formed_on = JapaneseDateField(label=_("formed on"), help_text=DATE_HELP)
    dissolved_on = JapaneseDateField(label=_("dissolved on"), required=False, help_text=DATE_HELP)

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes_for(prefecture)


class CommitteeMemberForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    organisation = forms.CharField(label=_("organisation"), max_length=200, required=False)
    role = forms.ChoiceField(
        label=_("role"), choices=CommitteeMember.Role.choices, initial=CommitteeMember.Role.MEMBER
    )
    joined_on = JapaneseDateField(label=_("joined on"), required=False, help_text=DATE_HELP)


class MeetingForm(forms.Form):
    held_on = JapaneseDateField(label=_("held on"), help_text=DATE_HELP)
    venue = forms.CharField(label=_("venue"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.CharField(
        label=_("minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    attendees = forms.ModelMultipleChoiceField(
        queryset=CommitteeMember.objects.none(),
        label=_("attendance"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        # Any member may be ticked here; the action refuses members of another committee.
        self.fields["attendees"].queryset = committee.members.all()


class FindingForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    text = forms.CharField(label=_("finding"), widget=forms.Textarea(attrs={"rows": 5}))
    found_on = JapaneseDateField(label=_("date"), help_text=DATE_HELP)
    meeting = forms.ModelChoiceField(queryset=None, label=_("meeting"), required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = committee.meetings.all()
        self.fields["meeting"].label_from_instance = lambda m: f"{m.held_on:%Y-%m-%d} {m.venue}"
