"""Personal data held by the stockyard: households helped (by case number, never by name),
their needs, and donors giving as individuals."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p

SUPPORT = _("while the support's records are needed (limits per household, the year's report)")


def declare() -> None:
    p.register(
        p.Holding(
            model="stockyard.Household",
            whose=_("households helped by the stockyard"),
            purpose=_("limits of support per household; the counts of households supported"),
            retention=SUPPORT,
            fields=(
                p.PersonalField("reference", _("case number"), p.MARK, p.marker("erased-")),
                p.PersonalField("ages", _("ages")),
            ),
            identified_by={p.REFERENCE: ("reference",)},
            prefecture_paths=("prefecture_id",),
            stored_at="created_at",
            context=("municipality__name", "size"),
            audit_children=(("stockyard.Referral", "household_id"),),  # "date reference"
        ),
        p.Holding(
            model="stockyard.Referral",
            whose=_("households helped by the stockyard"),
            purpose=_("what the household needs, for the keeper who prepares the goods"),
            retention=SUPPORT,
            fields=(p.PersonalField("needs", _("needs")),),
            identified_by={p.REFERENCE: ("household__reference",)},
            prefecture_paths=("location__prefecture_id",),
            stored_at="requested_on",
            context=("location__name", "status"),
            only=~Q(needs=""),
        ),
        p.Holding(
            model="stockyard.Donation",
            whose=_("donors giving as individuals"),
            purpose=_("the receipt (受領書) and the record of goods received"),
            retention=_("while the receipts are kept"),
            fields=(
                p.PersonalField("donor_name", _("donor"), p.REPLACE),
                p.PersonalField("donor_address", _("donor's address")),
            ),
            identified_by={p.NAME: ("donor_name",)},
            prefecture_paths=("location__prefecture_id",),
            stored_at="created_at",
            context=("receipt_number", "received_on"),
            only=Q(donor_kind="individual"),
        ),
    )
    p.not_personal(
        "stockyard.Donation", "donor_kind", "note", reason=_("the kind of donor; a note on goods")
    )
    p.not_personal(
        "stockyard.Location",
        "name",
        "address",
        "phone",
        "keeper_name",
        reason=_("a location and the organisation that keeps it"),
    )
    for model, name in (
        ("stockyard.Item", "name"),
        ("stockyard.SupportRule", "name"),
        ("stockyard.Stocktake", "note"),
    ):
        p.not_personal(model, name, reason=_("the name of an item or rule; a stocktake's note"))
