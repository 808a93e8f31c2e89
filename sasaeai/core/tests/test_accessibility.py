"""JIS X 8341-3:2016 level AA (WCAG 2.1 AA): axe-core in chromium finds no violation on any
public page nor on the main staff pages, and the site works with the keyboard alone.

axe-core comes from npm (``package.json``; ``make test`` runs ``npm ci``) and is injected from
``node_modules`` into each page under test: nothing is fetched, and it is not copied into the
static files because the product never serves it. The public pages are found in the URL
resolver (every public pattern without arguments that answers HTML) plus the detail pages
listed in ``PUBLIC_DETAIL_PAGES``; staff pages are listed per persona in ``STAFF_PAGES``.
A new page is one line in one of those lists; ``{name.pk}`` is filled from the records of
``site_data`` (add a record there when a page needs one).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from sasaeai.testing.browser import OUTPUT_DIR, REPO_ROOT, TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Reported by axe for review; on these pages always a fault (1.3.1, 4.1.2): a duplicate id of a
# labelled field, a description pointing at nothing, a table header over no data.
INCOMPLETE_IS_VIOLATION = {"duplicate-id-aria", "aria-valid-attr-value", "th-has-data-cells"}
# axe's best practices for the structure that 1.3.1 and 2.4.6 ask for: one main, one h1,
# headings in order, all content in landmarks, no empty headers.
STRUCTURE_RULES = [
    "landmark-one-main",
    "page-has-heading-one",
    "heading-order",
    "empty-heading",
    "empty-table-header",
    "region",
    "landmark-unique",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# Public pages that need a record (the discovered ones take no argument).
PUBLIC_DETAIL_PAGES = [
    "/pillars/visibility/",
    "/events/{forum.pk}/",
    "/events/r/{registration.token}/",
    "/networks/{network.pk}/",
    "/networks/municipalities/332038/",
    "/projects/models/{model_project.pk}/",
    "/projects/leading/{leading_project.pk}/",
    "/projects/committees/{committee.pk}/",
    "/proposals/{proposal.pk}/",
    "/grants/calls/{call.pk}/",
    "/surveys/a/{invitation.token}/",
    "/activities/{activity.pk}/",
    "/activities/m/332038/",
    "/cases/{case.pk}/",
    "/news/{news.pk}/",
    "/newsletters/{newsletter.pk}/",
    "/cases/?q=ﾎﾞﾗﾝﾃｨｱ",
    "/activities/?municipality=332038&q=食堂",
    "/accounts/login/",
    "/accounts/password/reset/",
]

# The main staff pages of each persona (its start page first).
STAFF_PAGES = {
    "center-okayama": [
        "/dashboard/",
        "/members/",
        "/members/corporations/",
        "/members/corporations/{own_corporation.pk}/",
        "/members/corporations/{own_corporation.pk}/edit/",
        "/members/facilities/",
        "/members/facilities/{facility.pk}/",
        "/members/facilities/{facility.pk}/edit/",
        "/members/councils/",
        "/members/applications/",
        "/members/dues/",
        "/members/corporations/new/",
        "/members/councils/new/",
        "/members/io/imports/new/",
        "/networks/",
        "/networks/{network.pk}/",
        "/networks/visits/",
        "/networks/visits/new/",
        "/networks/new/",
        "/networks/import/",
        "/networks/municipalities/332038/",
        "/events/",
        "/events/new/",
        "/events/{forum.pk}/",
        "/events/{forum.pk}/manage/",
        "/events/{forum.pk}/edit/",
        "/events/reports/",
        "/surveys/",
        "/surveys/{survey.pk}/",
        "/surveys/rounds/{round.pk}/",
        "/surveys/rounds/{round.pk}/results/",
        "/surveys/rounds/{round.pk}/answers/",
        "/surveys/{survey.pk}/edit/",
        "/surveys/{survey.pk}/rounds/new/",
        "/surveys/import/",
        "/projects/",
        "/projects/themes/",
        "/projects/models/{model_project.pk}/",
        "/projects/models/new/",
        "/projects/models/{model_project.pk}/edit/",
        "/projects/models/{model_project.pk}/status/",
        "/projects/leading/{leading_project.pk}/",
        "/projects/leading/{leading_project.pk}/edit/",
        "/projects/committees/{committee.pk}/",
        "/projects/committees/{committee.pk}/edit/",
        "/grants/programs/",
        "/grants/calls/{call.pk}/manage/",
        "/grants/reports/",
        "/grants/calls/new/",
        "/grants/programs/{call.program.pk}/edit/",
        "/grants/applications/{application.pk}/",
        "/proposals/",
        "/proposals/{proposal.pk}/",
        "/proposals/new/",
        "/proposals/{proposal.pk}/edit/",
        "/proposals/{proposal.pk}/evidence/",
        "/activities/manage/",
        "/activities/manage/new/",
        "/activities/{activity.pk}/edit/",
        "/activities/manage/survey-check/",
        "/cases/manage/",
        "/cases/manage/new/",
        "/cases/manage/{case.pk}/",
        "/cases/manage/{case.pk}/edit/",
        "/publishing/",
        "/publishing/news/new/",
        "/publishing/news/{news.pk}/edit/",
        "/publishing/newsletters/new/",
        "/publishing/newsletters/{newsletter.pk}/edit/",
        "/account/preferences/",
        "/plan/center/?as_of=2019-03-31",
        "/plan/targets/{target.pk}/?as_of=2019-03-31",
        "/plan/targets/{target.pk}/edit/",
        "/plan/gaps/",
        "/stockyard/reports/",
        "/stockyard/",
        "/stockyard/locations/{stock_yard.pk}/",
        "/stockyard/locations/new/",
        "/stockyard/locations/{stock_yard.pk}/edit/",
        "/stockyard/locations/{stock_yard.pk}/minimums/",
        "/stockyard/items/",
        "/stockyard/items/new/",
        "/stockyard/items/{stock_item.pk}/edit/",
        "/stockyard/food-drives/",
        "/stockyard/food-drives/new/",
        "/stockyard/food-drives/{food_drive.pk}/",
    ],
    "council-tsuyama": [
        "/dashboard/",
        "/members/corporations/",
        "/networks/{network.pk}/",
        "/networks/{network.pk}/edit/",
        "/activities/manage/",
        "/plan/area/?as_of=2019-03-31",
        "/stockyard/",
        "/stockyard/locations/{stock_yard.pk}/",
        "/stockyard/locations/{stock_yard.pk}/receive/",
        "/stockyard/locations/{stock_yard.pk}/transfer/",
        "/stockyard/locations/{stock_yard.pk}/write-off/",
        "/stockyard/locations/{stock_yard.pk}/write-off-expired/",
        "/stockyard/locations/{stock_yard.pk}/stocktake/",
        "/stockyard/donations/{donation.pk}/",
    ],
    "corp-staff": [
        "/dashboard/",
        "/members/corporations/{own_corporation.pk}/",
        "/members/corporations/{own_corporation.pk}/facilities/new/",
        "/members/facilities/{facility.pk}/",
        "/grants/mine/",
        "/grants/calls/{call.pk}/apply/",
        "/events/history/",
        "/grants/applications/{application.pk}/",
        "/events/{forum.pk}/",
        "/activities/manage/",
        "/activities/manage/new/",
        "/cases/manage/",
        "/cases/manage/new/",
        "/stockyard/",
        "/stockyard/locations/{stock_yard.pk}/",
        "/stockyard/items/",
    ],
}


# The stockyard's referral pages (their records: ``referral_pages_data``).
STAFF_PAGES["center-okayama"] += [
    "/stockyard/referrals/",
    "/stockyard/referrals/new/",
    "/stockyard/referrals/{referral.pk}/",
    "/stockyard/limits/",
    "/stockyard/limits/new/",
    "/stockyard/limits/{support_rule.pk}/edit/",
]
# The personal data register and the request form (search, erasure: POST only).
STAFF_PAGES["center-okayama"] += ["/personal-data/", "/personal-data/requests/"]
STAFF_PAGES["council-tsuyama"] += [
    "/stockyard/referrals/",
    "/stockyard/referrals/{referral.pk}/",
    "/stockyard/referrals/{picked_referral.pk}/",
]
STAFF_PAGES["corp-staff"] += [
    "/stockyard/referrals/new/",
    "/stockyard/referrals/{picked_referral.pk}/",
    "/stockyard/limits/",
]


def referral_pages_data(p) -> dict:
    """A yard in 津山市 kept by its council, with cans; the own corporation's referral waiting
    for the keeper and another one approved (its lots picked); the rescue-type limit."""
    import datetime

    from django.utils import timezone

    from sasaeai.stockyard import actions as stockyard
    from sasaeai.stockyard.models import Item, Location, SupportRule

    today = timezone.localdate()
    cans = Item.objects.create(
        prefecture_id="33", name="サバ缶", category="food", unit="缶", unit_value=150
    )
    yard = Location.objects.create(
        prefecture_id="33", municipality_id="332038", name="津山市社協ストックヤード",
        kind="stockyard", address="岡山県津山市山北", keeper_kind="council",
        keeper_name="津山市社会福祉協議会", opening_hours="平日 9:00〜17:00",
    )  # fmt: skip
    rule = SupportRule.objects.create(
        prefecture_id="33", name="レスキュー型（現物給付）", period_days=365, max_value=10000
    )
    expires = today + datetime.timedelta(days=90)
    lots = [stockyard.LotData(item=cans, quantity=12, expires_on=expires)]
    stockyard.receive(location=yard, lines=lots, received_on=today)

    def refer(reference):
        household = stockyard.HouseholdData("332038", reference, 3, "40, 10, 7")
        return stockyard.refer(
            location=yard, household=household, lines=[(cans, 4)], urgency="today",
            needs="食料", corporation=p.own_corporation,
        )  # fmt: skip

    picked = stockyard.approve(referral=refer("津-002"))
    return {"referral": refer("津-001"), "picked_referral": picked, "support_rule": rule}


# Screenshots into test-output/ (path → name), to look at: Japanese drawn, nothing cut off.
SCREENSHOTS = {
    "/": "home",
    "/networks/": "networks",
    "/events/": "events",
    "/dashboard/": "dashboard",
    "/members/": "members",
    "/plan/gaps/": "gaps",
}


@dataclass
class Violation:
    page: str
    rule: str
    impact: str
    help: str
    targets: list

    def __str__(self) -> str:
        where = ", ".join(" ".join(t) if isinstance(t, list) else t for t in self.targets[:5])
        more = f" (+{len(self.targets) - 5})" if len(self.targets) > 5 else ""
        return f"{self.page}: {self.rule} [{self.impact}] {self.help}: {where}{more}"


@pytest.fixture(scope="module", autouse=True)
def axe_installed():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make setup installs it)", pytrace=False)


def axe_violations(page, url: str) -> list[Violation]:
    """axe-core's WCAG 2.1 A/AA violations of the page open in ``page``, and the results it
    leaves for review that are certain failures here (``INCOMPLETE_IS_VIOLATION``)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the Content Security Policy would block it
        # as an inline <script> tag.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "([tags, rules]) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " rules: Object.fromEntries(rules.map(r => [r, {enabled: true}])),"
        " resultTypes: ['violations', 'incomplete']})",
        [WCAG_AA, STRUCTURE_RULES],
    )
    failing = result["violations"] + [
        v for v in result["incomplete"] if v["id"] in INCOMPLETE_IS_VIOLATION
    ]
    return [
        Violation(url, v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]])
        for v in failing
    ]


