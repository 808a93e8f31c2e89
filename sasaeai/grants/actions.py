"""Every write of the grant cycle, one function per use case, each in its own transaction.

Decisions and amendments lock the program's row (``SELECT ... FOR UPDATE`` on PostgreSQL;
SQLite serialises writers with ``BEGIN IMMEDIATE``) and count the awards inside that lock, so
that two staff deciding at once never exceed a cap, the site limit per theme or the budget.
Payments lock the decision's row for the same reason. A refusal raises ``rules.RuleBroken``
before anything is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.core.dates import fiscal_year_range

from . import rules
from .models import (
    Amendment,
    ApplicantKind,
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    AwardYear,
    BudgetLine,
    Conflict,
    Decision,
    GrantCall,
    GrantProgram,
    GrantReport,
    Payment,
    Refund,
    Review,
    Reviewer,
)
from .rules import RuleBroken

# The final report (実績報告) of a fiscal year is due a month after it ends.
FINAL_REPORT_DAYS = 30


def _today() -> datetime.date:
    return timezone.localdate()


# Programs and calls ---------------------------------------------------------------------------


@transaction.atomic
def create_program(*, prefecture: str, **fields) -> GrantProgram:
    program = GrantProgram(prefecture_id=prefecture, **fields)
    program.full_clean()
    program.save()
    return program


@transaction.atomic
def update_program(*, program: GrantProgram, **fields) -> GrantProgram:
    """Edit a program's rules. The awards already made stay as decided; the new rules apply
    to the decisions and amendments that follow."""
    locked = GrantProgram.objects.select_for_update().get(pk=program.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def set_budget(*, program: GrantProgram, fiscal_year: int, amount) -> None:
    """The program's budget for a fiscal year; never below what is already awarded."""
    amount = rules.parse_yen(amount, field=str(_("budget")))
    locked = GrantProgram.objects.select_for_update().get(pk=program.pk)
    awarded = sum(
        AwardYear.objects.filter(
            decision__outcome=Decision.Outcome.AWARDED,
            decision__application__call__program=locked,
            fiscal_year=fiscal_year,
        ).values_list("amount", flat=True)
    )
    if amount < awarded:
        raise RuleBroken(
            _("FY%(year)s: %(awarded)s is already awarded; the budget cannot be lower."),
            code="budget",
            params={"year": fiscal_year, "awarded": rules.yen(awarded)},
        )
    locked.budgets.update_or_create(fiscal_year=fiscal_year, defaults={"amount": amount})


@transaction.atomic
def open_call(
    *,
    program: GrantProgram,
    fiscal_year: int,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    themes: Iterable = (),
    description: str = "",
) -> GrantCall:
    if closes_on < opens_on:
        raise RuleBroken(_("The call closes before it opens."), code="call_window", params={})
    themes = list(themes)
    for theme in themes:
        if theme.prefecture_id != program.prefecture_id:
            raise RuleBroken(
                _("The theme “%(theme)s” belongs to another prefecture."),
                code="wrong_prefecture",
                params={"theme": theme.name},
            )
    call = GrantCall.objects.create(
        program=program,
        fiscal_year=fiscal_year,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        description=description,
    )
    call.themes.set(themes)
    return call


# Applications ---------------------------------------------------------------------------------


def _check_open(call: GrantCall, on: datetime.date) -> None:
    if not call.is_open_on(on):
        raise RuleBroken(
            _("The call is open from %(opens)s to %(closes)s."),
            code="call_closed",
            params={"opens": call.opens_on, "closes": call.closes_on},
        )


