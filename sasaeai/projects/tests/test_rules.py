"""The rules of Pillar II: a clear message, nothing written."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sasaeai.networks import actions as network_actions
from sasaeai.projects import actions
from sasaeai.projects.models import (
    CommitteeMeeting,
    LeadingYear,
    ModelSite,
    ProgressReport,
    ProjectStatus,
    ProjectStatusEntry,
    Theme,
)
from sasaeai.regions.models import Municipality

D = datetime.date
pytestmark = pytest.mark.usefixtures("english")


def test_the_starting_themes_load_once(personas):
    assert actions.load_starting_themes("33") == 12
    assert actions.load_starting_themes("33") == 0
    themes = list(Theme.objects.in_prefecture("33"))
    assert [t.code for t in themes] == [f"T{n:02d}" for n in range(1, 13)]
    assert themes[4].name == "子どもの居場所・学習支援の仕組み"
    assert themes[6].description.startswith("地縁組織や社協")


def test_no_starting_list_for_another_prefecture(personas):
    with pytest.raises(ValidationError, match="no starting list"):
        actions.load_starting_themes("31")
    assert not Theme.objects.exists()


def test_a_theme_code_is_unique_in_its_prefecture(themes):
    with pytest.raises(ValidationError, match="T05 already exists"):
        actions.save_theme(prefecture="33", code="T05", name="重複")
    # Another prefecture may use the same code.
    actions.save_theme(prefecture="31", code="T05", name="鳥取のT05")


def test_a_project_starts_planned_with_its_first_step(project):
    assert project.status == ProjectStatus.PLANNED
    assert list(project.history.values_list("status", "effective_on")) == [
        ("planned", D(2018, 4, 1))
    ]


def test_a_project_of_a_theme_of_another_prefecture_is_refused(themes, tottori):
    with pytest.raises(ValidationError, match="another prefecture"):
        actions.create_model_project(
            prefecture="33",
            theme=tottori["theme"],
            title="x",
            first_fiscal_year=2019,
            last_fiscal_year=2019,
        )


def test_years_in_order(themes):
    with pytest.raises(ValidationError, match="comes before the first"):
        actions.create_model_project(
            prefecture="33", theme=themes["T01"], title="x", first_fiscal_year=2020,
            last_fiscal_year=2019,
        )  # fmt: skip


# Status history ---------------------------------------------------------------------------


def test_the_status_follows_the_latest_step(project):
    actions.set_status(project=project, status="running", effective_on=D(2018, 6, 1))
    actions.set_status(project=project, status="evaluated", effective_on=D(2020, 3, 31))
    project.refresh_from_db()
    assert project.status == ProjectStatus.EVALUATED


def test_a_late_entry_dated_earlier_keeps_the_status_of_the_latest_step(project):
    actions.set_status(project=project, status="evaluated", effective_on=D(2020, 3, 31))
    # Entered afterwards, dated before: the history gains a step, the status stays.
    actions.set_status(
        project=project, status="running", effective_on=D(2018, 6, 1), note="記録漏れ"
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.EVALUATED
    assert list(project.history.values_list("status", flat=True)) == [
        "planned",
        "running",
        "evaluated",
    ]


def test_the_same_step_twice_is_refused(project):
    actions.set_status(project=project, status="running", effective_on=D(2018, 6, 1))
    with pytest.raises(ValidationError, match="already recorded as running on 2018-06-01"):
        actions.set_status(project=project, status="running", effective_on=D(2018, 6, 1))
    assert ProjectStatusEntry.objects.filter(project=project).count() == 2


def test_an_unknown_status_is_refused(project):
    with pytest.raises(ValidationError, match="Unknown status"):
        actions.set_status(project=project, status="finished", effective_on=D(2018, 6, 1))


# Sites ------------------------------------------------------------------------------------


def test_the_fourth_site_is_refused_and_nothing_is_written(project, members):
    kurashiki_net = network_actions.save_network(
        prefecture="33",
        name="倉敷市ネットワーク",
        area=[Municipality.objects.get(pk="332020")],
        established_on=D(2017, 4, 1),
    )
    on = D(2019, 6, 1)
    for corporation in (members["own"], members["other"], members["ward"]):
        actions.designate_site(project=project, corporation=corporation, designated_on=on)
    with pytest.raises(ValidationError, match="at most 3 sites"):
        actions.designate_site(project=project, network=kurashiki_net, designated_on=on)
    assert ModelSite.objects.filter(project=project).count() == 3
    # A site that ends frees its place.
    actions.end_site(site=project.sites.first(), ended_on=D(2019, 9, 30))
    site = actions.designate_site(project=project, network=kurashiki_net, designated_on=on)
    assert site.municipality_id == "332020"


def test_a_corporation_not_a_member_on_the_date_is_refused(project, members):
    with pytest.raises(ValidationError, match="not a member of the center on 2018-06-01"):
        actions.designate_site(
            project=project, corporation=members["ward"], designated_on=D(2018, 6, 1)
        )
    with pytest.raises(ValidationError, match="not a member"):
        actions.designate_site(
            project=project, corporation=members["never"], designated_on=D(2019, 6, 1)
        )
    assert not ModelSite.objects.exists()
    site = actions.designate_site(
        project=project, corporation=members["ward"], designated_on=D(2019, 4, 1)
    )
    assert site.municipality_id == "331015"


def test_a_corporation_or_network_of_another_prefecture_is_refused(project, members, tottori):
    with pytest.raises(ValidationError, match="in another prefecture"):
        actions.designate_site(
            project=project, corporation=members["tottori"], designated_on=D(2019, 6, 1)
        )
    tottori_net = network_actions.save_network(
        prefecture="31",
        name="鳥取市ネットワーク",
        area=[Municipality.objects.get(pk="312011")],
        established_on=D(2017, 4, 1),
    )
    with pytest.raises(ValidationError, match="in another prefecture"):
        actions.designate_site(project=project, network=tottori_net, designated_on=D(2019, 6, 1))
    assert not ModelSite.objects.exists()


def test_a_network_site_takes_the_secretariat_municipality(project, personas):
    from sasaeai.members.actions import register_council

    council = register_council(
        level="municipal", prefecture_id="33", municipality_id="332089", name="総社市社会福祉協議会"
    )
    network = network_actions.save_network(
        prefecture="33",
        name="ふくしネットそうじゃ",
        area=[Municipality.objects.get(pk="332089"), Municipality.objects.get(pk="332020")],
        secretariat=council,
        established_on=D(2017, 4, 1),
    )
    site = actions.designate_site(project=project, network=network, designated_on=D(2018, 7, 1))
    assert site.municipality_id == "332089"


def test_the_same_holder_twice_is_refused(project, members):
    actions.designate_site(project=project, corporation=members["own"], designated_on=D(2018, 6, 1))
    with pytest.raises(ValidationError, match="already a site"):
        actions.designate_site(
            project=project, corporation=members["own"], designated_on=D(2018, 7, 1)
        )


def test_exactly_one_holder(project, members):
    with pytest.raises(ValidationError, match="either a corporation or a municipal network"):
        actions.designate_site(project=project, designated_on=D(2018, 6, 1))


# Reports, leading projects, committees ----------------------------------------------------


def test_a_report_outside_the_projects_years_is_refused(project):
    with pytest.raises(ValidationError, match="no report for 2020年度"):
        actions.add_progress_report(
            project=project, fiscal_year=2020, reported_on=D(2021, 3, 31), text="…"
        )
    assert not ProgressReport.objects.exists()
    actions.add_progress_report(
        project=project, fiscal_year=2019, reported_on=D(2020, 3, 31), text="報告"
    )


def test_one_record_per_fiscal_year_of_a_leading_project(themes):
    project = actions.save_leading_project(
        prefecture="33", theme=themes["T07"], title="フードバンク", first_fiscal_year=2018,
        last_fiscal_year=2019,
    )  # fmt: skip
    year = actions.record_leading_year(project=project, fiscal_year=2018, activities="6回")
    with pytest.raises(ValidationError, match="already recorded"):
        actions.record_leading_year(project=project, fiscal_year=2018, activities="again")
    with pytest.raises(ValidationError, match="outside the years"):
        actions.record_leading_year(project=project, fiscal_year=2020, activities="late")
    actions.record_leading_year(project=project, fiscal_year=2018, activities="7回", year=year)
    assert list(LeadingYear.objects.values_list("activities", flat=True)) == ["7回"]


def test_attendance_is_taken_from_the_committees_members_only(themes):
    committee = actions.save_committee(prefecture="33", name="部会A", formed_on=D(2018, 5, 1))
    other = actions.save_committee(prefecture="33", name="部会B", formed_on=D(2018, 5, 1))
    ours = actions.add_committee_member(committee=committee, name="委員 一郎")
    theirs = actions.add_committee_member(committee=other, name="委員 二郎")
    with pytest.raises(ValidationError, match="not a member of this committee"):
        actions.record_meeting(committee=committee, held_on=D(2018, 6, 1), attendees=[ours, theirs])
    assert not CommitteeMeeting.objects.exists()
    meeting = actions.record_meeting(committee=committee, held_on=D(2018, 6, 1), attendees=[ours])
    assert list(meeting.attendees.all()) == [ours]
    with pytest.raises(ValidationError, match="another committee"):
        actions.add_finding(
            committee=other, title="x", text="x", found_on=D(2018, 6, 1), meeting=meeting
        )
