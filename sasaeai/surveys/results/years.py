"""The same question compared across the years of a definition, and the plan's
「している」 KPI."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, Max, OuterRef, Q

from ..models import (
    Answer,
    Choice,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Round,
)
from . import counts as _counts
from .counts import SurveyKpi, YearRow, _ratio, _respondents

# Years and the plan's KPI ---------------------------------------------------------------------


def year_over_year(
    survey_code: str, question_code: str, *, prefecture: str, kind: str | None = None
) -> list[YearRow]:
    """The same question (by code) in every round of the definitions of ``survey_code`` in
    a prefecture (``kind``: only rounds sent to that target kind), oldest first; choices
    matched by code. Respondents are the submitted responses that answered the question."""
    every = list(
        Round.objects.filter(
            survey__prefecture_id=prefecture,
            survey__code=survey_code,
            survey__questions__code=question_code,
        )
        .order_by("fiscal_year", "id")
        .values("id", "fiscal_year", "survey_id", "target_kind")
    )
    rounds = [r for r in every if not kind or r["target_kind"] == kind]
    if not rounds:
        return []
    survey_ids = {r["survey_id"] for r in rounds}
    questions = {
        pk: (kind, survey_id)
        for pk, kind, survey_id in Question.objects.filter(
            survey_id__in=survey_ids, code=question_code
        ).values_list("pk", "kind", "survey_id")
    }
    choices, codes = _choices_across_years(survey_ids, question_code)
    if {kind for kind, _survey in questions.values()} == {QuestionKind.SINGLE}:
        totals, counts = _single_choice_years(every, rounds, questions, codes)
    else:
        totals, counts = {}, defaultdict(dict)
        answers = Answer.objects.filter(
            response__round_id__in=[r["id"] for r in rounds],
            response__submitted_at__isnull=False,
            question_id__in=list(questions),
        ).order_by()
        for r in answers.values("response__round_id").annotate(n=_respondents()):
            totals[r["response__round_id"]] = r["n"]
        for r in (
            answers.filter(choice__isnull=False)
            .values("response__round_id", "choice__code")
            .annotate(n=_respondents())
        ):
            counts[r["response__round_id"]][r["choice__code"]] = r["n"]
    return [
        YearRow(
            fiscal_year=r["fiscal_year"],
            round_id=r["id"],
            respondents=totals.get(r["id"], 0),
            counts_by_choice_code={code: counts[r["id"]].get(code, 0) for code, _label in choices},
            shares={
                code: _ratio(counts[r["id"]].get(code, 0), totals.get(r["id"], 0))
                for code, _label in choices
            },
            choices=choices,
        )
        for r in rounds
    ]


def _single_choice_years(
    every: list[dict],
    rounds: list[dict],
    questions: dict[int, tuple[str, int]],
    codes: dict[int, str],
) -> tuple[dict[int, int], dict[int, dict[str, int]]]:
    """Respondents and counts per choice code of each round, for a question that is single
    choice in every year: one answer row per respondent. When each definition went out in
    one round only, a question's answers are its round's: they are counted from the answers'
    index alone, and the answers of the drafts are subtracted (a closed round has few).
    Otherwise, or with many drafts, the answers are joined to their submitted responses."""
    round_of_survey = {r["survey_id"]: r["id"] for r in rounds}
    shared = len({r["survey_id"] for r in every}) != len(every)
    totals: dict[int, int] = defaultdict(int)
    counts: dict[int, dict[str, int]] = defaultdict(dict)

    def add(round_id: int, choice_id: int | None, n: int) -> None:
        totals[round_id] += n
        if choice_id is not None:
            year = counts[round_id]
            year[codes[choice_id]] = year.get(codes[choice_id], 0) + n

    round_ids = [r["id"] for r in rounds]
    drafts = (
        []
        if shared
        else list(
            Response.objects.filter(round_id__in=round_ids, submitted_at__isnull=True).values_list(
                "pk", flat=True
            )[: _counts.SUBTRACT_AT_MOST + 1]
        )
    )
    if shared or len(drafts) > _counts.SUBTRACT_AT_MOST:
        joined = Answer.objects.filter(
            response__round_id__in=round_ids,
            response__submitted_at__isnull=False,
            question_id__in=list(questions),
        ).order_by()
        for round_id, choice_id, n in joined.values_list(
            "response__round_id", "choice_id"
        ).annotate(n=Count("*")):
            add(round_id, choice_id, n)
        return totals, counts
    survey_of_question = {pk: survey_id for pk, (_kind, survey_id) in questions.items()}
    answers = Answer.objects.filter(question_id__in=list(questions)).order_by()
    for question_id, choice_id, n in answers.values_list("question_id", "choice_id").annotate(
        n=Count("*")
    ):
        add(round_of_survey[survey_of_question[question_id]], choice_id, n)
    if drafts:
        for question_id, choice_id, n in (
            answers.filter(response_id__in=drafts)
            .values_list("question_id", "choice_id")
            .annotate(n=Count("*"))
        ):
            add(round_of_survey[survey_of_question[question_id]], choice_id, -n)
    return totals, counts


def _choices_across_years(
    survey_ids: set[int], question_code: str
) -> tuple[tuple[tuple[str, str], ...], dict[int, str]]:
    """Every choice code of the question in these definitions, labelled and ordered as the
    newest year has it (codes dropped since then follow, as their last year had them), and
    the code of each choice's id."""
    labels: dict[str, str] = {}
    codes: dict[int, str] = {}
    for choice in (
        Choice.objects.filter(question__survey_id__in=survey_ids, question__code=question_code)
        .order_by("-question__survey__fiscal_year", "order", "id")
        .values("id", "code", "label")
    ):
        labels.setdefault(choice["code"], choice["label"])
        codes[choice["id"]] = choice["code"]
    return tuple(labels.items()), codes


