import datetime
import decimal
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sasaeai.core.tabular import (
    TableError,
    open_table,
    stream_csv,
    unescape_formula,
    write_xlsx,
)
from sasaeai.surveys import actions, definition, paper
from sasaeai.surveys.models import Answer, Response
from sasaeai.testing.factories import CorporationFactory, FacilityFactory

pytestmark = pytest.mark.usefixtures("english")

DEFINITION = {
    "code": "corporation-annual",
    "title": "地域における公益的な取組の実施状況調査",
    "fiscal_year": 2019,
    "sections": [
        {
            "title": "取組",
            "questions": [
                {
                    "code": "q1",
                    "kind": "single",
                    "text": "地域における公益的な取組をしていますか",
                    "required": True,
                    "choices": [
                        {"code": "yes", "label": "している"},
                        {"code": "no", "label": "していない"},
                    ],
                },
                {
                    "code": "q2",
                    "kind": "multiple",
                    "text": "取組の対象",
                    "has_other": True,
                    "choices": [
                        {"code": "elderly", "label": "高齢者"},
                        {"code": "children", "label": "子ども"},
                    ],
                },
                {"code": "q3", "kind": "number", "text": "延べ参加人数"},
                {
                    "code": "q4",
                    "kind": "matrix",
                    "text": "連携の状況",
                    "rows": [{"code": "r1", "label": "行政"}, {"code": "r2", "label": "社協"}],
                    "choices": [
                        {"code": "good", "label": "十分"},
                        {"code": "poor", "label": "不十分"},
                    ],
                },
            ],
        }
    ],
}
HEADERS = [
    "法人番号",
    "招待コード",
    "名称",
    "市町村",
    "q1",
    "q2",
    "q2__other",
    "q3",
    "q4__r1",
    "q4__r2",
]


@pytest.fixture
def round_(personas):
    """A round to Okayama's corporations: 津山市 (two) and 倉敷市; Tottori's is not invited."""
    CorporationFactory(municipality_id="332038", name="社会福祉法人あおば会")
    survey = definition.import_definition(DEFINITION, prefecture="33")
    return actions.create_round(
        survey=survey,
        title="令和元年度 実施状況調査",
        target_kind="corporations",
        deadline=timezone.now() + timedelta(days=30),
    )


@pytest.fixture
def own(round_, personas):
    return round_.invitations.get(corporation=personas.own_corporation)


@pytest.fixture
def other(round_, personas):
    return round_.invitations.get(corporation=personas.other_corporation)


def export(round_, **kwargs) -> io.BytesIO:
    buffer = io.BytesIO()
    paper.export_answers(round_, buffer, **kwargs)
    buffer.seek(0)
    return buffer


def read(buffer) -> tuple[list[str], list[list[str]]]:
    """The cells as a person sees them in Excel (a CSV's formula guard dropped)."""
    with open_table(buffer, filename="answers") as table:
        shown = unescape_formula if table.encoding != "xlsx" else str
        return table.headers, [[shown(cell) for cell in row.cells] for row in table.rows()]


def sheet(headers, rows, *, encoding=None) -> io.BytesIO:
    """A filled-in sheet: an .xlsx, or a CSV in ``encoding``."""
    if encoding:
        return io.BytesIO(b"".join(stream_csv(headers, rows, encoding=encoding)))
    buffer = io.BytesIO()
    write_xlsx(headers, rows, buffer)
    buffer.seek(0)
    return buffer


def row_of(invitation, **answers) -> list[str]:
    """A row identified by its 招待コード, with answers by column."""
    cells = dict.fromkeys(HEADERS, "")
    cells.update({"招待コード": invitation.token, "名称": invitation.name}, **answers)
    return [cells[header] for header in HEADERS]


def by_number(invitation, **answers) -> list[str]:
    """A row identified by its 法人番号 only."""
    cells = row_of(invitation, **answers)
    cells[0], cells[1] = invitation.corporation.corporate_number, ""
    return cells


def plan(buffer, round_):
    return paper.plan_answers(buffer, round_=round_, filename="回答.xlsx")


