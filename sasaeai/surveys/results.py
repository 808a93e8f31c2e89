"""Results of a survey round: response rate, counts by question, cross-tabs, years compared,
the plan's 「している」 KPI, and the results workbook.

Only submitted responses count. A question's share is the share of the respondents who
answered that question (for a multiple-choice question the shares can sum over 1). Every
figure is counted by the database (``GROUP BY``) in a fixed number of queries, whatever the
number of respondents. What leaves the center is cross-tabulated with ``hide_small``: a cell
of fewer than three respondents could name a corporation.
"""

from __future__ import annotations

import datetime
import decimal
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import (
    CHOICE_KINDS,
    Answer,
    Choice,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Round,
    TargetKind,
)

__all__ = [
    "NONE_LABEL",
    "SMALL",
    "CrossRow",
    "CrossTab",
    "NumberSummary",
    "Rate",
    "RateRow",
    "Row",
    "SurveyKpi",
    "YearRow",
    "crosstab",
    "kpi",
    "matrix_counts",
    "number_summary",
    "question_counts",
    "rate_by",
    "response_rate",
    "results_workbook",
    "text_answers",
    "year_over_year",
]

# Fewer respondents than this in a cell are not shown outside the center.
SMALL = 3
# The group of targets with no municipality, no sector group or no facility kind.
NONE_LABEL = "—"
SHEET_RATES = "回答状況"
SHEET_QUESTIONS = "設問別"
SHEET_ANSWERS = "回答一覧"
JOIN = ";"
PERCENT = "0.0%"

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


# Groups: by municipality, sector group, membership or another question's answer --------------


@dataclass(frozen=True)
class _Grouping:
    """How to group a query's rows: annotations ``key`` and ``label`` (and ``sort``), and the
    order of the groups."""

    exprs: dict[str, object]
    label: Callable[[dict], str] = lambda row: row["label"] or NONE_LABEL
    # Where the counts can group by a plain column and name the groups in Python instead:
    # the column's path and a function from its values to each one's key, label and sort.
    raw: str = ""
    fold: Callable[[set], dict[object, dict]] | None = None
    sort: Callable[[dict], tuple] = lambda row: (
        row["sort"] is None,
        row["sort"] if row["sort"] is not None else 0,
        str(row["key"]),
    )


def _corporation_path(round_: Round, prefix: str) -> str:
    if round_.target_kind == TargetKind.FACILITIES:
        return f"{prefix}facility__corporation"
    return f"{prefix}corporation"


def _local_governments(codes: set) -> dict[object, dict]:
    """{municipality code: its local government's key, label and sort}: a ward folded into
    its designated city (one query over the master data)."""
    from sasaeai.regions.models import Municipality

    folded = {}
    for code, name, parent, parent_name in Municipality.objects.values_list(
        "code", "name", "parent_id", "parent__name"
    ):
        if code in codes:
            key = parent or code
            folded[code] = {"key": key, "label": parent_name or name, "sort": key}
    for code in codes - folded.keys():  # no municipality
        folded[code] = {"key": None, "label": None, "sort": None}
    return folded


def _by_municipality(prefix: str, raw: str = "") -> _Grouping:
    """The local government: a ward folded into its designated city. ``raw``: the same
    place nearer at hand (a response's copy of its invitation's)."""
    place = f"{prefix}municipality"
    return _Grouping(
        {
            "key": Coalesce(f"{place}__parent_id", f"{place}_id"),
            "label": Coalesce(f"{place}__parent__name", f"{place}__name"),
            "sort": Coalesce(f"{place}__parent_id", f"{place}_id"),
        },
        raw=raw or f"{place}_id",
        fold=_local_governments,
    )


def _by_sector(round_: Round, prefix: str) -> _Grouping:
    sector = f"{_corporation_path(round_, prefix)}__sector_group"
    return _Grouping(
        {
            "key": F(f"{sector}_id"),
            "label": F(f"{sector}__name"),
            "sort": F(f"{sector}__sort_order"),
        }
    )


