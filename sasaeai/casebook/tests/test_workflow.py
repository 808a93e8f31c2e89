"""The rules of the casebook's workflow: corporations draft and submit their own cases,
consent is a recorded fact, the center publishes only with it, and withdrawing it
unpublishes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sasaeai.casebook import actions
from sasaeai.casebook.models import Case, CaseStatus, ConsentMethod
from sasaeai.core.text import search_key
from sasaeai.regions.models import Municipality

from .conftest import draft_case

D = datetime.date
pytestmark = pytest.mark.django_db


def submit_and_consent(case, personas):
    actions.submit_case(case=case, by=personas.corp_staff)
    return actions.record_consent(
        case=case, by=personas.corp_staff, method="online",
        consented_by="理事長 山田太郎", given_on=D(2020, 1, 10), includes_photos=True,
    )  # fmt: skip


def test_publishing_without_a_recorded_consent_is_refused(personas, draft, english):
    actions.submit_case(case=draft, by=personas.corp_staff)
    with pytest.raises(ValidationError) as refusal:
        actions.publish_case(case=draft, by=personas.center)
    assert refusal.value.code == "no_consent"
    assert "no consent to publish" in refusal.value.messages[0]
    assert personas.own_corporation.name in refusal.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == CaseStatus.SUBMITTED and draft.published_at is None


def test_a_draft_is_not_published_even_with_consent(personas, draft):
    actions.record_consent(
        case=draft, by=personas.corp_staff, method="online", consented_by="理事長",
        given_on=D(2020, 1, 10), includes_photos=True,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refusal:
        actions.publish_case(case=draft, by=personas.center)
    assert refusal.value.code == "draft"


def test_center_publishes_with_consent_and_withdrawal_unpublishes(personas, draft):
    submit_and_consent(draft, personas)
    actions.publish_case(case=draft, by=personas.center)
    assert Case.objects.published().filter(pk=draft.pk).exists()
    actions.withdraw_consent(case=draft, by=personas.corp_staff)
    draft.refresh_from_db()
    assert draft.status == CaseStatus.SUBMITTED
    assert draft.current_consent() is None
    assert draft.consents.get().withdrawn_by == personas.corp_staff  # the fact stays
    with pytest.raises(ValidationError):
        actions.publish_case(case=draft, by=personas.center)


def test_only_the_center_publishes(personas, draft):
    submit_and_consent(draft, personas)
    for persona in (personas.corp_staff, personas.council, personas.outsider):
        with pytest.raises(PermissionDenied):
            actions.publish_case(case=draft, by=persona)


def test_online_consent_only_by_the_owners_staff_paper_only_by_the_center(personas, draft):
    for who, method in ((personas.outsider, "online"), (personas.center, "online")):
        with pytest.raises(ValidationError):
            actions.record_consent(
                case=draft, by=who, method=method, consented_by="x", given_on=D(2020, 1, 1),
                includes_photos=False,
            )  # fmt: skip
    with pytest.raises(PermissionDenied):
        actions.record_consent(
            case=draft, by=personas.corp_staff, method="paper", consented_by="x",
            given_on=D(2020, 1, 1), includes_photos=False,
        )  # fmt: skip
    consent = actions.record_consent(
        case=draft, by=personas.center, method="paper", consented_by="理事長 山田太郎",
        given_on=D(2020, 2, 3), includes_photos=False, note="郵送で受領",
    )  # fmt: skip
    assert consent.method == ConsentMethod.PAPER
    assert consent.corporation == personas.own_corporation
    assert consent.recorded_by == personas.center


def test_corporation_staff_cannot_write_for_another_corporation(personas, themes):
    with pytest.raises(PermissionDenied):
        actions.create_case(
            by=personas.outsider, corporation=personas.own_corporation,
            municipality=Municipality.objects.get(code="332038"), fiscal_year=2019,
            title="x", summary="y",
        )  # fmt: skip


def test_a_submitted_case_is_edited_by_the_center_only(personas, draft):
    actions.submit_case(case=draft, by=personas.corp_staff)
    fields = {"municipality": draft.municipality, "fiscal_year": 2019, "title": "新しい題",
              "summary": "概要"}  # fmt: skip
    with pytest.raises(ValidationError) as refusal:
        actions.update_case(case=draft, by=personas.corp_staff, **fields)
    assert refusal.value.code == "not_draft"
    actions.update_case(case=draft, by=personas.center, **fields)
    draft.refresh_from_db()
    assert draft.title == "新しい題"


def test_search_text_holds_texts_themes_and_owner_normalised(personas, themes):
    case = draft_case(personas, themes, activities="ﾎﾞﾗﾝﾃｨｱの育成")
    text = Case.objects.get(pk=case.pk).search_text
    assert "ボランティアノ育成" in text
    assert search_key(themes["T05"].name) in text
    assert search_key(personas.own_corporation.name) in text
