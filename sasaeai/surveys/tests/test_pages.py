import copy
import io
import json

import pytest

from sasaeai.surveys import actions, definition
from sasaeai.surveys.models import Response, Round, Survey

from .fixtures import DEFINITION, deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(personas):
    survey = definition.import_definition(copy.deepcopy(DEFINITION), prefecture="33")
    return actions.create_round(
        survey=survey,
        title="令和元年度 取組状況調査",
        target_kind="corporations",
        deadline=deadline(),
        kpi_question=survey.questions.get(code="doing"),
        kpi_choices=["yes"],
    )


def test_a_corporation_answers_from_its_link_without_logging_in(client, round_, personas):
    invitation = round_.invitations.get(corporation=personas.own_corporation)
    url = f"/surveys/a/{invitation.token}/"
    page = client.get(url).content.decode()
    assert "地域における公益的な取組をしていますか。" in page
    assert "data-show-if=" in page
    client.post(url, {"action": "save", "doing": "yes", "staff": "4"})
    assert Response.objects.get().submitted_at is None
    again = client.get(url).content.decode()
    assert 'value="4"' in again  # the saved draft comes back
    refused = client.post(url, {"action": "submit", "doing": "yes"})
    assert refused.status_code == 200
    assert Response.objects.get().submitted_at is None
    done = client.post(
        url, {"action": "submit", "doing": "yes", "multi__what": ["kodomo"], "staff": "4"}
    )
    assert done.status_code == 302
    assert Response.objects.get().submitted_at is not None


def test_autosave_answers_in_one_line(client, round_):
    invitation = round_.invitations.first()
    response = client.post(
        f"/surveys/a/{invitation.token}/",
        {"action": "save", "doing": "no"},
        HTTP_HX_REQUEST="true",
    )
    assert "<html" not in response.content.decode()
    assert Response.objects.count() == 1


def test_a_wrong_link_and_a_closed_round(client, round_):
    assert client.get("/surveys/a/not-a-token/").status_code == 404
    actions.close_round(round_=round_)
    invitation = round_.invitations.first()
    assert client.get(f"/surveys/a/{invitation.token}/").status_code == 410


def test_center_staff_copy_and_send_from_the_pages(client, round_, personas):
    client.force_login(personas.center)
    survey = round_.survey
    client.post(f"/surveys/{survey.pk}/copy/")
    new = Survey.objects.get(fiscal_year=2020)
    response = client.post(
        f"/surveys/{new.pk}/rounds/new/",
        {
            "title": "令和2年度 取組状況調査",
            "target_kind": "corporations",
            "deadline": "R2.7.31",
            "kpi_question": "doing",
            "kpi_choices": "yes",
        },
    )
    assert response.status_code == 302
    sent = Round.objects.get(fiscal_year=2020)
    assert sent.invitations.count() == round_.invitations.count()
    assert client.get(f"/surveys/rounds/{sent.pk}/").status_code == 200
    letters = client.get(f"/surveys/rounds/{sent.pk}/letters.pdf")
    assert letters["Content-Type"] == "application/pdf"


def test_only_the_center_sees_rounds(client, round_, personas):
    for persona in (personas.council, personas.corp_staff):
        client.force_login(persona)
        assert client.get(f"/surveys/rounds/{round_.pk}/").status_code == 404
        assert client.get("/surveys/").status_code == 404


def test_definition_json_through_the_api(client, round_, personas):
    client.force_login(personas.center)
    exported = client.get(f"/api/v1/surveys/{round_.survey_id}/definition/").json()
    exported["code"] = "shared-by-another-prefecture"
    created = client.post("/api/v1/surveys/", json.dumps(exported), content_type="application/json")
    assert created.status_code == 201, created.content
    assert Survey.objects.get(code="shared-by-another-prefecture").questions.count() == 6
    bad = client.post(
        "/api/v1/surveys/", json.dumps({"code": "x"}), content_type="application/json"
    )
    assert bad.status_code == 400
    client.force_login(personas.corp_staff)
    assert (
        client.post(
            "/api/v1/surveys/", json.dumps(exported), content_type="application/json"
        ).status_code
        == 403
    )


def test_paper_answers_round_trip_through_the_pages(client, round_, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    client.force_login(personas.center)
    sheet = client.get(f"/surveys/rounds/{round_.pk}/answers/", {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(sheet.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    headers = list(rows[0])
    first = list(rows[1])
    first[headers.index("doing")] = "していない"  # a label, as written on paper
    buffer = io.BytesIO()
    from openpyxl import Workbook

    filled = Workbook()
    filled.active.append(headers)
    filled.active.append(first)
    filled.save(buffer)
    preview = client.post(
        f"/surveys/rounds/{round_.pk}/answers/",
        {"file": SimpleUploadedFile("回答.xlsx", buffer.getvalue())},
    )
    assert preview.context["plan"].ok, preview.context["plan"].errors
    client.post(f"/surveys/rounds/{round_.pk}/answers/", {"token": preview.context["token"]})
    response = Response.objects.get()
    assert response.source == "import" and response.submitted_at is not None


def test_editing_a_definition_on_its_page(client, personas):
    survey = definition.import_definition(copy.deepcopy(DEFINITION), prefecture="33")
    client.force_login(personas.center)
    text = client.get(f"/surveys/{survey.pk}/edit/").context["form"].initial["text"]
    edited = text.replace("ご意見", "センターへのご意見")
    response = client.post(f"/surveys/{survey.pk}/edit/", {"text": edited})
    assert response.status_code == 302
    assert Survey.objects.get().questions.get(code="comment").text == "センターへのご意見"
    broken = client.post(f"/surveys/{Survey.objects.get().pk}/edit/", {"text": "{"})
    assert broken.status_code == 200 and "JSON" in broken.content.decode()


def test_a_round_closed_between_preview_and_confirm_is_said_plainly(client, round_, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(personas.center)
    invitation = round_.invitations.first()
    sheet = f"招待コード,doing\n{invitation.token},no\n".encode()
    preview = client.post(
        f"/surveys/rounds/{round_.pk}/answers/", {"file": SimpleUploadedFile("a.csv", sheet)}
    )
    actions.close_round(round_=round_)
    done = client.post(
        f"/surveys/rounds/{round_.pk}/answers/", {"token": preview.context["token"]}, follow=True
    )
    shown = [str(m) for m in done.context["messages"]]
    assert shown and not shown[0].startswith("[")  # a sentence, not a list's repr
    assert not Response.objects.exists()


def test_a_definition_id_that_is_not_a_number_is_not_found(client, personas):
    """Found by the API fuzz: ``/surveys/null/definition/`` answered 500."""
    client.force_login(personas.center)
    response = client.get("/api/v1/surveys/null/definition/")
    assert response.status_code == 404
    assert response.json()["detail"]
