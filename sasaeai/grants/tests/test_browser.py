"""The grant cycle in a real browser: corporation staff fill the application with its budget
lines and submit it; the center's staff try an award above the cap (the rule's sentence, nothing
written), then award within it and open the letter."""

from __future__ import annotations

import datetime

import pytest

from sasaeai.testing.browser import CHROMIUM_ARGS, JAPANESE_FONTS, OUTPUT_DIR, fonts_drawing, log_in

pytestmark = pytest.mark.browser


def new_page(browser):
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_corporation_applies_and_the_center_decides(browser, page, live_server, committed, grants):
    from django.utils import timezone

    from sasaeai.core.dates import fiscal_year
    from sasaeai.grants import actions
    from sasaeai.grants.models import Application, Decision

    assert CHROMIUM_ARGS  # the shared browser fixture, Debian's chromium
    today = timezone.localdate()
    fy = fiscal_year(today)
    call = actions.open_call(
        program=grants.model,
        fiscal_year=fy,
        title="モデル事業 研究・開発助成 募集",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
        themes=[grants.theme, grants.other_theme],
    )
    base = live_server.url
    OUTPUT_DIR.mkdir(exist_ok=True)

    # Corporation staff write the application and its budget, save the draft and submit.
    log_in(page, base, "corp-staff", f"/grants/calls/{call.pk}/apply/")
    form = page.locator("form.application-form")
    form.locator("input[name='title']").fill("就労準備支援モデル事業")
    form.locator("select[name='theme']").select_option(str(grants.theme.pk))
    form.locator("textarea[name='plan']").fill(
        "ひきこもりの若者の就労準備を、法人の施設で支援する。"
    )
    form.locator("select[name='lines-0-fiscal_year']").select_option(str(fy))
    form.locator("select[name='lines-0-category']").select_option("謝金")
    form.locator("input[name='lines-0-description']").fill("講師謝金")
    form.locator("input[name='lines-0-amount']").fill("200,000")
    form.locator("select[name='lines-1-fiscal_year']").select_option(str(fy + 1))
    form.locator("select[name='lines-1-category']").select_option("旅費")
    form.locator("input[name='lines-1-description']").fill("先進地視察")
    form.locator("input[name='lines-1-amount']").fill("150,000")
    page.screenshot(path=str(OUTPUT_DIR / "grant-application-form.png"), full_page=True)
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
    assert "/grants/applications/" in page.url, page.locator("main").inner_text()
    application = Application.objects.get()
    assert sorted(application.budget_lines.values_list("amount", flat=True)) == [150_000, 200_000]
    with page.expect_navigation():
        page.locator(f"form[action$='/applications/{application.pk}/submit/'] button").click()
    application.refresh_from_db()
    assert application.status == "submitted"
    assert "350,000円" in page.locator("main").inner_text()
    fonts = fonts_drawing(page, "h1")
    assert fonts and set(fonts) <= set(JAPANESE_FONTS), fonts
    page.screenshot(path=str(OUTPUT_DIR / "grant-application-submitted.png"), full_page=True)

    # The center: above the cap over the term, the rule's sentence and nothing written.
    context, staff = new_page(browser)
    try:
        log_in(staff, base, "center-okayama", f"/grants/applications/{application.pk}/decide/")
        decision_form = staff.locator("form.decision-form")
        assert decision_form.locator(f"input[name='amount_{fy}']").input_value() == "200,000"
        decision_form.locator(f"input[name='amount_{fy}']").fill("250,000")
        decision_form.locator(f"input[name='amount_{fy + 1}']").fill("150,001")
        with staff.expect_navigation():
            decision_form.locator("button[type='submit']").click()
        error = staff.locator("form.decision-form [role='alert']").inner_text()
        assert "400,000円" in error and "400,001円" in error
        assert not Decision.objects.exists()
        staff.screenshot(path=str(OUTPUT_DIR / "grant-decision-refused.png"), full_page=True)

        decision_form = staff.locator("form.decision-form")
        decision_form.locator(f"input[name='amount_{fy}']").fill("200,000")
        decision_form.locator(f"input[name='amount_{fy + 1}']").fill("150,000")
        decision_form.locator("input[name='number']").fill("岡ささ第12号")
        with staff.expect_navigation():
            decision_form.locator("button[type='submit']").click()
        decision = Decision.objects.get()
        assert decision.total() == 350_000
        assert f"/grants/applications/{application.pk}/" in staff.url
        staff.screenshot(path=str(OUTPUT_DIR / "grant-decided.png"), full_page=True)
        letter = staff.request.get(f"{base}/grants/applications/{application.pk}/letter.pdf")
        assert letter.headers["content-type"] == "application/pdf"
        assert letter.body().startswith(b"%PDF")
    finally:
        context.close()
