"""Cross-tabs of a choice question by municipality (wards in their city), sector group,
membership or another question's answer, and the response rate by place or kind."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Round,
    TargetKind,
)
from . import counts as _counts
from .counts import (
    BY_CHOICES,
    NONE_LABEL,
    SINGLE_OR_MULTIPLE,
    SMALL,
    CrossRow,
    CrossTab,
    RateRow,
    _choice_tallies,
    _question,
    _ratio,
    _respondents,
    _submitted_answers,
    response_rate,
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


def _names_and_parents() -> tuple[dict[str, str], dict[str, str]]:
    """Every municipality's name and its designated city, read once per version of the
    master data (``core.versions`` token ``regions``: one indexed row per call)."""
    from sasaeai.core.versions import tokens
    from sasaeai.regions.models import Municipality

    (token,) = tokens("regions")
    cached = _MASTER.get("names")
    if cached is not None and cached[0] == token:
        return cached[1], cached[2]
    rows = Municipality.objects.order_by().values_list("code", "name", "parent_id")
    names, parents = {}, {}
    for code, name, parent in rows.iterator(chunk_size=4000):
        names[code] = name
        if parent:
            parents[code] = parent
    _MASTER["names"] = (token, names, parents)
    return names, parents


_MASTER: dict[str, tuple] = {}


def _local_governments(codes: set) -> dict[object, dict]:
    """{municipality code: its local government's key, label and sort}: a ward folded into
    its designated city (the master data's names, cached per version)."""
    names, parents = _names_and_parents()
    folded = {}
    for code in codes & names.keys():
        key = parents.get(code, code)
        folded[code] = {"key": key, "label": names.get(key, names[code]), "sort": key}
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


def _place_counts(round_: Round, question: Question) -> list[tuple] | None:
    """(municipality, choice, respondents) of a single-choice question read from the answers'
    index alone (each answer keeps its respondent's place), minus the answers of the round's
    drafts; None when the definition went out in other rounds too, or the drafts are many
    (then the answers are joined to their submitted responses)."""
    if Round.objects.filter(survey_id=round_.survey_id).count() != 1:
        return None
    drafts = list(
        Response.objects.filter(round=round_, submitted_at__isnull=True).values_list(
            "pk", flat=True
        )[: _counts.SUBTRACT_AT_MOST + 1]
    )
    if len(drafts) > _counts.SUBTRACT_AT_MOST:
        return None
    answers = Answer.objects.filter(question=question).order_by()
    by_place: dict[tuple, int] = defaultdict(int)
    # Grouped in the index's order (choice, then place): no sorting.
    for choice, place, n in answers.values_list("choice_id", "municipality_id").annotate(
        n=Count("*")
    ):
        by_place[(place, choice)] += n
    if drafts:
        for choice, place, n in (
            answers.filter(response_id__in=drafts)
            .values_list("choice_id", "municipality_id")
            .annotate(n=Count("*"))
        ):
            by_place[(place, choice)] -= n
    return [(place, choice, n) for (place, choice), n in by_place.items() if n]


def _tally_single(
    answers: QuerySet[Answer], grouping: _Grouping, counted: list[tuple] | None = None
) -> tuple[list[dict], dict]:
    """The same in one ``GROUP BY`` for a single-choice question grouped by something every
    respondent has one of: each respondent has exactly one answer row (with its choice) to
    the question, so rows count respondents and a group's respondents are its cells' sum.
    A grouping with a plain column (``raw``) groups by it (or takes the rows ``counted`` by
    that column already) and names the groups in Python."""
    cells: dict[tuple[object, int], int] = defaultdict(int)
    totals: dict[object, int] = defaultdict(int)
    if grouping.raw:
        rows = counted
        if rows is None:
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
    if single:
        counted = _place_counts(round_, question) if by == "municipality" else None
        groups, cells = _tally_single(answers, grouping, counted)
    else:
        groups, cells = _tally(answers, grouping)
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