def messages(answers_plan) -> list[str]:
    return [str(error) for error in answers_plan.errors]


def assert_nothing_written():
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_the_answer_sheet_has_a_column_per_answer(round_):
    assert paper.answer_sheet_headers(round_) == HEADERS


def test_export_lists_every_invitation_with_its_saved_answers(round_, own, personas):
    actions.save_answers(
        invitation=own,
        raw={"q1": "yes", "q2": ["elderly", "other"], "q2__other": "障害者", "q3": "1,200"},
    )

    headers, rows = read(export(round_))

    assert headers == HEADERS
    assert len(rows) == 3
    [filled] = [row for row in rows if row[1] == own.token]
    assert filled[:4] == [personas.own_corporation.corporate_number, own.token, own.name, "津山市"]
    assert filled[4] == "yes"
    assert sorted(filled[5].split(";")) == ["elderly", "other"]
    assert filled[6:] == ["障害者", "1200", "", ""]


def test_export_without_blank_rows_lists_only_the_answered(round_, own):
    actions.save_answers(invitation=own, raw={"q1": "no"})

    _headers, rows = read(export(round_, include_blank=False))

    assert [row[1] for row in rows] == [own.token]


def test_export_as_csv_is_utf8_with_a_bom(round_):
    data = export(round_, format="csv").getvalue()

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0] == ",".join(HEADERS)


def test_export_to_a_path(round_, tmp_path):
    paper.export_answers(round_, tmp_path / "answers.xlsx")
    paper.export_answers(round_, str(tmp_path / "answers.csv"), format="csv", encoding="cp932")

    assert read(tmp_path / "answers.xlsx")[0] == HEADERS
    assert read(tmp_path / "answers.csv")[0] == HEADERS


def test_facilities_have_no_corporate_number_on_the_sheet(personas):
    FacilityFactory(corporation=personas.own_corporation)
    survey = definition.import_definition(DEFINITION, prefecture="33")
    round_ = actions.create_round(
        survey=survey,
        title="施設調査",
        target_kind="facilities",
        deadline=timezone.now() + timedelta(days=30),
    )

    _headers, [row] = read(export(round_))

    assert row[0] == ""
    assert row[1] == round_.invitations.get().token


@pytest.mark.parametrize(
    ("file_format", "encoding"), [("xlsx", None), ("csv", "utf-8-sig"), ("csv", "cp932")]
)
def test_an_exported_sheet_filled_in_is_imported(round_, own, other, file_format, encoding):
    kwargs = {"format": "csv", "encoding": encoding} if encoding else {}
    headers, rows = read(export(round_, **kwargs))
    for row in rows:
        if row[1] == own.token:
            row[4:] = ["yes", "elderly;children;other", "配食", "1,200", "good", "poor"]
        elif row[1] == other.token:
            row[4:] = ["no", "", "", "0", "", ""]
    filled = sheet(headers, rows, encoding=encoding if file_format == "csv" else None)

    answers_plan = plan(filled, round_)

    assert answers_plan.ok, messages(answers_plan)
    assert answers_plan.skipped == 1  # the third corporation did not answer on paper
    assert_nothing_written()
    assert paper.apply_answers(answers_plan) == 2
    response = Response.objects.get(invitation=own)
    assert response.source == "import"
    assert response.submitted_at is not None
    raw = actions.answers_as_raw(response)
    assert sorted(raw.pop("q2")) == ["children", "elderly", "other"]
    assert raw == {
        "q1": "yes",
        "q2__other": "配食",
        "q3": "1200",
        "q4__r1": "good",
        "q4__r2": "poor",
    }
    assert actions.answers_as_raw(Response.objects.get(invitation=other)) == {"q1": "no", "q3": "0"}


