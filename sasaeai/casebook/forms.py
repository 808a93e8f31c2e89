"""Forms read what people type; the actions decide and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sasaeai.core.dates import JapaneseDateError, parse_fiscal_year
from sasaeai.core.forms import JapaneseDateField
from sasaeai.core.uploads import IMAGE_MAX_BYTES, CheckedFileField
from sasaeai.members.models import Corporation
from sasaeai.networks.models import MunicipalNetwork
from sasaeai.projects.models import Theme
from sasaeai.regions.models import Municipality

from .models import Case, CaseStatus

TEXTAREA = forms.Textarea(attrs={"rows": 5})


class FiscalYearField(forms.CharField):
    """A fiscal year typed as 2019, R1, 令和元年度 or H31."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_fiscal_year(value)
        except JapaneseDateError as error:
            raise ValidationError(error.message, code=error.code, params=error.params) from None


def municipalities_of(prefecture: str):
    return Municipality.objects.of_prefecture(prefecture).without_wards().active()


class SearchForm(forms.Form):
    """The public search: GET, so that pages stay cacheable and linkable."""

    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), label=_("theme"), required=False)
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("municipality"), required=False
    )
    year = forms.TypedChoiceField(
        label=_("fiscal year"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, prefecture: str, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.in_prefecture(prefecture).filter(active=True)
        self.fields["municipality"].queryset = municipalities_of(prefecture)
        self.fields["year"].choices = [("", "—")] + [(y, f"{y}年度") for y in years]


class StaffFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", "—"), *CaseStatus.choices]
    )
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), label=_("theme"), required=False)
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("municipality"), required=False
    )

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.in_prefecture(prefecture)
        self.fields["municipality"].queryset = municipalities_of(prefecture)


class CaseForm(forms.Form):
    corporation = forms.ModelChoiceField(
        queryset=Corporation.objects.none(), label=_("corporation"), required=False
    )
    network = forms.ModelChoiceField(
        queryset=MunicipalNetwork.objects.none(), label=_("municipal network"), required=False
    )
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("municipality")
    )
    fiscal_year = FiscalYearField(
        label=_("fiscal year"), help_text=_("e.g. 2019, R1 or 令和元年度")
    )
    title = forms.CharField(label=_("title"), max_length=200)
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}))
    background = forms.CharField(label=_("background"), widget=TEXTAREA, required=False)
    activities = forms.CharField(label=_("what was done"), widget=TEXTAREA, required=False)
    partners = forms.CharField(label=_("partners"), widget=TEXTAREA, required=False)
    costs = forms.CharField(label=_("costs and funding"), widget=TEXTAREA, required=False)
    results = forms.CharField(label=_("results"), widget=TEXTAREA, required=False)
    lessons = forms.CharField(label=_("lessons and challenges"), widget=TEXTAREA, required=False)
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        label=_("themes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, prefecture: str, corporations, networks, **kwargs):
        """``corporations`` and ``networks``: the owners this user may write for; a form for
        an existing case (``corporations=None``) leaves the owner alone."""
        super().__init__(*args, **kwargs)
        if corporations is None:
            del self.fields["corporation"], self.fields["network"]
        else:
            self.fields["corporation"].queryset = corporations
            self.fields["network"].queryset = networks
            if not networks.exists():
                del self.fields["network"]
        self.fields["municipality"].queryset = municipalities_of(prefecture)
        self.fields["themes"].queryset = Theme.objects.in_prefecture(prefecture)

    def clean(self):
        data = super().clean()
        if "corporation" in self.fields:
            owners = [data.get("corporation"), data.get("network")]
            if sum(owner is not None for owner in owners) != 1:
                raise ValidationError(
                    _("Choose the one corporation or municipal network the case belongs to.")
                )
        return data

    def action_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["themes"] = list(data["themes"])
        return data

    @staticmethod
    def initial_of(case: Case) -> dict:
        initial = {name: getattr(case, name) for name in Case.TEXT_FIELDS}
        initial.update(
            municipality=case.municipality_id,
            fiscal_year=str(case.fiscal_year),
            themes=[theme.pk for theme in case.themes.all()],
        )
        return initial


class OnlineConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("On behalf of our corporation, I consent to the publication of this case."),
    )
    consented_by = forms.CharField(
        label=_("Your name and position"), max_length=200, help_text=_("e.g. 事務局長 山田花子")
    )
    includes_photos = forms.BooleanField(
        label=_("The photos may be published too."), required=False, initial=True
    )


class PaperConsentForm(forms.Form):
    consented_by = forms.CharField(
        label=_("consented by"),
        max_length=200,
        help_text=_("Name and position, e.g. 理事長 山田太郎"),
    )
    given_on = JapaneseDateField(label=_("date on the form"))
    includes_photos = forms.BooleanField(label=_("photos included"), required=False, initial=True)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class PhotoForm(forms.Form):
    image = CheckedFileField(
        kind="image", max_bytes=IMAGE_MAX_BYTES,
        label=_("photo"), help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip
    alt_text = forms.CharField(
        label=_("alternative text"),
        max_length=300,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    caption = forms.CharField(label=_("caption"), max_length=300, required=False)
    order = forms.IntegerField(label=_("order"), min_value=0, initial=0, required=False)
