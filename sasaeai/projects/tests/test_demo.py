import datetime

import pytest

from sasaeai.networks import importing
from sasaeai.projects import demo, kpis
from sasaeai.projects.models import (
    Committee,
    Finding,
    LeadingProject,
    LeadingYear,
    ModelProject,
    Theme,
)
from sasaeai.proposals import demo as proposals_demo
from sasaeai.proposals.models import Proposal

D = datetime.date
pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_seed_once(personas, members):
    importing.import_networks(importing.SEED_TABLE, prefecture="33")
    corporations = {"own": members["own"], "other": members["other"], "third": members["ward"]}
    first = demo.load("33", corporations=corporations)
    assert "テーマ 新規 12" in first
    assert proposals_demo.load("33").startswith("提言: 1件")
    children = ModelProject.objects.get(title=demo.CHILDREN)
    assert children.theme.code == "T05" and children.status == "shared"
    sites = list(children.sites.all())
    assert len(sites) == 3
    assert sites[0].corporation == members["own"]
    assert {s.network.name[:3] for s in sites[2:] if s.network} <= {"津山市", "総社市"}
    work = ModelProject.objects.get(title=demo.WORK)
    assert work.status == "running" and work.sites.count() == 2
    assert kpis.model_projects_shared("33", D(2020, 6, 30)) == 1
    assert kpis.model_projects_shared("33", D(2020, 6, 29)) == 0
    assert LeadingProject.objects.count() == 3 and LeadingYear.objects.count() == 6
    committee = Committee.objects.get(name=demo.COMMITTEE)
    assert committee.meetings.count() == 2 and committee.members.count() == 4
    proposal = Proposal.objects.get()
    assert proposal.status == "answered" and proposal.published_on == D(2020, 10, 15)
    assert {str(e.source) for e in proposal.evidence.all()} == {demo.FINDING, demo.CHILDREN}
    # Again: nothing new.
    assert "新規 0" in demo.load("33", corporations=corporations)
    assert proposals_demo.load("33") == "提言: 作成済み"
    assert (Theme.objects.count(), ModelProject.objects.count(), Finding.objects.count()) == (
        12,
        2,
        1,
    )
    assert Proposal.objects.count() == 1


def test_every_page_renders_on_the_demo(client, personas, members, settings):
    settings.SASAEAI_DEFAULT_PREFECTURE = "33"
    importing.import_networks(importing.SEED_TABLE, prefecture="33")
    demo.load("33", corporations=[members["own"]])
    proposals_demo.load("33")
    children = ModelProject.objects.get(title=demo.CHILDREN)
    leading = LeadingProject.objects.first()
    committee = Committee.objects.get()
    proposal = Proposal.objects.get()
    public = [
        "/projects/",
        "/projects/models/",
        f"/projects/models/{children.pk}/",
        "/projects/leading/",
        f"/projects/leading/{leading.pk}/",
        f"/projects/committees/{committee.pk}/",
        "/proposals/",
        f"/proposals/{proposal.pk}/",
    ]
    staff_only = [
        "/projects/themes/",
        "/projects/themes/new/",
        "/projects/models/new/",
        f"/projects/models/{children.pk}/edit/",
        f"/projects/models/{children.pk}/status/",
        f"/projects/models/{children.pk}/sites/",
        f"/projects/models/{children.pk}/reports/",
        "/projects/leading/new/",
        f"/projects/leading/{leading.pk}/edit/",
        f"/projects/leading/{leading.pk}/years/",
        "/projects/committees/new/",
        f"/projects/committees/{committee.pk}/edit/",
        f"/projects/committees/{committee.pk}/meetings/",
        f"/projects/committees/{committee.pk}/findings/",
        "/proposals/new/",
        f"/proposals/{proposal.pk}/answer/",
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<html" in response.content.decode()
    page = client.get(f"/projects/models/{children.pk}/").content.decode()
    assert "平成30年4月1日" in page and "令和2年6月30日" in page and "令和元年度" in page
    client.force_login(personas.center)
    for url in public + staff_only:
        assert client.get(url).status_code == 200, url