def test_labels_are_read_as_their_choices(round_, own, other):
    rows = [
        row_of(own, q1="している", q2="高齢者、子ども", q4__r1="十分", q4__r2="不十分"),
        # Half-width katakana, full-width semicolon and spaces, as offices type them.
        row_of(other, q1="ｼﾃｲﾅｲ", q2="子ども ； その他", q2__other="障害者"),
    ]
    answers_plan = plan(sheet(HEADERS, rows), round_)

    assert answers_plan.ok, messages(answers_plan)
    paper.apply_answers(answers_plan)
    own_raw = actions.answers_as_raw(own.response)
    assert own_raw["q1"] == "yes"
    assert sorted(own_raw["q2"]) == ["children", "elderly"]
    assert (own_raw["q4__r1"], own_raw["q4__r2"]) == ("good", "poor")
    other_raw = actions.answers_as_raw(Response.objects.get(invitation=other))
    assert other_raw["q1"] == "no"
    assert sorted(other_raw["q2"]) == ["children", "other"]
    assert other_raw["q2__other"] == "障害者"


def test_the_text_of_other_alone_chooses_other(round_, own):
    answers_plan = plan(sheet(HEADERS, [row_of(own, q1="yes", q2__other="障害者")]), round_)

    paper.apply_answers(answers_plan)

    raw = actions.answers_as_raw(Response.objects.get(invitation=own))
    assert (raw["q2"], raw["q2__other"]) == (["other"], "障害者")


def test_the_text_of_other_beside_other_choices_is_an_error(round_, own):
    rows = [row_of(own, q1="yes", q2="elderly", q2__other="障害者")]

    answers_plan = plan(sheet(HEADERS, rows), round_)

    assert messages(answers_plan) == [
        "Row 2, q2__other “障害者”: Choose “other” too, or leave its text empty."
    ]
    assert_nothing_written()


def test_a_row_is_found_by_its_corporate_number(round_, own):
    number = own.corporation.corporate_number
    row = by_number(own, q1="yes")
    row[0] = f"{number[:1]}-{number[1:5]}-{number[5:9]}-{number[9:]}".translate(
        str.maketrans("0123456789-", "０１２３４５６７８９－")
    )

    answers_plan = plan(sheet(HEADERS, [row]), round_)

    assert answers_plan.ok, messages(answers_plan)
    assert [(invitation.pk, raw["q1"]) for invitation, raw in answers_plan.rows] == [
        (own.pk, ["yes"])
    ]


def test_an_unknown_corporate_number_is_an_error(round_, own, personas):
    stranger = personas.tottori_corporation.corporate_number
    rows = [row_of(own, q1="yes"), by_number(own, q1="yes")]
    rows[1][0] = stranger

    answers_plan = plan(sheet(HEADERS, rows), round_)

    assert messages(answers_plan) == [
        f"Row 3, 法人番号 “{stranger}”: No corporation with this 法人番号 is invited to this round."
    ]
    assert answers_plan.rows == [(own, {"q1": ["yes"]})]
    with pytest.raises(paper.AnswersImportRefused):
        paper.apply_answers(answers_plan)
    assert_nothing_written()


def test_a_corporate_number_that_is_not_one_is_an_error(round_, own):
    row = by_number(own, q1="yes")
    row[0] = "1234567890123"

    answers_plan = plan(sheet(HEADERS, [row]), round_)

    [error] = answers_plan.errors
    assert (error.row, error.column) == (2, "法人番号")
    assert "check digit" in error.message


def test_beside_a_code_a_corporate_number_excel_mangled_is_left_aside(round_, own):
    row = row_of(own, q1="yes")
    row[0] = "1.23457E+12"  # a CSV saved by Excel

    answers_plan = plan(sheet(HEADERS, [row], encoding="cp932"), round_)

    assert answers_plan.ok, messages(answers_plan)
    assert [invitation for invitation, _raw in answers_plan.rows] == [own]


def test_an_unknown_invitation_code_is_an_error(round_, own):
    row = row_of(own, q1="yes")
    row[1] = "not-a-code"

    answers_plan = plan(sheet(HEADERS, [row]), round_)

    assert messages(answers_plan) == [
        "Row 2, 招待コード “not-a-code”: No invitation of this round has this code."
    ]
    assert_nothing_written()


