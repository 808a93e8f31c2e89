import datetime

import pytest

from sasaeai.proposals import actions

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.urls("sasaeai.projects.tests.api_urls")]


def test_the_api_lists_published_proposals_with_their_evidence(client, personas, draft, finding):
    actions.create_proposal(
        prefecture="33", title="下書き", addressee_kind="other", addressee="x", text="x"
    )
    actions.add_evidence(proposal=draft, finding=finding)
    actions.submit(proposal=draft, submitted_on=D(2020, 7, 20))
    actions.publish(proposal=draft, published_on=D(2020, 7, 21))
    client.force_login(personas.center)  # even center staff get only the published here
    body = client.get("/api/v1/proposals/", {"prefecture": "33"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["title"], row["status"], row["published_on"]) == (
        draft.title,
        "submitted",
        "2020-07-21",
    )
    assert row["themes"] == ["T05"]
    assert row["evidence"] == [
        {
            "kind": "finding",
            "finding": finding.pk,
            "model_project": None,
            "survey_round": None,
            "title": finding.title,
            "note": "",
        }
    ]
    assert client.get("/api/v1/proposals/", {"prefecture": "9"}).status_code == 400
