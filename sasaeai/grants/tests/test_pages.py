"""The grant cycle on the pages: the center opens a call, a corporation applies with its
budget and submits, a reviewer scores (a conflicted one cannot), the center decides within the
caps (over a cap: the rule's sentence and nothing written), the letter, payments, the final
report, the refund, an amendment; who sees what, and list pages in constant queries."""

from __future__ import annotations

import datetime
import io
import re

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sasaeai.core.dates import fiscal_year
from sasaeai.grants import actions
from sasaeai.grants.models import (
    Amendment,
    Application,
    BudgetLine,
    Decision,
    GrantCall,
    GrantReport,
    Payment,
    Refund,
    Review,
)
from sasaeai.grants.starting import load_starting_programs
from sasaeai.testing.factories import CorporationFactory, UserFactory, pdf_bytes

from .conftest import join

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
FY = fiscal_year(TODAY)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return flat("".join(page.extract_text() for page in reader.pages))


def budget(*rows, blank: int = 1) -> dict:
    """The budget formset's POST data: rows of (fiscal year, category, description, amount)."""
    data = {
        "lines-TOTAL_FORMS": str(len(rows) + blank),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "40",
    }
    for number, (year, category, description, amount) in enumerate(rows):
        data.update(
            {
                f"lines-{number}-fiscal_year": str(year),
                f"lines-{number}-category": category,
                f"lines-{number}-description": description,
                f"lines-{number}-amount": amount,
            }
        )
    for number in range(len(rows), len(rows) + blank):
        data[f"lines-{number}-fiscal_year"] = str(FY)  # a select always sends its first option
    return data


def application_data(applicant: str, theme, *rows, **extra) -> dict:
    return {
        "applicant": applicant,
        "title": "就労準備支援モデル事業",
        "theme": str(theme.pk),
        "plan": "ひきこもりの若者の就労準備を、法人の施設で支援する。",
        "contact_name": "津山 花子",
        "contact_email": "hanako@example.jp",
        **budget(*rows),
        **extra,
    }


@pytest.fixture
def current(grants):
    """A model-grant call open today, in the current fiscal year."""
    call = actions.open_call(
        program=grants.model,
        fiscal_year=FY,
        title="モデル事業 研究・開発助成 募集",
        opens_on=TODAY - datetime.timedelta(days=5),
        closes_on=TODAY + datetime.timedelta(days=30),
        themes=[grants.theme, grants.other_theme],
        description="申請書と予算書を提出してください。",
    )
    grants.current = call
    return grants


def submitted_now(call, *, corporation=None, network=None, theme=None, amount=200_000):
    application = actions.create_application(
        call=call,
        corporation=corporation,
        network=network,
        theme=theme,
        title="テスト申請",
        lines=[{"fiscal_year": call.fiscal_year, "category": "謝金", "amount": amount}],
    )
    return actions.submit_application(application=application)


# Public pages ---------------------------------------------------------------------------------


def test_the_home_lists_the_programs_with_their_rules_and_the_open_calls(client, current):
    page = client.get("/grants/").content.decode()
    assert "モデル事業研究・開発助成" in page and "市町村域ネットワークづくり助成" in page
    assert "400,000円" in page and "100,000円" in page and "200,000円" in page
    assert "需用費（消耗品費・印刷製本費）" in page
    assert current.current.title in page
    assert "就労準備支援" in page
    detail = client.get(f"/grants/calls/{current.current.pk}/").content.decode()
    assert "申請書と予算書を提出してください。" in detail and "400,000円" in detail


def test_an_unpublished_call_is_only_for_the_center(client, current):
    GrantCall.objects.filter(pk=current.current.pk).update(published=False)
    assert client.get(f"/grants/calls/{current.current.pk}/").status_code == 404
    client.force_login(current.personas.center)
    assert client.get(f"/grants/calls/{current.current.pk}/").status_code == 200


# Who sees what --------------------------------------------------------------------------------