def test_a_code_and_a_corporate_number_of_two_respondents_are_an_error(round_, own, other):
    row = row_of(own, q1="yes")
    row[0] = other.corporation.corporate_number

    answers_plan = plan(sheet(HEADERS, [row]), round_)

    [error] = answers_plan.errors
    assert (error.row, error.column) == (2, "法人番号")
    assert own.name in error.message


def test_a_row_naming_nobody_is_an_error(round_, own):
    row = row_of(own, q1="yes")
    row[1] = ""

    answers_plan = plan(sheet(HEADERS, [row]), round_)

    assert messages(answers_plan) == [
        "Row 2, 招待コード: Enter the 招待コード or the 法人番号 of the respondent."
    ]


def test_an_unknown_question_column_is_an_error(round_, own):
    headers = [*HEADERS, "q9", "備考"]
    rows = [[*row_of(own, q1="yes"), "42", "電話で聞き取り"]]

    answers_plan = plan(sheet(headers, rows), round_)

    assert messages(answers_plan) == ["Row 1, q9: This column is not a question of this survey."]
    assert answers_plan.unknown_columns == ("備考",)  # a note beside the answers: ignored
    assert_nothing_written()


def test_a_file_without_respondent_or_question_columns_is_refused(round_):
    with pytest.raises(TableError, match="招待コード or 法人番号"):
        plan(sheet(["名称", "q1"], [["あおば会", "yes"]]), round_)
    with pytest.raises(TableError, match="question of this survey"):
        plan(sheet(["法人番号", "名称", "備考"], [["", "あおば会", "-"]]), round_)


def test_a_value_that_is_not_a_choice_is_an_error(round_, own, other):
    rows = [row_of(own, q1="たぶん"), row_of(other, q1="yes", q4__r1="good", q4__r2="普通")]

    answers_plan = plan(sheet(HEADERS, rows), round_)

    assert messages(answers_plan) == [
        "Row 2, q1 “たぶん”: “たぶん” is not one of the choices.",
        "Row 3, q4__r2 “普通”: “普通” is not one of the choices.",
    ]
    assert answers_plan.rows == []
    assert_nothing_written()


def test_two_answers_to_a_single_choice_are_an_error(round_, own):
    answers_plan = plan(sheet(HEADERS, [row_of(own, q1="yes;no")]), round_)

    assert messages(answers_plan) == ["Row 2, q1 “yes;no”: Choose one answer."]


def test_a_number_that_is_not_one_is_an_error(round_, own):
    answers_plan = plan(sheet(HEADERS, [row_of(own, q1="yes", q3="たくさん")]), round_)

    assert messages(answers_plan) == ["Row 2, q3 “たくさん”: Enter a number."]


def test_a_required_question_left_empty_is_an_error(round_, own):
    answers_plan = plan(sheet(HEADERS, [row_of(own, q3="12")]), round_)

    assert messages(answers_plan) == ["Row 2, q1: This question is required."]
    assert_nothing_written()


def test_the_same_respondent_twice_is_an_error_naming_the_first_row(round_, own, other):
    rows = [row_of(own, q1="yes"), row_of(other, q1="no"), by_number(own, q1="no")]

    answers_plan = plan(sheet(HEADERS, rows), round_)

    assert messages(answers_plan) == [
        f"Row 4, 法人番号 “{own.corporation.corporate_number}”: "
        f"Row 2 already holds the answers of {own.name}."
    ]
    assert_nothing_written()


def test_a_row_without_answers_is_skipped(round_, own, other):
    rows = [row_of(own), row_of(other, q1="no")]

    answers_plan = plan(sheet(HEADERS, rows), round_)

    assert answers_plan.ok
    assert answers_plan.skipped == 1
    assert paper.apply_answers(answers_plan) == 1
    assert list(Response.objects.values_list("invitation", flat=True)) == [other.pk]


