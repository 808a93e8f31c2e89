from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from sasaeai.core.forms import JapaneseDateField
from sasaeai.core.uploads import MAX_BYTES, CheckedFileField
from sasaeai.regions.models import Municipality

from .models import CHOICE_KINDS, Survey, TargetKind


class DefinitionUploadForm(forms.Form):
    file = CheckedFileField(
        kind="text", max_bytes=MAX_BYTES, label=_("definition (JSON)"), required=False
    )
    text = forms.CharField(
        label=_("or paste the JSON"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def clean(self):
        data = super().clean()
        raw = data.get("text") or ""
        if data.get("file"):
            raw = data["file"].read().decode("utf-8-sig", errors="replace")
        if not raw.strip():
            raise forms.ValidationError(_("Upload a JSON file or paste its text."))
        try:
            data["definition"] = json.loads(raw)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("This is not JSON (line %(line)s, column %(column)s): %(message)s"),
                params={"line": error.lineno, "column": error.colno, "message": error.msg},
            ) from None
        return data


class RoundForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    target_kind = forms.ChoiceField(label=_("sent to"), choices=TargetKind.choices)
    members_only = forms.BooleanField(label=_("member corporations only"), required=False)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("only these municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    deadline = JapaneseDateField(label=_("deadline"), help_text=_("e.g. R1.7.31"))
    kpi_question = forms.ChoiceField(label=_("the 「している」 question"), required=False)
    kpi_choices = forms.CharField(
        label=_("answers that count as 「している」"),
        required=False,
        help_text=_("Choice codes, separated by commas."),
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.fields["municipalities"].queryset = (
            Municipality.objects.of_prefecture(survey.prefecture_id).without_wards().active()
        )
        self.fields["kpi_question"].choices = [("", "—")] + [
            (q.code, f"{q.code}: {q.text[:40]}")
            for q in survey.questions.filter(kind__in=CHOICE_KINDS).order_by("order")
        ]

    def kpi(self):
        code = self.cleaned_data.get("kpi_question")
        if not code:
            return None, []
        question = self.survey.questions.get(code=code)
        choices = [c.strip() for c in self.cleaned_data.get("kpi_choices", "").split(",")]
        return question, [c for c in choices if c]


class AnswersUploadForm(forms.Form):
    file = CheckedFileField(
        kind="table",
        max_bytes=MAX_BYTES,
        label=_("answer sheet (Excel or CSV)"),
        help_text=_("The sheet downloaded above, filled in: one row a respondent."),
    )
