from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.core.privacy import Person

from .models import Channel

PERSON_FIELDS = ("email", "name", "phone", "reference", "channel")


class PersonForm(forms.Form):
    """Whom a request is about: an email address, or a name (and a telephone number where the
    records hold one), or a case number of the stockyard."""

    email = forms.EmailField(label=_("email"), required=False)
    name = forms.CharField(label=_("full name"), required=False, max_length=100)
    phone = forms.CharField(
        label=_("telephone"),
        required=False,
        max_length=30,
        help_text=_("With a name: only records that also hold this number are found."),
    )
    reference = forms.CharField(label=_("case number (stockyard)"), required=False, max_length=40)
    channel = forms.ChoiceField(
        label=_("how the request was received"),
        choices=[c for c in Channel.choices if c[0] != Channel.SCHEDULE],
    )

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("name") or data.get("reference")):
            raise forms.ValidationError(
                _("Give the person's email address, a name, or a case number."), code="empty"
            )
        if data.get("phone") and not data.get("name"):
            self.add_error("phone", _("A telephone number is checked together with a name."))
        return data

    def person(self) -> Person:
        data = self.cleaned_data
        return Person(
            email=data["email"], name=data["name"], phone=data["phone"], reference=data["reference"]
        )


def _hide(form: forms.Form) -> None:
    for name in PERSON_FIELDS:
        form.fields[name].widget = forms.HiddenInput()


class CarriedPersonForm(PersonForm):
    """The same person, carried by the export and erasure buttons as hidden fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _hide(self)


class ErasureForm(PersonForm):
    """The confirmation step: the person (hidden), when the request came, and the tick."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _hide(self)

    received_on = forms.DateField(label=_("request received on"), initial=timezone.localdate)
    confirm = forms.BooleanField(
        label=_("I have confirmed the person's identity and checked the records listed."),
    )
