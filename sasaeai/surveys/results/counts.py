"""What a round's answers count: response rate, counts by question, numbers and texts;
the shapes every table of results is made of."""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from ..models import (
    Answer,
    Choice,
    Invitation,
    Question,
    QuestionKind,
    Round,
)

# Answers of responses left out (drafts, other rounds of a definition) are subtracted from
# all the answers of a question rather than the kept ones joined to their responses, while
# they are at most this many responses.
SUBTRACT_AT_MOST = 5000
# Fewer respondents than this in a cell are not shown outside the center.
SMALL = 3
# The group of targets with no municipality, no sector group or no facility kind.
NONE_LABEL = "—"

BY_CHOICES = ("municipality", "sector", "membership", "question")
SINGLE_OR_MULTIPLE = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Rate(NamedTuple):
    targets: int
    responses: int
    rate: float | None


class RateRow(NamedTuple):
    key: object
    label: str
    targets: int
    responses: int
    rate: float | None


class Row(NamedTuple):
    code: str
    label: str
    count: int
    share: float | None


class NumberSummary(NamedTuple):
    count: int
    mean: float | None
    min: decimal.Decimal | None
    max: decimal.Decimal | None


@dataclass(frozen=True)
class CrossRow:
    """One group of respondents; when hidden (fewer than ``SMALL``) its figures are None."""

    key: object
    label: str
    total: int | None
    counts: list[int | None]
    shares: list[float | None]

    @property
    def hidden(self) -> bool:
        return self.total is None


@dataclass(frozen=True)
class CrossTab:
    question: str  # the question's code
    by: str
    codes: list[str]  # the question's choice codes, in order
    columns: list[str]  # their labels
    rows: list[CrossRow]
    overall: CrossRow  # every respondent of the question
    hide_small: bool


@dataclass(frozen=True)
class YearRow:
    fiscal_year: int
    round_id: int
    respondents: int
    counts_by_choice_code: dict[str, int]
    shares: dict[str, float | None]
    # (code, label) of every choice, in order, labelled as the newest year labels them;
    # the same for every row.
    choices: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class SurveyKpi:
    fiscal_year: int
    targets: int
    responses: int
    response_rate: float | None
    doing: int
    doing_share: float | None


def _ratio(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


# Questions and answers ------------------------------------------------------------------------


def _question(round_: Round, question: Question | str, kinds: Iterable[str]) -> Question:
    """The question (or the question of that code) of the round's definition, of ``kinds``."""
    if isinstance(question, str):
        question = Question.objects.get(survey_id=round_.survey_id, code=question)
    if question.survey_id != round_.survey_id:
        raise ValueError(f"{question.code} is not a question of round {round_.pk}.")
    if question.kind not in set(kinds):
        raise ValueError(f"{question.code} is a {question.kind} question.")
    return question


def _submitted_answers(round_: Round) -> QuerySet[Answer]:
    return Answer.objects.filter(
        response__round=round_, response__submitted_at__isnull=False
    ).order_by()


def _respondents() -> Count:
    return Count("response_id", distinct=True)


def _choice_tallies(
    round_: Round, question_ids: Sequence[int]
) -> tuple[dict[tuple[int, str, int], int], dict[tuple[int, str], int]]:
    """Respondents per (question, matrix row, choice), and per (question, matrix row) who
    answered: two queries."""
    answers = _submitted_answers(round_).filter(question_id__in=question_ids)
    cells = {
        (r["question_id"], r["row"], r["choice_id"]): r["n"]
        for r in answers.values("question_id", "row", "choice_id").annotate(n=_respondents())
    }
    totals = {
        (r["question_id"], r["row"]): r["n"]
        for r in answers.values("question_id", "row").annotate(n=_respondents())
    }
    return cells, totals


def _rows(
    question: Question, choices: Sequence[Choice], cells: dict, totals: dict, row: str = ""
) -> list[Row]:
    total = totals.get((question.pk, row), 0)
    rows = []
    for choice in choices:
        count = cells.get((question.pk, row, choice.pk), 0)
        rows.append(Row(choice.code, choice.label, count, _ratio(count, total)))
    return rows


def response_rate(round_: Round) -> Rate:
    """Targets (invitations) and submitted responses of a round."""
    figures = Invitation.objects.filter(round=round_).aggregate(
        targets=Count("pk"), responses=Count("pk", filter=Q(response__submitted_at__isnull=False))
    )
    targets, responses = figures["targets"], figures["responses"]
    return Rate(targets, responses, _ratio(responses, targets))


def question_counts(round_: Round, question: Question | str) -> list[Row]:
    """Respondents per choice of a single or multiple choice question, in the choices' order."""
    question = _question(round_, question, SINGLE_OR_MULTIPLE)
    cells, totals = _choice_tallies(round_, [question.pk])
    return _rows(question, list(question.choices.all()), cells, totals)


def matrix_counts(round_: Round, question: Question | str) -> dict[str, list[Row]]:
    """Per row of a matrix (by its code, in order): respondents per choice; shares of those
    who answered that row."""
    question = _question(round_, question, [QuestionKind.MATRIX])
    cells, totals = _choice_tallies(round_, [question.pk])
    choices = list(question.choices.all())
    return {
        row["code"]: _rows(question, choices, cells, totals, row["code"]) for row in question.rows
    }


def number_summary(round_: Round, question: Question | str) -> NumberSummary:
    """Count, mean, minimum and maximum of a number or scale question."""
    question = _question(round_, question, [QuestionKind.NUMBER, QuestionKind.SCALE])
    figures = (
        _submitted_answers(round_)
        .filter(question=question, number__isnull=False)
        .aggregate(count=Count("pk"), total=Sum("number"), low=Min("number"), high=Max("number"))
    )
    count = figures["count"]
    # The mean from the exact sum: the same on SQLite and PostgreSQL.
    mean = float(figures["total"]) / count if count else None
    return NumberSummary(count, mean, figures["low"], figures["high"])


def text_answers(round_: Round, question: Question | str) -> list[str]:
    """The free texts of a text question, in the order they were submitted. They can name
    people: for center staff only (the caller decides)."""
    question = _question(round_, question, [QuestionKind.TEXT])
    return list(
        _submitted_answers(round_)
        .filter(question=question)
        .exclude(text="")
        .order_by("response__submitted_at", "response_id")
        .values_list("text", flat=True)
    )