def _by_facility_kind(prefix: str) -> _Grouping:
    kind = f"{prefix}facility__kind"
    return _Grouping(
        {"key": F(f"{kind}_id"), "label": F(f"{kind}__name"), "sort": F(f"{kind}__sort_order")}
    )


def _by_membership(round_: Round, prefix: str) -> _Grouping:
    """Member or not on the round's deadline (its date in Japan)."""
    from sasaeai.members.models import Corporation, Council

    on = timezone.localdate(round_.deadline)
    if round_.target_kind == TargetKind.COUNCILS:
        members, member_id = Council.objects.members_on(on), f"{prefix}council_id"
    elif round_.target_kind in (TargetKind.CORPORATIONS, TargetKind.FACILITIES):
        members = Corporation.objects.members_on(on)
        member_id = f"{_corporation_path(round_, prefix)}_id"
    else:
        raise ValueError(f"A round sent to {round_.target_kind} has no membership.")
    return _Grouping(
        {"key": Exists(members.filter(pk=OuterRef(member_id)))},
        label=lambda row: _("member") if row["key"] else _("not a member"),
        sort=lambda row: (not row["key"],),
    )


def _by_answer(round_: Round, other: Question | str | None) -> tuple[Question, _Grouping]:
    """The respondent's answer to another choice question (one group per choice chosen)."""
    if other is None:
        raise ValueError("A cross-tab by question needs the other question.")
    other = _question(round_, other, SINGLE_OR_MULTIPLE)
    peer = "response__answers__choice"
    return other, _Grouping(
        {"key": F(f"{peer}__code"), "label": F(f"{peer}__label"), "sort": F(f"{peer}__order")}
    )


def _tally(answers: QuerySet[Answer], grouping: _Grouping) -> tuple[list[dict], dict]:
    """Groups (with their respondents, in order) and respondents per (group, choice)."""
    grouped = answers.annotate(**grouping.exprs)
    names = list(grouping.exprs)
    groups = sorted(grouped.values(*names).annotate(n=_respondents()), key=grouping.sort)
    cells = {
        (r["key"], r["choice_id"]): r["n"]
        for r in grouped.values(*names, "choice_id").annotate(n=_respondents())
    }
    return groups, cells


def _tally_single(answers: QuerySet[Answer], grouping: _Grouping) -> tuple[list[dict], dict]:
    """The same in one ``GROUP BY`` for a single-choice question grouped by something every
    respondent has one of: each respondent has exactly one answer row (with its choice) to
    the question, so rows count respondents and a group's respondents are its cells' sum.
    A grouping with a plain column (``raw``) groups by it and names the groups in Python."""
    cells: dict[tuple[object, int], int] = defaultdict(int)
    totals: dict[object, int] = defaultdict(int)
    if grouping.raw:
        rows = list(answers.values_list(grouping.raw, "choice_id").annotate(n=Count("*")))
        folded = grouping.fold({raw for raw, _choice, _n in rows})
        key_of = {raw: group["key"] for raw, group in folded.items()}
        group_of = {group["key"]: group for group in folded.values()}
    else:
        names = list(grouping.exprs)
        group_of, key_of, rows = {}, {}, []
        for r in (
            answers.annotate(**grouping.exprs).values(*names, "choice_id").annotate(n=Count("*"))
        ):
            group_of[r["key"]] = {name: r[name] for name in names}
            rows.append((r["key"], r["choice_id"], r["n"]))
        key_of = {key: key for key in group_of}
    for raw, choice, n in rows:
        key = key_of[raw]
        cells[(key, choice)] += n
        totals[key] += n
    groups = {key: {**group_of[key], "n": n} for key, n in totals.items()}
    return sorted(groups.values(), key=grouping.sort), dict(cells)


