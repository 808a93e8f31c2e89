"""``/api/v1/grant-*``: public programs and calls, scoped applications, creation through the
actions (201/400/409 per role) and the decision (201, 403, 404, 409 with the rule's code)."""

import datetime

import pytest
from django.utils import timezone

from sasaeai.core.dates import fiscal_year
from sasaeai.grants import actions
from sasaeai.grants.models import Application, BudgetLine, Decision

from .conftest import DECIDE_ON, submitted

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/grant-applications/"


def decide_url(application):
    return f"{APPLICATIONS}{application.pk}/decide/"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def open_call(grants):
    """A call of the model grant open today (the API applies on the day of the request)."""
    today = timezone.localdate()
    return actions.open_call(
        program=grants.model,
        fiscal_year=fiscal_year(today),
        title="今年度 モデル事業 募集",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
        themes=[grants.theme, grants.other_theme],
    )


@pytest.fixture
def open_network_call(grants):
    today = timezone.localdate()
    return actions.open_call(
        program=grants.network_program,
        fiscal_year=fiscal_year(today),
        title="今年度 ネットワークづくり助成 募集",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
    )


def body_for(call, *, corporation=None, network=None, theme=None, amount=200_000, **extra):
    body = {
        "call": call.pk,
        "title": "居場所づくりの研究",
        "plan": "計画",
        "budget_lines": [
            {"fiscal_year": call.fiscal_year, "category": "謝金", "amount": amount},
        ],
        **extra,
    }
    if corporation is not None:
        body["corporation"] = corporation.pk
    if network is not None:
        body["network"] = network.pk
    if theme is not None:
        body["theme"] = theme.pk
    return body


@pytest.fixture
def tottori_application(grants):
    """An application to Tottori's own program: no Okayama user may see or decide it."""
    program = actions.create_program(
        prefecture="31",
        code="tottori-model",
        name="鳥取モデル助成",
        eligible_kinds=["corporation"],
        members_only=False,
        max_years=1,
        expense_categories=["謝金"],
    )
    call = actions.open_call(
        program=program,
        fiscal_year=2019,
        title="鳥取 募集",
        opens_on=datetime.date(2019, 4, 1),
        closes_on=datetime.date(2019, 5, 31),
    )
    return submitted(call, corporation=grants.personas.tottori_corporation)


# Programs and calls ----------------------------------------------------------------------------


def test_programs_are_public_with_their_rules_and_budgets(client, grants):
    actions.set_budget(program=grants.model, fiscal_year=2019, amount=1_000_000)
    response = client.get("/api/v1/grant-programs/", {"prefecture": "33"})
    assert response.status_code == 200
    programs = {row["code"]: row for row in response.json()["results"]}
    assert set(programs) == {"model-rd", "network-formation"}
    model = programs["model-rd"]
    assert (model["cap_total"], model["max_years"], model["max_sites_per_theme"]) == (
        400_000,
        2,
        3,
    )
    assert model["eligible_kinds"] == ["corporation", "network"]
    assert "謝金" in model["expense_categories"]
    assert model["budgets"] == [{"fiscal_year": 2019, "amount": 1_000_000}]
    assert programs["network-formation"]["cap_per_year"] == 100_000


def test_calls_are_public_and_only_the_published_ones(client, grants):
    grants.network_call.published = False
    grants.network_call.save()
    body = client.get("/api/v1/grant-calls/", {"fiscal_year": "2019"}).json()
    assert [row["id"] for row in body["results"]] == [grants.call.pk]
    call = body["results"][0]
    assert call["program_code"] == "model-rd"
    assert {theme["code"] for theme in call["themes"]} == {"T04", "T05"}
    assert client.get(f"/api/v1/grant-calls/{grants.network_call.pk}/").status_code == 404
    assert client.get("/api/v1/grant-calls/", {"fiscal_year": "R1"}).status_code == 400


# Reading applications --------------------------------------------------------------------------


