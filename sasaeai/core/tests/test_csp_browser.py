"""In chromium, no page breaks the Content Security Policy: the public pages (those of the
resolver and the detail pages of the accessibility test), the main staff pages, the Django
admin, the API's Swagger UI and allauth's pages with the TOTP QR code. A violation is caught
both as a ``securitypolicyviolation`` event and as chromium's console error."""

from __future__ import annotations

import pytest

from sasaeai.core.tests.test_accessibility import (  # noqa: F401 (site_data is a fixture)
    PUBLIC_DETAIL_PAGES,
    STAFF_PAGES,
    filled,
    html_only,
    public_pages_without_arguments,
    site_data,
)
from sasaeai.testing.browser import TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI || "inline"}`
    + ` ${e.sourceFile || ""}:${e.lineNumber || ""}`);
});
"""
# Staff pages: every third of the center's in the accessibility test (one of each kind, in
# time), those whose templates had inline styles or handlers, and the admin's.
CHANGED_STAFF_PAGES = [
    "/dashboard/",
    "/members/",
    "/networks/",
    "/networks/municipalities/332038/",
    "/surveys/rounds/{round.pk}/",
    "/surveys/rounds/{round.pk}/results/",
    "/plan/center/?as_of=2019-03-31",
    "/plan/gaps/",
    "/cases/manage/{case.pk}/",
    "/activities/manage/",
    "/stockyard/reports/",
]
EXTRA_STAFF_PAGES = ["/admin/", "/admin/accounts/user/", "/admin/regions/center/"]


class Watcher:
    """The violations seen in one page, across navigations."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._console)
        self.found: list[str] = []

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def visit(self, base_url: str, path: str, *, drawn: str = "") -> None:
        """Open ``path`` (and wait for ``drawn``, a selector its scripts fill in)."""
        response = self.page.goto(base_url + path)
        assert response.status < 400, f"{path} answered {response.status}"
        self.page.wait_for_load_state("load")
        if drawn:
            self.page.wait_for_selector(drawn, state="attached")
        seen = self.page.evaluate("window.__cspViolations || []") + self.console
        self.found += [f"{path}: {violation}" for violation in seen]
        self.console = []

    def close(self) -> None:
        self.context.close()


def test_public_and_staff_pages_break_no_policy(browser, live_server, site_data):  # noqa: F811
    site_data.center.is_staff = site_data.center.is_superuser = True
    site_data.center.save()
    watcher = Watcher(browser)
    public = html_only(watcher.page, live_server.url, public_pages_without_arguments())
    for path in public + filled(PUBLIC_DETAIL_PAGES, site_data):
        watcher.visit(live_server.url, path)
    log_in(watcher.page, live_server.url, "center-okayama")
    staff = STAFF_PAGES["center-okayama"][::3] + CHANGED_STAFF_PAGES
    for path in filled(list(dict.fromkeys(staff)), site_data) + EXTRA_STAFF_PAGES:
        watcher.visit(live_server.url, path)
    watcher.visit(live_server.url, "/api/docs/", drawn="#swagger-ui .opblock")
    watcher.visit(live_server.url, f"/admin/accounts/user/{site_data.center.pk}/change/")
    watcher.visit(live_server.url, "/accounts/2fa/totp/activate/")
    if "reauthenticate" in watcher.page.url:
        from sasaeai.testing.factories import PASSWORD

        watcher.page.fill("input[name='password']", PASSWORD)
        with watcher.page.expect_navigation():
            watcher.page.locator("form:has(input[name='password']) [type='submit']").click()
    assert watcher.page.locator("img[src^='data:image/svg']").count() == 1, "no QR code"
    watcher.visit(live_server.url, "/accounts/2fa/totp/activate/")
    found, watcher.found = watcher.found, []
    assert_the_watcher_sees_an_inline_script_and_style(watcher, live_server.url)
    watcher.close()
    assert found == [], "\n".join(found)


def assert_the_watcher_sees_an_inline_script_and_style(watcher, base_url: str) -> None:
    """A check that cannot fail proves nothing: put an inline style and script in a page."""

    def tamper(route):
        response = route.fetch()
        body = response.text().replace(
            "</main>", '<p style="color:red">赤</p><script>document.title="x"</script></main>'
        )
        route.fulfill(response=response, body=body)

    watcher.page.route(f"{base_url}/", tamper)
    watcher.visit(base_url, "/")
    assert any("style-src" in v for v in watcher.found), watcher.found
    assert any("script-src" in v for v in watcher.found), watcher.found
