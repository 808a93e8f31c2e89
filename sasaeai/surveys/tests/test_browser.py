"""Answering a survey in a real browser, without an account: the skip logic, saving a draft,
submitting."""

from __future__ import annotations

import copy

import pytest

from sasaeai.testing.browser import JAPANESE_FONTS, OUTPUT_DIR, fonts_drawing

from .fixtures import DEFINITION, deadline

pytestmark = pytest.mark.browser


def test_a_corporation_answers_the_survey(page, live_server, committed):
    from sasaeai.surveys import actions, definition
    from sasaeai.surveys.models import Response

    survey = definition.import_definition(copy.deepcopy(DEFINITION), prefecture="33")
    round_ = actions.create_round(
        survey=survey,
        title="令和元年度 取組状況調査",
        target_kind="corporations",
        deadline=deadline(),
    )
    invitation = round_.invitations.get(corporation=committed.own_corporation)
    page.goto(f"{live_server.url}/surveys/a/{invitation.token}/")
    what = page.locator("#q-what")
    assert what.is_hidden()  # shown only to those who answer している
    page.locator("#q-doing input[value='yes']").check()
    assert what.is_visible()
    what.locator("input[value='kodomo']").check()
    page.locator("input[name='staff']").fill("4")
    with page.expect_navigation():
        page.locator("button[value='save']").click()
    assert Response.objects.get().submitted_at is None
    page.reload()
    assert page.locator("#q-doing input[value='yes']").is_checked()  # the draft came back
    assert page.locator("input[name='staff']").input_value() == "4"
    fonts = fonts_drawing(page, "#q-doing legend")
    assert fonts and set(fonts) <= set(JAPANESE_FONTS), fonts
    with page.expect_navigation():
        page.locator("button[value='submit']").click()
    assert Response.objects.get().submitted_at is not None
    OUTPUT_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT_DIR / "survey-answered.png"), full_page=True)
