import copy
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sasaeai.surveys import actions, definition
from sasaeai.surveys.models import Answer, Response, Survey
from sasaeai.testing.factories import CorporationFactory

from .fixtures import DEFINITION, deadline

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def survey(personas):
    return definition.import_definition(copy.deepcopy(DEFINITION), prefecture="33")


@pytest.fixture
def round_(survey, personas):
    CorporationFactory(municipality_id="331015")  # 岡山市北区: counted in 岡山市
    closed = CorporationFactory(municipality_id="332020")
    closed.closed = datetime.date(2018, 3, 31)
    closed.save()
    return actions.create_round(
        survey=survey,
        title="令和元年度 取組状況調査",
        target_kind="corporations",
        deadline=deadline(),
        kpi_question=survey.questions.get(code="doing"),
        kpi_choices=["yes"],
    )


def test_definition_round_trips_through_json(survey):
    exported = definition.export_definition(survey)
    assert exported == {**DEFINITION, "sections": exported["sections"]}
    questions = exported["sections"][0]["questions"]
    assert [q["code"] for q in questions] == [
        "doing",
        "what",
        "staff",
        "satisfaction",
        "partners",
        "comment",
    ]
    assert questions[1]["show_if"] == {"question": "doing", "answers": ["yes"]}
    assert [c["code"] for c in questions[1]["choices"]] == ["kodomo", "food", "cafe"]


def test_copy_to_next_year_keeps_the_codes(survey):
    copy_ = definition.copy_to_next_year(survey)
    assert copy_.fiscal_year == 2020 and copy_.copied_from == survey
    assert list(copy_.questions.values_list("code", flat=True)) == list(
        survey.questions.values_list("code", flat=True)
    )
    with pytest.raises(ValidationError, match="already exists"):
        definition.copy_to_next_year(survey)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["sections"][0]["questions"][0].update(kind="slider"), "questions[0].kind"),
        (lambda d: d["sections"][0]["questions"][1].update(code="doing"), "questions[1].code"),
        (lambda d: d["sections"][0]["questions"][0].update(choices=[]), "questions[0].choices"),
        (
            lambda d: d["sections"][0]["questions"][1].update(
                show_if={"question": "doing", "answers": ["maybe"]}
            ),
            "questions[1].show_if.answers",
        ),
        (lambda d: d.update(fiscal_year="令和元年"), "definition.fiscal_year"),
    ],
)
def test_a_bad_definition_names_where_and_writes_nothing(personas, change, where):
    data = copy.deepcopy(DEFINITION)
    change(data)
    with pytest.raises(ValidationError, match=where.replace("[", r"\[").replace("]", r"\]")):
        definition.import_definition(data, prefecture="33")
    assert not Survey.objects.exists()


def test_a_round_invites_every_open_corporation_once(round_, personas):
    names = set(round_.invitations.values_list("corporation__municipality_id", flat=True))
    assert round_.invitations.count() == 3  # personas' two Okayama corporations + 北区's
    assert "332020" in names  # the open one of 倉敷市 (personas) — the closed one is not invited
    ward = round_.invitations.get(corporation__municipality_id="331015")
    assert ward.municipality_id == "331007"  # tracked in 岡山市


def test_partial_save_then_submit_once(round_):
    invitation = round_.invitations.first()
    actions.save_answers(invitation=invitation, raw={"doing": "yes", "staff": "3"})
    response = Response.objects.get()
    assert response.submitted_at is None
    with pytest.raises(actions.AnswersRefused, match="what: This question is required"):
        actions.save_answers(invitation=invitation, raw={"doing": "yes"}, submit=True)
    raw = {"doing": "yes", "what": ["kodomo", "other"], "what__other": "買い物支援"}
    actions.save_answers(invitation=invitation, raw=raw, submit=True)
    actions.save_answers(invitation=invitation, raw={**raw, "comment": "追記"}, submit=True)
    assert Response.objects.count() == 1
    response.refresh_from_db()
    assert response.submitted_at is not None
    other = Answer.objects.get(question__code="what", choice__code="other")
    assert other.text == "買い物支援"
    assert actions.answers_as_raw(response)["comment"] == "追記"


def test_skip_logic_drops_answers_to_hidden_questions(round_):
    invitation = round_.invitations.first()
    actions.save_answers(
        invitation=invitation, raw={"doing": "no", "what": ["kodomo"]}, submit=True
    )
    assert not Answer.objects.filter(question__code="what").exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"doing": "maybe"}, "not one of the choices"),
        ({"doing": "no", "staff": "三人"}, "Enter a number"),
        ({"doing": "no", "satisfaction": "9"}, "Choose from 1 to 5"),
        ({"doing": "no", "partners__council": "x"}, "not one of the choices"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(round_, raw, message):
    with pytest.raises(actions.AnswersRefused, match=message):
        actions.save_answers(invitation=round_.invitations.first(), raw=raw)
    assert not Response.objects.exists()


def test_after_the_deadline_or_closing_nothing_is_accepted(round_):
    invitation = round_.invitations.first()
    later = round_.deadline + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="deadline"):
        actions.save_answers(invitation=invitation, raw={"doing": "yes"}, now=later)
    actions.close_round(round_=round_)
    invitation.round.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        actions.save_answers(invitation=invitation, raw={"doing": "yes"})


def test_the_kpi_question_must_be_a_choice_question(survey):
    with pytest.raises(ValidationError, match="choice question"):
        actions.create_round(
            survey=survey,
            title="x",
            target_kind="corporations",
            deadline=timezone.now(),
            kpi_question=survey.questions.get(code="staff"),
            kpi_choices=["yes"],
        )


def test_a_definition_is_edited_until_it_is_sent(survey):
    data = definition.export_definition(survey)
    data["sections"][0]["questions"][0]["text"] = "公益的な取組を実施していますか。"
    edited = definition.replace_definition(survey, data)
    assert edited.questions.get(code="doing").text == "公益的な取組を実施していますか。"
    data["fiscal_year"] = 2020
    with pytest.raises(ValidationError, match="do not change"):
        definition.replace_definition(edited, data)
    actions.create_round(survey=edited, title="x", target_kind="corporations", deadline=deadline())
    data["fiscal_year"] = 2019
    with pytest.raises(ValidationError, match="sent already"):
        definition.replace_definition(edited, data)