@pytest.fixture
def applied(grants):
    """An application of corp_staff's corporation, of the outsider's and of the network."""
    own = submitted(grants.call, corporation=grants.personas.own_corporation, theme=grants.theme)
    other = submitted(
        grants.call, corporation=grants.personas.other_corporation, theme=grants.theme
    )
    network = submitted(grants.network_call, network=grants.network, amounts=((2019, 100_000),))
    return {"own": own, "other": other, "network": network}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("center", {"own", "other", "network"}),
        ("corp_staff", {"own"}),
        ("outsider", {"other"}),
        ("council", {"network"}),  # 津山市 is the network's area
    ],
)
def test_applications_are_scoped_as_the_pages(client, grants, applied, persona, expected):
    client.force_login(getattr(grants.personas, persona))
    body = client.get(APPLICATIONS).json()
    assert {row["id"] for row in body["results"]} == {applied[key].pk for key in expected}
    for key, application in applied.items():
        response = client.get(f"{APPLICATIONS}{application.pk}/")
        assert response.status_code == (200 if key in expected else 404), key


def test_anonymous_callers_get_no_application(client, applied):
    response = client.get(APPLICATIONS)
    assert response.status_code in {401, 403}
    assert "detail" in response.json()
    assert client.get(f"{APPLICATIONS}{applied['own'].pk}/").status_code in {401, 403}


def test_another_prefectures_application_is_not_found(client, grants, tottori_application):
    client.force_login(grants.personas.center)
    assert client.get(APPLICATIONS).json()["count"] == 0
    assert client.get(f"{APPLICATIONS}{tottori_application.pk}/").status_code == 404
    response = post(client, decide_url(tottori_application), {"amounts": {"2019": 100_000}})
    assert response.status_code == 404
    assert not Decision.objects.exists()


def test_an_application_shows_its_lines_its_decision_and_payments(client, grants, applied):
    application = applied["own"]
    decision = actions.decide(
        application=application, amounts={2019: 150_000, 2020: 50_000}, decided_on=DECIDE_ON
    )
    actions.record_payment(
        decision=decision,
        fiscal_year=2019,
        kind="advance",
        amount=100_000,
        paid_on=datetime.date(2019, 7, 1),
    )
    client.force_login(grants.personas.corp_staff)
    body = client.get(f"{APPLICATIONS}{application.pk}/").json()
    assert body["status"] == "awarded"
    assert body["budget_lines"] == [
        {"fiscal_year": 2019, "category": "謝金", "description": "", "amount": 200_000}
    ]
    assert body["requested_total"] == 200_000
    assert body["corporation"]["id"] == grants.personas.own_corporation.pk
    assert body["network"] is None
    assert body["theme"]["code"] == "T04"
    assert body["decision"]["outcome"] == "awarded"
    assert body["decision"]["years"] == [
        {"fiscal_year": 2019, "amount": 150_000},
        {"fiscal_year": 2020, "amount": 50_000},
    ]
    assert (body["decision"]["awarded_total"], body["decision"]["paid_total"]) == (
        200_000,
        100_000,
    )
    assert body["decision"]["payments"][0]["kind"] == "advance"
    undecided = client.get(APPLICATIONS, {"status": "submitted"}).json()
    assert undecided["count"] == 0


def test_the_list_takes_the_same_queries_whatever_the_number(
    client, grants, django_assert_max_num_queries
):
    client.force_login(grants.personas.center)

    def count():
        with django_assert_max_num_queries(12) as captured:
            assert client.get(APPLICATIONS).status_code == 200
        return len(captured.captured_queries)

    first = submitted(grants.call, corporation=grants.members[0], theme=grants.theme)
    actions.decide(application=first, amounts={2019: 100_000}, decided_on=DECIDE_ON)
    before = count()
    for number, corporation in enumerate(grants.members[1:]):
        theme = grants.theme if number % 2 else grants.other_theme  # at most 3 sites a theme
        application = submitted(grants.call, corporation=corporation, theme=theme)
        decision = actions.decide(
            application=application, amounts={2019: 100_000}, decided_on=DECIDE_ON
        )
        actions.record_payment(
            decision=decision,
            fiscal_year=2019,
            kind="advance",
            amount=50_000,
            paid_on=datetime.date(2019, 7, 1),
        )
    assert count() == before


