"""The rules of proposals: evidence of the same prefecture, publish only after submit."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sasaeai.proposals import actions
from sasaeai.proposals.models import Evidence, Proposal, ProposalStatus

D = datetime.date
pytestmark = pytest.mark.usefixtures("english")


def test_the_steps_of_a_proposal(draft, finding, model_project):
    actions.add_evidence(proposal=draft, finding=finding, note="部会")
    actions.add_evidence(proposal=draft, model_project=model_project)
    actions.submit(proposal=draft, submitted_on=D(2020, 7, 20))
    actions.record_answer(proposal=draft, answer="検討します", answered_on=D(2020, 9, 30))
    actions.publish(proposal=draft, published_on=D(2020, 10, 15))
    draft.refresh_from_db()
    assert draft.status == ProposalStatus.ANSWERED
    assert (draft.submitted_on, draft.answered_on, draft.published_on) == (
        D(2020, 7, 20),
        D(2020, 9, 30),
        D(2020, 10, 15),
    )
    assert list(Proposal.objects.published()) == [draft]
    assert [e.source for e in draft.evidence.all()] == [finding, model_project]


def test_a_draft_cannot_be_published(draft):
    with pytest.raises(ValidationError, match="A draft cannot be published"):
        actions.publish(proposal=draft, published_on=D(2020, 10, 15))
    draft.refresh_from_db()
    assert draft.published_on is None
    assert not Proposal.objects.published().exists()


def test_a_submitted_proposal_can_be_published_before_its_answer(draft):
    actions.submit(proposal=draft, submitted_on=D(2020, 7, 20))
    with pytest.raises(ValidationError, match="before it was submitted"):
        actions.publish(proposal=draft, published_on=D(2020, 7, 1))
    actions.publish(proposal=draft, published_on=D(2020, 7, 21))
    assert Proposal.objects.published().get() == draft


def test_submit_only_a_draft_and_answer_only_after_submit(draft):
    with pytest.raises(ValidationError, match="submit the proposal first"):
        actions.record_answer(proposal=draft, answer="x", answered_on=D(2020, 9, 30))
    actions.submit(proposal=draft, submitted_on=D(2020, 7, 20))
    with pytest.raises(ValidationError, match="Only a draft can be submitted"):
        actions.submit(proposal=draft, submitted_on=D(2020, 7, 21))
    with pytest.raises(ValidationError, match="before the submission"):
        actions.record_answer(proposal=draft, answer="x", answered_on=D(2020, 7, 1))
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_on, draft.answer) == ("submitted", D(2020, 7, 20), "")


def test_a_submitted_proposal_is_not_edited(draft, finding):
    actions.submit(proposal=draft, submitted_on=D(2020, 7, 20))
    with pytest.raises(ValidationError, match="Only a draft can be edited"):
        actions.update_proposal(
            proposal=draft,
            title="変更",
            addressee_kind="prefecture",
            addressee="岡山県知事",
            text="変更",
        )
    draft.refresh_from_db()
    assert draft.title == "子どもの学びと居場所への支援について"


@pytest.mark.parametrize("kind", ["finding", "model_project"])
def test_evidence_of_another_prefecture_is_refused(draft, tottori, kind):
    source = tottori["finding"] if kind == "finding" else tottori["project"]
    with pytest.raises(ValidationError, match="belongs to another prefecture"):
        actions.add_evidence(proposal=draft, **{kind: source})
    assert not Evidence.objects.exists()


def test_evidence_is_exactly_one_source_and_cited_once(draft, finding, model_project):
    with pytest.raises(ValidationError, match="Cite exactly one"):
        actions.add_evidence(proposal=draft, finding=finding, model_project=model_project)
    with pytest.raises(ValidationError, match="Cite exactly one"):
        actions.add_evidence(proposal=draft)
    actions.add_evidence(proposal=draft, finding=finding)
    with pytest.raises(ValidationError, match="already cites"):
        actions.add_evidence(proposal=draft, finding=finding)
    assert Evidence.objects.count() == 1


def test_a_survey_round_of_the_same_prefecture_is_evidence(draft, personas):
    from sasaeai.surveys.demo import ensure_demo_surveys
    from sasaeai.surveys.models import Round

    ensure_demo_surveys("33")
    round_ = Round.objects.filter(survey__prefecture_id="33").first()
    evidence = actions.add_evidence(proposal=draft, survey_round=round_)
    assert evidence.source == round_


def test_a_theme_or_municipality_of_another_prefecture_is_refused(themes, tottori):
    from sasaeai.regions.models import Municipality

    with pytest.raises(ValidationError, match="another prefecture"):
        actions.create_proposal(
            prefecture="33", title="x", addressee_kind="prefecture", addressee="x", text="x",
            themes=[tottori["theme"]],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="not in this center's prefecture"):
        actions.create_proposal(
            prefecture="33", title="x", addressee_kind="municipality", addressee="鳥取市長",
            text="x", municipality=Municipality.objects.get(pk="312011"),
        )  # fmt: skip
    assert not Proposal.objects.exists()
