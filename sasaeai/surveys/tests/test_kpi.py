"""The plan's visibility KPI: the share answering 「している」, through the API and the pages."""

import copy

import pytest

from sasaeai.surveys import actions, definition
from sasaeai.testing.factories import CorporationFactory

from .fixtures import DEFINITION, deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(personas):
    center = personas.okayama_center
    center.settings = {**center.settings, "survey_target": {"share": 0.7, "deadline": "2020-03-31"}}
    center.save()
    CorporationFactory(municipality_id="332046")  # 玉野市: a third target, left unanswered
    survey = definition.import_definition(copy.deepcopy(DEFINITION), prefecture="33")
    round_ = actions.create_round(
        survey=survey,
        title="令和元年度",
        target_kind="corporations",
        deadline=deadline(),
        kpi_question=survey.questions.get(code="doing"),
        kpi_choices=["yes"],
    )
    first, second = round_.invitations.all()[:2]
    actions.save_answers(invitation=first, raw={"doing": "yes", "what": ["kodomo"]}, submit=True)
    actions.save_answers(invitation=second, raw={"doing": "no"}, submit=True)
    return round_


def test_the_survey_kpi_answers_as_the_issue_says(client, answered, personas):
    client.force_login(personas.center)
    body = client.get("/api/v1/kpis/survey/", {"prefecture": "33", "fiscal_year": "2019"}).json()
    targets = answered.invitations.count()
    assert body == {
        "fiscal_year": 2019,
        "targets": targets,
        "responses": 2,
        "response_rate": pytest.approx(2 / targets),
        "doing": 1,
        "doing_share": 0.5,
        "target": 0.7,
        "deadline": "2020-03-31",
    }


def test_a_draft_is_not_a_response(client, answered, personas):
    third = answered.invitations.exclude(response__isnull=False).first()
    actions.save_answers(invitation=third, raw={"doing": "yes"})  # saved, not submitted
    client.force_login(personas.center)
    body = client.get("/api/v1/kpis/survey/", {"prefecture": "33", "fiscal_year": "2019"}).json()
    assert (body["responses"], body["doing"]) == (2, 1)


def test_the_kpi_is_for_the_prefecture_s_staff(client, answered, personas):
    assert client.get(
        "/api/v1/kpis/survey/", {"prefecture": "33", "fiscal_year": "2019"}
    ).status_code in {401, 403}
    client.force_login(personas.center)
    assert (
        client.get("/api/v1/kpis/survey/", {"prefecture": "31", "fiscal_year": "2019"}).status_code
        == 400
    )


def test_the_results_page_with_crosstab_and_year_over_year(client, answered, personas):
    client.force_login(personas.center)
    page = client.get(
        f"/surveys/rounds/{answered.pk}/results/", {"q": "doing", "by": "municipality"}
    )
    text = page.content.decode()
    assert "している" in text and "津山市" in text
    shared = client.get(
        f"/surveys/rounds/{answered.pk}/results/", {"q": "doing", "shared": "1"}
    ).content.decode()
    assert "＊" in shared  # every municipality has fewer than 3 respondents
    workbook = client.get(f"/surveys/rounds/{answered.pk}/results/", {"format": "xlsx"})
    assert workbook.content[:2] == b"PK"


def test_the_results_page_keeps_a_constant_number_of_queries(
    client, answered, personas, django_assert_max_num_queries
):
    client.force_login(personas.center)
    with django_assert_max_num_queries(40):
        client.get(f"/surveys/rounds/{answered.pk}/results/")


def test_the_summary_pdf(client, answered, personas):
    import io

    from pypdf import PdfReader

    client.force_login(personas.center)
    response = client.get(f"/surveys/rounds/{answered.pk}/results/", {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "している" in text and "回答率" in text and "令和元年度" in text
