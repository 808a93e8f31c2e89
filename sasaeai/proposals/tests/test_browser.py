"""In a real browser: center staff draft a proposal, cite the committee's finding, submit and
publish it; an anonymous visitor then reads it with its evidence."""

from __future__ import annotations

import pytest

from sasaeai.testing.browser import OUTPUT_DIR, log_in

pytestmark = pytest.mark.browser

TITLE = "学習支援の担い手への支援について"


def test_center_staff_publish_a_proposal_that_the_public_reads(
    browser, page, live_server, committed, finding
):
    base = live_server.url
    log_in(page, base, "center-okayama", next_path="/proposals/new/")
    form = page.locator("form.stacked-form")
    form.locator("input[name='title']").fill(TITLE)
    form.locator("select[name='addressee_kind']").select_option("prefecture")
    form.locator("input[name='addressee']").fill("岡山県知事")
    form.locator("textarea[name='text']").fill(
        "学習支援の担い手の研修を県の事業として実施すること。"
    )
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
    assert TITLE in page.locator("h1").inner_text()
    detail = page.url

    with page.expect_navigation():
        page.get_by_role("link", name="根拠を追加").or_(
            page.get_by_role("link", name="Add evidence")
        ).click()
    page.locator("select[name='finding']").select_option(str(finding.pk))
    page.locator("input[name='note']").fill("部会での検討")
    with page.expect_navigation():
        page.locator("form.stacked-form button[type='submit']").click()
    assert page.url == detail
    assert "学習支援の場は広げられる" in page.locator("#evidence").inner_text()

    page.locator("#submit-form input[name='submitted_on']").fill("R2.7.20")
    with page.expect_navigation():
        page.locator("#submit-form button[type='submit']").click()
    page.locator("#publish-form input[name='published_on']").fill("R2.10.15")
    with page.expect_navigation():
        page.locator("#publish-form button[type='submit']").click()
    assert "令和2年10月15日" in page.locator("main").inner_text()

    visitor = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    try:
        public = visitor.new_page()
        public.goto(f"{base}/proposals/")
        with public.expect_navigation():
            public.get_by_role("link", name=TITLE).click()
        main = public.locator("main").inner_text()
        assert "岡山県知事" in main and "令和2年7月20日" in main
        link = public.locator("#evidence a")
        assert "学習支援の場は広げられる" in link.inner_text()
        OUTPUT_DIR.mkdir(exist_ok=True)
        public.screenshot(path=str(OUTPUT_DIR / "proposal-published.png"), full_page=True)
        with public.expect_navigation():
            link.click()
        assert "施設の空き時間と地域の担い手で" in public.locator("main").inner_text()
    finally:
        visitor.close()
