"""Forms of the stock pages: they read what people type; the actions decide and write.

Quantities are read as typed (text), so that the action's own rule (whole units, more than
zero) names what is wrong, next to the field where the form can tell which one it is.
"""

from __future__ import annotations

from django import forms
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.core.forms import JapaneseDateField

from . import actions
from .actions.places import ITEM_FIELDS
from .models import (
    OUT_KINDS,
    Campaign,
    DonorKind,
    ExpiryKind,
    Item,
    Location,
    Lot,
    MovementKind,
)

DATE_HELP = _("e.g. 2026-06-15 or R8.6.15")
QUANTITY_INPUT = forms.TextInput(attrs={"inputmode": "decimal", "size": 8, "autocomplete": "off"})


QUANTITY = _("quantity")


def _quantity_field(label=QUANTITY, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=20, widget=QUANTITY_INPUT, **kwargs)


def _checked_quantity(form, field: str, item, value) -> None:
    """The action's rule for a quantity of ``item``, its refusal put on ``field``."""
    try:
        actions.quantity_of(item, value)
    except actions.StockError as error:
        form.add_error(field, error.messages)


class AsOfForm(forms.Form):
    as_of = JapaneseDateField(label=_("stock on"), required=False, help_text=DATE_HELP)

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Stock is known up to today."), code="future")
        return day


