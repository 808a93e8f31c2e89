import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sasaeai.networks.models import (
    FollowUp,
    MunicipalNetwork,
    NetworkDocument,
    OutreachVisit,
    Status,
    StatusEntry,
)
from sasaeai.testing.factories import pdf_bytes

pytestmark = pytest.mark.django_db


def network(name: str) -> MunicipalNetwork:
    return MunicipalNetwork.objects.get(name=name)


TSUYAMA = "津山市社会福祉施設連絡会"
IBARA = "井原おもいやりネットワーク"


def edit_data(net: MunicipalNetwork, **changes) -> dict:
    data = {
        "name": net.name,
        "nickname": net.nickname,
        "area": [m.pk for m in net.area.all()],
        "secretariat": "",
        "established_on": net.established_on.isoformat(),
        "established_note": net.established_note,
        "dissolved_on": "",
        "contact": net.contact,
        "note": net.note,
    }
    data.update(changes)
    return data


def test_overview_shows_the_seed_situation_in_japanese(client, seeded):
    page = client.get("/networks/", {"as_of": "2019-03-31"}).content.decode()
    assert "市町村域ネットワーク" in page or "市町村" in page
    assert "7" in page and "18" in page
    assert "7 圏域" in page  # networks established, as the seed counts them
    assert "27市町村中 18" in page  # with a network or considering
    assert "平成31年3月31日" in page
    assert "<svg" in page and "津山市" in page
    assert 'role="img"' in page
    older = client.get("/networks/", {"as_of": "H30.3.31"}).content.decode()
    assert "平成30年3月31日" in older


