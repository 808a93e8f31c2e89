from django import forms
from django.utils.translation import gettext_lazy as _

from sasaeai.core import uploads
from sasaeai.core.forms import JapaneseDateField
from sasaeai.core.uploads import DOCUMENT_MAX_BYTES, CheckedFileField
from sasaeai.members.models import Corporation, Council
from sasaeai.regions.models import Municipality

from .models import DocumentKind, MeetingKind, MunicipalNetwork, Source, Status

DATE_HELP = _("e.g. 2019-04-01 or H31.3.31")


def local_governments(prefecture: str):
    return Municipality.objects.of_prefecture(prefecture).without_wards().active()


class AsOfForm(forms.Form):
    as_of = JapaneseDateField(label=_("as of"), required=False, help_text=DATE_HELP)
    m = forms.IntegerField(required=False, min_value=0)


class NetworkForm(forms.ModelForm):
    established_on = JapaneseDateField(label=_("established"), required=False, help_text=DATE_HELP)
    dissolved_on = JapaneseDateField(label=_("dissolved"), required=False, help_text=DATE_HELP)
    area = forms.ModelMultipleChoiceField(
        queryset=Municipality.objects.none(),
        label=_("area"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The municipalities the network covers (圏域)."),
    )

    class Meta:
        model = MunicipalNetwork
        fields = [
            "name",
            "nickname",
            "area",
            "secretariat",
            "established_on",
            "established_note",
            "dissolved_on",
            "contact",
            "note",
        ]
        widgets = {
            "established_note": forms.Textarea(attrs={"rows": 2}),
            "contact": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = local_governments(prefecture)
        self.fields["secretariat"].queryset = Council.objects.in_prefecture(prefecture).filter(
            closed=None
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Status.choices)
    effective_on = JapaneseDateField(label=_("date"), help_text=DATE_HELP)
    source = forms.ChoiceField(label=_("source"), choices=Source.choices)
    network = forms.ModelChoiceField(
        queryset=MunicipalNetwork.objects.none(),
        label=_("network"),
        required=False,
        help_text=_("Required for established, active and dormant."),
    )
    evidence = forms.CharField(
        label=_("evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_correction = forms.BooleanField(
        label=_("This entry corrects the history for an earlier date"), required=False
    )

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = MunicipalNetwork.objects.filter(area=municipality)


class MemberForm(forms.Form):
    corporation = forms.ModelChoiceField(
        queryset=Corporation.objects.none(), label=_("corporation")
    )
    joined_on = JapaneseDateField(label=_("joined"), help_text=DATE_HELP)

    def __init__(self, *args, network: MunicipalNetwork, **kwargs):
        super().__init__(*args, **kwargs)
        area = list(network.area.values_list("pk", flat=True))
        self.fields["corporation"].queryset = (
            Corporation.objects.filter(closed=None)
            .filter(models_q_area(area))
            .order_by("name_kana")
        )


def models_q_area(codes):
    from django.db.models import Q

    return Q(municipality_id__in=codes) | Q(municipality__parent_id__in=codes)


class LeaveForm(forms.Form):
    left_on = JapaneseDateField(label=_("left"), help_text=DATE_HELP)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    file = CheckedFileField(kind="document", max_bytes=DOCUMENT_MAX_BYTES, label=_("file"))


class MeetingForm(forms.Form):
    held_on = JapaneseDateField(label=_("date"), help_text=DATE_HELP)
    kind = forms.ChoiceField(label=_("kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    attendance = forms.IntegerField(label=_("attendance"), min_value=0, required=False)
    minutes = CheckedFileField(
        kind="document", max_bytes=DOCUMENT_MAX_BYTES, label=_("minutes"), required=False
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VisitForm(forms.Form):
    visited_on = JapaneseDateField(label=_("date of the visit"), help_text=DATE_HELP)
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("municipality"), required=False
    )
    network = forms.ModelChoiceField(
        queryset=MunicipalNetwork.objects.none(), label=_("network"), required=False
    )
    staff = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("center staff who went"),
        widget=forms.CheckboxSelectMultiple,
    )
    people_met = forms.CharField(
        label=_("people met"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Their roles (e.g. 社協事務局長, 施設長 2名); names only when needed."),
    )
    topics = forms.CharField(
        label=_("topics"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    advice = forms.CharField(
        label=_("advice given"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_ups = forms.CharField(
        label=_("next steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: the due date, a space, then the step (e.g. R1.7.31 規約案を確認)."
        ),
    )
    new_status = forms.ChoiceField(
        label=_("status found at the visit"),
        choices=[("", _("(no change)")), *Status.choices],
        required=False,
    )

    def __init__(self, *args, prefecture: str, **kwargs):
        from django.contrib.auth import get_user_model

        from sasaeai.accounts.models import Role

        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = local_governments(prefecture)
        self.fields["network"].queryset = MunicipalNetwork.objects.in_prefecture(prefecture)
        self.fields["staff"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                roles__role=Role.CENTER_STAFF,
                roles__center__prefecture_id=prefecture,
            )
            .distinct()
            .order_by("username")
        )
        self.fields["staff"].label_from_instance = lambda user: user.display_name

    def clean_follow_ups(self):
        from django.core.exceptions import ValidationError

        from sasaeai.core.dates import JapaneseDateError, parse_japanese_date

        steps = []
        for number, line in enumerate(self.cleaned_data["follow_ups"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            date_text, _sep, action = line.partition(" ")
            if not action.strip():
                date_text, _sep, action = line.partition("\u3000")
            try:
                due_on = parse_japanese_date(date_text).value
            except JapaneseDateError as error:
                raise ValidationError(
                    _("Line %(line)s: %(error)s"), params={"line": number, "error": error}
                ) from None
            if not action.strip():
                raise ValidationError(
                    _("Line %(line)s: write the step after the date."), params={"line": number}
                )
            steps.append((action.strip(), due_on))
        return steps

    def clean(self):
        data = super().clean()
        if not data.get("municipality") and not data.get("network"):
            self.add_error("municipality", _("Name the municipality or the network visited."))
        return data


class ImportForm(forms.Form):
    file = CheckedFileField(
        kind="table",
        max_bytes=uploads.MAX_BYTES,
        label=_("Excel or CSV file"),
        help_text=_(
            "Columns such as 市町村, 状況, 組織名, 設立日, 時点, 出典, 備考. "
            "One row per network or per step of a municipality."
        ),
    )
