"""Forms of the referral pages: they read what staff type and check each field where it can be
checked alone (a whole number of cans, a reason given); the actions decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import HouseholdData, StockError, quantity_of
from .models import Item, Location, ReferralStatus, Urgency

MAX_LINES = 30


def referrer_options(*, corporations=(), municipalities=()) -> dict[str, tuple[str, object]]:
    """The organisations a user may refer for, keyed as the form posts them."""
    options = {f"corporation-{c.pk}": ("corporation", c) for c in corporations}
    options |= {f"municipality-{m.pk}": ("municipality", m) for m in municipalities}
    return options


def referrer_label(kind: str, organisation) -> str:
    if kind == "corporation":
        return organisation.name
    return _("%(municipality)s council of social welfare") % {"municipality": organisation.name}


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", "—"), *ReferralStatus.choices]
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(), label=_("location"), required=False
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations


class ReferralForm(forms.Form):
    """The referral and its household; only what the support needs, no name."""

    referrer = forms.ChoiceField(label=_("referring organisation"))
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        label=_("location"),
        help_text=_("Where the household gets the goods: see the stock at each location below."),
    )
    municipality = forms.ModelChoiceField(
        queryset=None, label=_("municipality"), help_text=_("Where the household lives.")
    )
    reference = forms.CharField(
        label=_("case number"),
        max_length=40,
        help_text=_("Your organisation's own case number, not a name."),
    )
    size = forms.IntegerField(label=_("people in the household"), min_value=1, max_value=99)
    ages = forms.CharField(
        label=_("ages"),
        max_length=100,
        required=False,
        help_text=_("e.g. 45, 12, 8 (comma-separated)"),
    )
    urgency = forms.ChoiceField(label=_("urgency"), choices=[("", "—"), *Urgency.choices])
    needs = forms.CharField(
        label=_("needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the household lacks; no names or other personal details."),
    )

    def __init__(self, *args, referrers: dict, locations, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.referrers = referrers
        if len(referrers) == 1:
            del self.fields["referrer"]  # named on the page, never read from the post
        else:
            self.fields["referrer"].choices = [("", "—")] + [
                (key, referrer_label(kind, organisation))
                for key, (kind, organisation) in referrers.items()
            ]
        self.fields["location"].queryset = locations
        self.fields["municipality"].queryset = municipalities

    def referrer_kwargs(self) -> dict:
        """``corporation=`` or ``municipality=``, as ``actions.refer`` takes it."""
        key = self.cleaned_data.get("referrer") or next(iter(self.referrers))
        kind, organisation = self.referrers[key]
        return {kind: organisation}

    def household(self) -> HouseholdData:
        data = self.cleaned_data
        return HouseholdData(
            municipality_id=data["municipality"].pk,
            reference=data["reference"],
            size=data["size"],
            ages=data["ages"],
        )


class ReferralLineForm(forms.Form):
    """One item asked for; a line left empty is skipped."""

    item = forms.ModelChoiceField(queryset=Item.objects.none(), label=_("item"), required=False)
    quantity = forms.CharField(
        label=_("quantity"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items

    def clean(self):
        data = super().clean()
        item, typed = data.get("item"), (data.get("quantity") or "").strip()
        if item is None and not typed:
            return data
        if item is None:
            self.add_error("item", _("Choose the item."))
        elif not typed:
            self.add_error("quantity", _("Enter the quantity."))
        else:
            try:
                data["quantity"] = quantity_of(item, typed)
            except StockError as error:
                self.add_error("quantity", error)
        return data


class BaseLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[tuple[Item, object]]:
        """The lines that were filled in, as ``actions.refer`` reads them."""
        return [
            (form.cleaned_data["item"], form.cleaned_data["quantity"])
            for form in self.forms
            if form.cleaned_data.get("item") is not None
        ]


def line_formset(*, items, data=None, blank_lines: int = 5):
    formset_class = forms.formset_factory(
        ReferralLineForm,
        formset=BaseLineFormSet,
        extra=blank_lines,
        max_num=MAX_LINES,
        absolute_max=MAX_LINES,
    )
    return formset_class(data, prefix="lines", form_kwargs={"items": items})


class ReasonForm(forms.Form):
    """The reason for declining or cancelling (two on one page: each its own ``auto_id``)."""

    reason = forms.CharField(label=_("reason"), max_length=200)


class SupportRuleForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    period_days = forms.IntegerField(
        label=_("period (days)"),
        min_value=1,
        max_value=3660,
        help_text=_("Referrals of the household within this many days, up to the day, count."),
    )
    max_value = forms.DecimalField(
        label=_("at most (yen in kind)"),
        required=False,
        min_value=1,
        max_digits=10,
        decimal_places=0,
    )
    max_referrals = forms.IntegerField(
        label=_("at most (referrals)"), required=False, min_value=1, max_value=999
    )
    active = forms.BooleanField(label=_("in force"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if (
            data.get("max_value") is None
            and data.get("max_referrals") is None
            and "max_value" not in self.errors
            and "max_referrals" not in self.errors
        ):
            raise forms.ValidationError(
                _("Set a limit in yen, a limit of referrals, or both."), code="no_limit"
            )
        return data

    @staticmethod
    def initial_of(rule) -> dict:
        return {
            "name": rule.name,
            "period_days": rule.period_days,
            "max_value": rule.max_value,
            "max_referrals": rule.max_referrals,
            "active": rule.active,
        }