# The elements wider than the window when the page scrolls sideways.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''));
}"""


def reflow_violations(page, url: str) -> list[Violation]:
    """1.4.10 Reflow: on a phone the page does not scroll sideways."""
    wide = page.evaluate(OVERFLOWING)
    help_ = "Content must fit the width of a phone without scrolling sideways"
    return [Violation(url, "reflow", "serious", help_, wide)] if wide else []


def check_pages(page, base_url: str, paths: list[str], shots: str = "") -> list[Violation]:
    """Every page's violations; a screenshot of the pages in ``SCREENSHOTS``, named after
    ``shots`` (the persona or the viewport)."""
    found = []
    for path in paths:
        response = page.goto(base_url + path)
        assert response.status == 200, f"{path} answered {response.status}"
        found += axe_violations(page, path)
        phone = page.viewport_size["width"] <= PHONE["width"]
        if phone:
            found += reflow_violations(page, path)
        if shots and path in SCREENSHOTS:
            OUTPUT_DIR.mkdir(exist_ok=True)
            name = f"a11y-{shots}-{SCREENSHOTS[path]}.png"
            page.screenshot(path=str(OUTPUT_DIR / name), full_page=True)
    return found


def report(violations: list[Violation]) -> str:
    return f"{len(violations)} accessibility violations:\n" + "\n".join(map(str, violations))


def public_pages_without_arguments() -> list[str]:
    """Every public page of the resolver that takes no argument (answering HTML or not)."""
    from sasaeai.core.access import PUBLIC, access_of
    from sasaeai.core.tests.test_permission_matrix import own_patterns

    return [
        "/" + route
        for route, entry in own_patterns()
        if access_of(entry.callback) == PUBLIC
        and "<" not in route
        and not route.startswith("^")  # the API's router
        and getattr(entry.callback, "cls", None) is None
    ]


FILE_SUFFIXES = (".pdf", ".xlsx", ".csv", ".ics", ".json", ".xml", ".zip")


def html_only(page, base_url: str, paths: list[str]) -> list[str]:
    """The paths that answer an HTML page (not a CSV, PDF, iCal or a redirect)."""
    kept = []
    for path in paths:
        if path.endswith(FILE_SUFFIXES):
            continue  # a download, not worth making here
        response = page.request.get(base_url + path, max_redirects=0)
        if response.status == 200 and "text/html" in response.headers.get("content-type", ""):
            kept.append(path)
    return kept


@pytest.fixture
def site_data(committed):
    """A small Okayama: the seed's networks, an open public forum with a registration, the
    model projects, a grant call, a published proposal, a survey round with results."""
    import datetime

    from django.utils import timezone

    from sasaeai.activities import demo as activities_demo
    from sasaeai.activities.models import Activity
    from sasaeai.casebook import demo as casebook_demo
    from sasaeai.casebook.models import Case
    from sasaeai.events import actions as events
    from sasaeai.events.models import Audience, EventKind
    from sasaeai.grants.demo import ensure_demo_grants
    from sasaeai.grants.models import Application, GrantCall
    from sasaeai.members.actions import record_membership_event
    from sasaeai.members.models import MemberType
    from sasaeai.networks import importing
    from sasaeai.networks.models import MunicipalNetwork
    from sasaeai.plan.loading import DATA as PLAN_DATA
    from sasaeai.plan.loading import load_plan_file
    from sasaeai.projects import demo as projects_demo
    from sasaeai.projects.models import Committee, LeadingProject, ModelProject
    from sasaeai.proposals import demo as proposals_demo
    from sasaeai.proposals.models import Proposal
    from sasaeai.publishing import demo as publishing_demo
    from sasaeai.publishing.models import Newsletter, NewsPost
    from sasaeai.surveys import actions as surveys
    from sasaeai.surveys.demo import ensure_demo_surveys
    from sasaeai.surveys.models import Round
    from sasaeai.testing.factories import CorporationFactory, FacilityFactory

    p = committed
    record_membership_event(
        member=p.own_corporation,
        kind="join",
        effective_date=datetime.date(2018, 4, 1),
        by=p.center,
        member_type=MemberType.objects.get(code="basic-corporation"),
    )
    importing.import_networks(importing.SEED_TABLE, prefecture="33")
    projects_demo.load("33", corporations=[p.own_corporation])
    proposals_demo.load("33", by=p.center)
    corporations = {"own": p.own_corporation, "other": p.other_corporation}
    corporations["third"] = p.other_corporation
    ensure_demo_grants("33", corporations=corporations, center_user=p.center)
    ensure_demo_surveys("33")
    day = timezone.localdate() + datetime.timedelta(days=20)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(13)))
    forum = events.create_event(
        prefecture="33",
        sessions=[events.SessionData(start, start + datetime.timedelta(hours=4), venue="会館")],
        kind=EventKind.FORUM,
        title="地域福祉実践フォーラム",
        audience=Audience.PUBLIC,
        capacity=50,
        by=p.center,
    )
    registration = events.register(event=forum, name="岡山 花子", email="hanako@example.jp")
    corporations["third"] = CorporationFactory(municipality_id="331007")  # 岡山市
    activities_demo.load("33", corporations=corporations, reviewer=p.center)
    casebook_demo.load("33", corporations=corporations, by=p.center)
    publishing_demo.load("33", by=p.center)
    plan = load_plan_file("33", PLAN_DATA / "okayama-2018.json")
    round_ = Round.objects.filter(closed_at__isnull=False).order_by("-pk").first()
    open_round = surveys.create_round(
        survey=round_.survey,
        title="取組状況調査（受付中）",
        target_kind="corporations",
        deadline=start,
    )
    return SimpleNamespace(
        **vars(p),
        **stockyard_data(p),
        forum=forum,
        facility=FacilityFactory(corporation=p.own_corporation, name="デイサービスささえ"),
        registration=registration,
        network=MunicipalNetwork.objects.filter(name__startswith="津山市").get(),
        model_project=ModelProject.objects.first(),
        leading_project=LeadingProject.objects.first(),
        committee=Committee.objects.first(),
        proposal=Proposal.objects.get(),
        call=GrantCall.objects.order_by("-closes_on").first(),
        application=Application.objects.filter(corporation=p.own_corporation).first(),
        round=round_,
        survey=round_.survey,
        invitation=open_round.invitations.get(corporation=p.own_corporation),
        activity=Activity.objects.filter(municipality_id="332038").first(),
        case=Case.objects.filter(title__contains="ボランティア").first() or Case.objects.first(),
        news=NewsPost.objects.filter(published_at__lte=timezone.now()).first(),
        newsletter=Newsletter.objects.first(),
        target=plan.targets.get(kpi_code="networks_established"),
        **referral_pages_data(p),
    )


def stockyard_data(p) -> dict:
    """A stockyard in 津山市 with stock (a lot near expiry, an expired one), a donation and a
    food drive, recorded through the actions."""
    import datetime

    from django.utils import timezone

    from sasaeai.stockyard import actions as stockyard
    from sasaeai.stockyard.models import Item, Location

    today = timezone.localdate()

    def ago(n: int) -> datetime.date:
        return today - datetime.timedelta(days=n)

    rice, cans = (
        Item.objects.create(prefecture_id="33", name=name, category=category, unit=unit,
                            unit_value=value, whole_units=whole)
        for name, category, unit, value, whole in (
            ("米", "staple", "kg", 400, False), ("缶詰", "food", "缶", 150, True),
        )
    )  # fmt: skip
    yard = Location.objects.create(
        prefecture_id="33", municipality_id="332038", name="津山ストックヤード",
        kind="stockyard", address="岡山県津山市山北520", keeper_kind="council",
        keeper_name="津山市社会福祉協議会", opening_hours="平日 9:00〜17:00",
    )  # fmt: skip
    drive = stockyard.create_campaign(
        prefecture="33", title="秋のフードドライブ", starts_on=ago(7), ends_on=today,
        drop_offs=[yard], organiser="津山市社会福祉協議会",
    )  # fmt: skip

    lots = [
        stockyard.LotData(item=cans, quantity=24, expires_on=ago(-9)),  # near expiry
        stockyard.LotData(item=rice, quantity="12.5", expires_on=ago(-200)),
    ]
    donation = stockyard.receive(
        location=yard, lines=lots, received_on=ago(3), donor_kind="food_drive",
        donor_name="山陽食品株式会社", campaign=drive,
    )  # fmt: skip
    expired = [stockyard.LotData(item=cans, quantity=6, expires_on=ago(1))]
    stockyard.receive(location=yard, lines=expired, received_on=ago(60), today=ago(60))
    return {"stock_yard": yard, "stock_item": rice, "donation": donation, "food_drive": drive}


def filled(paths: list[str], data) -> list[str]:
    return [path.format(**vars(data)) for path in paths]


def new_page(browser, viewport):
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(path=AXE)  # in every page, sent to chromium once
    return context.new_page()


def test_the_check_finds_what_it_must(browser, live_server, committed):
    """A check that cannot fail proves nothing: break a page on purpose and look."""
    page = new_page(browser, PHONE)
    page.goto(f"{live_server.url}/")
    # Styles set through the CSSOM: the Content Security Policy blocks style= attributes.
    page.evaluate(
        """() => { document.querySelector('main').insertAdjacentHTML('beforeend',
        '<input type="text"><p id="pale">薄い文字</p><div id="wide">広い</div>'
        + '<input id="language-select" aria-label="重複"><h6>飛んだ見出し</h6>');
        document.getElementById('pale').style.color = '#ccc';
        document.getElementById('wide').style.width = '900px'; }"""
    )
    found = {v.rule for v in axe_violations(page, "/") + reflow_violations(page, "/")}
    page.context.close()
    assert found >= {"label", "color-contrast", "reflow", "duplicate-id-aria", "heading-order"}, (
        found
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_public_pages_have_no_violations(browser, live_server, site_data, viewport):
    page = new_page(browser, viewport)
    discovered = html_only(page, live_server.url, public_pages_without_arguments())
    assert "/" in discovered and "/networks/" in discovered
    paths = discovered + filled(PUBLIC_DETAIL_PAGES, site_data)
    shots = "public-phone" if viewport == PHONE else "public-desktop"
    violations = check_pages(page, live_server.url, paths, shots)
    page.context.close()
    assert violations == [], report(violations)


@pytest.mark.parametrize("username", STAFF_PAGES)
def test_staff_pages_have_no_violations(browser, live_server, site_data, username):
    page = new_page(browser, DESKTOP)
    log_in(page, live_server.url, username)
    paths = filled(STAFF_PAGES[username], site_data)
    violations = check_pages(page, live_server.url, paths, shots=username)
    page.context.close()
    assert violations == [], report(violations)


# Keyboard only (2.1.1, 2.4.1, 2.4.3, 2.4.7): no mouse, no locator clicks below.
FOCUSED = "document.activeElement"


def tab_to(page, selector: str, limit: int = 80) -> int:
    """Press Tab until the element matching ``selector`` has focus; the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"s => {FOCUSED}.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} is not reached with Tab in {limit} presses")


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_server, committed):
    page.goto(f"{live_server.url}/")
    assert tab_to(page, "a.skip-link", limit=1) == 1
    box = page.locator("a.skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    assert page.evaluate(f"{FOCUSED}.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate(f"{FOCUSED}.closest('main') !== null"), "Tab left the main content"


def test_focus_is_visible_on_links_fields_and_buttons(page, live_server, committed):
    page.goto(f"{live_server.url}/accounts/login/")
    seen = set()
    for _ in range(25):
        page.keyboard.press("Tab")
        tag, outline, width, shadow = page.evaluate(
            f"(() => {{ const s = getComputedStyle({FOCUSED});"
            f" return [{FOCUSED}.tagName, s.outlineStyle, s.outlineWidth, s.boxShadow]; }})()"
        )
        if tag == "BODY":
            break
        seen.add(tag)
        assert outline != "none" and float(width.removesuffix("px")) >= 2, (tag, outline, width)
        assert shadow != "none", (tag, "no focus ring")
    assert {"A", "INPUT", "BUTTON", "SELECT"} <= seen, seen


def test_the_navigation_and_the_login_form_work_with_the_keyboard_alone(
    page, live_server, committed
):
    page.goto(f"{live_server.url}/")
    tab_to(page, "nav.pillar-nav a[href='/pillars/visibility/']")
    OUTPUT_DIR.mkdir(exist_ok=True)  # the focus ring on the blue navigation, to look at
    page.screenshot(path=str(OUTPUT_DIR / "a11y-focus-navigation.png"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/pillars/visibility/")

    page.goto(f"{live_server.url}/dashboard/")
    assert "/accounts/login/" in page.url
    from sasaeai.testing.factories import PASSWORD

    tab_to(page, "input[name='login']")
    page.keyboard.type("center-okayama")
    tab_to(page, "input[name='password']", limit=3)
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server.url}/dashboard/"


def test_a_resident_registers_for_a_forum_with_the_keyboard_alone(page, live_server, committed):
    import datetime

    from django.utils import timezone

    from sasaeai.events import actions
    from sasaeai.events.models import Audience, EventKind, Registration

    start = timezone.now() + datetime.timedelta(days=20)
    forum = actions.create_event(
        prefecture="33",
        sessions=[actions.SessionData(start, start + datetime.timedelta(hours=3), venue="会館")],
        kind=EventKind.FORUM,
        title="地域福祉実践フォーラム",
        audience=Audience.PUBLIC,
        capacity=50,
    )
    page.goto(f"{live_server.url}/events/{forum.pk}/")
    submit = "form:has(#id_email) button[type='submit']"
    tab_to(page, "#id_name")
    page.keyboard.type("岡山 花子")
    tab_to(page, submit, limit=3)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # without the email: the form comes back with a message
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    errors = axe_violations(page, "the registration form with an error")
    assert errors == [], report(errors)

    tab_to(page, "#id_affiliation")
    page.keyboard.type("ささえ愛町内会")
    page.keyboard.press("Tab")
    page.keyboard.type("hanako@example.jp")
    tab_to(page, submit, limit=3)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/events/r/" in page.url
    assert Registration.objects.get(event=forum).name == "岡山 花子"
