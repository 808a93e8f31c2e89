"""Answers on paper or in Excel: a round's answer sheet to fill in offline, and its import.

The sheet has one row per invitation (法人番号, 招待コード, 名称, 市町村) and one column per
answer, named by its code as ``save_answers`` reads it: ``q1``; ``q2__other`` for the text of
“other”; ``q4__r1`` for each row of a matrix. A filled-in sheet is read back with choice codes
or labels, checked row by row by the web form's own rules (``save_answers`` in a savepoint that
is rolled back), and written all or nothing. Paper answers arrive after the web deadline: they
are accepted until the round is closed.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import decimal
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sasaeai.core.hojin import is_valid_corporate_number, normalize_corporate_number
from sasaeai.core.tabular import (
    Column,
    CsvEncoding,
    HeaderMatch,
    RowError,
    TableError,
    TableSpec,
    header_key,
    match_headers,
    open_table,
    parse_corporate_number,
    parse_rows,
    stream_csv,
    write_xlsx,
)
from sasaeai.core.text import search_key

from . import actions
from .definition import OTHER
from .models import Invitation, Question, QuestionKind, Response, Round

CORPORATE_NUMBER = "法人番号"
INVITATION_CODE = "招待コード"
NAME = "名称"
MUNICIPALITY = "市町村"
FIXED_HEADERS = (CORPORATE_NUMBER, INVITATION_CODE, NAME, MUNICIPALITY)
SOURCE = "import"
# Written between the choices of a multiple choice; read also as ；(NFKC gives ;) and 、.
SEPARATOR = ";"
_SEPARATORS = re.compile(r"[;、]")
# A header that looks like a question code: a misspelt or foreign question, never ignored.
_CODE_LIKE = re.compile(r"[a-z0-9][a-z0-9_-]*")

CLOSED = gettext_lazy("“%(round)s” is closed: answers can no longer be imported.")
NO_RESPONDENT_COLUMN = gettext_lazy(
    "Add a column %(token)s or %(number)s: it tells whose answers each row holds."
)
NO_QUESTION_COLUMN = gettext_lazy(
    "No column of “%(name)s” is a question of this survey: its columns are named by the "
    "question codes, as in the exported answer sheet."
)


@dataclass(frozen=True)
class SheetColumn:
    """One answer column: its header (the key ``save_answers`` reads), its question and which
    part of the answer it holds (the text of “other”, or a matrix row)."""

    key: str
    question: Question
    other: bool = False
    row: str = ""


def sheet_columns(questions: Sequence[Question]) -> list[SheetColumn]:
    """The answer columns of the questions, in their order."""
    columns = []
    for question in questions:
        if question.kind == QuestionKind.MATRIX:
            for row in question.rows:
                code = row["code"]
                columns.append(SheetColumn(f"{question.code}__{code}", question, row=code))
            continue
        columns.append(SheetColumn(question.code, question))
        if question.has_other and question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            columns.append(SheetColumn(f"{question.code}__{OTHER}", question, other=True))
    return columns


def answer_sheet_headers(round_: Round) -> list[str]:
    """The headers of a round's answer sheet, in order."""
    columns = sheet_columns(actions.questions_of(round_.survey))
    return [*FIXED_HEADERS, *(column.key for column in columns)]


# Export ---------------------------------------------------------------------------------------


def _cell(column: SheetColumn, value: object) -> object:
    """A raw value as a cell: choices joined by ;, numbers and dates typed for Excel."""
    if isinstance(value, list | tuple):
        return SEPARATOR.join(value)
    if not value or column.other or column.row:
        return value
    kind = column.question.kind
    with contextlib.suppress(decimal.InvalidOperation, ValueError):
        if kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
            return decimal.Decimal(str(value))
        if kind == QuestionKind.DATE:
            return datetime.date.fromisoformat(str(value))
    return value


def _sheet_rows(
    round_: Round, columns: list[SheetColumn], *, include_blank: bool
) -> Iterator[list[object]]:
    invitations = round_.invitations.select_related("corporation", "municipality", "response")
    if not include_blank:
        invitations = invitations.filter(response__isnull=False)
    for invitation in invitations.order_by("municipality_id", "name", "pk"):
        response = _response_of(invitation)
        # One query per answered invitation: answers_as_raw is the one reading of the shape.
        raw = actions.answers_as_raw(response)
        yield [
            invitation.corporation.corporate_number if invitation.corporation_id else "",
            invitation.token,
            invitation.name,
            invitation.municipality.name if invitation.municipality_id else "",
            *(_cell(column, raw.get(column.key)) for column in columns),
        ]