@transaction.atomic
def create_application(
    *,
    call: GrantCall,
    corporation=None,
    network=None,
    title: str,
    plan: str = "",
    theme=None,
    model_project=None,
    contact_name: str = "",
    contact_email: str = "",
    lines: Iterable[Mapping] = (),
    by=None,
    on: datetime.date | None = None,
) -> Application:
    """A draft application, with its budget lines; it can be edited until submitted."""
    on = on or _today()
    _check_open(call, on)
    if (corporation is None) == (network is None):
        raise RuleBroken(
            _("An application has one applicant: a corporation or a network."),
            code="applicant",
            params={},
        )
    application = Application(
        call=call,
        applicant_kind=ApplicantKind.CORPORATION if corporation else ApplicantKind.NETWORK,
        corporation=corporation,
        network=network,
        title=title,
        plan=plan,
        theme=theme,
        model_project=model_project,
        contact_name=contact_name,
        contact_email=contact_email,
        created_by=by,
    )
    rules.check_eligible(application, on)
    rules.check_theme(application)
    holder = corporation or network
    already = Application.objects.filter(call=call).exclude(status=ApplicationStatus.WITHDRAWN)
    if already.filter(**({"corporation": corporation} if corporation else {"network": network})):
        raise RuleBroken(
            _("%(applicant)s has already applied to this call."),
            code="duplicate",
            params={"applicant": holder.name},
        )
    application.save()
    _replace_lines(application, lines)
    return application


def _replace_lines(application: Application, lines: Iterable[Mapping]) -> list[BudgetLine]:
    program = application.call.program
    allowed = rules.allowed_years(application)
    checked = [
        rules.check_budget_line(program, allowed, line, number=number)
        for number, line in enumerate(lines, 1)
    ]
    application.budget_lines.all().delete()
    return BudgetLine.objects.bulk_create(
        [BudgetLine(application=application, **line) for line in checked]
    )


def _editable(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__program")
        .get(pk=application.pk)
    )
    if locked.status != ApplicationStatus.DRAFT:
        raise RuleBroken(
            _("The application is %(status)s; only a draft can be changed."),
            code="not_draft",
            params={"status": locked.get_status_display()},
        )
    return locked


@transaction.atomic
def update_application(
    *, application: Application, lines: Iterable[Mapping] | None = None, **fields
) -> Application:
    locked = _editable(application)
    for name, value in fields.items():
        setattr(locked, name, value)
    rules.check_theme(locked)
    locked.save()
    if lines is not None:
        _replace_lines(locked, lines)
    return locked


@transaction.atomic
def add_attachment(*, application: Application, title: str, file) -> ApplicationAttachment:
    locked = _editable(application)
    return ApplicationAttachment.objects.create(application=locked, title=title, file=file)


@transaction.atomic
def submit_application(
    *, application: Application, by=None, on: datetime.date | None = None
) -> Application:
    """Draft → submitted, within the call's window, eligible, asking for no more than the caps."""
    on = on or _today()
    locked = _editable(application)
    _check_open(locked.call, on)
    rules.check_eligible(locked, on)
    rules.check_theme(locked)
    rules.check_requested(locked, locked.budget_lines.values("fiscal_year", "amount"))
    locked.status = ApplicationStatus.SUBMITTED
    now = timezone.now()
    # A paper application entered later keeps the day it was handed in.
    locked.submitted_at = (
        now
        if on == timezone.localdate(now)
        else timezone.make_aware(datetime.datetime.combine(on, datetime.time(12, 0)))
    )
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    return locked


@transaction.atomic
def withdraw_application(*, application: Application, by=None) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED):
        raise RuleBroken(
            _("The application is %(status)s and can no longer be withdrawn."),
            code="decided",
            params={"status": locked.get_status_display()},
        )
    locked.status = ApplicationStatus.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    return locked


# Screening ------------------------------------------------------------------------------------


@transaction.atomic
def add_reviewer(*, call: GrantCall, user) -> Reviewer:
    reviewer, _created = Reviewer.objects.get_or_create(call=call, user=user)
    return reviewer


@transaction.atomic
def declare_conflict(*, application: Application, user, reason: str) -> Conflict:
    conflict, _created = Conflict.objects.get_or_create(
        application=application, user=user, defaults={"reason": reason}
    )
    # A review written before the conflict was known no longer counts.
    Review.objects.filter(application=application, reviewer=user).delete()
    return conflict


def has_conflict(application: Application, user) -> bool:
    """Declared, or implied: a reviewer on the staff of the applicant corporation, or of a
    council in the applicant network's area."""
    from sasaeai.accounts.scope import scope_of

    if Conflict.objects.filter(application=application, user=user).exists():
        return True
    scope = scope_of(user)
    if application.corporation_id and application.corporation_id in scope.corporation_ids:
        return True
    if application.network_id and scope.municipality_codes:
        area = set(application.network.area.values_list("pk", flat=True))
        area |= set(application.network.area.values_list("parent_id", flat=True))
        if area & set(scope.municipality_codes):
            return True
    return False