@pytest.fixture
def applied(current):
    own = submitted_now(
        current.current, corporation=current.personas.own_corporation, theme=current.theme
    )
    network = submitted_now(
        current.current, network=current.network, theme=current.theme, amount=100_000
    )
    return {"own": own, "network": network}


@pytest.mark.parametrize(
    ("persona", "own", "network", "manage"),
    [
        ("center", 200, 200, 200),
        ("corp_staff", 200, 404, 404),
        ("outsider", 404, 404, 404),
        ("council", 404, 200, 404),
    ],
)
def test_pages_for_each_role(client, current, applied, persona, own, network, manage):
    client.force_login(getattr(current.personas, persona))
    call = current.current
    assert client.get(f"/grants/applications/{applied['own'].pk}/").status_code == own
    assert client.get(f"/grants/applications/{applied['network'].pk}/").status_code == network
    for url in (
        f"/grants/calls/{call.pk}/manage/",
        f"/grants/applications/{applied['own'].pk}/decide/",
        "/grants/programs/",
        "/grants/calls/new/",
        f"/grants/programs/{current.model.pk}/edit/",
    ):
        assert client.get(url).status_code == manage, url
    for url in ("/grants/", f"/grants/calls/{call.pk}/", "/grants/mine/", "/grants/reviews/"):
        assert client.get(url).status_code == 200, url
    mine = client.get("/grants/mine/").content.decode()
    assert (f"/grants/applications/{applied['own'].pk}/" in mine) == (own == 200)
    assert (f"/grants/applications/{applied['network'].pk}/" in mine) == (network == 200)


def test_whom_each_role_may_apply_for(client, current):
    call = current.current
    client.force_login(current.personas.corp_staff)
    page = client.get(f"/grants/calls/{call.pk}/apply/").content.decode()
    assert current.personas.own_corporation.name in page
    assert current.personas.other_corporation.name not in page
    assert current.network.name not in page
    client.force_login(current.personas.council)
    page = client.get(f"/grants/calls/{call.pk}/apply/").content.decode()
    assert current.network.name in page and current.personas.own_corporation.name not in page
    client.force_login(current.personas.center)
    page = client.get(f"/grants/calls/{call.pk}/apply/").content.decode()
    assert current.personas.own_corporation.name in page and current.network.name in page
    assert current.personas.tottori_corporation.name not in page
    # A corporation one does not serve is not among the choices: refused, nothing written.
    client.force_login(current.personas.outsider)
    response = client.post(
        f"/grants/calls/{call.pk}/apply/",
        application_data(
            f"corporation:{current.personas.own_corporation.pk}",
            current.theme,
            (FY, "謝金", "", "100,000"),
        ),
    )
    assert response.context["form"].errors["applicant"]
    assert not Application.objects.exists()


