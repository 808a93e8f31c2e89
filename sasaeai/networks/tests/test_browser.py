"""The map in a real browser: the seed's situation at 2019-03-31 and, by the slider, at
2018-03-31; no request leaves the server; Japanese drawn by a Japanese font."""

from __future__ import annotations

import pytest

from sasaeai.testing.browser import JAPANESE_FONTS, OUTPUT_DIR, REPO_ROOT, fonts_drawing, log_in

pytestmark = pytest.mark.browser

ESTABLISHED = "#5b9bd5"
MEETINGS = "#fde7a9"
# The real boundaries of Okayama (MLIT N03), beside the repository; used for a screenshot only.
OKAYAMA_N03 = REPO_ROOT.parent / "shared" / "geo" / "N03-21_33_210101.topojson.json"


@pytest.fixture
def seeded_live(committed):
    from sasaeai.networks import importing

    importing.import_networks(importing.SEED_TABLE, prefecture="33")
    center = committed.okayama_center
    center.settings = {**center.settings, "network_target": {"value": 15, "deadline": "2020-03-31"}}
    center.save()
    return committed


def fill_of(page, name: str) -> str:
    return page.locator(f"#status-view svg path:has(title:text-matches('^{name}'))").get_attribute(
        "fill"
    )


def test_the_map_shows_the_seed_at_both_dates(page, live_server, seeded_live):
    outside = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:"))
            else outside.append(request.url)
        ),
    )
    page.goto(f"{live_server.url}/networks/?as_of=2019-03-31")
    view = page.locator("#status-view")
    assert "7 圏域" in view.locator(".kpi__value").inner_text()
    assert "27市町村中 18" in view.inner_text()
    assert view.locator("svg path").count() == 27
    assert fill_of(page, "津山市") == ESTABLISHED
    assert fill_of(page, "倉敷市") == MEETINGS
    assert fill_of(page, "赤磐市") == ESTABLISHED
    fonts = fonts_drawing(page, ".prefecture-map text")
    assert fonts and set(fonts) <= set(JAPANESE_FONTS), fonts
    OUTPUT_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT_DIR / "networks-2019-03-31.png"), full_page=True)

    # The slider: move to March 2018 (the month end before 赤磐 and 真庭).
    slider = page.locator("#id_m")
    options = page.locator("#slider-years option")
    march_2018 = next(
        option.get_attribute("value")
        for option in options.all()
        if option.get_attribute("label") in {"2017年度", "平成29年度"}
    )
    slider.evaluate(
        "(el, value) => { el.value = value;"
        " el.dispatchEvent(new Event('change', {bubbles: true})); }",
        march_2018,
    )
    # A function, not a string: the Content Security Policy forbids eval in the page.
    page.wait_for_function(
        "() => document.querySelector('#kpi-title').textContent.includes('平成30年3月31日')"
    )
    assert "5 圏域" in page.locator("#status-view .kpi__value").inner_text()
    assert fill_of(page, "赤磐市") != ESTABLISHED
    assert fill_of(page, "倉敷市") != MEETINGS
    assert "m=" in page.url  # the chosen date is in the address, to share or reload
    page.screenshot(path=str(OUTPUT_DIR / "networks-2018-03-31.png"), full_page=True)
    assert outside == [], f"requests left the server: {outside}"


def test_council_staff_sees_his_network_editable(page, live_server, seeded_live):
    from sasaeai.networks.models import MunicipalNetwork

    tsuyama = MunicipalNetwork.objects.get(name="津山市社会福祉施設連絡会")
    log_in(page, live_server.url, "council-tsuyama", next_path=f"/networks/{tsuyama.pk}/edit/")
    page.locator("textarea[name='contact']").fill("津山市社会福祉協議会 地域福祉課")
    with page.expect_navigation():
        page.locator("form.stacked-form button[type='submit']").click()
    assert "津山市社会福祉協議会 地域福祉課" in page.locator("main").inner_text()
    ibara = MunicipalNetwork.objects.get(name="井原おもいやりネットワーク")
    response = page.goto(f"{live_server.url}/networks/{ibara.pk}/edit/")
    assert response.status == 404


@pytest.mark.skipif(not OKAYAMA_N03.exists(), reason="the MLIT file is not beside the repository")
def test_the_map_draws_imported_boundaries_with_the_credit(page, live_server, seeded_live):
    from sasaeai.regions.geo import import_boundaries

    import_boundaries(OKAYAMA_N03, prefecture="33")
    page.goto(f"{live_server.url}/networks/?as_of=2019-03-31")
    assert page.locator("#status-view svg path").count() == 27
    assert "国土数値情報" in page.locator(".prefecture-map__credit").inner_text()
    assert fill_of(page, "真庭市") == ESTABLISHED
    page.screenshot(path=str(OUTPUT_DIR / "networks-boundaries-2019-03-31.png"), full_page=True)
