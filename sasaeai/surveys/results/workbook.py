"""The results workbook of a round (.xlsx): rates, counts by question, every answer."""

from __future__ import annotations

import datetime
import decimal
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..models import (
    CHOICE_KINDS,
    Question,
    QuestionKind,
    Response,
    Round,
)
from .counts import (
    NONE_LABEL,
    SINGLE_OR_MULTIPLE,
    _choice_tallies,
    _rows,
    _submitted_answers,
    response_rate,
)
from .crosstabs import rate_by

SHEET_RATES = "回答状況"
SHEET_QUESTIONS = "設問別"
SHEET_ANSWERS = "回答一覧"
JOIN = ";"
PERCENT = "0.0%"

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
