"""The letters of a decision: 交付決定通知書 for an award, 不交付決定通知書 for a refusal.

They are formal Japanese documents, so their wording is Japanese template text (not gettext),
their dates are 和暦 and their fiscal years are 令和○年度. They render through
``sasaeai.core.pdf.render_pdf`` from ``grants/pdf/decision_letter.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from sasaeai.core.dates import fiscal_year_label, format_wareki
from sasaeai.core.pdf import render_pdf

from .models import Decision


@dataclass(frozen=True)
class LetterYear:
    label: str
    amount: int


def _issuer(decision: Decision) -> tuple[str, str]:
    """The center's name and its operator (who signs), else the prefecture's name."""
    prefecture = decision.application.call.program.prefecture
    try:
        center = prefecture.center
    except ObjectDoesNotExist:
        return prefecture.name, ""
    return center.name, center.operator


def addressee(decision: Decision) -> tuple[str, str]:
    """Whom the letter is for: the corporation and its representative, or the network."""
    application = decision.application
    if application.corporation_id:
        corporation = application.corporation
        return corporation.name, corporation.representative
    return application.network.name, ""


def letter_context(decision: Decision) -> dict:
    application = decision.application
    name, representative = addressee(decision)
    issuer, operator = _issuer(decision)
    years = [
        LetterYear(fiscal_year_label(y.fiscal_year, style="wareki"), y.amount)
        for y in sorted(decision.years.all(), key=lambda y: y.fiscal_year)
    ]
    return {
        "decision": decision,
        "application": application,
        "program": application.call.program,
        "call": application.call,
        "awarded": decision.outcome == Decision.Outcome.AWARDED,
        "date": format_wareki(decision.decided_on),
        "submitted": format_wareki(timezone.localtime(application.submitted_at).date())
        if application.submitted_at
        else "",
        "addressee": name,
        "representative": representative,
        "issuer": issuer,
        "operator": operator,
        "years": years,
        "total": sum(y.amount for y in years),
        "call_year": fiscal_year_label(application.call.fiscal_year, style="wareki"),
    }


def decision_letter_pdf(decision: Decision) -> bytes:
    """The letter of ``decision``: an award with its amounts per fiscal year and its
    conditions, or a refusal with its reason."""
    decision = Decision.objects.select_related(
        "application__call__program__prefecture",
        "application__corporation",
        "application__network",
    ).get(pk=decision.pk)
    return render_pdf("grants/pdf/decision_letter.html", letter_context(decision))