@transaction.atomic
def submit_review(*, application: Application, reviewer, score: int, comment: str = "") -> Review:
    if not Reviewer.objects.filter(call=application.call_id, user=reviewer).exists():
        raise RuleBroken(
            _("Only the reviewers of this call can screen its applications."),
            code="not_reviewer",
            params={},
        )
    if has_conflict(application, reviewer):
        raise RuleBroken(
            _("A reviewer with a conflict of interest cannot screen this application."),
            code="conflict_of_interest",
            params={},
        )
    if application.status != ApplicationStatus.SUBMITTED:
        raise RuleBroken(
            _("Only a submitted application awaiting its decision can be screened."),
            code="not_submitted",
            params={},
        )
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise RuleBroken(_("A score is from 1 to 5."), code="score", params={})
    review, _created = Review.objects.update_or_create(
        application=application, reviewer=reviewer, defaults={"score": score, "comment": comment}
    )
    return review


# Decisions ------------------------------------------------------------------------------------


def _lock_program(application: Application) -> GrantProgram:
    return GrantProgram.objects.select_for_update().get(pk=application.call.program_id)


def _report_schedule(decision: Decision, years: Iterable[int]) -> None:
    for year in years:
        end = fiscal_year_range(year)[1]
        GrantReport.objects.get_or_create(
            decision=decision,
            kind=GrantReport.Kind.FINAL,
            fiscal_year=year,
            defaults={"due_on": end + datetime.timedelta(days=FINAL_REPORT_DAYS)},
        )


def normalise_amounts(amounts: Mapping) -> dict[int, int]:
    """{fiscal year: yen} from a form or JSON (keys may be strings; yen as staff type them)."""
    result: dict[int, int] = {}
    for key, value in amounts.items():
        try:
            year = int(str(key).strip())
        except ValueError:
            raise RuleBroken(
                _("“%(value)s” is not a fiscal year."), code="fiscal_year", params={"value": key}
            ) from None
        amount = rules.parse_yen(value, field=f"FY{year}")
        if amount:
            result[year] = amount
    return result


@transaction.atomic
def decide(
    *,
    application: Application,
    amounts: Mapping,
    decided_on: datetime.date | None = None,
    number: str = "",
    conditions: str = "",
    by=None,
) -> Decision:
    """交付決定: award ``amounts`` ({fiscal year: yen}) to a submitted application, within every
    rule of the program, counted under the lock on the program's row."""
    decided_on = decided_on or _today()
    amounts = normalise_amounts(amounts)
    _lock_program(application)
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__program", "corporation__municipality", "network", "theme")
        .get(pk=application.pk)
    )
    if locked.status != ApplicationStatus.SUBMITTED:
        raise RuleBroken(
            _("The application is %(status)s; only a submitted one can be decided."),
            code="not_submitted",
            params={"status": locked.get_status_display()},
        )
    rules.check_eligible(locked, decided_on)
    rules.check_theme(locked)
    rules.check_amounts(locked, amounts)
    decision = Decision.objects.create(
        application=locked,
        outcome=Decision.Outcome.AWARDED,
        decided_on=decided_on,
        number=number,
        conditions=conditions,
        decided_by=by,
    )
    AwardYear.objects.bulk_create(
        [AwardYear(decision=decision, fiscal_year=y, amount=a) for y, a in sorted(amounts.items())]
    )
    _report_schedule(decision, amounts)
    locked.status = ApplicationStatus.AWARDED
    locked.save(update_fields=["status", "updated_at"])
    return decision


@transaction.atomic
def decline(
    *, application: Application, reason: str, decided_on: datetime.date | None = None, by=None
) -> Decision:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise RuleBroken(
            _("The application is %(status)s; only a submitted one can be decided."),
            code="not_submitted",
            params={"status": locked.get_status_display()},
        )
    if not reason.strip():
        raise RuleBroken(_("A refusal gives its reason."), code="reason", params={})
    decision = Decision.objects.create(
        application=locked,
        outcome=Decision.Outcome.DECLINED,
        decided_on=decided_on or _today(),
        reason=reason,
        decided_by=by,
    )
    locked.status = ApplicationStatus.DECLINED
    locked.save(update_fields=["status", "updated_at"])
    return decision