def export_answers(
    round_: Round,
    target: BinaryIO | Path | str,
    *,
    include_blank: bool = True,
    format: Literal["xlsx", "csv"] = "xlsx",
    encoding: CsvEncoding = "utf-8-sig",
) -> None:
    """Write the round's answer sheet to ``target`` (a binary file or a path): every
    invitation (only those with answers unless ``include_blank``), saved answers filled in.
    ``format="csv"`` writes a CSV in ``encoding`` (UTF-8 with BOM, or CP932)."""
    columns = sheet_columns(actions.questions_of(round_.survey))
    headers = [*FIXED_HEADERS, *(column.key for column in columns)]
    rows = _sheet_rows(round_, columns, include_blank=include_blank)
    if format == "xlsx":
        target = Path(target) if isinstance(target, str) else target
        write_xlsx(headers, rows, target, sheet_title=round_.title)
    elif format == "csv":
        with contextlib.ExitStack() as stack:
            if isinstance(target, str | Path):
                target = stack.enter_context(open(target, "wb"))
            for chunk in stream_csv(headers, rows, encoding=encoding):
                target.write(chunk)
    else:
        msg = f"Unknown format {format!r}: use 'xlsx' or 'csv'."
        raise ValueError(msg)


# Import ---------------------------------------------------------------------------------------


