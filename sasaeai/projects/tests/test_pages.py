"""Pages of Pillar II: who sees what, forms that round-trip, constant queries."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sasaeai.networks import actions as network_actions
from sasaeai.projects import actions
from sasaeai.projects.models import (
    Committee,
    CommitteeMeeting,
    Finding,
    LeadingPartner,
    LeadingProject,
    LeadingYear,
    ModelProject,
    ModelSite,
    ProgressReport,
    ProjectDocument,
    Theme,
)
from sasaeai.projects.tests import helpers
from sasaeai.regions.models import Municipality
from sasaeai.testing.factories import pdf_bytes

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def okayama_by_default(settings):
    settings.SASAEAI_DEFAULT_PREFECTURE = "33"


@pytest.fixture
def running(project, members):
    actions.set_status(project=project, status="running", effective_on=D(2018, 6, 1))
    actions.designate_site(project=project, corporation=members["own"], designated_on=D(2018, 7, 1))
    project.refresh_from_db()
    return project


@pytest.fixture
def committee(themes):
    committee = actions.save_committee(
        prefecture="33", name="子どもの居場所部会", theme=themes["T05"], formed_on=D(2018, 5, 1)
    )
    member = actions.add_committee_member(committee=committee, name="部会 一郎", role="chair")
    meeting = actions.record_meeting(
        committee=committee,
        held_on=D(2018, 6, 20),
        agenda="進め方",
        minutes="秘密の議事録",
        attendees=[member],
    )
    actions.add_finding(
        committee=committee,
        meeting=meeting,
        title="学習支援の場は広げられる",
        text="施設の空き時間で",
        found_on=D(2019, 2, 14),
    )
    return committee


def text(response) -> str:
    return response.content.decode()


# Public pages ---------------------------------------------------------------------------


def test_home_shows_themes_projects_and_committees_in_japanese(client, running, committee):
    helpers.model_project(helpers.okayama_themes(), title="計画中の事業")
    page = text(client.get("/projects/"))
    assert "子どもの居場所・学習支援の仕組み" in page
    assert "子どもの居場所（学びの支援）の仕組みづくり" in page
    assert "平成30年度" in page and "令和元年度" in page
    assert "子どもの居場所部会" in page
    assert "計画中の事業" not in page  # planned: not public


def test_planned_projects_are_for_center_staff(client, project, personas):
    url = f"/projects/models/{project.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(personas.corp_staff)
    assert client.get(url).status_code == 404
    client.force_login(personas.center)
    page = text(client.get(url))
    assert "子どもの居場所（学びの支援）の仕組みづくり" in page
    assert "平成30年4月1日" in page  # the first step, in 和暦
    assert "平成30年度" in page


def test_a_running_project_is_public_with_its_sites(client, running):
    page = text(client.get(f"/projects/models/{running.pk}/"))
    assert "テスト福祉会" in page and "津山市" in page
    assert "平成30年7月1日" in page
    assert "/edit/" not in page


def test_another_prefectures_records_are_404_even_for_okayama_staff(client, personas, tottori):
    client.force_login(personas.center)
    for url in (
        f"/projects/models/{tottori['project'].pk}/",
        f"/projects/models/{tottori['project'].pk}/edit/",
        f"/projects/models/{tottori['project'].pk}/status/",
        f"/projects/committees/{tottori['committee'].pk}/",
        f"/projects/committees/{tottori['committee'].pk}/meetings/",
        f"/projects/leading/{tottori['leading'].pk}/",
        f"/projects/themes/{tottori['theme'].pk}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    assert "鳥取" not in text(client.get("/projects/"))
    client.logout()
    assert client.get(f"/projects/models/{tottori['project'].pk}/").status_code == 404


def test_tottori_staff_see_their_own(client, tottori):
    client.force_login(tottori["staff"])
    assert client.get(f"/projects/models/{tottori['project'].pk}/").status_code == 200
    assert "鳥取のモデル事業" in text(client.get("/projects/"))


def test_committee_minutes_members_and_attendance_are_for_center_staff(client, committee, personas):
    url = f"/projects/committees/{committee.pk}/"
    public = text(client.get(url))
    assert "学習支援の場は広げられる" in public  # findings are public
    assert "平成30年6月20日" in public  # the date it met
    assert "秘密の議事録" not in public and "部会 一郎" not in public
    client.force_login(personas.corp_staff)
    assert "秘密の議事録" not in text(client.get(url))
    client.force_login(personas.center)
    staff = text(client.get(url))
    assert "秘密の議事録" in staff and "部会 一郎" in staff


@pytest.mark.parametrize("persona", ["anonymous", "corp_staff", "council", "outsider"])
def test_only_center_staff_write(client, personas, running, committee, persona):
    user = getattr(personas, persona)
    if persona != "anonymous":
        client.force_login(user)
    expected = 302 if persona == "anonymous" else 404
    for url in (
        "/projects/themes/",
        "/projects/models/new/",
        f"/projects/models/{running.pk}/edit/",
        f"/projects/models/{running.pk}/status/",
        f"/projects/models/{running.pk}/sites/",
        f"/projects/committees/{committee.pk}/findings/",
        "/projects/leading/new/",
    ):
        assert client.get(url).status_code == expected, url
    response = client.post(
        f"/projects/models/{running.pk}/status/", {"status": "shared", "effective_on": "R2.6.30"}
    )
    assert response.status_code == expected
    running.refresh_from_db()
    assert running.status == "running"


# Forms ---------------------------------------------------------------------------------------


def test_center_staff_load_the_themes_from_the_button(client, personas):
    client.force_login(personas.center)
    page = text(client.get("/projects/themes/"))
    assert 'action="/projects/themes/load/"' in page
    assert client.post("/projects/themes/load/").status_code == 302
    assert Theme.objects.in_prefecture("33").count() == 12
    assert 'action="/projects/themes/load/"' not in text(client.get("/projects/themes/"))


def test_theme_form_round_trips(client, personas, themes):
    client.force_login(personas.center)
    theme = themes["T12"]
    form = client.get(f"/projects/themes/{theme.pk}/edit/")
    assert form.status_code == 200 and theme.name in text(form)
    response = client.post(
        f"/projects/themes/{theme.pk}/edit/",
        {"code": "T12", "name": "住まいの確保", "description": "", "order": 12},
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.active) == ("住まいの確保", False)


def test_a_project_is_created_moved_on_and_given_a_site(client, personas, themes, members):
    client.force_login(personas.center)
    assert client.get("/projects/models/new/").status_code == 200
    response = client.post(
        "/projects/models/new/",
        {
            "theme": themes["T04"].pk,
            "title": "働く場づくり",
            "first_fiscal_year": "H31",
            "last_fiscal_year": "R2",
            "goals": "就労体験の場",
            "outcomes": "",
            "max_sites": 3,
            "planned_on": "",
        },
    )
    assert response.status_code == 302
    project = ModelProject.objects.get(title="働く場づくり")
    assert (project.first_fiscal_year, project.last_fiscal_year) == (2019, 2020)
    assert project.history.get().effective_on == D(2019, 4, 1)
    edit = text(client.get(f"/projects/models/{project.pk}/edit/"))
    assert "働く場づくり" in edit and 'value="2019"' in edit
    assert (
        client.post(
            f"/projects/models/{project.pk}/status/",
            {"status": "running", "effective_on": "R1.7.1", "note": "開始"},
        ).status_code
        == 302
    )
    project.refresh_from_db()
    assert project.status == "running"
    assert (
        client.post(
            f"/projects/models/{project.pk}/sites/",
            {"corporation": members["own"].pk, "designated_on": "R1.7.1"},
        ).status_code
        == 302
    )
    refused = client.post(
        f"/projects/models/{project.pk}/sites/",
        {"corporation": members["own"].pk, "designated_on": "R1.7.2"},
    )
    assert refused.status_code == 200 and "errorlist" in text(refused)
    assert ModelSite.objects.filter(project=project).count() == 1


def test_the_fourth_site_is_refused_on_the_page(client, personas, running, members):
    network = network_actions.save_network(
        prefecture="33",
        name="倉敷市ネットワーク",
        area=[Municipality.objects.get(pk="332020")],
        established_on=D(2017, 4, 1),
    )
    for corporation in (members["other"], members["ward"]):
        actions.designate_site(
            project=running, corporation=corporation, designated_on=D(2019, 6, 1)
        )
    client.force_login(personas.center)
    response = client.post(
        f"/projects/models/{running.pk}/sites/", {"network": network.pk, "designated_on": "R1.6.1"}
    )
    assert response.status_code == 200
    assert "errorlist" in text(response)
    assert running.sites.count() == 3


def test_site_staff_report_progress_for_their_site_only(client, personas, running):
    url = f"/projects/models/{running.pk}/reports/"
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    client.force_login(personas.corp_staff)
    assert client.get(url).status_code == 200
    site = running.sites.get()
    response = client.post(
        url, {"site": site.pk, "fiscal_year": "H30", "reported_on": "H31.3.31", "text": "週1回"}
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.fiscal_year, report.site, report.created_by) == (2018, site, personas.corp_staff)
    outside = client.post(
        url, {"site": site.pk, "fiscal_year": "R3", "reported_on": "R3.5.1", "text": "x"}
    )
    assert outside.status_code == 200 and ProgressReport.objects.count() == 1
    # The corporation staff read their report on the project page but cannot edit the project.
    page = text(client.get(f"/projects/models/{running.pk}/"))
    assert "週1回" in page
    assert client.get(f"/projects/models/{running.pk}/edit/").status_code == 404


def test_documents_public_or_not(client, personas, running, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas.center)
    for title, published in (("手引書", True), ("内部資料", False)):
        data = {
            "kind": "handbook",
            "title": title,
            "file": SimpleUploadedFile("a.pdf", pdf_bytes()),
        }
        if published:
            data["published"] = "on"
        assert client.post(f"/projects/models/{running.pk}/documents/", data).status_code == 302
    public, internal = ProjectDocument.objects.order_by("-published")
    client.logout()
    page = text(client.get(f"/projects/models/{running.pk}/"))
    assert "手引書" in page and "内部資料" not in page
    assert client.get(f"/projects/documents/{public.pk}/").status_code == 200
    assert client.get(f"/projects/documents/{internal.pk}/").status_code == 404


def test_leading_project_pages_and_forms(client, personas, themes):
    client.force_login(personas.center)
    response = client.post(
        "/projects/leading/new/",
        {
            "theme": themes["T07"].pk,
            "title": "緊急一時支援（フードバンク、生活用品）プロジェクト",
            "description": "",
            "first_fiscal_year": "2018",
            "last_fiscal_year": "2019",
        },
    )
    assert response.status_code == 302
    project = LeadingProject.objects.get()
    assert (
        client.post(
            f"/projects/leading/{project.pk}/partners/",
            {"kind": "council", "name": "岡山市社協", "role": "ストックヤード"},
        ).status_code
        == 302
    )
    for fy, people in (("H30", "140"), ("R1", "320")):
        client.post(
            f"/projects/leading/{project.pk}/years/",
            {"fiscal_year": fy, "activities": "フードドライブ", "people_reached": people},
        )
    again = client.post(
        f"/projects/leading/{project.pk}/years/", {"fiscal_year": "2019", "activities": "x"}
    )
    assert again.status_code == 200 and "errorlist" in text(again)
    assert LeadingPartner.objects.count() == 1 and LeadingYear.objects.count() == 2
    client.logout()
    page = text(client.get(f"/projects/leading/{project.pk}/"))
    assert "岡山市社協" in page and "平成30年度" in page and "令和元年度" in page
    assert "320" in page
    assert "フードバンク" in text(client.get("/projects/leading/"))


def test_committee_forms(client, personas, themes):
    client.force_login(personas.center)
    response = client.post(
        "/projects/committees/new/",
        {"name": "子どもの居場所部会", "theme": themes["T05"].pk, "formed_on": "H30.5.1"},
    )
    assert response.status_code == 302
    committee = Committee.objects.get()
    client.post(
        f"/projects/committees/{committee.pk}/members/",
        {"name": "部会 一郎", "organisation": "デモ大学", "role": "chair"},
    )
    member = committee.members.get()
    assert (
        client.post(
            f"/projects/committees/{committee.pk}/meetings/",
            {"held_on": "H30.6.20", "agenda": "進め方", "attendees": [member.pk]},
        ).status_code
        == 302
    )
    meeting = CommitteeMeeting.objects.get()
    assert list(meeting.attendees.all()) == [member]
    assert (
        client.post(
            f"/projects/committees/{committee.pk}/findings/",
            {"title": "知見", "text": "本文", "found_on": "H31.2.14", "meeting": meeting.pk},
        ).status_code
        == 302
    )
    assert Finding.objects.get().meeting == meeting


def test_the_excel_export_lists_the_visible_projects(client, running, themes):
    from openpyxl import load_workbook

    helpers.model_project(themes, title="計画中の事業")
    response = client.get("/projects/models/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("テーマ", "事業名")
    assert [row[1] for row in rows[1:]] == ["子どもの居場所（学びの支援）の仕組みづくり"]
    assert rows[1][2] == "平成30年度"


def test_the_project_list_keeps_a_constant_number_of_queries(
    client, personas, themes, members, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            project = helpers.model_project(themes, title=f"事業{i}-{n}")
            actions.designate_site(
                project=project, corporation=members["own"], designated_on=D(2018, 6, 1)
            )

    client.force_login(personas.center)
    add(2)
    with django_assert_max_num_queries(20) as few:
        assert client.get("/projects/models/").status_code == 200
        assert client.get("/projects/").status_code == 200
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/projects/models/").status_code == 200
        assert client.get("/projects/").status_code == 200
