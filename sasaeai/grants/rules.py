"""The rules of a grant program, checked on every write that could break them.

Each refusal is a ``RuleBroken`` (a ``ValidationError`` whose ``code`` names the rule), so that a
page shows the sentence and the API answers 409 with the rule's code. The checks read the
current awards from the database; ``actions`` calls them inside a transaction that holds the
lock on the program's row, so two staff deciding at once see each other's awards.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from .models import (
    ApplicantKind,
    Application,
    AwardYear,
    Decision,
    GrantProgram,
    ProgramBudget,
)


class RuleBroken(ValidationError):
    """A rule of the program refused the write; ``code`` names the rule."""

    def __init__(self, message, *, code: str, params: Mapping[str, object] | None = None):
        super().__init__(message, code=code, params=dict(params or {}))

    @property
    def rule(self) -> str:
        return self.code

    def sentence(self) -> str:
        return str(self.message) % (self.params or {})


def yen(amount: int) -> str:
    return f"{amount:,}円"


_YEN = re.compile(r"^\s*(-?)\s*([0-9][0-9,]*)(\.[0-9]+)?\s*(円)?\s*$")


def parse_yen(value: object, *, field: str = "") -> int:
    """A yen amount as staff type it (``400,000``, ``４０００００``, ``400000円``): a whole number
    of yen, not negative. Anything else is refused with the reason."""
    if isinstance(value, bool):
        raise RuleBroken(
            _("%(field)s: not an amount of yen."), code="amount", params={"field": field}
        )
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise RuleBroken(
                _("%(field)s: %(value)s is not a whole number of yen."),
                code="amount",
                params={"field": field, "value": value},
            )
        number = int(value)
    else:
        text = unicodedata.normalize("NFKC", str(value or "")).replace("¥", "").replace("￥", "")
        match = _YEN.match(text)
        if not match:
            raise RuleBroken(
                _("%(field)s: “%(value)s” is not an amount of yen."),
                code="amount",
                params={"field": field, "value": value},
            )
        if match.group(3) and set(match.group(3)[1:]) != {"0"}:
            raise RuleBroken(
                _("%(field)s: %(value)s is not a whole number of yen."),
                code="amount",
                params={"field": field, "value": value},
            )
        number = int(match.group(2).replace(",", ""))
        if match.group(1):
            number = -number
    if number < 0:
        raise RuleBroken(
            _("%(field)s: an amount cannot be negative (%(value)s)."),
            code="amount",
            params={"field": field, "value": number},
        )
    return number


# Who may apply ---------------------------------------------------------------------------------


def check_eligible(application: Application, on: datetime.date) -> None:
    """The applicant's kind is one the program admits, it belongs to the program's prefecture,
    and a corporation is a member of the center (when the program says so) on ``on``."""
    from sasaeai.members.models import Corporation

    program = application.call.program
    kind = application.applicant_kind
    if kind not in (program.eligible_kinds or []):
        raise RuleBroken(
            _("%(program)s does not admit applications from a %(kind)s."),
            code="not_eligible",
            params={"program": program.name, "kind": ApplicantKind(kind).label},
        )
    if kind == ApplicantKind.CORPORATION:
        corporation = application.corporation
        if corporation.municipality.prefecture_id != program.prefecture_id:
            raise RuleBroken(
                _("%(applicant)s is not in the prefecture of %(program)s."),
                code="wrong_prefecture",
                params={"applicant": corporation.name, "program": program.name},
            )
        if corporation.closed and corporation.closed <= on:
            raise RuleBroken(
                _("%(applicant)s closed on %(date)s."),
                code="not_eligible",
                params={"applicant": corporation.name, "date": corporation.closed},
            )
        if program.members_only and not (
            Corporation.objects.members_on(on).filter(pk=corporation.pk).exists()
        ):
            raise RuleBroken(
                _("%(applicant)s is not a member of the center on %(date)s."),
                code="not_member",
                params={"applicant": corporation.name, "date": on},
            )
    else:
        network = application.network
        if network.prefecture_id != program.prefecture_id:
            raise RuleBroken(
                _("%(applicant)s is not in the prefecture of %(program)s."),
                code="wrong_prefecture",
                params={"applicant": network.name, "program": program.name},
            )
        if network.dissolved_on and network.dissolved_on <= on:
            raise RuleBroken(
                _("%(applicant)s was dissolved on %(date)s."),
                code="not_eligible",
                params={"applicant": network.name, "date": network.dissolved_on},
            )


def check_theme(application: Application) -> None:
    call = application.call
    if call.program.requires_theme and application.theme_id is None:
        raise RuleBroken(
            _("An application to %(program)s names a theme."),
            code="theme_required",
            params={"program": call.program.name},
        )
    if application.theme_id is not None:
        themes = {theme.pk for theme in call.themes.all()}
        if themes and application.theme_id not in themes:
            raise RuleBroken(
                _("The theme is not one of this call's themes."),
                code="theme_not_in_call",
                params={},
            )


def allowed_years(application: Application) -> range:
    """The fiscal years an award of this call may cover: from the call's, for the program's
    maximum number of years."""
    call = application.call
    return range(call.fiscal_year, call.fiscal_year + call.program.max_years)


def check_budget_line(program: GrantProgram, allowed: range, row: Mapping, *, number: int) -> dict:
    """One budget line: a fiscal year within the term, a category of the program, whole yen."""
    label = _("Budget line %(number)s") % {"number": number}
    try:
        year = int(unicodedata.normalize("NFKC", str(row.get("fiscal_year", ""))).strip())
    except ValueError:
        raise RuleBroken(
            _("%(line)s: the fiscal year is missing or not a year."),
            code="fiscal_year",
            params={"line": label},
        ) from None
    if year not in allowed:
        raise RuleBroken(
            _("%(line)s: FY%(year)s is outside the term (FY%(first)s–FY%(last)s)."),
            code="beyond_term",
            params={"line": label, "year": year, "first": allowed[0], "last": allowed[-1]},
        )
    category = str(row.get("category", "")).strip()
    if program.expense_categories and category not in program.expense_categories:
        raise RuleBroken(
            _("%(line)s: “%(category)s” is not an eligible expense category of %(program)s."),
            code="category",
            params={"line": label, "category": category, "program": program.name},
        )
    amount = parse_yen(row.get("amount"), field=str(label))
    if amount == 0:
        raise RuleBroken(
            _("%(line)s: the amount is zero."), code="amount", params={"line": str(label)}
        )
    return {
        "fiscal_year": year,
        "category": category,
        "description": str(row.get("description", "")).strip()[:200],
        "amount": amount,
    }


# Caps ------------------------------------------------------------------------------------------


def _applicant_filter(application: Application) -> dict:
    if application.corporation_id:
        return {"decision__application__corporation_id": application.corporation_id}
    return {"decision__application__network_id": application.network_id}


def check_amounts(
    application: Application,
    amounts: Mapping[int, int],
    *,
    exclude_decision: Decision | None = None,
) -> None:
    """Every cap of the program for an award of ``amounts`` ({fiscal year: yen}) to this
    application, counting the awards already made (except ``exclude_decision``, the award an
    amendment replaces): term, years, cap per year, cap over the term, sites per theme in the
    call and the program's budget per fiscal year."""
    program = application.call.program
    if not amounts:
        raise RuleBroken(_("An award has at least one fiscal year."), code="amount", params={})
    allowed = allowed_years(application)
    for year, amount in sorted(amounts.items()):
        if year not in allowed:
            raise RuleBroken(
                _("FY%(year)s is beyond the term of this call (FY%(first)s–FY%(last)s)."),
                code="beyond_term",
                params={"year": year, "first": allowed[0], "last": allowed[-1]},
            )
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise RuleBroken(
                _("FY%(year)s: the amount must be a positive whole number of yen."),
                code="amount",
                params={"year": year},
            )

    others = AwardYear.objects.filter(
        decision__outcome=Decision.Outcome.AWARDED, decision__application__call__program=program
    )
    if exclude_decision is not None:
        others = others.exclude(decision=exclude_decision)
    mine = others.filter(**_applicant_filter(application))

    years = set(mine.values_list("fiscal_year", flat=True)) | set(amounts)
    if len(years) > program.max_years:
        raise RuleBroken(
            _(
                "%(program)s funds an applicant for at most %(max)s fiscal years; this award "
                "would make %(count)s."
            ),
            code="max_years",
            params={"program": program.name, "max": program.max_years, "count": len(years)},
        )
    if program.cap_per_year is not None:
        per_year = dict(
            mine.values("fiscal_year")
            .annotate(total=Sum("amount"))
            .values_list("fiscal_year", "total")
        )
        for year, amount in sorted(amounts.items()):
            total = per_year.get(year, 0) + amount
            if total > program.cap_per_year:
                raise RuleBroken(
                    _(
                        "FY%(year)s: %(total)s to one applicant would exceed the cap of "
                        "%(cap)s a year."
                    ),
                    code="cap_per_year",
                    params={"year": year, "total": yen(total), "cap": yen(program.cap_per_year)},
                )
    if program.cap_total is not None:
        total = (mine.aggregate(total=Sum("amount"))["total"] or 0) + sum(amounts.values())
        if total > program.cap_total:
            raise RuleBroken(
                _("%(total)s to one applicant would exceed the cap of %(cap)s over the term."),
                code="cap_total",
                params={"total": yen(total), "cap": yen(program.cap_total)},
            )
    if program.max_sites_per_theme is not None and application.theme_id is not None:
        awarded = (
            Decision.objects.filter(
                outcome=Decision.Outcome.AWARDED,
                application__call=application.call,
                application__theme_id=application.theme_id,
            )
            .exclude(application=application)
            .count()
        )
        if awarded >= program.max_sites_per_theme:
            raise RuleBroken(
                _("This call has already awarded %(max)s sites for the theme “%(theme)s”."),
                code="sites_per_theme",
                params={"max": program.max_sites_per_theme, "theme": application.theme.name},
            )
    budgets = dict(
        ProgramBudget.objects.filter(program=program, fiscal_year__in=list(amounts)).values_list(
            "fiscal_year", "amount"
        )
    )
    if budgets:
        spent = dict(
            others.filter(fiscal_year__in=list(budgets))
            .values("fiscal_year")
            .annotate(total=Sum("amount"))
            .values_list("fiscal_year", "total")
        )
        for year, budget in sorted(budgets.items()):
            total = spent.get(year, 0) + amounts[year]
            if total > budget:
                raise RuleBroken(
                    _(
                        "FY%(year)s: awards of %(total)s would exceed the program's budget of "
                        "%(budget)s."
                    ),
                    code="budget",
                    params={"year": year, "total": yen(total), "budget": yen(budget)},
                )


def check_requested(application: Application, lines: Iterable[Mapping]) -> None:
    """At submission: what is asked for fits the caps per applicant (the site limit and the
    budget are questions of the decision)."""
    program = application.call.program
    amounts: dict[int, int] = {}
    for line in lines:
        amounts[line["fiscal_year"]] = amounts.get(line["fiscal_year"], 0) + line["amount"]
    if not amounts:
        raise RuleBroken(
            _("An application has at least one budget line."), code="no_budget", params={}
        )
    if program.cap_per_year is not None:
        for year, amount in sorted(amounts.items()):
            if amount > program.cap_per_year:
                raise RuleBroken(
                    _("FY%(year)s: %(total)s asked for is above the cap of %(cap)s a year."),
                    code="cap_per_year",
                    params={"year": year, "total": yen(amount), "cap": yen(program.cap_per_year)},
                )
    if program.cap_total is not None and sum(amounts.values()) > program.cap_total:
        raise RuleBroken(
            _("%(total)s asked for is above the cap of %(cap)s over the term."),
            code="cap_total",
            params={"total": yen(sum(amounts.values())), "cap": yen(program.cap_total)},
        )
