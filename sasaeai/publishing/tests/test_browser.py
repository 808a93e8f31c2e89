"""A resident subscribes to the newsletter on a phone and follows the confirmation link."""

from __future__ import annotations

import re

import pytest

from sasaeai.testing.browser import OUTPUT_DIR, TIMEOUT_MS

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def test_a_resident_subscribes_on_a_phone_and_confirms_from_the_mail(
    phone, live_server, committed, mailoutbox
):
    from sasaeai.publishing.models import Subscriber

    base = live_server.url
    phone.goto(f"{base}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    OUTPUT_DIR.mkdir(exist_ok=True)
    phone.screenshot(path=str(OUTPUT_DIR / "home-phone.png"), full_page=True)
    # The wording is the lead's to translate: find the link and the field by what they are.
    with phone.expect_navigation():
        phone.locator("main a[href='/newsletters/subscribe/']").first.click()
    field = phone.locator("input[name='email']")
    label = phone.locator(f"label[for='{field.get_attribute('id')}']")
    assert label.count() == 1  # the field has its label
    field.fill("kenmin@example.jp")
    phone.screenshot(path=str(OUTPUT_DIR / "newsletter-subscribe-phone.png"), full_page=True)
    with phone.expect_navigation():
        phone.locator("main form button[type='submit']").click()
    assert "/newsletters/subscribe/sent/" in phone.url
    # Nothing on the page is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert not Subscriber.objects.get(email="kenmin@example.jp").is_receiving

    (mail,) = mailoutbox
    link = re.search(r"https?://\S+/newsletters/confirm/\S+/", mail.body).group(0)
    phone.goto(base + "/" + link.split("/", 3)[3])
    assert not Subscriber.objects.get(email="kenmin@example.jp").is_receiving  # a button first
    phone.screenshot(path=str(OUTPUT_DIR / "newsletter-confirm-phone.png"), full_page=True)
    with phone.expect_navigation():
        phone.get_by_role("button", name="ニュースレターを受け取る").click()
    assert phone.locator("main h1").inner_text() == "購読の申し込みが完了しました"
    assert Subscriber.objects.get(email="kenmin@example.jp").is_receiving
    phone.screenshot(path=str(OUTPUT_DIR / "newsletter-confirmed-phone.png"), full_page=True)