def _cross_row(
    key: object, label: str, total: int, counts: list[int], *, hide_small: bool
) -> CrossRow:
    if hide_small and total < SMALL:
        return CrossRow(key, label, None, [None] * len(counts), [None] * len(counts))
    if hide_small:
        counts = [count if count >= SMALL else None for count in counts]
    shares = [count / total if count is not None and total else None for count in counts]
    return CrossRow(key, label, total, counts, shares)


def crosstab(
    round_: Round,
    question: Question | str,
    *,
    by: str,
    other: Question | str | None = None,
    hide_small: bool,
) -> CrossTab:
    """Respondents per choice of ``question`` in each group ``by`` municipality (the
    invitation's local government), sector (the invited corporation's sector group),
    membership (on the deadline's date) or another question (``other``: its answer).

    With ``hide_small`` (anything shared outside the center) a cell of fewer than ``SMALL``
    respondents is None, and so is every figure of a group of fewer than ``SMALL``."""
    question = _question(round_, question, SINGLE_OR_MULTIPLE)
    answers = _submitted_answers(round_).filter(question=question)
    if by == "municipality":
        grouping = _by_municipality("response__invitation__", raw="response__municipality_id")
    elif by == "sector":
        grouping = _by_sector(round_, "response__invitation__")
    elif by == "membership":
        grouping = _by_membership(round_, "response__invitation__")
    elif by == "question":
        other, grouping = _by_answer(round_, other)
        if other.pk == question.pk:
            raise ValueError("Cross-tabulate a question by another one.")
        # The join that this filter makes is the one the grouping's annotations read.
        answers = answers.filter(response__answers__question=other)
    else:
        raise ValueError(f"by must be one of {', '.join(BY_CHOICES)}, not {by!r}.")
    choices = list(question.choices.all())
    choice_ids = [choice.pk for choice in choices]
    single = question.kind == QuestionKind.SINGLE and by != "question"
    groups, cells = (_tally_single if single else _tally)(answers, grouping)
    counts = [[cells.get((group["key"], pk), 0) for pk in choice_ids] for group in groups]
    rows = [
        _cross_row(
            group["key"], grouping.label(group), group["n"], group_counts, hide_small=hide_small
        )
        for group, group_counts in zip(groups, counts, strict=True)
    ]
    if single:
        # Every respondent is in one group: the overall row is the groups' sum.
        overall_total = sum(group["n"] for group in groups)
        overall_counts = [sum(column) for column in zip(*counts, strict=True)] or [0] * len(
            choice_ids
        )
    else:
        overall_cells, overall_totals = _choice_tallies(round_, [question.pk])
        overall_total = overall_totals.get((question.pk, ""), 0)
        overall_counts = [overall_cells.get((question.pk, "", pk), 0) for pk in choice_ids]
    overall = _cross_row(None, _("Total"), overall_total, overall_counts, hide_small=hide_small)
    return CrossTab(
        question=question.code,
        by=by,
        codes=[choice.code for choice in choices],
        columns=[choice.label for choice in choices],
        rows=rows,
        overall=overall,
        hide_small=hide_small,
    )


def rate_by(round_: Round, by: str = "municipality") -> list[RateRow]:
    """Targets and submitted responses per municipality (local government), or per "kind":
    sector group for a round to corporations, facility kind for one to facilities (one
    group for councils and networks)."""
    if by == "municipality":
        grouping = _by_municipality("")
    elif by == "kind" and round_.target_kind in (TargetKind.CORPORATIONS, TargetKind.FACILITIES):
        is_facility = round_.target_kind == TargetKind.FACILITIES
        grouping = _by_facility_kind("") if is_facility else _by_sector(round_, "")
    elif by == "kind":
        total = response_rate(round_)
        return [RateRow(None, NONE_LABEL, *total)]
    else:
        raise ValueError(f"by must be municipality or kind, not {by!r}.")
    rows = (
        Invitation.objects.filter(round=round_)
        .order_by()
        .annotate(**grouping.exprs)
        .values(*grouping.exprs)
        .annotate(
            targets=Count("pk"),
            responses=Count("pk", filter=Q(response__submitted_at__isnull=False)),
        )
    )
    return [
        RateRow(
            row["key"],
            grouping.label(row),
            row["targets"],
            row["responses"],
            _ratio(row["responses"], row["targets"]),
        )
        for row in sorted(rows, key=grouping.sort)
    ]


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


