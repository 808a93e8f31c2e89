import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sasaeai.publishing.models import Newsletter

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_the_archive_groups_issues_by_fiscal_year_with_japanese_era_labels(client, issue_factory):
    issue_factory(1, fiscal_year=2018, published_on=datetime.date(2019, 3, 1))
    issue_factory(2, fiscal_year=2019, published_on=datetime.date(2019, 7, 1))
    issue_factory(3, fiscal_year=2019, published_on=datetime.date(2020, 1, 10))
    issue_factory(
        4, fiscal_year=2026, published_on=timezone.localdate() + datetime.timedelta(days=9)
    )
    html = client.get(reverse("publishing:newsletter-list")).content.decode()
    assert "平成30年度" in html
    assert "令和元年度" in html
    assert html.index("令和元年度") < html.index("平成30年度")  # newest year first
    assert "第4号" not in html and "ささえ愛通信 第4号" not in html
    assert html.count("ささえ愛通信 第") == 3


def test_an_issue_page_shows_its_text_and_its_pdf(client, issue_factory):
    issue = issue_factory(pdf=pdf_upload())
    html = client.get(reverse("publishing:newsletter-detail", args=[issue.pk])).content.decode()
    assert "今号の特集：子ども食堂" in html
    assert reverse("publishing:newsletter-pdf", args=[issue.pk]) in html
    download = client.get(reverse("publishing:newsletter-pdf", args=[issue.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_an_issue_may_be_only_a_pdf(client, issue_factory):
    issue = issue_factory(body="", pdf=pdf_upload())
    assert client.get(reverse("publishing:newsletter-detail", args=[issue.pk])).status_code == 200


def test_an_issue_needs_text_or_a_pdf(issue_factory):
    with pytest.raises(ValidationError) as error:
        issue_factory(body="")
    assert "body" in error.value.message_dict


def test_an_unpublished_issue_is_not_public(client, personas, issue_factory):
    issue = issue_factory(published_on=timezone.localdate() + datetime.timedelta(days=1))
    assert client.get(reverse("publishing:newsletter-detail", args=[issue.pk])).status_code == 404
    client.force_login(personas.center)
    assert client.get(reverse("publishing:newsletter-detail", args=[issue.pk])).status_code == 200


def test_html_in_an_issue_is_shown_as_text(client, issue_factory):
    issue = issue_factory(body='<script>alert("x")</script>\n\n<a href="javascript:x">リンク</a>')
    html = client.get(reverse("publishing:newsletter-detail", args=[issue.pk])).content.decode()
    assert "<script>alert" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("issue.pdf", b"\x89PNG\r\n\x1a\n", content_type="application/pdf"),
        SimpleUploadedFile("issue.pdf", b"%PDF-1.4 broken", content_type="application/pdf"),
    ],
    ids=["png-named-pdf", "broken-pdf"],
)
def test_the_staff_form_refuses_a_file_that_is_not_a_pdf(client, personas, upload, english):
    client.force_login(personas.center)
    response = client.post(
        reverse("publishing:newsletter-create"),
        {"number": 5, "title": "第5号", "fiscal_year": 2026, "body": "", "pdf": upload},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["pdf"]
    assert not Newsletter.objects.exists()


def test_staff_create_edit_and_send_an_issue(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(personas.center)
    response = client.post(
        reverse("publishing:newsletter-create"),
        {
            "number": 7,
            "title": "ささえ愛通信 第7号",
            "fiscal_year": 2026,
            "published_on": timezone.localdate().isoformat(),
            "body": "本文",
            "pdf": pdf_upload(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    issue = Newsletter.objects.get()
    assert issue.pdf and issue.prefecture_id == "33"
    response = client.post(
        reverse("publishing:newsletter-edit", args=[issue.pk]),
        {
            "number": 7,
            "title": "ささえ愛通信 第7号（訂正）",
            "fiscal_year": 2026,
            "published_on": timezone.localdate().isoformat(),
            "body": "本文",
        },
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.title.endswith("（訂正）") and issue.pdf
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("publishing:newsletter-send", args=[issue.pk]))
    issue.refresh_from_db()
    assert issue.sent_at is not None


def test_another_prefectures_staff_cannot_touch_an_issue(client, personas, issue_factory):
    from sasaeai.testing import factories

    issue = issue_factory()
    tottori = factories.CenterFactory(prefecture_id="31", name="鳥取", short_name="鳥取")
    client.force_login(factories.center_staff(tottori, username="tottori-center"))
    assert client.get(reverse("publishing:newsletter-edit", args=[issue.pk])).status_code == 404
    assert client.post(reverse("publishing:newsletter-send", args=[issue.pk])).status_code == 404
