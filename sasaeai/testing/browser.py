"""Browser fixtures shared by every app's end-to-end tests (a pytest plugin, loaded by the
root ``conftest.py``): Debian's chromium driven by Playwright's sync API, never a downloaded
browser.

The live server runs in a thread of this process, so the test data must be committed:
requesting ``live_server`` (and ``transactional_db``) makes pytest-django's one database
helper a ``TransactionTestCase`` even though ``personas`` reaches the database through
``regions`` -> ``db``. Such a test flushes every table afterwards; ``regions`` reloads the
regions before each test and ``restore_regions`` puts them back for the tests that follow.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = REPO_ROOT / "test-output"
TIMEOUT_MS = 10_000

# Fonts that hold Japanese glyphs; the stylesheet asks for IPAexGothic first.
JAPANESE_FONTS = ("IPAexGothic", "IPAexゴシック", "Noto Sans JP", "Noto Sans CJK JP")


@pytest.fixture(scope="module")
def restore_regions(django_db_blocker):
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
def committed(live_server, transactional_db, personas, restore_regions):
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