def _awarded(decision: Decision) -> Decision:
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.outcome != Decision.Outcome.AWARDED:
        raise RuleBroken(_("The application was not awarded."), code="not_awarded", params={})
    return locked


def _check_open_award(decision: Decision, on: datetime.date, what) -> None:
    if decision.closed_on and on > decision.closed_on:
        raise RuleBroken(
            _("The grant closed on %(date)s: no %(what)s after that."),
            code="closed",
            params={"date": decision.closed_on, "what": what},
        )


def paid_by_year(decision: Decision) -> dict[int, int]:
    paid: dict[int, int] = {}
    for year, amount in decision.payments.values_list("fiscal_year", "amount"):
        paid[year] = paid.get(year, 0) + amount
    return paid


@transaction.atomic
def record_payment(
    *,
    decision: Decision,
    fiscal_year: int,
    kind: str,
    amount,
    paid_on: datetime.date,
    note: str = "",
    by=None,
) -> Payment:
    """概算払 or 精算払: never more, in all, than awarded for that fiscal year."""
    amount = rules.parse_yen(amount, field=str(_("payment")))
    locked = _awarded(decision)
    _check_open_award(locked, paid_on, _("payment"))
    if amount == 0:
        raise RuleBroken(_("A payment is more than 0 yen."), code="amount", params={})
    awarded = dict(locked.years.values_list("fiscal_year", "amount"))
    if fiscal_year not in awarded:
        raise RuleBroken(
            _("Nothing was awarded for FY%(year)s."),
            code="beyond_term",
            params={"year": fiscal_year},
        )
    already = paid_by_year(locked).get(fiscal_year, 0)
    if already + amount > awarded[fiscal_year]:
        raise RuleBroken(
            _(
                "FY%(year)s: payments of %(total)s would exceed the %(award)s awarded "
                "(%(already)s paid so far)."
            ),
            code="payment_above_award",
            params={
                "year": fiscal_year,
                "total": rules.yen(already + amount),
                "award": rules.yen(awarded[fiscal_year]),
                "already": rules.yen(already),
            },
        )
    return Payment.objects.create(
        decision=locked,
        fiscal_year=fiscal_year,
        kind=kind,
        amount=amount,
        paid_on=paid_on,
        note=note,
        recorded_by=by,
    )


@transaction.atomic
def add_report(
    *, decision: Decision, kind: str, fiscal_year: int, due_on: datetime.date
) -> GrantReport:
    locked = _awarded(decision)
    if fiscal_year not in set(locked.years.values_list("fiscal_year", flat=True)):
        raise RuleBroken(
            _("Nothing was awarded for FY%(year)s."),
            code="beyond_term",
            params={"year": fiscal_year},
        )
    report, _created = GrantReport.objects.get_or_create(
        decision=locked, kind=kind, fiscal_year=fiscal_year, defaults={"due_on": due_on}
    )
    return report


@transaction.atomic
def submit_report(
    *,
    report: GrantReport,
    text: str,
    spent=None,
    submitted_on: datetime.date | None = None,
    by=None,
) -> GrantReport:
    """A progress or final report. A final report states what was spent; money paid and not
    spent becomes a refund to be returned (返還)."""
    submitted_on = submitted_on or _today()
    locked_decision = _awarded(report.decision)
    _check_open_award(locked_decision, submitted_on, _("report"))
    report = GrantReport.objects.select_for_update().get(pk=report.pk)
    if not text.strip():
        raise RuleBroken(_("A report has a text."), code="report_text", params={})
    if report.kind == GrantReport.Kind.FINAL:
        if spent is None or spent == "":
            raise RuleBroken(_("A final report states the amount spent."), code="amount", params={})
        spent = rules.parse_yen(spent, field=str(_("spent")))
    else:
        spent = None if spent in (None, "") else rules.parse_yen(spent, field=str(_("spent")))
    report.text = text
    report.spent = spent
    report.submitted_on = submitted_on
    report.submitted_by = by
    report.save()
    if report.kind == GrantReport.Kind.FINAL:
        paid = paid_by_year(locked_decision).get(report.fiscal_year, 0)
        unspent = paid - spent
        refund = Refund.objects.filter(decision=locked_decision, fiscal_year=report.fiscal_year)
        if unspent > 0:
            refund.update_or_create(
                decision=locked_decision,
                fiscal_year=report.fiscal_year,
                defaults={
                    "amount": unspent,
                    "requested_on": submitted_on,
                    "reason": str(_("Paid and not spent (final report)")),
                },
            )
        else:
            refund.filter(returned_on__isnull=True).delete()
    return report