# Creating applications -------------------------------------------------------------------------


def test_corporation_staff_apply_and_submit_for_their_corporation(client, grants, open_call):
    client.force_login(grants.personas.corp_staff)
    body = body_for(
        open_call, corporation=grants.personas.own_corporation, theme=grants.theme, submit=True
    )
    response = post(client, APPLICATIONS, body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["applicant_kind"]) == ("submitted", "corporation")
    assert created["requested_total"] == 200_000
    application = Application.objects.get(pk=created["id"])
    assert application.created_by == grants.personas.corp_staff
    assert application.submitted_at is not None


def test_a_draft_stays_a_draft_without_submit(client, grants, open_call):
    client.force_login(grants.personas.corp_staff)
    body = body_for(open_call, corporation=grants.personas.own_corporation, theme=grants.theme)
    response = post(client, APPLICATIONS, body)
    assert response.status_code == 201
    assert response.json()["status"] == "draft"


@pytest.mark.parametrize("persona", ["corp_staff", "council"])
def test_others_cannot_apply_for_a_corporation_that_is_not_theirs(
    client, grants, open_call, persona
):
    client.force_login(getattr(grants.personas, persona))
    body = body_for(open_call, corporation=grants.personas.other_corporation, theme=grants.theme)
    response = post(client, APPLICATIONS, body)
    assert response.status_code == 400
    assert "corporation" in response.json()
    assert not Application.objects.exists()


def test_council_staff_apply_for_a_network_of_their_area(client, grants, open_network_call):
    client.force_login(grants.personas.council)
    response = post(
        client, APPLICATIONS, body_for(open_network_call, network=grants.network, amount=100_000)
    )
    assert response.status_code == 201, response.content
    assert response.json()["network"]["id"] == grants.network.pk
    client.force_login(grants.personas.corp_staff)
    again = post(client, APPLICATIONS, body_for(open_network_call, network=grants.network))
    assert again.status_code == 400
    assert "network" in again.json()


def test_center_staff_apply_for_any_applicant_of_their_prefecture(client, grants, open_call):
    client.force_login(grants.personas.center)
    body = body_for(
        open_call, corporation=grants.personas.other_corporation, theme=grants.theme, submit=True
    )
    assert post(client, APPLICATIONS, body).status_code == 201


def test_anonymous_callers_cannot_apply(client, grants, open_call):
    body = body_for(open_call, corporation=grants.personas.own_corporation, theme=grants.theme)
    assert post(client, APPLICATIONS, body).status_code in {401, 403}
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"title": ""}, {"title"}),
        (
            {"budget_lines": [{"fiscal_year": 2019, "category": "謝金", "amount": -5}]},
            {"budget_lines"},
        ),
        ({"budget_lines": [{"category": "謝金", "amount": 5}]}, {"budget_lines"}),
        ({"call": 999_999}, {"call"}),
        ({"network": "NETWORK"}, {"corporation", "network"}),
        ({"corporation": None}, {"corporation", "network"}),
        ({"submit": "maybe"}, {"submit"}),
    ],
)
def test_a_body_of_the_wrong_shape_is_400_naming_its_fields(
    client, grants, open_call, change, fields
):
    client.force_login(grants.personas.corp_staff)
    body = body_for(open_call, corporation=grants.personas.own_corporation, theme=grants.theme)
    if change.get("network") == "NETWORK":
        change = {"network": grants.network.pk}
    body.update(change)
    response = post(client, APPLICATIONS, body)
    assert response.status_code == 400, response.content
    assert fields <= set(response.json()), response.json()
    assert not Application.objects.exists()


