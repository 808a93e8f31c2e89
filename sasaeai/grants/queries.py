"""Reads of the grant cycle that depend on who is asking, shared by pages and documents.

Programs and published calls are public; an application is seen by its applicant's staff
(corporation staff, or council staff of the network's area) and by the center staff of its
prefecture; reviewers see the applications of the calls they screen, except where they have a
conflict of interest. Not allowed and not found are the same 404.
"""

from __future__ import annotations

from django.db.models import Avg, Count, Min, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sasaeai.accounts.scope import scope_of
from sasaeai.accounts.scope import shown_prefecture as home_prefecture

from .models import (
    ApplicantKind,
    Application,
    ApplicationStatus,
    AwardYear,
    BudgetLine,
    Conflict,
    Decision,
    GrantCall,
    GrantProgram,
    GrantReport,
    Review,
    Reviewer,
)


def managed_prefecture(user) -> str:
    """The prefecture whose programs a member of the center's staff manages."""
    scope = scope_of(user)
    if scope.prefecture_codes:
        return sorted(scope.prefecture_codes)[0]
    return home_prefecture(user)


# Programs and calls ---------------------------------------------------------------------------


def programs_of(prefecture: str):
    return (
        GrantProgram.objects.in_prefecture(prefecture)
        .filter(active=True)
        .prefetch_related("budgets")
    )


def managed_programs(user):
    return GrantProgram.objects.managed_by(user).prefetch_related("budgets", "calls")


def labelled(programs) -> list[GrantProgram]:
    """Programs with ``kind_labels``: who may apply, in the reader's language."""
    programs = list(programs)
    kinds = dict(ApplicantKind.choices)
    for program in programs:
        program.kind_labels = [kinds[k] for k in program.eligible_kinds or [] if k in kinds]
    return programs


def get_managed_program_or_404(user, pk: int) -> GrantProgram:
    return get_object_or_404(GrantProgram.objects.managed_by(user), pk=pk)


def public_calls(prefecture: str):
    return (
        GrantCall.objects.filter(program__prefecture_id=prefecture, published=True)
        .select_related("program")
        .prefetch_related("themes")
    )


def open_and_coming_calls(prefecture: str):
    """Calls of the prefecture that are open today or open later."""
    return public_calls(prefecture).filter(closes_on__gte=timezone.localdate()).order_by("opens_on")


def get_call_or_404(user, pk: int) -> GrantCall:
    """A published call (anyone), or any call of a prefecture the user manages."""
    calls = GrantCall.objects.filter(
        Q(published=True) | Q(pk__in=GrantCall.objects.managed_by(user).values("pk"))
    )
    return get_object_or_404(
        calls.select_related("program__prefecture").prefetch_related("themes"), pk=pk
    )


def get_managed_call_or_404(user, pk: int) -> GrantCall:
    return get_object_or_404(
        GrantCall.objects.managed_by(user).select_related("program").prefetch_related("themes"),
        pk=pk,
    )


# Applications ---------------------------------------------------------------------------------


def _requested():
    return Coalesce(
        Subquery(
            BudgetLine.objects.filter(application=OuterRef("pk"))
            .order_by()
            .values("application")
            .annotate(total=Sum("amount"))
            .values("total")
        ),
        0,
    )


def _awarded():
    return Subquery(
        AwardYear.objects.filter(
            decision__application=OuterRef("pk"), decision__outcome=Decision.Outcome.AWARDED
        )
        .order_by()
        .values("decision")
        .annotate(total=Sum("amount"))
        .values("total")
    )


def _average_score():
    return Subquery(
        Review.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(average=Avg("score"))
        .values("average")
    )


def _review_count():
    return Coalesce(
        Subquery(
            Review.objects.filter(application=OuterRef("pk"))
            .order_by()
            .values("application")
            .annotate(count=Count("pk"))
            .values("count")
        ),
        0,
    )


def _next_report_due():
    return Subquery(
        GrantReport.objects.filter(decision__application=OuterRef("pk"), submitted_on__isnull=True)
        .order_by()
        .values("decision")
        .annotate(due=Min("due_on"))
        .values("due")
    )


def with_listing(applications):
    """What a list of applications shows, in a constant number of queries."""
    return applications.select_related(
        "call__program", "corporation__municipality", "network", "theme", "decision"
    ).prefetch_related("network__area")


def applications_visible_to(user):
    return with_listing(Application.objects.visible_to(user)).annotate(
        requested=_requested(), awarded=_awarded(), report_due=_next_report_due()
    )


def applications_of_call(call: GrantCall):
    """The call's table for the center: requested total, average score, status."""
    return (
        with_listing(call.applications.all())
        .annotate(
            requested=_requested(),
            awarded=_awarded(),
            average_score=_average_score(),
            review_count=_review_count(),
        )
        .order_by("status", "pk")
    )


def get_application_for_user_or_404(user, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(user).select_related(
            "call__program__prefecture",
            "corporation__municipality",
            "network",
            "theme",
            "created_by",
        ),
        pk=pk,
    )


def get_managed_application_or_404(user, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.managed_by(user).select_related(
            "call__program__prefecture", "corporation__municipality", "network", "theme"
        ),
        pk=pk,
    )


def manages(user, application: Application) -> bool:
    """Center staff of the application's prefecture."""
    scope = scope_of(user)
    return scope.sees_everything() or (
        application.call.program.prefecture_id in scope.prefecture_codes
    )


