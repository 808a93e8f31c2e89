"""Disclosure finds a person across apps, within the center's prefecture; erasure anonymises
them, keeps the counts and scrubs the audit log."""

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from sasaeai.core.privacy import ANONYMOUS, Person
from sasaeai.events import actions as events
from sasaeai.events.kpis import participants_on
from sasaeai.events.models import Attendance, Registration
from sasaeai.privacy import actions
from sasaeai.privacy.finding import as_json, find
from sasaeai.privacy.models import Channel, DataRequest, RequestKind
from sasaeai.surveys.models import Answer

from .conftest import EMAIL

pytestmark = pytest.mark.django_db


def _models(found):
    return {item.holding.model: item.pks for item in found}


def test_disclosure_finds_the_person_across_apps_in_the_prefecture(hanako):
    found = _models(find(Person(email="Hanako@Example.jp"), "33"))
    assert found["events.Registration"] == [hanako.registration.pk]
    assert found["publishing.Subscriber"] == [hanako.subscriber.pk]
    assert found["surveys.Invitation"] == [hanako.invitation.pk]
    assert len(found["surveys.Answer"]) == 1
    assert found["accounts.User"] == [hanako.user.pk]
    assert hanako.other.pk not in found["events.Registration"]


def test_disclosure_by_name_without_an_email(hanako):
    found = _models(find(Person(name="岡山花子"), "33"))
    assert found["events.Registration"] == [hanako.registration.pk]
    assert found["accounts.User"] == [hanako.user.pk]


def test_a_name_with_full_width_signs_is_found_as_it_was_typed(hanako):
    """The demo's and many real names carry full-width brackets or digits (中村 健太（架空1）):
    the name typed as it was registered finds it (spaces aside); a name stored in its NFKC
    form is found when typed with full-width signs."""
    okayama = hanako.registration.event
    kept = events.register(event=okayama, name="中村 健太（架空１）", email="")
    plain = events.register(event=okayama, name="山田 太郎(架空2)", email="")
    for typed, registration in (("中村健太（架空１）", kept), ("山田　太郎（架空２）", plain)):
        found = _models(find(Person(name=typed), "33"))
        assert found["events.Registration"] == [registration.pk]


def test_another_prefecture_sees_only_its_own_records(hanako):
    found = _models(find(Person(email=EMAIL), "31"))
    assert found == {"events.Registration": [hanako.far.pk]}


def test_the_export_names_where_and_when(hanako):
    document = json.loads(as_json(find(Person(email=EMAIL), "33"), prefecture="33"))
    registration = next(r for r in document["records"] if r["model"] == "events.Registration")
    assert "岡山 花子" in registration["data"].values()
    assert registration["stored_at"].startswith(str(timezone.localdate().year))
    assert "地域福祉コーディネーター研修" in registration["record"].values()


def test_erasure_anonymises_keeps_counts_and_scrubs_the_audit_log(hanako, personas):
    today = timezone.localdate()
    participants = participants_on("33", today)
    answers = Answer.objects.filter(response__invitation=hanako.invitation).count()
    assert participants == 2

    request = actions.erase_person(
        person=Person(email=EMAIL), prefecture="33", by=personas.center, channel=Channel.POST
    )

    registration = Registration.objects.get(pk=hanako.registration.pk)
    assert (registration.name, registration.email) == (ANONYMOUS, "")
    assert registration.person_key == f"erased:{registration.pk}"
    assert participants_on("33", today) == participants
    assert Attendance.objects.filter(registration=registration).count() == 1
    assert Answer.objects.filter(response__invitation=hanako.invitation).count() == answers
    assert not Answer.objects.filter(text__contains="花子").exists()
    hanako.subscriber.refresh_from_db()
    assert hanako.subscriber.email.endswith("@invalid.invalid")
    assert not hanako.subscriber.is_receiving
    hanako.user.refresh_from_db()
    assert not hanako.user.is_active and hanako.user.email == ""
    # Tottori's records are Tottori's to erase.
    assert Registration.objects.get(pk=hanako.far.pk).name == "岡山 花子"

    for model, pk in (
        (Registration, registration.pk),
        (Attendance, registration.attendances.get().pk),
    ):
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=pk
        )
        assert entries.exists()
        for entry in entries:
            text = json.dumps(
                [entry.object_repr, entry.changes, entry.changes_text], ensure_ascii=False
            )
            assert "花子" not in text and "hanako" not in text.lower()
    assert request.kind == RequestKind.ERASURE
    assert request.summary["events.Registration"] == 1
    assert request.handled_by == personas.center
    stored = json.dumps([request.subject, request.summary], ensure_ascii=False)
    assert "花子" not in stored and "hanako" not in stored


def test_erasure_leaves_the_other_participants_alone(hanako, personas):
    actions.erase_person(
        person=Person(email=EMAIL), prefecture="33", by=personas.center, channel=Channel.EMAIL
    )
    assert Registration.objects.get(pk=hanako.other.pk).name == "倉敷 次郎"
    assert find(Person(email=EMAIL), "33") == []


def test_a_disclosure_is_recorded_without_naming_the_person(hanako, personas):
    found = find(Person(email=EMAIL), "33")
    request = actions.record_disclosure(
        person=Person(email=EMAIL),
        prefecture="33",
        by=personas.center,
        channel="counter",
        found=found,
    )
    assert DataRequest.objects.get().summary == request.summary
    assert EMAIL not in json.dumps(request.summary)
    access = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_id=request.pk)
    assert access.actor == personas.center


def test_an_erased_record_invalidates_the_cached_pages_that_show_it(
    personas, django_capture_on_commit_callbacks
):
    from sasaeai.core.versions import tokens

    corporation = personas.own_corporation
    type(corporation).objects.filter(pk=corporation.pk).update(representative="岡山 花子")
    corporation.refresh_from_db()
    before = (corporation.updated_at, tokens("members"))
    with django_capture_on_commit_callbacks(execute=True):
        actions.erase_person(
            person=Person(name="岡山 花子"), prefecture="33", by=personas.center, channel="post"
        )
    corporation.refresh_from_db()
    assert corporation.representative == ""
    assert corporation.updated_at > before[0]
    assert tokens("members") != before[1]


def test_an_erased_staff_account_is_closed_and_its_role_entries_scrubbed(hanako, personas):
    from sasaeai.accounts.models import RoleAssignment

    role = RoleAssignment.objects.get(user=hanako.user)
    actions.erase_person(
        person=Person(email=EMAIL), prefecture="33", by=personas.center, channel="post"
    )
    hanako.user.refresh_from_db()
    assert hanako.user.username == f"erased-{hanako.user.pk}"
    assert not hanako.user.has_usable_password()
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(RoleAssignment), object_id=role.pk
    )
    assert entries.exists()
    assert not any("hanako" in entry.object_repr for entry in entries)


def test_free_text_that_mentions_the_person_is_found(personas):
    from sasaeai.networks.models import OutreachVisit

    visit = OutreachVisit.objects.create(
        prefecture_id="33",
        municipality_id="332038",
        visited_on=timezone.localdate(),
        people_met="津山市社協 岡山花子 さん（hanako@example.jp）",
        recorded_by=personas.center,
    )
    assert _models(find(Person(name="岡山 花子"), "33")) == {"networks.OutreachVisit": [visit.pk]}
    assert _models(find(Person(email=EMAIL), "33")) == {"networks.OutreachVisit": [visit.pk]}
