"""Proposal pages: the public sees published proposals only; center staff draft, cite,
submit, answer and publish; another prefecture's proposals are 404."""

import datetime

import pytest

from sasaeai.proposals import actions
from sasaeai.proposals.models import Evidence, Proposal

D = datetime.date
pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def published(draft, finding, model_project):
    actions.add_evidence(proposal=draft, finding=finding)
    actions.add_evidence(proposal=draft, model_project=model_project)
    actions.submit(proposal=draft, submitted_on=D(2020, 7, 20))
    actions.record_answer(proposal=draft, answer="研修を実施します", answered_on=D(2020, 9, 30))
    actions.publish(proposal=draft, published_on=D(2020, 10, 15))
    return draft


@pytest.fixture
def other_draft(themes):
    return actions.create_proposal(
        prefecture="33", title="まだ下書きの提言", addressee_kind="national",
        addressee="厚生労働大臣", text="下書き",
    )  # fmt: skip


def test_anonymous_sees_published_proposals_only(client, published, other_draft):
    page = text(client.get("/proposals/"))
    assert "子どもの学びと居場所への支援について" in page
    assert "まだ下書きの提言" not in page
    assert client.get(f"/proposals/{other_draft.pk}/").status_code == 404
    detail = text(client.get(f"/proposals/{published.pk}/"))
    assert "岡山県知事" in detail and "研修を実施します" in detail
    assert "令和2年7月20日" in detail  # submitted, in 和暦
    assert f"/projects/committees/{published.evidence.first().finding.committee_id}/" in detail
    assert f"/projects/models/{published.evidence.last().model_project_id}/" in detail
    assert "/submit/" not in detail and "/publish/" not in detail


@pytest.mark.parametrize("persona", ["corp_staff", "council", "outsider"])
def test_other_roles_read_but_do_not_write(client, personas, published, other_draft, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(f"/proposals/{published.pk}/").status_code == 200
    assert client.get(f"/proposals/{other_draft.pk}/").status_code == 404
    for url in ("/proposals/new/", f"/proposals/{other_draft.pk}/edit/"):
        assert client.get(url).status_code == 404
    assert (
        client.post(f"/proposals/{other_draft.pk}/submit/", {"submitted_on": "R2.7.1"}).status_code
        == 404
    )
    other_draft.refresh_from_db()
    assert other_draft.status == "draft"


def test_center_staff_see_drafts_with_their_status(client, personas, published, other_draft):
    client.force_login(personas.center)
    page = text(client.get("/proposals/"))
    assert "まだ下書きの提言" in page and "子どもの学びと居場所への支援について" in page
    assert client.get(f"/proposals/{other_draft.pk}/").status_code == 200


def test_another_prefectures_proposals_are_404(client, personas, tottori):
    theirs = actions.create_proposal(
        prefecture="31", title="鳥取の提言", addressee_kind="prefecture", addressee="鳥取県知事",
        text="x",
    )  # fmt: skip
    actions.submit(proposal=theirs, submitted_on=D(2020, 7, 1))
    actions.publish(proposal=theirs, published_on=D(2020, 7, 2))
    client.force_login(personas.center)
    for url in (f"/proposals/{theirs.pk}/", f"/proposals/{theirs.pk}/edit/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/proposals/{theirs.pk}/evidence/", {}).status_code == 404
    assert "鳥取の提言" not in text(client.get("/proposals/"))


def test_the_whole_flow_through_the_forms(client, personas, themes, finding, model_project):
    client.force_login(personas.center)
    assert client.get("/proposals/new/").status_code == 200
    response = client.post(
        "/proposals/new/",
        {
            "title": "学習支援の担い手への支援",
            "addressee_kind": "prefecture",
            "addressee": "岡山県知事",
            "themes": [themes["T05"].pk],
            "text": "担い手の研修を",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    edit = text(client.get(f"/proposals/{proposal.pk}/edit/"))
    assert "学習支援の担い手への支援" in edit and "担い手の研修を" in edit
    assert client.get(f"/proposals/{proposal.pk}/evidence/").status_code == 200
    assert (
        client.post(
            f"/proposals/{proposal.pk}/evidence/", {"finding": finding.pk, "note": "部会"}
        ).status_code
        == 302
    )
    both = client.post(
        f"/proposals/{proposal.pk}/evidence/",
        {"finding": finding.pk, "model_project": model_project.pk},
    )
    assert both.status_code == 200 and "errorlist" in text(both)
    # Publishing a draft is refused, nothing written.
    client.post(f"/proposals/{proposal.pk}/publish/", {"published_on": "R2.7.1"})
    proposal.refresh_from_db()
    assert proposal.published_on is None
    client.post(f"/proposals/{proposal.pk}/submit/", {"submitted_on": "R2.7.20"})
    client.post(
        f"/proposals/{proposal.pk}/answer/", {"answer": "実施します", "answered_on": "R2.9.30"}
    )
    client.post(f"/proposals/{proposal.pk}/publish/", {"published_on": "R2.10.15"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.submitted_on, proposal.published_on) == (
        "answered",
        D(2020, 7, 20),
        D(2020, 10, 15),
    )
    assert Evidence.objects.filter(proposal=proposal).count() == 1
    client.logout()
    assert "実施します" in text(client.get(f"/proposals/{proposal.pk}/"))


def test_evidence_of_another_prefecture_is_refused_by_the_form(client, personas, draft, tottori):
    client.force_login(personas.center)
    response = client.post(f"/proposals/{draft.pk}/evidence/", {"finding": tottori["finding"].pk})
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_the_list_keeps_a_constant_number_of_queries(
    client, personas, themes, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            p = actions.create_proposal(
                prefecture="33", title=f"提言{n}-{i}", addressee_kind="prefecture",
                addressee="岡山県知事", text="x", themes=[themes["T05"], themes["T09"]],
            )  # fmt: skip
            actions.submit(proposal=p, submitted_on=D(2020, 7, 1))
            actions.publish(proposal=p, published_on=D(2020, 7, 2))

    add(2)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/proposals/").status_code == 200
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/proposals/").status_code == 200
