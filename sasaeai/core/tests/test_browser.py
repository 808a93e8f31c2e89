"""End-to-end checks in a real browser (fixtures in ``sasaeai/testing/browser.py``)."""

from __future__ import annotations

import pytest

from sasaeai.testing.browser import JAPANESE_FONTS, OUTPUT_DIR, fonts_drawing, log_in

pytestmark = pytest.mark.browser

PILLAR_NAMES_JA = [
    "気運づくり",
    "市町村域ネットづくり",
    "モデルづくり",
    "ひとづくり",
    "見える化",
    "ソーシャルアクション",
]


def test_center_staff_dashboard_renders_japanese(page, live_server, committed):
    log_in(page, live_server.url, "center-okayama")

    assert page.locator("html").get_attribute("lang") == "ja"
    title = page.locator(".site-title__name")
    assert title.inner_text() == "岡山ささえ愛センター"
    nav = page.locator("nav.pillar-nav a")
    assert nav.all_inner_texts()[: len(PILLAR_NAMES_JA)] == PILLAR_NAMES_JA

    # Every glyph of the header is drawn by a Japanese font, none by a fallback (tofu).
    fonts = fonts_drawing(page, ".site-title__name")
    assert fonts, "chromium reported no font for the header"
    assert set(fonts) <= set(JAPANESE_FONTS), f"not drawn by a Japanese font: {fonts}"
    assert sum(fonts.values()) == len("岡山ささえ愛センター")
    nav_fonts = fonts_drawing(page, "nav.pillar-nav li:first-child a")
    assert set(nav_fonts) <= set(JAPANESE_FONTS), f"navigation not drawn in Japanese: {nav_fonts}"

    OUTPUT_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT_DIR / "dashboard-center-okayama.png"), full_page=True)


def test_outsider_sees_nothing_of_another_corporation(page, live_server, committed):
    personas = committed
    log_in(page, live_server.url, "corp-outsider")

    response = page.goto(f"{live_server.url}/members/corporations/{personas.own_corporation.pk}/")
    assert response.status == 404
    content = page.content()
    assert personas.own_corporation.name not in content
    assert personas.own_corporation.corporate_number not in content

    page.goto(f"{live_server.url}/members/corporations/")
    rows = page.locator("table.table tbody tr")
    assert rows.count() == 1
    assert rows.first.inner_text().count(personas.other_corporation.name) == 1
    body = page.locator("main").inner_text()
    for hidden in (personas.own_corporation, personas.tottori_corporation):
        assert hidden.name not in body
        assert hidden.corporate_number not in body


def test_a_corporation_applies_online_and_the_center_approves(browser, live_server, committed):
    """The whole joining flow as people click it; then the rate page counts the facility."""
    from sasaeai.testing.factories import FacilityFactory

    personas = committed
    FacilityFactory(corporation=personas.own_corporation, name="デイサービスセンターささえ")
    own = personas.own_corporation

    applicant = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo").new_page()
    log_in(applicant, live_server.url, "corp-staff", f"/members/corporations/{own.pk}/")
    applicant.get_by_role("link", name="加入を申し込む").click()
    applicant.get_by_label("会員種別").select_option(label="基礎団体会員法人")
    applicant.get_by_label("加入希望日").fill("R1.5.1")
    applicant.get_by_label("デイサービスセンターささえ").check()
    applicant.get_by_role("button", name="申し込む").click()
    assert "申込みを送信しました" in applicant.locator(".messages").inner_text()

    center = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo").new_page()
    log_in(center, live_server.url, "center-okayama", "/members/applications/")
    center.get_by_role("link", name="決定する").click()
    center.get_by_label("承認する").check()
    center.get_by_role("button", name="決定する").click()
    assert "申込みを決定しました" in center.locator(".messages").inner_text()

    center.goto(f"{live_server.url}/members/?as_of=R2.3.31")
    assert center.locator(".kpi__value").inner_text() == "100.0%"
    OUTPUT_DIR.mkdir(exist_ok=True)
    center.screenshot(path=str(OUTPUT_DIR / "membership-rate.png"), full_page=True)
    applicant.goto(f"{live_server.url}/members/corporations/{own.pk}/")
    assert "令和元年5月1日" in applicant.locator("main").inner_text()
    applicant.context.close()
    center.context.close()
