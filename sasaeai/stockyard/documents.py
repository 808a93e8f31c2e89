"""The stockyard's two papers: the receipt (受領書) a donor may ask for, and the delivery note
(お渡し票) that goes with the goods of a referral and is signed on hand-over.

They are formal Japanese documents, so their wording is Japanese template text (not gettext)
and their dates are 和暦, as the grants' letters are. A receipt names the donor, the goods and
their dates, and a price only for a purchase; a delivery note names the household only by the
referrer's case number and its size (no name, no ages, no needs), and lists the lots picked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from sasaeai.core.dates import format_wareki
from sasaeai.core.pdf import render_pdf

from .models import Donation, DonorKind, ExpiryKind, Movement, MovementKind, Referral
from .reports import yen
from .reports.tables import plain

EXPIRY_KINDS = {ExpiryKind.BEST_BEFORE: "賞味期限", ExpiryKind.USE_BY: "消費期限"}


@dataclass(frozen=True)
class Line:
    item: str
    quantity: Decimal
    unit: str
    expires: str  # 令和8年7月1日, or empty for goods without a date
    expiry_kind: str  # 賞味期限 / 消費期限
    lot: int
    value: int | None = None  # yen, on a purchase's receipt only


def _expiry(expires_on, kind: str) -> tuple[str, str]:
    if expires_on is None:
        return "", ""
    return format_wareki(expires_on), EXPIRY_KINDS.get(kind, "期限")


def receipt_context(donation: Donation) -> dict:
    location = donation.location
    purchase = donation.donor_kind == DonorKind.PURCHASE
    lines = []
    for lot in donation.lots.select_related("item").order_by("item__name", "expires_on", "pk"):
        expires, kind = _expiry(lot.expires_on, lot.expiry_kind)
        lines.append(
            Line(
                item=lot.item.name,
                quantity=plain(lot.quantity),
                unit=lot.item.unit,
                expires=expires,
                expiry_kind=kind,
                lot=lot.pk,
                value=yen(lot.quantity * lot.unit_value) if purchase else None,
            )
        )
    return {
        "donation": donation,
        "location": location,
        "number": donation.receipt_number,
        "issued": format_wareki(timezone.localdate()),
        "received": format_wareki(donation.received_on),
        "donor": donation.donor_name,
        "purchase": purchase,
        "lines": lines,
        "total": sum(line.value for line in lines) if purchase else None,
        "dated": any(line.expires for line in lines),
    }


def receipt_pdf(donation: Donation) -> bytes:
    """The receipt of a donation (its number given by ``actions.issue_receipt``)."""
    donation = Donation.objects.select_related("location", "campaign").get(pk=donation.pk)
    return render_pdf("stockyard/reports/receipt_pdf.html", receipt_context(donation))


def picked_lines(referral: Referral) -> list[Line]:
    """The lots picked for a referral, net of any return: one query."""
    rows = (
        Movement.objects.filter(
            referral=referral, kind__in=(MovementKind.PICK, MovementKind.RETURN)
        )
        .values(
            "lot_id", "lot__item__name", "lot__item__unit", "lot__expires_on", "lot__expiry_kind"
        )
        .annotate(total=Sum("quantity"))
        .order_by("lot__item__name", "lot__expires_on", "lot_id")
    )
    lines = []
    for row in rows:
        if row["total"] >= 0:
            continue
        expires, kind = _expiry(row["lot__expires_on"], row["lot__expiry_kind"])
        lines.append(
            Line(
                item=row["lot__item__name"],
                quantity=plain(-row["total"]),
                unit=row["lot__item__unit"],
                expires=expires,
                expiry_kind=kind,
                lot=row["lot_id"],
            )
        )
    return lines


def delivery_note_context(referral: Referral) -> dict:
    return {
        "referral": referral,
        "location": referral.location,
        "household": referral.household,
        "referrer": referral.referrer_name,
        "approved": format_wareki(referral.decided_on) if referral.decided_on else "",
        "handed_over": format_wareki(referral.handed_over_on) if referral.handed_over_on else "",
        "lines": picked_lines(referral),
    }


def delivery_note_pdf(referral: Referral) -> bytes:
    """The delivery note of an approved or handed-over referral."""
    return render_pdf("stockyard/reports/delivery_note_pdf.html", delivery_note_context(referral))
