"""Every create, update and delete of a domain record is recorded with who and when."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse

from sasaeai.core.audit import history_of
from sasaeai.members.actions import register_corporation
from sasaeai.regions.models import Center

pytestmark = pytest.mark.django_db


def test_create_update_and_delete_are_recorded_with_the_actor(personas):
    with set_actor(personas.center):
        corporation = register_corporation(
            corporate_number="7000012050002",
            name="社会福祉法人記録テスト会",
            municipality_code="332038",
        )
        corporation.name = "社会福祉法人記録テスト会（改称）"
        corporation.save()
    entries = list(history_of(corporation))
    assert [entry.action for entry in entries] == [
        LogEntry.Action.UPDATE,
        LogEntry.Action.CREATE,
    ]
    assert all(entry.actor == personas.center for entry in entries)
    # Stored NFKC-normalised: full-width brackets become ASCII ones.
    assert entries[0].changes_dict["name"][1] == "社会福祉法人記録テスト会(改称)"
    pk = corporation.pk
    corporation.delete()
    assert LogEntry.objects.filter(object_pk=str(pk), action=LogEntry.Action.DELETE).exists()


def test_a_change_made_through_a_web_request_names_the_signed_in_user(client, personas):
    client.force_login(personas.corp_staff)
    client.post(reverse("accounts:preferences"), {"date_style": "western"})
    entry = history_of(personas.corp_staff).first()
    assert entry.actor == personas.corp_staff
    assert entry.changes_dict["date_style"] == ["wareki", "western"]


def test_centers_are_audited(personas):
    center = Center.objects.get(prefecture_id="33")
    center.phone = "086-000-0000"
    center.save()
    assert history_of(center).first().changes_dict["phone"][1] == "086-000-0000"


def test_center_staff_read_the_history_of_a_record_and_others_do_not(client, personas):
    corporation = personas.own_corporation
    corporation.name = "社会福祉法人履歴表示テスト会"
    corporation.save()
    url = reverse("members:corporation-detail", args=[corporation.pk])
    client.force_login(personas.center)
    assert "変更履歴" in client.get(url).content.decode()
    client.force_login(personas.corp_staff)
    page = client.get(url)
    assert page.status_code == 200
    assert "変更履歴" not in page.content.decode()
