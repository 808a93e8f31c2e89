"""Tottori (31): a center and its staff, corporations and the demo's programmes."""

from __future__ import annotations

import datetime
import time
from unittest import mock

from .base import KURAYOSHI, OKAYAMA, TIMINGS, TOTTORI, TOTTORI_CITY, YONAGO, World


def build_tottori(world: World) -> None:
    from sasaeai.core.hojin import make_corporate_number
    from sasaeai.events.demo import ensure_demo_events
    from sasaeai.grants.demo import ensure_demo_grants
    from sasaeai.members.actions import record_membership_event, register_corporation
    from sasaeai.members.generator import generate
    from sasaeai.members.models import MemberType
    from sasaeai.plan.loading import DATA, load_plan_file
    from sasaeai.projects import demo as projects_demo
    from sasaeai.projects.actions import STARTING_THEMES
    from sasaeai.proposals import demo as proposals_demo
    from sasaeai.publishing import demo as publishing_demo
    from sasaeai.regions.models import Center
    from sasaeai.surveys.demo import ensure_demo_surveys
    from sasaeai.testing import factories

    center = Center.objects.create(
        prefecture_id=TOTTORI, name="鳥取県地域公益活動推進センター", short_name="鳥取センター"
    )
    generate(scale="tiny", seed=2, prefecture=TOTTORI)
    corporations = {
        key: register_corporation(
            corporate_number=make_corporate_number(base),
            name=f"社会福祉法人とっとり{key}会（架空）",
            name_kana=f"トットリ{key.upper()}カイ",
            municipality_code=code,
            is_fictitious=True,
        )
        for key, base, code in (
            ("own", "900000000011", TOTTORI_CITY),
            ("other", "900000000012", YONAGO),
            ("third", "900000000013", KURAYOSHI),
        )
    }
    user = factories.center_staff(center, username="center-tottori")
    world.users["tottori"] = user
    world.users["tottori_corp"] = factories.corporation_staff(
        corporations["own"], username="corp-tottori"
    )
    world.corporations["tottori"] = corporations["own"]
    for key in ("own", "third"):
        record_membership_event(
            member=corporations[key],
            kind="join",
            effective_date=datetime.date(2018, 4, 1),
            by=user,
            member_type=MemberType.objects.get(code="basic-corporation"),
        )
    steps = {
        "events": lambda: ensure_demo_events(TOTTORI, organiser=str(center)),
        "surveys": lambda: ensure_demo_surveys(TOTTORI),
        "projects": lambda: projects_demo.load(TOTTORI, corporations=[corporations["own"]]),
        "grants": lambda: ensure_demo_grants(TOTTORI, corporations=corporations, center_user=user),
        "proposals": lambda: proposals_demo.load(TOTTORI, by=user),
        "publishing": lambda: publishing_demo.load(TOTTORI),
        "plan": lambda: load_plan_file(TOTTORI, DATA / "okayama-2018.json"),
    }
    from sasaeai.events import demo as events_demo

    # Tottori has no starting list of themes: the world borrows Okayama's. One course of
    # events is enough (as for Okayama, see build_world).
    course = next(row for row in events_demo.PROGRAMME if row[0] == "course")
    with (
        mock.patch.dict(STARTING_THEMES, {TOTTORI: STARTING_THEMES[OKAYAMA]}),
        mock.patch.object(events_demo, "PROGRAMME", (course,)),
    ):
        for name, step in steps.items():
            started = time.monotonic()
            step()
            TIMINGS[name] = time.monotonic() - started