def test_a_theme_of_another_prefecture_is_400(client, grants, open_call):
    from sasaeai.projects.models import Theme

    tottori_theme = Theme.objects.create(prefecture_id="31", code="T01", name="鳥取のテーマ")
    client.force_login(grants.personas.corp_staff)
    body = body_for(open_call, corporation=grants.personas.own_corporation, theme=tottori_theme)
    response = post(client, APPLICATIONS, body)
    assert response.status_code == 400
    assert "theme" in response.json()


def test_a_category_outside_the_program_is_409_with_its_rule(client, grants, open_call):
    client.force_login(grants.personas.corp_staff)
    body = body_for(open_call, corporation=grants.personas.own_corporation, theme=grants.theme)
    body["budget_lines"][0]["category"] = "飲食費"
    response = post(client, APPLICATIONS, body)
    assert response.status_code == 409
    assert response.json()["rule"] == "category"
    assert "飲食費" in response.json()["detail"]
    assert not Application.objects.exists() and not BudgetLine.objects.exists()


def test_a_closed_call_is_409(client, grants):
    client.force_login(grants.personas.corp_staff)
    body = body_for(grants.call, corporation=grants.personas.own_corporation, theme=grants.theme)
    response = post(client, APPLICATIONS, body)
    assert (response.status_code, response.json()["rule"]) == (409, "call_closed")


def test_a_second_application_to_a_call_is_409_duplicate(client, grants, open_call):
    client.force_login(grants.personas.corp_staff)
    body = body_for(open_call, corporation=grants.personas.own_corporation, theme=grants.theme)
    assert post(client, APPLICATIONS, body).status_code == 201
    again = post(client, APPLICATIONS, body)
    assert (again.status_code, again.json()["rule"]) == (409, "duplicate")


def test_a_corporation_that_is_not_a_member_is_409(client, grants, open_call):
    from sasaeai.testing.factories import CorporationFactory, corporation_staff

    outsider = CorporationFactory(municipality_id="332038")
    client.force_login(corporation_staff(outsider))
    body = body_for(open_call, corporation=outsider, theme=grants.theme)
    response = post(client, APPLICATIONS, body)
    assert (response.status_code, response.json()["rule"]) == (409, "not_member")


def test_a_submission_above_the_cap_is_409_and_keeps_nothing(client, grants, open_call):
    client.force_login(grants.personas.corp_staff)
    body = body_for(
        open_call,
        corporation=grants.personas.own_corporation,
        theme=grants.theme,
        amount=400_001,
        submit=True,
    )
    response = post(client, APPLICATIONS, body)
    assert response.status_code == 409
    assert response.json()["rule"] == "cap_total"
    assert "400,000円" in response.json()["detail"]
    assert not Application.objects.exists()


# Deciding --------------------------------------------------------------------------------------


def test_center_staff_decide_and_get_the_decision(client, grants, applied):
    client.force_login(grants.personas.center)
    response = post(
        client,
        decide_url(applied["own"]),
        {
            "amounts": {"2019": 200_000, "2020": 100_000},
            "decided_on": "2019-06-20",
            "number": "岡社協第12号",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["outcome"], body["decided_on"], body["number"]) == (
        "awarded",
        "2019-06-20",
        "岡社協第12号",
    )
    assert body["years"] == [
        {"fiscal_year": 2019, "amount": 200_000},
        {"fiscal_year": 2020, "amount": 100_000},
    ]
    assert (body["awarded_total"], body["paid_total"], body["payments"]) == (300_000, 0, [])
    decision = Decision.objects.get()
    assert decision.decided_by == grants.personas.center
    assert Application.objects.get(pk=applied["own"].pk).status == "awarded"


def test_center_staff_decline_with_a_reason(client, grants, applied):
    client.force_login(grants.personas.center)
    response = post(
        client,
        decide_url(applied["other"]),
        {"decline": True, "reason": "計画が具体的でない", "decided_on": "2019-06-20"},
    )
    assert response.status_code == 201
    assert (response.json()["outcome"], response.json()["years"]) == ("declined", [])
    assert Application.objects.get(pk=applied["other"].pk).status == "declined"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"amounts": {}},
        {"amounts": {"R1": 100_000}},
        {"amounts": {"2019": "200,000"}},
        {"amounts": {"2019": -1}},
        {"amounts": [200_000]},
        {"decline": True},
        {"decline": True, "reason": "x", "amounts": {"2019": 1}},
        {"amounts": {"2019": 100_000}, "decided_on": "令和元年6月20日"},
    ],
)
def test_a_decision_of_the_wrong_shape_is_400(client, grants, applied, body):
    client.force_login(grants.personas.center)
    response = post(client, decide_url(applied["own"]), body)
    assert response.status_code == 400, response.content
    assert set(response.json()) & {"amounts", "reason", "decided_on"}
    assert not Decision.objects.exists()


