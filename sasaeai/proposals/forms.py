"""Forms read what people type; the actions decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sasaeai.core.forms import JapaneseDateField
from sasaeai.projects.models import Finding, ModelProject, Theme
from sasaeai.regions.models import Municipality
from sasaeai.surveys.models import Round

from .models import Addressee

DATE_HELP = _("e.g. 2019-04-01 or H31.3.31")


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    addressee_kind = forms.ChoiceField(label=_("addressed to"), choices=Addressee.choices)
    addressee = forms.CharField(
        label=_("addressee"), max_length=200, help_text=_("e.g. 岡山県知事")
    )
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("municipality"), required=False
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        label=_("themes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = (
            Municipality.objects.of_prefecture(prefecture).without_wards().active()
        )
        self.fields["themes"].queryset = Theme.objects.in_prefecture(prefecture)


class EvidenceForm(forms.Form):
    finding = forms.ModelChoiceField(
        queryset=Finding.objects.none(), label=_("committee finding"), required=False
    )
    model_project = forms.ModelChoiceField(
        queryset=ModelProject.objects.none(), label=_("model project"), required=False
    )
    survey_round = forms.ModelChoiceField(
        queryset=Round.objects.none(), label=_("survey round"), required=False
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = Finding.objects.filter(
            committee__prefecture_id=prefecture
        ).select_related("committee")
        self.fields["finding"].label_from_instance = lambda f: f"{f.committee.name}: {f.title}"
        self.fields["model_project"].queryset = ModelProject.objects.in_prefecture(prefecture)
        self.fields["survey_round"].queryset = Round.objects.filter(
            survey__prefecture_id=prefecture
        )

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("finding", "model_project", "survey_round") if data.get(name)]
        if len(chosen) != 1:
            raise ValidationError(
                _("Cite exactly one: a committee finding, a model project or a survey round.")
            )
        return data


class SubmitForm(forms.Form):
    submitted_on = JapaneseDateField(label=_("submitted on"), help_text=DATE_HELP)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 8}))
    answered_on = JapaneseDateField(label=_("answered on"), help_text=DATE_HELP)


class PublishForm(forms.Form):
    published_on = JapaneseDateField(label=_("published on"), help_text=DATE_HELP)
