"""On a phone (390×844), without logging in, a resident finds the 子ども食堂 of 津山市 on the
map and in its table, and opens it."""

from __future__ import annotations

import pytest

from sasaeai.testing.browser import OUTPUT_DIR

from .test_demo import demo_corporations

pytestmark = pytest.mark.browser


def test_a_resident_on_a_phone_finds_the_childrens_cafeteria_of_tsuyama(
    browser, live_server, committed, themes
):
    from sasaeai.activities import demo

    demo.load("33", corporations=demo_corporations(committed))
    context = browser.new_context(
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/activities/")
        page.locator("#id_municipality").select_option("332038")
        page.locator("#id_q").fill("食堂")
        with page.expect_navigation():
            page.locator("form.activity-search button[type='submit']").click()
        title = "ささえ愛こども食堂つやま（デモ）"
        # On the map: a point that links to the activity; in the table: the same activity.
        point = page.locator(f"#activity-map-title ~ g a[aria-label='{title}']").or_(
            page.locator(f"svg a[aria-label='{title}']")
        )
        assert point.count() == 1
        rows = page.locator("#results tbody tr")
        assert rows.count() == 1 and title in rows.first.inner_text()
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > 391).slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id)"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
        OUTPUT_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT_DIR / "activities-phone-directory.png"), full_page=True)
        with page.expect_navigation():
            rows.first.get_by_role("link", name=title).click()
        assert page.locator("h1").inner_text() == title
        assert "毎月第2土曜日 11:00〜14:00" in page.locator("#schedule-text").inner_text()
        assert page.locator("#next-dates li").count() == 5
        page.screenshot(path=str(OUTPUT_DIR / "activities-phone-detail.png"), full_page=True)
    finally:
        context.close()