@pytest.mark.parametrize(("persona", "expected"), [("corp_staff", 403), ("outsider", 404)])
def test_only_the_programs_center_staff_decide(client, grants, applied, persona, expected):
    """The applicant's own staff see the application but may not decide it (403); others do
    not see it at all (the same 404 as a missing one)."""
    client.force_login(getattr(grants.personas, persona))
    response = post(client, decide_url(applied["own"]), {"amounts": {"2019": 100_000}})
    assert response.status_code == expected
    assert not Decision.objects.exists()


def test_council_staff_cannot_decide_their_networks_application(client, grants, applied):
    client.force_login(grants.personas.council)
    response = post(client, decide_url(applied["network"]), {"amounts": {"2019": 100_000}})
    assert response.status_code == 403
    assert (
        post(client, decide_url(applied["own"]), {"decline": True, "reason": "x"}).status_code
        == 404
    )


def test_a_fourth_site_for_a_theme_is_409_sites_per_theme(client, grants):
    client.force_login(grants.personas.center)
    applications = [
        submitted(grants.call, corporation=corporation, theme=grants.theme)
        for corporation in grants.members[:4]
    ]
    for application in applications[:3]:
        body = {"amounts": {"2019": 100_000}, "decided_on": DECIDE_ON.isoformat()}
        assert post(client, decide_url(application), body).status_code == 201
    response = post(
        client,
        decide_url(applications[3]),
        {"amounts": {"2019": 100_000}, "decided_on": DECIDE_ON.isoformat()},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["rule"] == "sites_per_theme"
    assert "3" in body["detail"]
    assert Application.objects.get(pk=applications[3].pk).status == "submitted"


def test_an_award_above_the_budget_is_409_budget(client, grants, applied):
    actions.set_budget(program=grants.model, fiscal_year=2019, amount=300_000)
    client.force_login(grants.personas.center)
    first = post(
        client,
        decide_url(applied["own"]),
        {"amounts": {"2019": 200_000}, "decided_on": "2019-06-20"},
    )
    assert first.status_code == 201
    second = post(
        client,
        decide_url(applied["other"]),
        {"amounts": {"2019": 100_001}, "decided_on": "2019-06-20"},
    )
    assert (second.status_code, second.json()["rule"]) == (409, "budget")


def test_deciding_twice_is_409_not_submitted(client, grants, applied):
    client.force_login(grants.personas.center)
    body = {"amounts": {"2019": 100_000}, "decided_on": "2019-06-20"}
    assert post(client, decide_url(applied["own"]), body).status_code == 201
    again = post(client, decide_url(applied["own"]), body)
    assert (again.status_code, again.json()["rule"]) == (409, "not_submitted")
    declined = post(client, decide_url(applied["own"]), {"decline": True, "reason": "x"})
    assert (declined.status_code, declined.json()["rule"]) == (409, "not_submitted")


def test_the_schema_documents_the_grant_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/grant-programs/",
        "/api/v1/grant-calls/",
        "/api/v1/grant-applications/",
        "/api/v1/grant-applications/{id}/decide/",
    ):
        assert path in schema
    assert "GrantRuleBroken" in schema
