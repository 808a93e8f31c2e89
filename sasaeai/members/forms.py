from django import forms
from django.utils.translation import gettext_lazy as _

from sasaeai.core.forms import JapaneseDateField
from sasaeai.regions.models import Municipality

from .models import Corporation, Council, Facility, FacilityKind, MemberType, SectorGroup
from .models.membership import EventKind

DATE_HELP = _("e.g. 2019-04-01 or R1.5.1")


def municipality_field(prefecture_code: str) -> forms.ModelChoiceField:
    queryset = Municipality.objects.of_prefecture(prefecture_code).active().select_related("parent")
    return forms.ModelChoiceField(queryset=queryset, label=_("municipality"))


class CorporationForm(forms.ModelForm):
    founded = JapaneseDateField(label=_("founded"), required=False, help_text=DATE_HELP)

    class Meta:
        model = Corporation
        fields = [
            "corporate_number",
            "name",
            "name_kana",
            "representative",
            "postal_code",
            "address",
            "phone",
            "municipality",
            "sector_group",
            "founded",
        ]

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = municipality_field(prefecture)
        self.fields["sector_group"].queryset = SectorGroup.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields["corporate_number"].disabled = True


class FacilityForm(forms.ModelForm):
    opened = JapaneseDateField(label=_("opened"), required=False, help_text=DATE_HELP)

    class Meta:
        model = Facility
        fields = [
            "name",
            "name_kana",
            "kind",
            "municipality",
            "postal_code",
            "address",
            "capacity",
            "opened",
            "office_number",
        ]

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = municipality_field(prefecture)
        self.fields["kind"].queryset = FacilityKind.objects.filter(is_active=True)


class CouncilForm(forms.ModelForm):
    founded = JapaneseDateField(label=_("founded"), required=False, help_text=DATE_HELP)

    class Meta:
        model = Council
        fields = [
            "level",
            "municipality",
            "name",
            "corporate_number",
            "postal_code",
            "address",
            "phone",
            "founded",
        ]

    def __init__(self, *args, prefecture: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.prefecture = prefecture
        self.fields["municipality"] = municipality_field(prefecture)
        self.fields["municipality"].required = False

    def clean(self):
        cleaned = super().clean()
        self.instance.prefecture_id = self.prefecture
        return cleaned


class CloseForm(forms.Form):
    closed = JapaneseDateField(label=_("closed on"), help_text=DATE_HELP)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class MembershipEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("event"), choices=EventKind.choices)
    effective_date = JapaneseDateField(label=_("effective date"), help_text=DATE_HELP)
    member_type = forms.ModelChoiceField(
        label=_("member type"), queryset=MemberType.objects.none(), required=False
    )
    facilities = forms.ModelMultipleChoiceField(
        label=_("facilities brought in"),
        queryset=Facility.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, member_kind: str, facilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_type"].queryset = MemberType.objects.filter(applies_to=member_kind)
        if facilities is None:
            del self.fields["facilities"]
        else:
            self.fields["facilities"].queryset = facilities


class ApplicationForm(forms.Form):
    member_type = forms.ModelChoiceField(
        label=_("member type"), queryset=MemberType.objects.filter(applies_to="corporation")
    )
    desired_date = JapaneseDateField(label=_("desired date of joining"), help_text=DATE_HELP)
    facilities = forms.ModelMultipleChoiceField(
        label=_("facilities brought in"),
        queryset=Facility.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("message"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilities"].queryset = facilities


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("approve")), ("decline", _("decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason (required to decline)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class DuesPaymentForm(forms.Form):
    dues = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = JapaneseDateField(label=_("paid on"), required=False)

    def clean(self):
        cleaned = super().clean()
        if self.data.get("action") == "paid" and not cleaned.get("paid_on"):
            self.add_error("paid_on", _("Enter the payment date."))
        return cleaned


class AsOfForm(forms.Form):
    as_of = JapaneseDateField(label=_("as of"), required=False, help_text=DATE_HELP)