def _kpi_rounds(prefecture: str, fiscal_year: int) -> tuple[list[int], Q]:
    """The ids of the prefecture's rounds of a fiscal year that name a KPI question, and the
    condition on an answer that counts as 「している」 in its round."""
    rounds = list(
        Round.objects.filter(
            survey__prefecture_id=prefecture, fiscal_year=fiscal_year, kpi_question__isnull=False
        ).values("id", "kpi_question_id", "kpi_choices")
    )
    doing_q = Q(pk__in=[])
    for r in rounds:
        doing_q |= Q(
            response__round_id=r["id"],
            question_id=r["kpi_question_id"],
            choice__code__in=list(r["kpi_choices"] or []),
        )
    return [r["id"] for r in rounds], doing_q


def kpi(
    prefecture: str, fiscal_year: int, *, submitted_before: datetime.datetime | None = None
) -> SurveyKpi:
    """The plan's 「している」: over the prefecture's rounds of a fiscal year that name a KPI
    question, the submitted responses whose answer to it is one of the round's KPI choices
    (only those submitted before ``submitted_before``, when given: the figure as it stood)."""
    ids, doing_q = _kpi_rounds(prefecture, fiscal_year)
    targets = Invitation.objects.filter(round_id__in=ids).count() if ids else 0
    doing_answers = Answer.objects.filter(doing_q, response_id=OuterRef("pk"))
    responses = Response.objects.filter(round_id__in=ids, submitted_at__isnull=False)
    if submitted_before is not None:
        responses = responses.filter(submitted_at__lt=submitted_before)
    figures = (
        responses.aggregate(
            responses=Count("pk"), doing=Count("pk", filter=Q(Exists(doing_answers)))
        )
        if ids
        else {"responses": 0, "doing": 0}
    )
    return SurveyKpi(
        fiscal_year=fiscal_year,
        targets=targets,
        responses=figures["responses"],
        response_rate=_ratio(figures["responses"], targets),
        doing=figures["doing"],
        doing_share=_ratio(figures["doing"], figures["responses"]),
    )


def respondents_doing(prefecture: str, fiscal_year: int) -> dict[int, bool]:
    """Corporation id → whether it answered 「している」, for the corporations that submitted a
    response to a KPI round of the fiscal year (「している」 in any of them counts); one query."""
    ids, doing_q = _kpi_rounds(prefecture, fiscal_year)
    if not ids:
        return {}
    doing_answers = Answer.objects.filter(doing_q, response_id=OuterRef("pk"))
    rows = (
        Response.objects.filter(
            round_id__in=ids, submitted_at__isnull=False, invitation__corporation__isnull=False
        )
        .annotate(doing=Exists(doing_answers))
        .values_list("invitation__corporation_id", "doing")
    )
    answered: dict[int, bool] = {}
    for corporation_id, doing in rows:
        answered[corporation_id] = answered.get(corporation_id, False) or doing
    return answered


def latest_kpi_year(prefecture: str, submitted_before: datetime.datetime) -> int | None:
    """The latest fiscal year whose KPI rounds had a submitted response before the instant."""
    return Response.objects.filter(
        round__survey__prefecture_id=prefecture,
        round__kpi_question__isnull=False,
        submitted_at__lt=submitted_before,
    ).aggregate(year=Max("round__fiscal_year"))["year"]
