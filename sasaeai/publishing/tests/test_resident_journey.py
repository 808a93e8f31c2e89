"""Issue 8's finish line, on the demo's data: a resident on a phone, without logging in, finds
the 子ども食堂 of a municipality on the map, reads a case found by a Japanese search, subscribes
to the newsletter and registers for the forum. Screenshots of each step go to test-output/."""

from __future__ import annotations

import re

import pytest

from sasaeai.testing.browser import OUTPUT_DIR, TIMEOUT_MS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(live_server, transactional_db, regions, restore_regions):
    from sasaeai.demo import load_demo

    load_demo()
    return live_server.url


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def shot(page, name: str) -> None:
    OUTPUT_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT_DIR / f"journey-{name}.png"), full_page=True)


def test_a_resident_on_a_phone_finds_reads_subscribes_and_registers(demo, phone, mailoutbox):
    from sasaeai.events.models import Registration
    from sasaeai.publishing.models import Subscriber

    base = demo
    phone.goto(f"{base}/")
    assert fits_the_phone(phone)
    shot(phone, "1-home")

    # 1. The directory: the children's cafeterias of 津山市, on the map and in its table.
    with phone.expect_navigation():
        phone.locator("header a[href='/activities/']").first.click()
    phone.locator("#id_municipality").select_option("332038")  # 津山市
    phone.locator("#id_q").fill("子ども食堂")
    with phone.expect_navigation():
        phone.locator("form.activity-search button[type='submit']").click()
    points = phone.locator("svg a[aria-label*='食堂']")
    assert points.count() >= 1
    rows = phone.locator("#results tbody tr")
    assert rows.count() == points.count()
    assert fits_the_phone(phone)
    shot(phone, "2-directory-tsuyama")
    title = points.first.get_attribute("aria-label")
    with phone.expect_navigation():
        points.first.dispatch_event("click")  # a point of the SVG map is a link
    assert phone.locator("h1").inner_text() == title
    assert "津山市" in phone.locator("main").inner_text()
    shot(phone, "3-activity")

    # 2. The casebook: a case found by half-width katakana.
    with phone.expect_navigation():
        phone.locator("header a[href='/cases/']").first.click()
    phone.locator("#case-search input[name='q']").fill("ﾎﾞﾗﾝﾃｨｱ")
    with phone.expect_navigation():
        phone.locator("#case-search button[type='submit']").click()
    found = phone.locator("main article a, main li a").filter(has_text=re.compile(".+"))
    assert found.count() >= 1
    shot(phone, "4-casebook-search")
    with phone.expect_navigation():
        phone.locator("main a[href^='/cases/'][href$='/']").filter(
            has_not_text="事例集"
        ).first.click()
    assert "ボランティア" in phone.locator("main").inner_text()
    assert fits_the_phone(phone)
    shot(phone, "5-case")

    # 3. The newsletter: subscribe, then confirm from the mail.
    with phone.expect_navigation():
        phone.locator("footer a[href='/newsletters/subscribe/']").click()
    phone.locator("input[name='email']").fill("kenmin@example.jp")
    with phone.expect_navigation():
        phone.locator("main form button[type='submit']").click()
    (mail,) = mailoutbox
    link = re.search(r"https?://\S+/newsletters/confirm/\S+/", mail.body).group(0)
    phone.goto(base + "/" + link.split("/", 3)[3])
    with phone.expect_navigation():
        phone.get_by_role("button", name="ニュースレターを受け取る").click()
    assert Subscriber.objects.get(email="kenmin@example.jp").is_receiving
    shot(phone, "6-subscribed")

    # 4. The forum: from the home page's upcoming events to its registration form.
    phone.goto(f"{base}/")
    forum = phone.locator("main a[href^='/events/']", has_text="フォーラム").first
    with phone.expect_navigation():
        forum.click()
    shot(phone, "7-forum")
    form = phone.locator("form:has(input[name='form'][value='public'])")
    assert form.count() == 1, (phone.url, phone.locator("main").inner_text()[:800])
    form.locator("input[name='name']").fill("岡山 花子")
    form.locator("input[name='email']").fill("hanako@example.jp")
    with phone.expect_navigation():
        form.locator("button[type='submit']").click()
    assert fits_the_phone(phone)
    shot(phone, "8-registered")
    registration = Registration.objects.get(email="hanako@example.jp")
    assert "フォーラム" in registration.event.title
    assert registration.status == "confirmed"