def manages_call(user, call: GrantCall) -> bool:
    scope = scope_of(user)
    return scope.sees_everything() or call.program.prefecture_id in scope.prefecture_codes


def decision_of(application: Application) -> Decision | None:
    try:
        return (
            Decision.objects.select_related("decided_by")
            .prefetch_related("years", "payments", "reports", "refunds", "amendments")
            .get(application=application)
        )
    except Decision.DoesNotExist:
        return None


def requested_by_year(application: Application) -> dict[int, int]:
    rows = (
        application.budget_lines.order_by()
        .values("fiscal_year")
        .annotate(total=Sum("amount"))
        .values_list("fiscal_year", "total")
    )
    return dict(sorted(rows))


# Whom a user applies for ----------------------------------------------------------------------


def applicants_for(user, call: GrantCall) -> list[tuple[str, str]]:
    """The applicants a user may apply for to ``call``: staff of a corporation for it, council
    staff for a network whose area holds their municipality, the center's staff for any
    applicant of the prefecture (a paper application). Values: ``corporation:pk``,
    ``network:pk``."""
    from sasaeai.members.models import Corporation
    from sasaeai.networks.models import MunicipalNetwork

    scope = scope_of(user)
    program = call.program
    kinds = set(program.eligible_kinds or [])
    prefecture = program.prefecture_id
    staff = scope.sees_everything() or prefecture in scope.prefecture_codes
    choices: list[tuple[str, str]] = []
    if ApplicantKind.CORPORATION in kinds:
        corporations = Corporation.objects.filter(
            municipality__prefecture_id=prefecture, closed__isnull=True
        )
        if not staff:
            corporations = corporations.filter(pk__in=scope.corporation_ids)
        if program.members_only and staff:
            corporations = corporations.filter(
                pk__in=Corporation.objects.members_on(timezone.localdate()).values("pk")
            )
        choices += [
            (f"corporation:{c.pk}", c.name) for c in corporations.order_by("name_kana", "name")
        ]
    if ApplicantKind.NETWORK in kinds:
        networks = MunicipalNetwork.objects.filter(
            prefecture_id=prefecture, dissolved_on__isnull=True
        )
        if not staff:
            codes = list(scope.municipality_codes)
            networks = networks.filter(Q(area__in=codes) | Q(area__parent_id__in=codes)).distinct()
        choices += [(f"network:{n.pk}", n.name) for n in networks.order_by("name")]
    return choices


def applicant_of(value: str, choices: list[tuple[str, str]]) -> dict:
    """``corporation:pk`` → ``{"corporation": …}``, only among ``choices``."""
    from sasaeai.members.models import Corporation
    from sasaeai.networks.models import MunicipalNetwork

    if value not in {v for v, _label in choices}:
        raise Http404
    kind, _sep, pk = value.partition(":")
    if kind == "corporation":
        return {"corporation": Corporation.objects.get(pk=pk)}
    return {"network": MunicipalNetwork.objects.get(pk=pk)}


# Screening ------------------------------------------------------------------------------------


def reviewer_calls(user):
    return GrantCall.objects.filter(reviewers__user=user)


def is_reviewer(user) -> bool:
    return user.is_authenticated and Reviewer.objects.filter(user=user).exists()


def conflicted_ids(user, applications) -> set[int]:
    """The applications (of a list) that ``user`` may not screen: a declared conflict, or
    staff of the applicant corporation, or council staff in the applicant network's area
    (the same test as ``actions.has_conflict``, for a whole list in constant queries)."""
    applications = list(applications)
    ids = {a.pk for a in applications}
    declared = set(
        Conflict.objects.filter(user=user, application_id__in=ids).values_list(
            "application_id", flat=True
        )
    )
    scope = scope_of(user)
    codes = set(scope.municipality_codes)
    for application in applications:
        if application.corporation_id and application.corporation_id in scope.corporation_ids:
            declared.add(application.pk)
        elif application.network_id and codes:
            area = application.network.area.all()
            held = {m.pk for m in area} | {m.parent_id for m in area}
            if held & codes:
                declared.add(application.pk)
    return declared


def applications_to_screen(user):
    """Submitted applications of the calls ``user`` reviews, with their own score."""
    own = Review.objects.filter(application=OuterRef("pk"), reviewer=user)
    return (
        with_listing(
            Application.objects.filter(
                call__in=reviewer_calls(user), status=ApplicationStatus.SUBMITTED
            )
        )
        .annotate(
            requested=_requested(),
            own_score=Subquery(own.values("score")[:1]),
        )
        .order_by("call_id", "pk")
    )


SCREENED = (ApplicationStatus.SUBMITTED, ApplicationStatus.AWARDED, ApplicationStatus.DECLINED)


def screened_by(user):
    """The applications a reviewer may read: submitted (or since decided) to their calls."""
    return Application.objects.filter(call__in=reviewer_calls(user), status__in=SCREENED)


def get_application_to_screen_or_404(user, pk: int) -> Application:
    return get_object_or_404(
        screened_by(user).select_related(
            "call__program", "corporation__municipality", "network", "theme"
        ),
        pk=pk,
    )


def reviewers_of(call: GrantCall):
    return call.reviewers.select_related("user").order_by("pk")


def decisions_prefetch():
    return Prefetch("decision__years", queryset=AwardYear.objects.order_by("fiscal_year"))
