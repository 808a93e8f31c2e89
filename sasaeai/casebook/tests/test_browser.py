"""In a real browser on a phone-sized screen, without logging in: a resident searches the
casebook in Japanese and opens the case found."""

from __future__ import annotations

import pytest

from sasaeai.projects.tests import helpers
from sasaeai.testing.browser import OUTPUT_DIR

from .conftest import draft_case, png_bytes, publish

pytestmark = pytest.mark.browser


def test_a_resident_on_a_phone_finds_a_case_by_a_japanese_search(browser, live_server, committed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sasaeai.casebook import actions

    personas = committed
    themes = helpers.okayama_themes()
    case = draft_case(personas, themes)
    actions.add_photo(
        case=case,
        by=personas.corp_staff,
        upload=SimpleUploadedFile("meal.png", png_bytes((320, 200))),
        alt_text="子どもたちと学生ボランティアが一緒に夕食を配膳する様子",
        caption="月2回の子ども食堂",
    )
    publish(case, personas)
    publish(draft_case(personas, themes, title="フードドライブを商店街で", activities="寄付"),
            personas)  # fmt: skip

    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 390, "height": 844},
        is_mobile=True, has_touch=True,
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/cases/")
        page.locator("#case-search input[name='q']").fill("ﾎﾞﾗﾝﾃｨｱ")
        with page.expect_navigation():
            page.locator("#case-search button[type='submit']").click()
        cards = page.locator("#cases")
        assert "子ども食堂をネットワークで始めた" in cards.inner_text()
        assert "フードドライブを商店街で" not in cards.inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the search page scrolls sideways ({width}px)"
        with page.expect_navigation():
            cards.get_by_role("link", name="子ども食堂をネットワークで始めた").click()
        assert page.locator("h1").inner_text() == "子ども食堂をネットワークで始めた"
        body = page.locator("main").inner_text()
        assert "民生委員から" in body and "送迎が課題" in body
        photo = page.get_by_role(
            "img", name="子どもたちと学生ボランティアが一緒に夕食を配膳する様子"
        )
        photo.scroll_into_view_if_needed()  # the photo loads lazily, when it comes into view
        width = photo.evaluate(
            "img => img.complete && img.naturalWidth ? img.naturalWidth"
            " : new Promise(done => { img.onload = () => done(img.naturalWidth); })"
        )
        assert width == 320
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        OUTPUT_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT_DIR / "casebook-phone-case.png"), full_page=True)
    finally:
        context.close()
