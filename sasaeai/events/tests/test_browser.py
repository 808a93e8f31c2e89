"""The registration flow in a real browser: the public registers for the forum without an
account, the third is waitlisted, a cancellation on the registrant's page promotes them."""

from __future__ import annotations

import pytest

from sasaeai.testing.browser import JAPANESE_FONTS, OUTPUT_DIR, fonts_drawing

pytestmark = pytest.mark.browser


def register(page, base: str, event, name: str, email: str) -> str:
    page.goto(f"{base}/events/{event.pk}/")
    form = page.locator("form:has(input[name='form'][value='public'])")
    form.locator("input[name='name']").fill(name)
    form.locator("input[name='email']").fill(email)
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
    assert "/events/r/" in page.url
    return page.url


def test_the_public_registers_waits_and_is_promoted(page, live_server, committed):
    import datetime

    from django.utils import timezone

    from sasaeai.events import actions
    from sasaeai.events.models import Registration

    day = timezone.localdate() + datetime.timedelta(days=20)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(13)))
    forum = actions.create_event(
        prefecture="33",
        sessions=[actions.SessionData(start, start + datetime.timedelta(hours=4), venue="会館")],
        kind="forum",
        title="地域福祉実践フォーラム",
        audience="public",
        capacity=2,
    )
    base = live_server.url
    first = register(page, base, forum, "県民 一郎", "ichiro@example.jp")
    assert (
        "参加確定" in page.locator("main").inner_text()
        or "確定" in page.locator("main").inner_text()
    )
    assert page.locator(".qr svg").count() == 1
    register(page, base, forum, "県民 二郎", "jiro@example.jp")
    third = register(page, base, forum, "県民 三郎", "saburo@example.jp")
    assert "キャンセル待ち" in page.locator("main").inner_text()
    fonts = fonts_drawing(page, "h1")
    assert fonts and set(fonts) <= set(JAPANESE_FONTS), fonts
    OUTPUT_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT_DIR / "registration-waitlisted.png"), full_page=True)

    page.goto(first)
    with page.expect_navigation():
        page.locator("form:has(input[value='cancel']) button").click()
    assert Registration.objects.get(name="県民 三郎").status == "confirmed"
    page.goto(third)
    assert "キャンセル待ち" not in page.locator("main").inner_text()
    page.screenshot(path=str(OUTPUT_DIR / "registration-promoted.png"), full_page=True)
