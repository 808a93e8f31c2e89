"""The shapes of ``/api/v1/stockyard/``: what is read (locations, items, stock rows, referrals,
public drop-off points) and what is sent (a referral, a status change)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sasaeai.members.models import Corporation
from sasaeai.regions.models import Municipality

from .models import Item, Location, Movement, Referral, ReferralLine, ReferralStatus, Urgency

QUANTITY = {"max_digits": 12, "decimal_places": 2}
MAX_LINES = 50

# Read ------------------------------------------------------------------------------------------


class LocationSerializer(serializers.ModelSerializer):
    prefecture = serializers.CharField(source="prefecture_id", read_only=True)
    municipality = serializers.CharField(source="municipality_id", read_only=True)
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    kept_by_me = serializers.SerializerMethodField(
        help_text="True where the caller keeps the location (records goods in, approves)."
    )

    class Meta:
        model = Location
        fields = [
            "id", "name", "kind", "prefecture", "municipality", "municipality_name",
            "postal_code", "address", "opening_hours", "phone", "keeper_kind",
            "keeper_corporation", "keeper_name", "public", "near_expiry_days", "active",
            "kept_by_me",
        ]  # fmt: skip

    def get_kept_by_me(self, location: Location) -> bool:
        return location.pk in self.context.get("kept", ())


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = [
            "id", "name", "category", "unit", "whole_units", "expires", "unit_value", "active",
        ]  # fmt: skip


class StockRowSerializer(serializers.Serializer):
    """One lot at one location at the end of the day asked for."""

    location = serializers.IntegerField(source="location_id")
    location_name = serializers.CharField(source="location")
    lot = serializers.IntegerField(source="lot_id")
    item = serializers.IntegerField(source="item_id")
    item_name = serializers.CharField(source="item")
    unit = serializers.CharField()
    category = serializers.CharField()
    expires_on = serializers.DateField(allow_null=True)
    quantity = serializers.DecimalField(**QUANTITY)
    unit_value = serializers.DecimalField(max_digits=10, decimal_places=0)
    value = serializers.DecimalField(max_digits=14, decimal_places=0)
    near_expiry = serializers.BooleanField(
        help_text="Its date falls within the location's warning days."
    )
    expired = serializers.BooleanField()


class DropOffSerializer(serializers.ModelSerializer):
    """A public drop-off point: where and when to bring goods; no stock, no people."""

    prefecture = serializers.CharField(source="prefecture_id", read_only=True)
    municipality = serializers.CharField(source="municipality_id", read_only=True)
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = Location
        fields = [
            "id", "name", "kind", "prefecture", "municipality", "municipality_name",
            "postal_code", "address", "opening_hours", "keeper_name",
        ]  # fmt: skip


class HouseholdSerializer(serializers.Serializer):
    reference = serializers.CharField()
    size = serializers.IntegerField()
    ages = serializers.CharField()
    municipality = serializers.CharField(source="municipality_id")


class ReferrerSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["corporation", "council"])
    id = serializers.CharField(help_text="The corporation's id, or the council's municipality.")
    name = serializers.CharField()


class ReferralLineSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)

    class Meta:
        model = ReferralLine
        fields = ["item", "item_name", "unit", "quantity"]


class PickSerializer(serializers.ModelSerializer):
    """A lot picked for the referral (first-expiring-first-out), on the day of approval."""

    item = serializers.IntegerField(source="lot.item_id", read_only=True)
    item_name = serializers.CharField(source="lot.item.name", read_only=True)
    expires_on = serializers.DateField(source="lot.expires_on", read_only=True, allow_null=True)
    quantity = serializers.SerializerMethodField()

    class Meta:
        model = Movement
        fields = ["lot", "item", "item_name", "expires_on", "quantity", "occurred_on"]

    def get_quantity(self, movement: Movement) -> str:
        return f"{-movement.quantity:.2f}"


class ReferralSerializer(serializers.ModelSerializer):
    location_name = serializers.CharField(source="location.name", read_only=True)
    referrer = serializers.SerializerMethodField()
    household = HouseholdSerializer(read_only=True)
    lines = ReferralLineSerializer(many=True, read_only=True)
    picked = PickSerializer(many=True, read_only=True, source="picks")
    allowed = serializers.SerializerMethodField(
        help_text="The status changes the caller may ask for now: approve, decline, "
        "hand-over, cancel."
    )

    class Meta:
        model = Referral
        fields = [
            "id", "status", "urgency", "location", "location_name", "referrer", "household",
            "needs", "lines", "value", "requested_on", "decided_on", "handed_over_on",
            "closing_reason", "picked", "allowed",
        ]  # fmt: skip

    @extend_schema_field(ReferrerSerializer)
    def get_referrer(self, referral: Referral) -> dict:
        if referral.referring_corporation_id:
            return {
                "kind": "corporation",
                "id": str(referral.referring_corporation_id),
                "name": referral.referring_corporation.name,
            }
        municipality = referral.referring_municipality
        return {"kind": "council", "id": municipality.code, "name": municipality.name}

    def get_allowed(self, referral: Referral) -> list[str]:
        # The same rules as actions.keeps and actions.may_cancel, from what the view read once.
        kept = referral.location_id in self.context.get("kept", ())
        scope = self.context.get("scope")
        may_cancel = kept or (
            scope is not None
            and (
                scope.sees_everything()
                or referral.referring_corporation_id in scope.corporation_ids
                or referral.referring_municipality_id in scope.municipality_codes
            )
        )
        status = referral.status
        allowed = []
        if kept and status == ReferralStatus.REQUESTED:
            allowed += ["approve", "decline"]
        if kept and status == ReferralStatus.APPROVED:
            allowed.append("hand-over")
        if may_cancel and status in (
            ReferralStatus.REQUESTED,
            ReferralStatus.APPROVED,
            ReferralStatus.HANDED_OVER,
        ):
            allowed.append("cancel")
        return allowed


# Sent ------------------------------------------------------------------------------------------


class HouseholdInputSerializer(serializers.Serializer):
    reference = serializers.CharField(
        max_length=40, help_text="Your organisation's own case number, never a name."
    )
    size = serializers.IntegerField(min_value=1, max_value=99)
    ages = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), help_text="Where the household lives (JIS code)."
    )


class LineInputSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.none())
    quantity = serializers.CharField(
        max_length=20, help_text='A number: "2", or "1.5" for goods weighed, such as rice.'
    )


class ReferralCreateSerializer(serializers.Serializer):
    """A referral: the location, the household, the goods. The referrer is the caller's
    corporation or council; give ``corporation`` or ``municipality`` when they have several."""

    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.none())
    corporation = serializers.PrimaryKeyRelatedField(
        queryset=Corporation.objects.all(), required=False, allow_null=True
    )
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text="For a council's referral: the council's municipality (JIS code).",
    )
    household = HouseholdInputSerializer()
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    needs = serializers.CharField(required=False, allow_blank=True, default="")
    lines = LineInputSerializer(many=True, allow_empty=False, max_length=MAX_LINES)
    requested_on = serializers.DateField(required=False, help_text="Default: today.")

    def __init__(self, *args, locations=None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if locations is not None:
            self.fields["location"].queryset = locations
        if items is not None:
            self.fields["lines"].child.fields["item"].queryset = items

    def validate(self, data):
        if data.get("corporation") is not None and data.get("municipality") is not None:
            message = _("A referral comes from one corporation or one council.")
            raise serializers.ValidationError({"corporation": [message], "municipality": [message]})
        return data


class StatusChangeSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="The day it happened; default: today.")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class CancelSerializer(ReasonSerializer):
    on = serializers.DateField(required=False, help_text="The day it happened; default: today.")
