"""Pages of the grant cycle: the programs and their calls (public), applying (corporation
staff, council staff for their network, the center for a paper application), screening
(reviewers), decisions with their letters, payments, reports, refunds and amendments (the
center). Every write goes through ``actions``; a rule that refuses shows its sentence and
nothing is written. The report pages are in ``reports``."""

from .applicants import (
    amendment_request,
    application_detail,
    application_edit,
    application_submit,
    application_withdraw,
    apply,
    attachment_add,
    attachment_download,
    decision_letter,
    my_applications,
    report_submit,
)
from .center import (
    call_create,
    call_manage,
    program_budget,
    program_edit,
    programs,
    programs_load,
    reviewer_add,
)
from .decisions import (
    amendment_approve,
    amendment_refuse,
    decide,
    grant_close,
    payment_add,
    refund_returned,
    report_add,
)
from .public import call_detail, home
from .reviews import my_reviews, review

__all__ = [
    "amendment_approve",
    "amendment_refuse",
    "amendment_request",
    "application_detail",
    "application_edit",
    "application_submit",
    "application_withdraw",
    "apply",
    "attachment_add",
    "attachment_download",
    "call_create",
    "call_detail",
    "call_manage",
    "decide",
    "decision_letter",
    "grant_close",
    "home",
    "my_applications",
    "my_reviews",
    "payment_add",
    "program_budget",
    "program_edit",
    "programs",
    "programs_load",
    "refund_returned",
    "report_add",
    "report_submit",
    "review",
    "reviewer_add",
]