@transaction.atomic
def record_refund_returned(*, refund: Refund, returned_on: datetime.date) -> Refund:
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    refund.returned_on = returned_on
    refund.save(update_fields=["returned_on"])
    return refund


@transaction.atomic
def close_grant(*, decision: Decision, closed_on: datetime.date) -> Decision:
    locked = _awarded(decision)
    locked.closed_on = closed_on
    locked.save(update_fields=["closed_on"])
    return locked


# Amendments -----------------------------------------------------------------------------------


@transaction.atomic
def request_amendment(
    *, decision: Decision, amounts: Mapping, reason: str, by=None, on=None
) -> Amendment:
    on = on or _today()
    locked = _awarded(decision)
    _check_open_award(locked, on, _("amendment"))
    if not reason.strip():
        raise RuleBroken(_("An amendment gives its reason."), code="reason", params={})
    amounts = normalise_amounts(amounts)
    rules.check_amounts(locked.application, amounts, exclude_decision=locked)
    return Amendment.objects.create(
        decision=locked,
        reason=reason,
        amounts={str(y): a for y, a in sorted(amounts.items())},
        requested_on=on,
        requested_by=by,
    )


@transaction.atomic
def approve_amendment(
    *, amendment: Amendment, decided_on: datetime.date | None = None, note: str = "", by=None
) -> Amendment:
    """変更承認: the new amounts replace the award's, checked again against every rule, and
    never below what is already paid for a year."""
    application = amendment.decision.application
    _lock_program(application)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if amendment.status != Amendment.Status.REQUESTED:
        raise RuleBroken(
            _("The amendment is already %(status)s."),
            code="decided",
            params={"status": amendment.get_status_display()},
        )
    locked = _awarded(amendment.decision)
    amounts = {int(y): int(a) for y, a in amendment.amounts.items()}
    rules.check_amounts(locked.application, amounts, exclude_decision=locked)
    paid = paid_by_year(locked)
    for year, already in sorted(paid.items()):
        if already > amounts.get(year, 0):
            raise RuleBroken(
                _("FY%(year)s: %(paid)s is already paid; the award cannot be lower."),
                code="payment_above_award",
                params={"year": year, "paid": rules.yen(already)},
            )
    amendment.previous = {str(y): a for y, a in locked.years.values_list("fiscal_year", "amount")}
    locked.years.all().delete()
    AwardYear.objects.bulk_create(
        [AwardYear(decision=locked, fiscal_year=y, amount=a) for y, a in sorted(amounts.items())]
    )
    locked.reports.filter(fiscal_year__in=[int(y) for y in amendment.previous]).exclude(
        fiscal_year__in=list(amounts)
    ).filter(submitted_on__isnull=True).delete()
    _report_schedule(locked, amounts)
    amendment.status = Amendment.Status.APPROVED
    amendment.decided_on = decided_on or _today()
    amendment.decision_note = note
    amendment.save()
    return amendment


@transaction.atomic
def refuse_amendment(*, amendment: Amendment, note: str, decided_on=None) -> Amendment:
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if amendment.status != Amendment.Status.REQUESTED:
        raise RuleBroken(
            _("The amendment is already %(status)s."),
            code="decided",
            params={"status": amendment.get_status_display()},
        )
    amendment.status = Amendment.Status.REFUSED
    amendment.decided_on = decided_on or _today()
    amendment.decision_note = note
    amendment.save()
    return amendment