def test_another_prefectures_application_is_not_found_even_for_the_center(client, current):
    tottori_program = load_starting_programs("31")[0]
    call = GrantCall.objects.create(
        program=tottori_program,
        fiscal_year=FY,
        title="鳥取 募集",
        opens_on=TODAY,
        closes_on=TODAY,
    )
    application = Application.objects.create(
        call=call,
        applicant_kind="corporation",
        corporation=current.personas.tottori_corporation,
        title="鳥取の申請",
        status="submitted",
    )
    client.force_login(current.personas.center)
    for url in (
        f"/grants/applications/{application.pk}/",
        f"/grants/applications/{application.pk}/decide/",
        f"/grants/applications/{application.pk}/letter.pdf",
        f"/grants/calls/{call.pk}/manage/",
        f"/grants/programs/{tottori_program.pk}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    assert "鳥取の申請" not in client.get("/grants/mine/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, current, applied):
    pk = applied["own"].pk
    for url in (
        "/grants/mine/",
        "/grants/reviews/",
        "/grants/programs/",
        "/grants/calls/new/",
        f"/grants/calls/{current.current.pk}/apply/",
        f"/grants/calls/{current.current.pk}/manage/",
        f"/grants/applications/{pk}/",
        f"/grants/applications/{pk}/decide/",
        f"/grants/applications/{pk}/letter.pdf",
        f"/grants/reviews/{pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


# The whole cycle ------------------------------------------------------------------------------


def test_the_whole_grant_cycle_on_the_pages(client, grants, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    personas = grants.personas
    corporation = personas.own_corporation

    # The center opens a call.
    client.force_login(personas.center)
    response = client.post(
        "/grants/calls/new/",
        {
            "program": grants.model.pk,
            "fiscal_year": FY,
            "title": "モデル事業 研究・開発助成 募集",
            "description": "申請書と予算書を提出してください。",
            "opens_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
            "closes_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
            "themes": [grants.theme.pk, grants.other_theme.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    call = GrantCall.objects.get(fiscal_year=FY, program=grants.model, title__startswith="モデル")
    reviewer = UserFactory(username="reviewer-1")
    for login in ("reviewer-1", personas.corp_staff.username):
        client.post(f"/grants/calls/{call.pk}/reviewers/", {"login": login})
    assert call.reviewers.count() == 2

    # Corporation staff apply with budget lines typed as text; a negative amount is refused
    # with its line named, and nothing is saved.
    client.force_login(personas.corp_staff)
    assert client.get(f"/grants/calls/{call.pk}/apply/").status_code == 200
    refused = client.post(
        f"/grants/calls/{call.pk}/apply/",
        application_data(
            f"corporation:{corporation.pk}",
            grants.theme,
            (FY, "謝金", "講師謝金", "200,000"),
            (FY + 1, "旅費", "視察旅費", "-5,000"),
        ),
    )
    assert refused.status_code == 200
    assert "Budget line 2" in refused.content.decode() or "予算" in refused.content.decode()
    assert not Application.objects.exists()
    not_whole = client.post(
        f"/grants/calls/{call.pk}/apply/",
        application_data(f"corporation:{corporation.pk}", grants.theme, (FY, "謝金", "", "1000.5")),
    )
    assert "1000.5" in not_whole.content.decode()
    assert not Application.objects.exists()

    response = client.post(
        f"/grants/calls/{call.pk}/apply/",
        application_data(
            f"corporation:{corporation.pk}",
            grants.theme,
            (FY, "謝金", "講師謝金", "200,000"),
            (FY + 1, "旅費", "視察旅費", "１５０，０００円"),
        ),
    )
    application = Application.objects.get()
    assert response.url == f"/grants/applications/{application.pk}/"
    assert application.status == "draft" and application.created_by == personas.corp_staff
    assert list(BudgetLine.objects.values_list("fiscal_year", "amount")) == [
        (FY, 200_000),
        (FY + 1, 150_000),
    ]
    # Edit the draft, attach a file, submit.
    edit = client.get(f"/grants/applications/{application.pk}/edit/").content.decode()
    assert 'value="200,000"' in edit
    client.post(
        f"/grants/applications/{application.pk}/edit/",
        application_data(
            "",
            grants.theme,
            (FY, "謝金", "講師謝金", "200,000"),
            (FY + 1, "旅費", "視察旅費", "150,000"),
            title="就労準備支援モデル事業（改）",
        ),
    )
    application.refresh_from_db()
    assert application.title == "就労準備支援モデル事業（改）"
    assert application.budget_lines.count() == 2
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        f"/grants/applications/{application.pk}/attachments/",
        {"title": "事業計画書", "file": SimpleUploadedFile("plan.pdf", pdf_bytes())},
    )
    assert application.attachments.count() == 1
    response = client.post(f"/grants/applications/{application.pk}/submit/", follow=True)
    application.refresh_from_db()
    assert application.status == "submitted", [str(m) for m in response.context["messages"]]

    # A reviewer scores; the corporation's own staff, also a reviewer, has a conflict.
    client.force_login(reviewer)
    assert f"/grants/reviews/{application.pk}/" in client.get("/grants/reviews/").content.decode()
    attachment = application.attachments.get()
    assert client.get(f"/grants/attachments/{attachment.pk}/").status_code == 200
    client.post(
        f"/grants/reviews/{application.pk}/", {"action": "score", "score": "4", "comment": "良い"}
    )
    assert Review.objects.get().score == 4
    client.force_login(personas.corp_staff)
    assert (
        f"/grants/reviews/{application.pk}/" not in client.get("/grants/reviews/").content.decode()
    )
    refused = client.post(
        f"/grants/reviews/{application.pk}/", {"action": "score", "score": "5", "comment": ""}
    )
    assert refused.status_code == 200
    assert Review.objects.count() == 1
    assert refused.context["review_form"].non_field_errors()

    # The center decides: over the cap over the term, the rule speaks and nothing is written.
    client.force_login(personas.center)
    table = client.get(f"/grants/calls/{call.pk}/manage/").content.decode()
    assert corporation.name in table and "津山市" in table and "350,000円" in table
    assert "4.0" in table
    form = client.get(f"/grants/applications/{application.pk}/decide/").content.decode()
    assert 'value="200,000"' in form and 'value="150,000"' in form
    over = client.post(
        f"/grants/applications/{application.pk}/decide/",
        {
            "action": "award",
            "decided_on": TODAY.isoformat(),
            f"amount_{FY}": "250,000",
            f"amount_{FY + 1}": "150,001",
        },
    )
    assert over.status_code == 200
    assert "400,001円" in over.content.decode() and "400,000円" in over.content.decode()
    assert not Decision.objects.exists()
    application.refresh_from_db()
    assert application.status == "submitted"

    response = client.post(
        f"/grants/applications/{application.pk}/decide/",
        {
            "action": "award",
            "decided_on": TODAY.isoformat(),
            "number": "岡ささ第12号",
            "conditions": "事業終了後に成果を報告すること。",
            f"amount_{FY}": "200,000",
            f"amount_{FY + 1}": "150,000",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.outcome == "awarded" and decision.total() == 350_000

    # The letter: a PDF naming the corporation, the program and the amounts.
    letter = client.get(f"/grants/applications/{application.pk}/letter.pdf")
    assert letter["Content-Type"] == "application/pdf"
    text = pdf_text(letter.content)
    assert corporation.name in text
    assert "交付決定通知書" in text and "岡ささ第12号" in text
    assert "200,000円" in text and "350,000円" in text
    # The applicant reads the same letter; an outsider cannot.
    client.force_login(personas.corp_staff)
    assert client.get(f"/grants/applications/{application.pk}/letter.pdf").status_code == 200
    client.force_login(personas.outsider)
    assert client.get(f"/grants/applications/{application.pk}/letter.pdf").status_code == 404

    # Payments: an advance, then one that would pay more than awarded is refused.
    client.force_login(personas.center)
    pay = f"/grants/applications/{application.pk}/payments/"
    client.post(
        pay,
        {"fiscal_year": FY, "kind": "advance", "amount": "200,000", "paid_on": TODAY.isoformat()},
    )
    response = client.post(
        pay,
        {"fiscal_year": FY, "kind": "settlement", "amount": "1", "paid_on": TODAY.isoformat()},
        follow=True,
    )
    assert "200,001円" in response.content.decode()
    assert list(Payment.objects.values_list("amount", flat=True)) == [200_000]

    # The final report of the year: spent less than paid, so a refund is asked for.
    report = GrantReport.objects.get(decision=decision, fiscal_year=FY, kind="final")
    client.force_login(personas.corp_staff)
    detail = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert "200,000円" in detail and f"/reports/{report.pk}/" in detail
    client.post(
        f"/grants/applications/{application.pk}/reports/{report.pk}/",
        {"text": "若者5人が就労準備プログラムを修了した。", "spent": "180,000"},
    )
    report.refresh_from_db()
    assert report.submitted_on == TODAY and report.spent == 180_000
    refund = Refund.objects.get()
    assert refund.amount == 20_000

    # The applicant asks to move money between years; the center approves.
    response = client.post(
        f"/grants/applications/{application.pk}/amendment/",
        {
            "reason": "次年度の事業を拡充するため",
            f"amount_{FY}": "200,000",
            f"amount_{FY + 1}": "200,000",
        },
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    client.force_login(personas.center)
    client.post(f"/grants/amendments/{amendment.pk}/approve/", {"note": "承認"})
    amendment.refresh_from_db()
    assert amendment.status == "approved"
    assert decision.total() == 400_000

    # The refund comes back, a progress report is asked for, and the grant is closed.
    client.post(f"/grants/refunds/{refund.pk}/returned/", {"on": TODAY.isoformat()})
    refund.refresh_from_db()
    assert refund.returned_on == TODAY
    client.post(
        f"/grants/applications/{application.pk}/reports/new/",
        {
            "kind": "progress",
            "fiscal_year": FY + 1,
            "due_on": (TODAY + datetime.timedelta(days=200)).isoformat(),
        },
    )
    assert GrantReport.objects.filter(kind="progress").count() == 1
    client.post(f"/grants/applications/{application.pk}/close/", {"on": TODAY.isoformat()})
    decision.refresh_from_db()
    assert decision.closed_on == TODAY
    page = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert f"/grants/applications/{application.pk}/close/" not in page
    assert "20,000円" in page  # the refund


def test_a_declined_application_gets_a_letter_of_refusal(client, current, applied):
    client.force_login(current.personas.center)
    application = applied["network"]
    empty = client.post(
        f"/grants/applications/{application.pk}/decide/",
        {"action": "decline", "decided_on": TODAY.isoformat(), "reason": ""},
    )
    assert empty.status_code == 200 and not Decision.objects.exists()
    client.post(
        f"/grants/applications/{application.pk}/decide/",
        {"action": "decline", "decided_on": TODAY.isoformat(), "reason": "予算の範囲を超えるため"},
    )
    assert Decision.objects.get().outcome == "declined"
    text = pdf_text(client.get(f"/grants/applications/{application.pk}/letter.pdf").content)
    assert "不交付決定通知書" in text and current.network.name in text
    assert "予算の範囲を超えるため" in text


def test_submitting_shows_the_rule_that_refuses(client, current):
    """Above the cap at submission: the message names the cap; the draft stays a draft."""
    application = actions.create_application(
        call=current.current,
        corporation=current.personas.own_corporation,
        theme=current.theme,
        title="大きな申請",
        lines=[
            {"fiscal_year": FY, "category": "謝金", "amount": 300_000},
            {"fiscal_year": FY + 1, "category": "謝金", "amount": 300_000},
        ],
    )
    client.force_login(current.personas.corp_staff)
    response = client.post(f"/grants/applications/{application.pk}/submit/", follow=True)
    assert "400,000円" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft"
    client.post(f"/grants/applications/{application.pk}/withdraw/")
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_the_center_edits_the_rules_and_the_budget(client, current):
    client.force_login(current.personas.center)
    program = current.model
    page = client.get(f"/grants/programs/{program.pk}/edit/").content.decode()
    assert 'value="400,000"' in page
    response = client.post(
        f"/grants/programs/{program.pk}/edit/",
        {
            "name": program.name,
            "purpose": program.purpose,
            "eligible_kinds": ["corporation", "network"],
            "members_only": "on",
            "cap_per_year": "",
            "cap_total": "500,000",
            "max_years": "2",
            "max_sites_per_theme": "3",
            "requires_theme": "on",
            "expense_categories": "謝金\n旅費\n",
            "active": "on",
        },
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.cap_total == 500_000 and program.expense_categories == ["謝金", "旅費"]
    client.post(
        f"/grants/programs/{program.pk}/budget/", {"fiscal_year": FY, "amount": "1,200,000"}
    )
    assert program.budgets.get(fiscal_year=FY).amount == 1_200_000
    page = client.get("/grants/programs/").content.decode()
    assert "1,200,000円" in page and "500,000円" in page


def test_a_declared_conflict_removes_the_application_from_the_reviewers_list(
    client, current, applied
):
    reviewer = UserFactory(username="reviewer-2")
    actions.add_reviewer(call=current.current, user=reviewer)
    client.force_login(reviewer)
    url = f"/grants/reviews/{applied['own'].pk}/"
    assert url in client.get("/grants/reviews/").content.decode()
    client.post(url, {"action": "conflict", "reason": "法人の理事を兼務"})
    listing = client.get("/grants/reviews/")
    assert url not in listing.content.decode()
    assert [a.pk for a in listing.context["conflicted"]] == [applied["own"].pk]
    client.post(url, {"action": "score", "score": "3"})
    assert not Review.objects.exists()


# Constant queries -----------------------------------------------------------------------------


def _applications(grants, count: int, reviewer) -> None:
    corporations = CorporationFactory.create_batch(count, municipality_id="332038")
    for corporation in corporations:
        join(corporation, grants.personas.center)
        application = submitted_now(grants.current, corporation=corporation, theme=grants.theme)
        actions.submit_review(application=application, reviewer=reviewer, score=3)


def _list_pages(client, grants, reviewer, limits=None, assert_max=None) -> dict[str, int]:
    """How many queries each list page takes, and that it lists every application."""
    counts = {}
    pages = {
        "call": (grants.personas.center, f"/grants/calls/{grants.current.pk}/manage/"),
        "mine": (grants.personas.center, "/grants/mine/"),
        "home": (grants.personas.center, "/grants/"),
        "reviews": (reviewer, "/grants/reviews/"),
    }
    total = Application.objects.filter(call=grants.current).count()
    for name, (user, url) in pages.items():
        client.force_login(user)
        if limits:
            with assert_max(limits[name], info=url) as queries:
                response = client.get(url)
        else:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
        assert response.status_code == 200
        if name in ("call", "mine"):
            assert len(response.context["applications"]) == total
        if name == "reviews":
            assert len(response.context["applications"]) == total - 1  # one is decided
        counts[name] = len(queries)
    return counts


def test_list_pages_take_a_constant_number_of_queries(
    client, current, django_assert_max_num_queries
):
    reviewer = UserFactory()
    actions.add_reviewer(call=current.current, user=reviewer)
    _applications(current, 2, reviewer)
    decision = actions.decide(
        application=Application.objects.filter(call=current.current).first(),
        amounts={FY: 100_000},
    )
    actions.record_payment(
        decision=decision, fiscal_year=FY, kind="advance", amount=50_000, paid_on=TODAY
    )
    with_two = _list_pages(client, current, reviewer)
    _applications(current, 8, reviewer)
    with_ten = _list_pages(
        client, current, reviewer, limits=with_two, assert_max=django_assert_max_num_queries
    )
    assert with_ten == with_two, with_two


def test_reviewers_read_no_draft_and_no_other_call(client, current, applied):
    reviewer = UserFactory(username="reviewer-3")
    actions.add_reviewer(call=current.current, user=reviewer)
    draft = actions.create_application(
        call=current.current,
        corporation=current.personas.other_corporation,
        theme=current.theme,
        title="下書き",
        lines=[{"fiscal_year": FY, "category": "謝金", "amount": 100_000}],
    )
    client.force_login(reviewer)
    assert client.get(f"/grants/reviews/{draft.pk}/").status_code == 404
    assert client.get(f"/grants/reviews/{applied['own'].pk}/").status_code == 200
    assert client.get(f"/grants/applications/{applied['own'].pk}/").status_code == 404
    stranger = UserFactory(username="not-a-reviewer")
    client.force_login(stranger)
    assert client.get(f"/grants/reviews/{applied['own'].pk}/").status_code == 404
    assert (
        client.post(
            f"/grants/reviews/{applied['own'].pk}/", {"action": "score", "score": "5"}
        ).status_code
        == 404
    )
    assert not Review.objects.exists()
