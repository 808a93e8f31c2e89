"""In a real browser: a corporation's staff refers a household for rice and cans at the 津山
yard; the council's staff, who keep the yard, approve (the earlier-dated cans are picked) and
hand the goods over."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from sasaeai.testing.browser import JAPANESE_FONTS, OUTPUT_DIR, TIMEOUT_MS, fonts_drawing, log_in

pytestmark = pytest.mark.browser


def new_page(browser):
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def status_label(status: str) -> str:
    from sasaeai.stockyard.models import ReferralStatus

    with translation.override("ja"):
        return str(ReferralStatus(status).label)


def test_a_household_is_referred_approved_first_expiring_first_out_and_handed_over(
    browser, live_server, committed, world
):
    from sasaeai.stockyard import actions
    from sasaeai.stockyard.models import Movement, Referral

    personas = committed
    today = timezone.localdate()
    late, early = today + datetime.timedelta(days=120), today + datetime.timedelta(days=45)
    for lines in ([(world.cans, 10, late)], [(world.cans, 10, early), (world.rice, 30, late)]):
        actions.receive(
            location=world.yard,
            lines=[actions.LotData(item=i, quantity=q, expires_on=e) for i, q, e in lines],
            received_on=today,
            by=personas.council,
        )
    early_lot = world.cans.lots.get(expires_on=early)
    OUTPUT_DIR.mkdir(exist_ok=True)

    # The corporation's staff refer the household.
    page = new_page(browser)
    log_in(page, live_server.url, "corp-staff", "/stockyard/referrals/new/")
    form = page.locator("#referral-form")
    form.locator("input[name='reference']").fill("津-2026-017")
    form.locator("select[name='municipality']").select_option("332038")
    form.locator("input[name='size']").fill("3")
    form.locator("input[name='ages']").fill("38, 9, 4")
    form.locator("textarea[name='needs']").fill("失職し、次の給料日まで食料がない")
    form.locator("select[name='urgency']").select_option("today")
    form.locator("select[name='lines-0-item']").select_option(str(world.rice.pk))
    form.locator("input[name='lines-0-quantity']").fill("5")
    form.locator("select[name='lines-1-item']").select_option(str(world.cans.pk))
    form.locator("input[name='lines-1-quantity']").fill("6")
    form.locator("select[name='location']").select_option(label="津山ストックヤード")
    stock = page.locator("#stock-table")
    assert "缶詰（缶）" in stock.inner_text() and "20 缶" in stock.inner_text()
    assert "レスキュー型（現物給付）" in page.locator("#support-limits").inner_text()
    page.screenshot(path=str(OUTPUT_DIR / "stockyard-referral-form.png"), full_page=True)
    drawn = fonts_drawing(page, "#stock-table tbody th")
    assert any(font in drawn for font in JAPANESE_FONTS), drawn
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
    referral = Referral.objects.get()
    detail = f"/stockyard/referrals/{referral.pk}/"
    assert page.url == f"{live_server.url}{detail}"
    assert page.locator("#referral-status").inner_text() == status_label("requested")
    assert referral.value == Decimal(5 * 400 + 6 * 150)
    assert page.locator("#approve").count() == 0  # not the keeper
    page.context.close()

    # The council's staff keep the yard: they approve and hand over.
    page = new_page(browser)
    log_in(page, live_server.url, "council-tsuyama", detail)
    assert "津-2026-017" in page.locator("#household").inner_text()
    with page.expect_navigation():
        page.locator("#approve").click()
    assert page.locator("#referral-status").inner_text() == status_label("approved")
    picked = page.locator("#picked-lots tbody tr")
    assert picked.count() == 2  # 5 kg of rice from its one lot, 6 cans from the earlier lot
    cans_row = picked.filter(has_text="缶詰").inner_text()
    assert f"#{early_lot.pk}" in cans_row and "6 缶" in cans_row
    assert set(
        Movement.objects.filter(referral=referral, lot__item=world.cans).values_list(
            "lot_id", "quantity"
        )
    ) == {(early_lot.pk, Decimal(-6))}
    with page.expect_navigation():
        page.locator("#hand-over").click()
    assert page.locator("#referral-status").inner_text() == status_label("handed_over")
    history = page.locator("#referral-history").inner_text()
    assert personas.council.display_name() in history
    page.screenshot(path=str(OUTPUT_DIR / "stockyard-referral-detail.png"), full_page=True)
    drawn = fonts_drawing(page, "#household dd")
    assert any(font in drawn for font in JAPANESE_FONTS), drawn
    page.context.close()
    referral.refresh_from_db()
    assert referral.status == "handed_over" and referral.handed_over_by == personas.council
