"""The center's pages: the register, the search, the exports and the erasure, in scope."""

import io
import json

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from sasaeai.events.models import Registration
from sasaeai.privacy.models import DataRequest, RequestKind
from sasaeai.testing.factories import CenterFactory, center_staff

from .conftest import EMAIL

pytestmark = pytest.mark.django_db

ASK = {"email": EMAIL, "channel": "counter"}


def test_the_register_is_for_center_staff(client, personas):
    client.force_login(personas.center)
    page = client.get("/personal-data/").content.decode()
    assert "個人情報の登録簿" in page
    assert "イベントの参加者・申込者" in page
    assert "実施年度の終了後5年間" in page
    for persona in (personas.council, personas.corp_staff, personas.outsider):
        client.force_login(persona)
        assert client.get("/personal-data/").status_code == 404
        assert client.post("/personal-data/requests/export.json", ASK).status_code == 404


def test_the_search_shows_where_not_what(client, personas, hanako, django_assert_max_num_queries):
    client.force_login(personas.center)
    with django_assert_max_num_queries(40):
        page = client.post("/personal-data/requests/", ASK).content.decode()
    assert "申込" in page and "ニュースレター購読者" in page
    assert "岡山 花子" not in page
    assert not DataRequest.objects.exists()


def test_an_empty_search_says_what_to_give(client, personas):
    client.force_login(personas.center)
    page = client.post("/personal-data/requests/", {"channel": "counter"}).content.decode()
    assert "メールアドレス、氏名又は整理番号を入力してください" in page


def test_the_export_holds_everything_and_is_recorded(client, personas, hanako):
    client.force_login(personas.center)
    response = client.post("/personal-data/requests/export.json", ASK)
    document = json.loads(response.content)
    models = {record["model"] for record in document["records"]}
    assert {"events.Registration", "publishing.Subscriber", "surveys.Answer", "accounts.User"} <= (
        models
    )
    assert "岡山 花子" in response.content.decode()
    request = DataRequest.objects.get()
    assert request.kind == RequestKind.DISCLOSURE and request.handled_by == personas.center
    access = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_id=request.pk)
    assert access.actor == personas.center

    workbook = client.post("/personal-data/requests/export.xlsx", ASK)
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    values = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert "岡山 花子" in values and EMAIL in values


def test_another_prefectures_center_gets_only_its_own(client, hanako):
    tottori = center_staff(CenterFactory(prefecture_id="31", name="鳥取県センター"))
    client.force_login(tottori)
    document = json.loads(client.post("/personal-data/requests/export.json", ASK).content)
    assert [(r["model"], r["id"]) for r in document["records"]] == [
        ("events.Registration", hanako.far.pk)
    ]
    assert "地域福祉コーディネーター研修" not in json.dumps(document, ensure_ascii=False)


def test_erasure_asks_for_confirmation_first(client, personas, hanako):
    client.force_login(personas.center)
    page = client.post("/personal-data/requests/erase/", ASK).content.decode()
    assert "元に戻せません" in page
    client.post("/personal-data/requests/erase/", {**ASK, "step": "confirm"})
    assert Registration.objects.get(pk=hanako.registration.pk).name == "岡山 花子"

    response = client.post(
        "/personal-data/requests/erase/",
        {**ASK, "step": "confirm", "received_on": "2026-04-01", "confirm": "on"},
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=hanako.registration.pk).name == "匿名"
    request = DataRequest.objects.get(kind=RequestKind.ERASURE)
    assert str(request.received_on) == "2026-04-01"
    page = client.get(response.url).content.decode()
    assert f"件の記録を匿名化しました（請求番号 {request.pk}）" in page


def test_the_public_policy_states_the_centers_periods_and_the_register(client, personas):
    center = personas.okayama_center
    center.settings = {
        **(center.settings or {}),
        "privacy_retention_years": {"event_participants": 3},
    }
    center.save()
    page = client.get("/privacy/").content.decode()
    assert "研修等の申込・出欠・修了の記録：実施年度の終了後3年間" in page
    assert "自由記述は実施年度の終了後5年間" in page
    assert "別表" in page and "ニュースレター購読者" in page


def test_the_center_reaches_the_register_from_its_start_page(client, personas):
    client.force_login(personas.center)
    assert 'href="/personal-data/"' in client.get("/dashboard/").content.decode()
    client.force_login(personas.corp_staff)
    assert 'href="/personal-data/"' not in client.get("/dashboard/").content.decode()
