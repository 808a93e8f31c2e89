"""Test data shared by the tests of projects and proposals."""

from __future__ import annotations

import datetime

from sasaeai.members.actions import record_membership_event
from sasaeai.members.models import MemberType
from sasaeai.projects import actions
from sasaeai.projects.models import Theme
from sasaeai.testing import factories

D = datetime.date


def join(corporation, on: datetime.date, by) -> None:
    record_membership_event(
        member=corporation,
        kind="join",
        effective_date=on,
        by=by,
        member_type=MemberType.objects.get(code="basic-corporation"),
    )


def okayama_themes() -> dict[str, Theme]:
    actions.load_starting_themes("33")
    return {t.code: t for t in Theme.objects.in_prefecture("33")}


def model_project(themes, *, title="子どもの居場所（学びの支援）の仕組みづくり", **kwargs):
    fields = {
        "prefecture": "33",
        "theme": themes["T05"],
        "title": title,
        "first_fiscal_year": 2018,
        "last_fiscal_year": 2019,
        "planned_on": D(2018, 4, 1),
    }
    fields.update(kwargs)
    return actions.create_model_project(**fields)


def tottori():
    """Tottori's center, its staff, a theme, a model project (running), a committee with a
    finding: another prefecture's records."""
    center = factories.CenterFactory(prefecture_id="31", name="鳥取県センター", short_name="鳥取")
    staff = factories.center_staff(center, username="center-tottori")
    theme = actions.save_theme(prefecture="31", code="T01", name="鳥取のテーマ")
    project = actions.create_model_project(
        prefecture="31",
        theme=theme,
        title="鳥取のモデル事業",
        first_fiscal_year=2019,
        last_fiscal_year=2020,
    )
    actions.set_status(project=project, status="running", effective_on=D(2019, 6, 1))
    committee = actions.save_committee(prefecture="31", name="鳥取の部会", formed_on=D(2019, 4, 1))
    finding = actions.add_finding(
        committee=committee, title="鳥取の知見", text="…", found_on=D(2019, 9, 1)
    )
    leading = actions.save_leading_project(
        prefecture="31", theme=theme, title="鳥取のリーディング事業", first_fiscal_year=2019
    )
    return {
        "center": center,
        "staff": staff,
        "theme": theme,
        "project": project,
        "committee": committee,
        "finding": finding,
        "leading": leading,
    }