def test_importing_the_same_file_twice_changes_nothing(round_, own, other):
    rows = [row_of(own, q1="yes", q2="elderly;other", q2__other="配食"), row_of(other, q1="no")]
    data = sheet(HEADERS, rows).getvalue()
    assert paper.apply_answers(plan(io.BytesIO(data), round_)) == 2
    first = {r.invitation_id: (r.pk, r.submitted_at, r.updated_at) for r in Response.objects.all()}
    answers = sorted(Answer.objects.values_list("response", "question__code", "choice__code"))

    again = plan(io.BytesIO(data), round_)

    assert (again.ok, again.rows, again.unchanged) == (True, [], 2)
    assert paper.apply_answers(again) == 0
    assert {
        r.invitation_id: (r.pk, r.submitted_at, r.updated_at) for r in Response.objects.all()
    } == first
    assert sorted(Answer.objects.values_list("response", "question__code", "choice__code")) == (
        answers
    )


def test_an_import_replaces_answers_saved_on_the_web_in_the_same_response(round_, own):
    web = actions.save_answers(invitation=own, raw={"q1": "no"}, submit=True)

    answers_plan = plan(sheet(HEADERS, [row_of(own, q1="yes", q3="3")]), round_)

    assert paper.apply_answers(answers_plan) == 1
    response = Response.objects.get()
    assert (response.pk, response.submitted_at, response.source) == (
        web.pk,
        web.submitted_at,
        "import",
    )
    assert actions.answers_as_raw(response) == {"q1": "yes", "q3": "3"}


def test_the_same_answers_as_on_the_web_are_left_as_they_are(round_, own):
    actions.save_answers(invitation=own, raw={"q1": "yes", "q3": "3"}, submit=True)

    answers_plan = plan(sheet(HEADERS, [row_of(own, q1="している", q3="3")]), round_)

    assert (answers_plan.rows, answers_plan.unchanged) == ([], 1)
    assert Response.objects.get().source == "web"


def test_answers_arriving_after_the_deadline_are_imported(round_, own):
    round_.deadline = timezone.now() - timedelta(days=1)
    round_.save()

    answers_plan = plan(sheet(HEADERS, [row_of(own, q1="yes")]), round_)

    assert paper.apply_answers(answers_plan) == 1


def test_a_closed_round_is_refused(round_, own):
    filled = sheet(HEADERS, [row_of(own, q1="yes")]).getvalue()
    answers_plan = plan(io.BytesIO(filled), round_)
    actions.close_round(round_=round_)

    with pytest.raises(ValidationError, match="is closed"):
        plan(io.BytesIO(filled), round_)
    with pytest.raises(ValidationError, match="is closed"):
        paper.apply_answers(answers_plan)
    assert_nothing_written()


def test_dates_and_numbers_travel_as_excel_values(personas):
    data = {
        **DEFINITION,
        "code": "dates",
        "sections": [
            {
                "title": "",
                "questions": [
                    {"code": "d1", "kind": "date", "text": "設立日"},
                    {"code": "n1", "kind": "number", "text": "職員数"},
                ],
            }
        ],
    }
    round_ = actions.create_round(
        survey=definition.import_definition(data, prefecture="33"),
        title="日付",
        target_kind="corporations",
        deadline=timezone.now() + timedelta(days=30),
    )
    invitation = round_.invitations.get(corporation=personas.own_corporation)
    actions.save_answers(invitation=invitation, raw={"d1": "R1.5.1", "n1": "12.5"})

    headers, rows = read(export(round_))
    [filled] = [row for row in rows if row[1] == invitation.token]
    assert filled[4:] == [datetime.date(2019, 5, 1).isoformat(), "12.5"]
    Response.objects.all().delete()

    assert paper.apply_answers(plan(sheet(headers, rows), round_)) == 1
    answers = {a.question.code: a for a in Answer.objects.select_related("question")}
    assert answers["d1"].date == datetime.date(2019, 5, 1)
    assert answers["n1"].number == decimal.Decimal("12.5")


def test_export_reads_blank_invitations_in_a_constant_number_of_queries(
    round_, django_assert_max_num_queries
):
    round_ = type(round_).objects.get(pk=round_.pk)

    with django_assert_max_num_queries(4):
        export(round_)