@dataclass
class AnswersPlan:
    """What a filled-in sheet would write: a response per row in ``rows`` (invitation, raw),
    or the ``errors`` that refuse the file. Rows that hold the answers already saved and
    submitted are counted in ``unchanged``; rows with no answer at all in ``skipped``."""

    round: Round
    rows: list[tuple[Invitation, dict[str, object]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    # Headers that are neither a column of the sheet nor a question code: ignored.
    unknown_columns: tuple[str, ...] = ()
    # The Excel row of each invitation in ``rows``, by its pk, for messages.
    row_numbers: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class AnswersImportRefused(ValidationError):
    """A plan with errors, or one that can no longer be written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__([str(error) for error in errors])
        self.errors = errors


def _check_not_closed(round_: Round) -> None:
    if round_.closed_at is not None:
        raise ValidationError(CLOSED, code="closed", params={"round": round_.title})


def _response_of(invitation: Invitation) -> Response | None:
    try:
        return invitation.response
    except Response.DoesNotExist:
        return None


def _spec(columns: list[SheetColumn]) -> TableSpec:
    # Keys of the fixed columns start with “_”, which no question code can.
    return TableSpec(
        (
            Column("_number", (CORPORATE_NUMBER,)),
            Column("_token", (INVITATION_CODE, "token")),
            Column("_name", (NAME,)),
            Column("_municipality", (MUNICIPALITY,)),
            *(
                Column(
                    column.key,
                    (column.key,),
                    multiline=column.other or column.question.kind == QuestionKind.TEXT,
                )
                for column in columns
            ),
        )
    )


def _check_headers(
    plan: AnswersPlan, match: HeaderMatch, columns: list[SheetColumn], name: str
) -> None:
    """Refuse a file that names no respondent or no question; an error per unknown code."""
    match.require()
    if "_token" not in match.indexes and "_number" not in match.indexes:
        raise TableError(
            NO_RESPONDENT_COLUMN,
            code="missing_columns",
            params={"token": INVITATION_CODE, "number": CORPORATE_NUMBER},
        )
    unknown = [header for header in match.unknown if _CODE_LIKE.fullmatch(header_key(header))]
    for header in unknown:
        plan.errors.append(
            RowError(1, header, "", _("This column is not a question of this survey."))
        )
    plan.unknown_columns = tuple(header for header in match.unknown if header not in unknown)
    if not unknown and not any(column.key in match.indexes for column in columns):
        raise TableError(NO_QUESTION_COLUMN, code="no_question_column", params={"name": name})


class _Choices:
    """A choice question's codes by code and by label, both matched by search key."""

    def __init__(self, question: Question) -> None:
        choices = list(question.choices.all())
        self.codes = {search_key(choice.label): choice.code for choice in choices}
        self.codes.update({search_key(choice.code): choice.code for choice in choices})

    def one(self, text: str) -> str:
        """The code of a cell, or the cell as typed (``save_answers`` names it)."""
        return self.codes.get(search_key(text), text)

    def many(self, text: str) -> list[str]:
        # A whole label first: a label may itself hold a “、”.
        if search_key(text) in self.codes:
            return [self.codes[search_key(text)]]
        parts = (part.strip() for part in _SEPARATORS.split(text))
        return [self.one(part) for part in parts if part]


def _raw(
    columns: list[SheetColumn], cells: Mapping[str, str], choices: Mapping[str, _Choices]
) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """The raw dict of a row's cells, and the problems the web form cannot see: the text of
    “other” beside other answers (column, message)."""
    raw: dict[str, object] = {}
    problems = []
    for column in columns:
        text = cells.get(column.key)
        if not text:
            continue
        question = column.question
        if column.other:
            raw[column.key] = text
            picked = raw.get(question.code) or []
            if not picked:  # only the text of “other” written: that is the answer
                raw[question.code] = [OTHER]
            elif OTHER not in picked:
                problems.append((column.key, _("Choose “other” too, or leave its text empty.")))
        elif question.kind == QuestionKind.MATRIX:
            raw[column.key] = choices[question.code].one(text)
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            raw[column.key] = choices[question.code].many(text)
        else:
            raw[column.key] = text
    return raw, problems


def _problem_column(question: Question, raw: Mapping[str, object]) -> str:
    """The column to name for a question's problem: for a matrix, the row at fault."""
    if question.kind != QuestionKind.MATRIX:
        return question.code
    codes = {choice.code for choice in question.choices.all()}
    keys = [f"{question.code}__{row['code']}" for row in question.rows]
    wrong = [key for key in keys if raw.get(key) and raw[key] not in codes]
    empty = [key for key in keys if not raw.get(key)]
    return (wrong or empty or keys)[0]


def _problem_errors(
    number: int,
    problems: Sequence[actions.Problem],
    raw: Mapping[str, object],
    cells: Mapping[str, str],
    questions: Mapping[str, Question],
) -> list[RowError]:
    errors = []
    named = set()
    for problem in problems:
        # A value refused leaves its question unanswered: “required” would say it twice.
        if problem.question in named:
            continue
        named.add(problem.question)
        column = _problem_column(questions[problem.question], raw)
        errors.append(RowError(number, column, cells.get(column) or "", problem.message))
    return errors


def _comparable(raw: Mapping[str, object]) -> dict[str, object]:
    return {key: sorted(v) if isinstance(v, list) else v for key, v in raw.items()}


class _TrialSaved(Exception):
    """Raised to roll back a trial save, carrying what it saved."""

    def __init__(self, saved: dict[str, object]) -> None:
        super().__init__()
        self.saved = saved


def _try_saving(invitation: Invitation, raw: Mapping[str, object]) -> dict[str, object]:
    """Save the row as the import would, read the answers back, and undo it all.

    ``AnswersRefused`` with the web form's problems. The invitation is copied: saving caches
    the (undone) response on it.
    """
    try:
        with transaction.atomic():
            response = actions.save_answers(
                invitation=copy.copy(invitation),
                raw=raw,
                submit=True,
                source=SOURCE,
                check_deadline=False,
            )
            raise _TrialSaved(_comparable(actions.answers_as_raw(response)))
    except _TrialSaved as trial:
        return trial.saved


def _unchanged(invitation: Invitation, saved: Mapping[str, object]) -> bool:
    response = _response_of(invitation)
    return (
        response is not None
        and response.submitted_at is not None
        and _comparable(actions.answers_as_raw(response)) == saved
    )


class _Respondents:
    """The invitations of a round by 招待コード and by 法人番号; who came in which row."""

    def __init__(self, round_: Round) -> None:
        invitations = list(round_.invitations.select_related("corporation", "response"))
        for invitation in invitations:
            invitation.round = round_  # save_answers reads the round and its survey
        self.by_token = {invitation.token: invitation for invitation in invitations}
        self.by_number = {
            invitation.corporation.corporate_number: invitation
            for invitation in invitations
            if invitation.corporation_id
        }
        self.seen: dict[int, int] = {}

    def find(
        self, number: int, values: Mapping[str, object], errors: list[RowError]
    ) -> Invitation | None:
        """The row's invitation, by its 招待コード or else its 法人番号; or None and an error."""
        token, typed = values.get("_token") or "", values.get("_number") or ""
        if token:
            column, value = INVITATION_CODE, token
            invitation = self.by_token.get(token)
            if invitation is None:
                message = _("No invitation of this round has this code.")
                return _refuse(errors, number, column, value, message)
            # Beside a code, a 法人番号 only guards against a row copied from another one; one
            # that Excel turned into 1.23457E+12 is left aside.
            corporate_number = normalize_corporate_number(typed)
            if is_valid_corporate_number(corporate_number) and corporate_number != (
                invitation.corporation.corporate_number if invitation.corporation_id else ""
            ):
                message = _("This %(column)s is not that of the invitation %(code)s (%(name)s).")
                params = {"column": CORPORATE_NUMBER, "code": token, "name": invitation.name}
                return _refuse(errors, number, CORPORATE_NUMBER, typed, message % params)
        elif typed:
            column, value = CORPORATE_NUMBER, typed
            try:
                invitation = self.by_number.get(parse_corporate_number(typed))
            except ValidationError as error:
                return _refuse(errors, number, column, value, " ".join(error.messages))
            if invitation is None:
                message = _("No corporation with this %(column)s is invited to this round.")
                return _refuse(errors, number, column, value, message % {"column": column})
        else:
            message = _("Enter the %(code)s or the %(number)s of the respondent.") % {
                "code": INVITATION_CODE,
                "number": CORPORATE_NUMBER,
            }
            return _refuse(errors, number, INVITATION_CODE, "", message)
        first = self.seen.setdefault(invitation.pk, number)
        if first != number:
            message = _("Row %(row)s already holds the answers of %(name)s.")
            params = {"row": first, "name": invitation.name}
            return _refuse(errors, number, column, value, message % params)
        return invitation


def _refuse(errors: list[RowError], number: int, column: str, value: str, message: str) -> None:
    errors.append(RowError(number, column, value, message))


def plan_answers(source, *, round_: Round, filename: str = "") -> AnswersPlan:
    """Read and check a filled-in answer sheet; write nothing.

    ``TableError`` for a file that cannot be read or names no respondent or question;
    ``ValidationError`` for a closed round. Every other problem is a ``RowError`` of the plan.
    """
    _check_not_closed(round_)
    questions = actions.questions_of(round_.survey)
    by_code = {question.code: question for question in questions}
    columns = sheet_columns(questions)
    spec = _spec(columns)
    plan = AnswersPlan(round=round_)
    with open_table(source, filename=filename) as table:
        match = match_headers(table.headers, spec)
        _check_headers(plan, match, columns, table.name)
        parsed = list(parse_rows(table, spec, match))
    present = [column for column in columns if column.key in match.indexes]
    choices = {
        question.code: _Choices(question)
        for question in questions
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.MATRIX)
    }
    respondents = _Respondents(round_)
    for row in parsed:
        cells = {column.key: row.values.get(column.key) for column in present}
        if not any(cells.values()):
            plan.skipped += 1
            continue
        row_errors = list(row.errors)
        invitation = respondents.find(row.number, row.values, row_errors)
        raw, problems = _raw(present, cells, choices)
        row_errors.extend(
            RowError(row.number, key, cells.get(key) or "", message) for key, message in problems
        )
        plan.errors.extend(row_errors)
        if invitation is None:
            continue
        try:
            saved = _try_saving(invitation, raw)
        except actions.AnswersRefused as refused:
            plan.errors.extend(_problem_errors(row.number, refused.problems, raw, cells, by_code))
            continue
        if row_errors:
            continue
        if _unchanged(invitation, saved):
            plan.unchanged += 1
        else:
            plan.rows.append((invitation, raw))
            plan.row_numbers[invitation.pk] = row.number
    plan.errors.sort(key=lambda error: error.row)
    return plan


def apply_answers(plan: AnswersPlan, *, by=None) -> int:
    """Write a checked plan, all or nothing, as submitted responses from the import; return
    the number of responses written. The same file again writes nothing: its rows are
    unchanged. ``by`` is the person importing; a response records no author yet."""
    if not plan.ok:
        raise AnswersImportRefused(plan.errors)
    questions = {question.code: question for question in actions.questions_of(plan.round.survey)}
    with transaction.atomic():
        _check_not_closed(Round.objects.select_for_update().get(pk=plan.round.pk))
        for invitation, raw in plan.rows:
            try:
                actions.save_answers(
                    invitation=invitation,
                    raw=raw,
                    submit=True,
                    source=SOURCE,
                    check_deadline=False,
                )
            except actions.AnswersRefused as refused:
                number = plan.row_numbers.get(invitation.pk, 0)
                raise AnswersImportRefused(
                    _problem_errors(number, refused.problems, raw, {}, questions)
                ) from refused
    return len(plan.rows)