# Places and the catalogue ---------------------------------------------------------------------


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = [
            "name", "kind", "municipality", "postal_code", "address", "opening_hours", "phone",
            "keeper_kind", "keeper_corporation", "keeper_name", "public", "near_expiry_days",
            "active",
        ]  # fmt: skip

    def __init__(self, *args, municipalities, corporations, location=None, **kwargs):
        """``municipalities``: where this user may place a location; ``corporations``: those
        that may keep it. For an existing ``location`` the form starts from its details (the
        form only reads; the action writes)."""
        if location is not None:
            kwargs.setdefault("initial", model_to_dict(location, fields=self._meta.fields))
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities.select_related("parent")
        self.fields["keeper_corporation"].queryset = corporations

    def clean(self):
        data = super().clean()
        if data.get("keeper_kind") == "corporation" and not data.get("keeper_corporation"):
            self.add_error(
                "keeper_corporation", _("Choose the corporation that keeps the location.")
            )
        return data

    def action_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class MinimumsForm(forms.Form):
    """The minimum stock of each item of the catalogue at one location; empty: none."""

    def __init__(self, *args, items, minimums: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {f"item-{item.pk}": item for item in items}
        for name, item in self.items.items():
            self.fields[name] = _quantity_field(label=str(item), required=False)
            if item.pk in minimums:
                self.initial[name] = minimums[item.pk]

    def clean(self):
        data = super().clean()
        for name, item in self.items.items():
            value = (data.get(name) or "").strip()
            if value and value not in ("0", "0.0", "0.00"):
                _checked_quantity(self, name, item, value)
        return data

    def minimums(self) -> dict:
        return {item: self.cleaned_data.get(name, "") for name, item in self.items.items()}


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = list(ITEM_FIELDS)

    def __init__(self, *args, item=None, **kwargs):
        if item is not None:
            kwargs.setdefault("initial", model_to_dict(item, fields=self._meta.fields))
        super().__init__(*args, **kwargs)

    def action_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


# Goods in -------------------------------------------------------------------------------------


class DonationForm(forms.Form):
    donor_kind = forms.ChoiceField(label=_("kind of donor"), choices=DonorKind.choices)
    donor_name = forms.CharField(
        label=_("donor"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for an anonymous gift."),
    )
    donor_address = forms.CharField(
        label=_("donor's address"),
        max_length=200,
        required=False,
        help_text=_("Only for a receipt the donor asked for."),
    )
    received_on = JapaneseDateField(label=_("received on"), help_text=DATE_HELP)
    campaign = forms.ModelChoiceField(
        label=_("food drive"), queryset=Campaign.objects.none(), required=False
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, campaigns, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns

    def action_fields(self) -> dict:
        return dict(self.cleaned_data)


class LotLineForm(forms.Form):
    """One line of goods in; a line left empty is no line."""

    item = forms.ModelChoiceField(label=_("item"), queryset=Item.objects.none(), required=False)
    quantity = _quantity_field(required=False)
    expires_on = JapaneseDateField(
        label=_("best before / use by"),
        required=False,
        widget=forms.TextInput(attrs={"size": 12, "autocomplete": "off"}),
    )
    expiry_kind = forms.ChoiceField(
        label=_("kind of date"), choices=ExpiryKind.choices, initial=ExpiryKind.BEST_BEFORE
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not data.get("item") and not (data.get("quantity") or "").strip()

    def clean(self):
        data = super().clean()
        item, quantity = data.get("item"), (data.get("quantity") or "").strip()
        if item and not quantity:
            self.add_error("quantity", _("Enter the quantity."))
        elif quantity and not item and "item" not in self.errors:
            self.add_error("item", _("Choose the item."))
        elif item and quantity:
            _checked_quantity(self, "quantity", item, quantity)
        return data


class BaseLotFormSet(forms.BaseFormSet):
    def lots(self) -> list[actions.LotData]:
        return [
            actions.LotData(
                item=form.cleaned_data["item"],
                quantity=form.cleaned_data["quantity"],
                expires_on=form.cleaned_data.get("expires_on"),
                expiry_kind=form.cleaned_data.get("expiry_kind") or ExpiryKind.BEST_BEFORE,
            )
            for form in self.forms
            if not form.is_blank()
        ]


def lot_formset(*, items, data=None, blank_lines: int = 5):
    formset_class = forms.formset_factory(
        LotLineForm, formset=BaseLotFormSet, extra=blank_lines, max_num=40, absolute_max=40
    )
    return formset_class(data, prefix="lines", form_kwargs={"items": items})


# Moving stock ---------------------------------------------------------------------------------


def lots_at(location: Location):
    """The lots with stock at ``location`` now, earliest date first."""
    return (
        Lot.objects.filter(balances__location=location, balances__quantity__gt=0)
        .select_related("item")
        .order_by("item__name", "expires_on", "pk")
    )


class TransferForm(forms.Form):
    destination = forms.ModelChoiceField(label=_("transfer to"), queryset=Location.objects.none())
    item = forms.ModelChoiceField(label=_("item"), queryset=Item.objects.none(), required=False)
    lot = forms.ModelChoiceField(
        label=_("lot"),
        queryset=Lot.objects.none(),
        required=False,
        help_text=_("Leave empty to move the item's earliest-expiring lots first."),
    )
    quantity = _quantity_field()
    on = JapaneseDateField(label=_("date"), help_text=DATE_HELP)

    def __init__(self, *args, location: Location, destinations, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["destination"].queryset = destinations
        lots = lots_at(location)
        self.fields["lot"].queryset = lots
        self.fields["item"].queryset = Item.objects.filter(pk__in=lots.values("item_id")).order_by(
            "name"
        )

    def clean(self):
        data = super().clean()
        item, lot = data.get("item"), data.get("lot")
        if lot and not item:
            item = data["item"] = lot.item
        if not item:
            if "lot" not in self.errors:
                self.add_error("item", _("Choose the item or the lot."))
        elif lot and lot.item_id != item.pk:
            self.add_error("lot", _("This lot is not of the item chosen."))
        elif data.get("quantity"):
            _checked_quantity(self, "quantity", item, data["quantity"])
        return data


class WriteOffForm(forms.Form):
    lot = forms.ModelChoiceField(label=_("lot"), queryset=Lot.objects.none())
    quantity = _quantity_field()
    kind = forms.ChoiceField(
        label=_("kind of write-off"),
        choices=[(kind.value, kind.label) for kind in OUT_KINDS],
        initial=MovementKind.DISPOSAL,
    )
    reason = forms.CharField(
        label=_("reason"),
        max_length=200,
        required=False,
        help_text=_("For goods given away: the body they were given to."),
    )
    on = JapaneseDateField(label=_("date"), help_text=DATE_HELP)

    def __init__(self, *args, location: Location, lot=None, **kwargs):
        """``lot``: the lot chosen on the location page, if any."""
        kwargs.setdefault("initial", {"on": timezone.localdate(), "lot": lot})
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = lots_at(location)

    def clean(self):
        data = super().clean()
        if data.get("lot") and data.get("quantity"):
            _checked_quantity(self, "quantity", data["lot"].item, data["quantity"])
        return data


class WriteOffExpiredForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind of write-off"),
        choices=[(kind.value, kind.label) for kind in OUT_KINDS],
        initial=MovementKind.DISPOSAL,
    )
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)
    confirm = forms.BooleanField(
        label=_("I have checked the lots listed above; move them all out of stock.")
    )


class StocktakeForm(forms.Form):
    """A counted quantity for every lot in stock at the location; empty: not counted."""

    counted_on = JapaneseDateField(label=_("counted on"), help_text=DATE_HELP)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, rows, **kwargs):
        kwargs.setdefault("initial", {"counted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            label = _("counted quantity of lot %(lot)s") % {"lot": row.lot_id}
            self.fields[f"count-{row.lot_id}"] = _quantity_field(label=label, required=False)

    def counts(self) -> dict[int, str]:
        return {
            row.lot_id: value
            for row in self.rows
            if (value := (self.cleaned_data.get(f"count-{row.lot_id}") or "").strip())
        }

    def lines(self):
        """Each stock row with its bound field, for the table."""
        return [(row, self[f"count-{row.lot_id}"]) for row in self.rows]


# Food drives ----------------------------------------------------------------------------------


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    organiser = forms.CharField(label=_("organised by"), max_length=200, required=False)
    starts_on = JapaneseDateField(label=_("starts on"), help_text=DATE_HELP)
    ends_on = JapaneseDateField(label=_("ends on"), help_text=DATE_HELP)
    drop_offs = forms.ModelMultipleChoiceField(
        label=_("drop-off points"),
        queryset=Location.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, drop_offs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drop_offs"].queryset = drop_offs

    def action_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["drop_offs"] = list(data["drop_offs"])
        return data