# Answers of responses left out (drafts, other rounds of a definition) are subtracted rather
# than the kept ones joined, while they are at most this many responses.
SUBTRACT_AT_MOST = 5000


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
            )[: SUBTRACT_AT_MOST + 1]
        )
    )
    if shared or len(drafts) > SUBTRACT_AT_MOST:
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


def kpi(prefecture: str, fiscal_year: int) -> SurveyKpi:
    """The plan's 「している」: over the prefecture's rounds of a fiscal year that name a KPI
    question, the submitted responses whose answer to it is one of the round's KPI choices."""
    rounds = list(
        Round.objects.filter(
            survey__prefecture_id=prefecture, fiscal_year=fiscal_year, kpi_question__isnull=False
        ).values("id", "kpi_question_id", "kpi_choices")
    )
    ids = [r["id"] for r in rounds]
    targets = Invitation.objects.filter(round_id__in=ids).count() if ids else 0
    doing_q = Q(pk__in=[])
    for r in rounds:
        doing_q |= Q(
            response__round_id=r["id"],
            question_id=r["kpi_question_id"],
            choice__code__in=list(r["kpi_choices"] or []),
        )
    doing_answers = Answer.objects.filter(doing_q, response_id=OuterRef("pk"))
    figures = (
        Response.objects.filter(round_id__in=ids, submitted_at__isnull=False).aggregate(
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


# The workbook ---------------------------------------------------------------------------------


def _cell(sheet, value: object, *, bold: Font | None = None, number_format: str = "") -> object:
    """A cell as ``core.tabular.write_xlsx`` writes one: texts stay texts (even “=…”),
    date-times in Japan's time, control characters dropped."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).replace(tzinfo=None)
    elif isinstance(value, decimal.Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
    elif bold is None and not number_format:
        return value
    else:
        cell = WriteOnlyCell(sheet, value)
    if bold is not None:
        cell.font = bold
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def _write_sheet(
    workbook: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    percent: Sequence[int] = (),
) -> None:
    """A sheet with a bold, frozen header row; columns at ``percent`` shown as 0.0%."""
    sheet = workbook.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, 1):
        width = min(max(10, 2.2 * len(header)), 60)
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    sheet.append([_cell(sheet, header, bold=bold) for header in headers])
    for row in rows:
        sheet.append(
            [
                _cell(sheet, value, number_format=PERCENT if i in percent else "")
                for i, value in enumerate(row)
            ]
        )


def _rates_rows(round_: Round) -> list[list[object]]:
    rows: list[list[object]] = [
        [row.label, row.targets, row.responses, row.rate] for row in rate_by(round_)
    ]
    total = response_rate(round_)
    rows.append([_("Total"), total.targets, total.responses, total.rate])
    return rows


def _question_rows(round_: Round, questions: Sequence[Question]) -> list[list[object]]:
    asked = [q for q in questions if q.kind in CHOICE_KINDS]
    cells, totals = _choice_tallies(round_, [q.pk for q in asked])
    rows: list[list[object]] = []
    for question in asked:
        choices = list(question.choices.all())
        matrix_rows = question.rows if question.kind == QuestionKind.MATRIX else [{"code": ""}]
        for matrix_row in matrix_rows:
            respondents = totals.get((question.pk, matrix_row["code"]), 0)
            for row in _rows(question, choices, cells, totals, matrix_row["code"]):
                rows.append(
                    [
                        question.code,
                        question.text,
                        matrix_row.get("label", matrix_row["code"]) or None,
                        row.code,
                        row.label,
                        respondents,
                        row.count,
                        row.share,
                    ]
                )
    return rows


def _answer_columns(questions: Sequence[Question], include_text: bool) -> list[tuple]:
    """(header, question id, matrix row, part) of each column of the raw answers; ``part`` is
    "value" or "other" (the text of “other”)."""
    columns = []
    for question in questions:
        if question.kind == QuestionKind.MATRIX:
            for row in question.rows:
                code = f"{question.code}__{row['code']}"
                columns.append((code, question.pk, row["code"], "value"))
        elif question.kind != QuestionKind.TEXT or include_text:
            columns.append((question.code, question.pk, "", "value"))
        if question.has_other and include_text and question.kind in SINGLE_OR_MULTIPLE:
            columns.append((f"{question.code}__other", question.pk, "", "other"))
    return columns


def _answer_rows(round_: Round, columns: Sequence[tuple]) -> Iterable[list[object]]:
    values: dict[int, dict[tuple, list]] = defaultdict(lambda: defaultdict(list))
    for answer in (
        _submitted_answers(round_)
        .order_by("response_id", "question_id", "row", "choice__order", "choice_id")
        .values("response_id", "question_id", "row", "choice__code", "text", "number", "date")
    ):
        key = (answer["question_id"], answer["row"])
        if answer["choice__code"] is not None:
            values[answer["response_id"]][(*key, "value")].append(answer["choice__code"])
            if answer["text"]:
                values[answer["response_id"]][(*key, "other")].append(answer["text"])
        else:
            value = answer["number"] if answer["number"] is not None else answer["date"]
            values[answer["response_id"]][(*key, "value")].append(
                value if value is not None else answer["text"]
            )
    responses = (
        Response.objects.filter(round=round_, submitted_at__isnull=False)
        .order_by("invitation__municipality_id", "invitation__name", "pk")
        .values("pk", "invitation__name", "invitation__municipality__name", "submitted_at")
    )
    for response in responses:
        own = values.get(response["pk"], {})
        row: list[object] = [
            response["invitation__name"],
            response["invitation__municipality__name"] or NONE_LABEL,
            response["submitted_at"],
        ]
        for _header, question_id, matrix_row, part in columns:
            found = own.get((question_id, matrix_row, part), [])
            if len(found) == 1:
                row.append(found[0])
            else:
                row.append(JOIN.join(str(v) for v in found) if found else None)
        yield row


def results_workbook(round_: Round, *, include_text: bool) -> bytes:
    """The round's results as an .xlsx: 回答状況 (response rate by municipality), 設問別
    (every choice question's counts and shares) and 回答一覧 (one row per submitted response,
    one column per question code, choice codes joined by “;”; free texts, and the texts of
    “other”, only with ``include_text``)."""
    questions = list(
        Question.objects.filter(survey_id=round_.survey_id)
        .order_by("order", "id")
        .prefetch_related("choices")
    )
    workbook = Workbook(write_only=True)
    _write_sheet(
        workbook,
        SHEET_RATES,
        [_("Municipality"), _("Targets"), _("Responses"), _("Response rate")],
        _rates_rows(round_),
        percent=[3],
    )
    _write_sheet(
        workbook,
        SHEET_QUESTIONS,
        [
            _("Question"),
            _("Question text"),
            _("Row"),
            _("Choice"),
            _("Label"),
            _("Respondents"),
            _("Count"),
            _("Share"),
        ],
        _question_rows(round_, questions),
        percent=[7],
    )
    columns = _answer_columns(questions, include_text)
    _write_sheet(
        workbook,
        SHEET_ANSWERS,
        [_("Name"), _("Municipality"), _("Submitted at"), *(c[0] for c in columns)],
        _answer_rows(round_, columns),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