def test_the_slider_position_picks_a_month_end(client, seeded):
    response = client.get("/networks/", {"m": "0"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'id="status-view"' in page
    assert "<html" not in page  # the partial only
    assert "平成29年2月28日" in page  # the month of the first step (井原 H29.2.6)


def test_overview_keeps_a_constant_number_of_queries(client, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/networks/", {"as_of": "2019-03-31"})


def test_council_staff_edits_his_network_and_not_another(client, seeded):
    client.force_login(seeded.council)
    tsuyama, ibara = network(TSUYAMA), network(IBARA)
    response = client.post(
        f"/networks/{tsuyama.pk}/edit/", edit_data(tsuyama, contact="津山市社協 0868-00-0000")
    )
    assert response.status_code == 302
    tsuyama.refresh_from_db()
    assert tsuyama.contact == "津山市社協 0868-00-0000"
    assert client.get(f"/networks/{ibara.pk}/edit/").status_code == 404
    assert (
        client.post(f"/networks/{ibara.pk}/edit/", edit_data(ibara, contact="x")).status_code == 404
    )
    ibara.refresh_from_db()
    assert ibara.contact == ""


@pytest.mark.parametrize("persona", ["corp_staff", "outsider"])
def test_corporation_staff_cannot_edit_networks(client, seeded, persona):
    client.force_login(getattr(seeded, persona))
    assert client.get(f"/networks/{network(TSUYAMA).pk}/edit/").status_code == 404


def test_only_center_staff_create_networks_and_import(client, seeded):
    client.force_login(seeded.council)
    assert client.get("/networks/new/").status_code == 404
    assert client.get("/networks/import/").status_code == 404
    client.force_login(seeded.center)
    assert client.get("/networks/new/").status_code == 200
    assert client.get("/networks/import/").status_code == 200


def test_council_staff_records_a_step_of_his_municipality_only(client, seeded):
    client.force_login(seeded.council)
    tsuyama = network(TSUYAMA)
    ok = client.post(
        "/networks/municipalities/332038/",
        {
            "status": Status.ACTIVE,
            "effective_on": "R1.6.1",
            "source": "report",
            "network": tsuyama.pk,
            "evidence": "総会開催",
        },
    )
    assert ok.status_code == 302
    assert StatusEntry.objects.filter(municipality_id="332038", status=Status.ACTIVE).exists()
    refused = client.post(
        "/networks/municipalities/332020/",
        {"status": Status.STUDY, "effective_on": "R1.6.1", "source": "report"},
    )
    assert refused.status_code == 404


def test_a_step_before_the_founding_date_is_refused_on_the_page(client, seeded):
    client.force_login(seeded.center)
    tsuyama = network(TSUYAMA)
    page = client.post(
        "/networks/municipalities/332038/",
        {
            "status": Status.ACTIVE,
            "effective_on": "H29.1.1",
            "source": "report",
            "network": tsuyama.pk,
            "is_correction": "on",
        },
    ).content.decode()
    assert "2017-10-10" in page
    assert not StatusEntry.objects.filter(status=Status.ACTIVE).exists()


def test_evidence_is_shown_to_staff_only(client, seeded):
    StatusEntry.objects.filter(municipality_id="332020").update(evidence="内部メモ")
    assert "内部メモ" not in client.get("/networks/municipalities/332020/").content.decode()
    client.force_login(seeded.outsider)
    assert "内部メモ" not in client.get("/networks/municipalities/332020/").content.decode()
    client.force_login(seeded.center)
    assert "内部メモ" in client.get("/networks/municipalities/332020/").content.decode()


def test_documents_upload_and_download_are_scoped(client, seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tsuyama = network(TSUYAMA)
    client.force_login(seeded.council)
    bylaws = pdf_bytes()
    upload = SimpleUploadedFile("規約.pdf", bylaws, content_type="application/pdf")
    response = client.post(
        f"/networks/{tsuyama.pk}/documents/", {"kind": "bylaws", "title": "規約", "file": upload}
    )
    assert response.status_code == 302
    document = NetworkDocument.objects.get()
    assert b"".join(client.get(f"/networks/documents/{document.pk}/").streaming_content) == (bylaws)
    client.force_login(seeded.outsider)
    assert client.get(f"/networks/documents/{document.pk}/").status_code == 404
    ibara = network(IBARA)
    client.force_login(seeded.council)
    other = SimpleUploadedFile("x.pdf", pdf_bytes())
    assert (
        client.post(
            f"/networks/{ibara.pk}/documents/", {"kind": "other", "title": "x", "file": other}
        ).status_code
        == 404
    )


def test_meetings_log(client, seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tsuyama = network(TSUYAMA)
    client.force_login(seeded.council)
    client.post(
        f"/networks/{tsuyama.pk}/meetings/",
        {"held_on": "R1.7.10", "kind": "liaison", "title": "第1回連絡会", "attendance": "18"},
    )
    meeting = tsuyama.meetings.get()
    assert (meeting.held_on, meeting.attendance) == (datetime.date(2019, 7, 10), 18)
    assert "第1回連絡会" in client.get(f"/networks/{tsuyama.pk}/").content.decode()


def test_members_join_and_leave(client, seeded):
    tsuyama = network(TSUYAMA)
    client.force_login(seeded.council)
    own = seeded.own_corporation  # in 津山市
    client.post(f"/networks/{tsuyama.pk}/members/", {"corporation": own.pk, "joined_on": "H30.4.1"})
    member = tsuyama.members.get()
    client.post(f"/networks/{tsuyama.pk}/members/{member.pk}/leave/", {"left_on": "H30.3.1"})
    member.refresh_from_db()
    assert member.left_on is None  # before joining: refused
    client.post(f"/networks/{tsuyama.pk}/members/{member.pk}/leave/", {"left_on": "R2.3.31"})
    member.refresh_from_db()
    assert member.left_on == datetime.date(2020, 3, 31)


def test_a_visit_with_next_steps_and_a_status_change(client, seeded):
    client.force_login(seeded.center)
    response = client.post(
        "/networks/visits/new/",
        {
            "visited_on": "R1.6.20",
            "municipality": "332020",
            "staff": [seeded.center.pk],
            "people_met": "社協事務局長、施設長2名",
            "topics": "連絡会の規約案",
            "advice": "他市の規約を紹介",
            "follow_ups": "R1.7.31 規約案を確認\nR1.9.30 設立総会の日程調整",
            "new_status": Status.STUDY,
        },
    )
    assert response.status_code == 302
    visit = OutreachVisit.objects.get()
    assert list(visit.staff.all()) == [seeded.center]
    assert FollowUp.objects.filter(visit=visit).count() == 2
    entry = StatusEntry.objects.get(visit=visit)
    assert (entry.status, entry.source, entry.effective_on) == (
        Status.STUDY,
        "visit",
        datetime.date(2019, 6, 20),
    )
    page = client.get("/networks/visits/").content.decode()
    assert "規約案を確認" in page
    step = visit.follow_ups.first()
    client.post(f"/networks/visits/{visit.pk}/follow-ups/{step.pk}/done/")
    step.refresh_from_db()
    assert step.done_on is not None


def test_visits_are_seen_by_the_area_only(client, seeded):
    from sasaeai.networks import actions
    from sasaeai.regions.models import Municipality

    visit = actions.record_visit(
        prefecture="33",
        visited_on=datetime.date(2019, 6, 20),
        staff=[seeded.center],
        municipality=Municipality.objects.get(pk="332020"),
        topics="倉敷の話",
    )
    client.force_login(seeded.council)  # 津山市
    assert client.get(f"/networks/visits/{visit.pk}/").status_code == 404
    assert "倉敷の話" not in client.get("/networks/visits/").content.decode()
    client.force_login(seeded.corp_staff)
    assert client.get(f"/networks/visits/{visit.pk}/").status_code == 404
    client.force_login(seeded.center)
    assert client.get(f"/networks/visits/{visit.pk}/").status_code == 200


def test_a_visit_line_with_a_bad_date_names_the_line(client, seeded):
    client.force_login(seeded.center)
    page = client.post(
        "/networks/visits/new/",
        {
            "visited_on": "R1.6.20",
            "municipality": "332020",
            "follow_ups": "R1.7.31 確認\n来月 連絡",
        },
    ).content.decode()
    assert "2行目" in page or "Line 2" in page
    assert not OutreachVisit.objects.exists()


def test_import_preview_then_confirm(client, personas):
    client.force_login(personas.center)
    text = "市町村,状況,組織名,設立日,時点\n赤磐市,設置済,赤磐市社会福祉法人連絡会,H30.5.25,\n"
    upload = SimpleUploadedFile("networks.csv", text.encode("cp932"))
    preview = client.post("/networks/import/", {"file": upload})
    page = preview.content.decode()
    assert "赤磐市社会福祉法人連絡会" in page
    assert not MunicipalNetwork.objects.exists()
    token = preview.context["token"]
    done = client.post("/networks/import/", {"token": token})
    assert done.status_code == 302
    assert MunicipalNetwork.objects.get().established_on == datetime.date(2018, 5, 25)


def test_import_with_errors_shows_them_and_writes_nothing(client, personas):
    client.force_login(personas.center)
    text = (
        "市町村,状況,組織名,設立日\n"
        "赤磐市,設置済,赤磐市社会福祉法人連絡会,H30.5.25\n"
        "赤盤市,設置済,x,H30.1.1\n"
    )
    page = client.post(
        "/networks/import/", {"file": SimpleUploadedFile("n.csv", text.encode())}
    ).content.decode()
    assert "3" in page and "赤盤市" in page
    assert 'name="token"' not in page
    assert not MunicipalNetwork.objects.exists()


def test_exports_import_back(client, seeded):
    from sasaeai.networks import importing

    response = client.get("/networks/export/networks/", {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    again = importing.plan_import(io.BytesIO(response.content), prefecture="33", filename="n.xlsx")
    assert again.ok, again.errors
    assert not again.new_networks and not again.updated_networks and not again.statuses
    status = client.get("/networks/export/status/", {"as_of": "2019-03-31", "format": "csv"})
    text = b"".join(status.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == "市町村,状況,時点,組織名,出典,備考"
    assert "瀬戸内市,職員研修・局内検討,2019-03-31" in text
    assert text.count("\r\n") == 28
    cp932 = client.get("/networks/export/status/", {"as_of": "2019-03-31", "format": "csv-cp932"})
    assert "津山市".encode("cp932") in b"".join(cp932.streaming_content)


def test_the_pdf_report_embeds_a_japanese_font(client, seeded):
    response = client.get("/networks/report.pdf", {"as_of": "2019-03-31"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "岡山県" in text and "平成31年3月31日" in text and "津山市社会福祉施設連絡会" in text
    fonts = {
        str(font["/BaseFont"])
        for font in pdf.pages[0]["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert any("IPAex" in name for name in fonts), fonts


def test_the_visit_form_offers_the_prefecture_s_center_staff_only(client, seeded):
    client.force_login(seeded.center)
    response = client.post(
        "/networks/visits/new/",
        {"visited_on": "R1.6.20", "municipality": "332020", "staff": [seeded.council.pk]},
    )
    assert response.status_code == 200
    assert "staff" in response.context["form"].errors
    assert not OutreachVisit.objects.exists()


def test_the_network_list_keeps_a_constant_number_of_queries(
    client, seeded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get("/networks/list/")


def test_the_network_list_as_of_a_date(client, seeded):
    page = client.get("/networks/list/", {"as_of": "H30.3.31"}).content.decode()
    assert "5 圏域" in page
    assert "赤磐市社会福祉法人連絡会" not in page
    assert "ふくしネットそうじゃ" in client.get("/networks/list/", {"q": "ﾌｸｼﾈｯﾄ"}).content.decode()
