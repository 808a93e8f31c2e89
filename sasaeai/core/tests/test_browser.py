"""End-to-end checks in a real browser: Debian's chromium driven by Playwright's sync API.

The live server runs in a thread of this process, so the test data must be committed:
requesting ``live_server`` (and ``transactional_db``) makes pytest-django's one database
helper a ``TransactionTestCase`` even though ``personas`` reaches the database through
``regions`` -> ``db``. Such a test flushes every table afterwards; ``regions`` reloads the
regions before each test and ``_restore_regions`` puts them back for the tests that follow.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[3]
OUTPUT_DIR = REPO_ROOT / "test-output"
TIMEOUT_MS = 10_000

PILLAR_NAMES_JA = [
    "気運づくり",
    "市町村域ネットづくり",
    "モデルづくり",
    "ひとづくり",
    "見える化",
    "ソーシャルアクション",
]
# Fonts that hold Japanese glyphs; the stylesheet asks for IPAexGothic first.
JAPANESE_FONTS = ("IPAexGothic", "IPAexゴシック", "Noto Sans JP", "Noto Sans CJK JP")


@pytest.fixture(scope="module", autouse=True)
def _restore_regions(django_db_blocker):
    """After this module's transactional tests, leave the regions as the session loaded them."""
    yield
    from sasaeai.regions.loading import load_regions
    from sasaeai.regions.models import Municipality

    with django_db_blocker.unblock():
        if not Municipality.objects.exists():
            load_regions()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make system-packages)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop on this thread; Django's ORM, used by the
    # fixtures and the database flush while the browser is open, would otherwise refuse.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def committed(live_server, transactional_db, personas):
    """The personas, committed where the live server's thread can read them."""
    from django.db import connection

    assert not connection.in_atomic_block, "the test data would not reach the live server"
    return personas


def log_in(page, base_url: str, username: str, next_path: str = "/dashboard/") -> None:
    """Open a protected page, get sent to the login form, fill it in and come back."""
    from sasaeai.testing.factories import PASSWORD

    page.goto(f"{base_url}{next_path}")
    assert "/accounts/login/" in page.url
    form = page.locator("form:has(input[name='login'])")
    form.locator("input[name='login']").fill(username)
    form.locator("input[name='password']").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("[type='submit']").first.click()
    assert page.url == f"{base_url}{next_path}", "the login form did not accept the persona"


def fonts_drawing(page, selector: str) -> dict[str, int]:
    """The platform fonts chromium used for the text of ``selector``: family -> glyph count."""
    session = page.context.new_cdp_session(page)
    try:
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"{selector} is not on the page"
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        session.detach()
    return {font["familyName"]: font["glyphCount"] for font in fonts}


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
