import datetime
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sasaeai.publishing import actions
from sasaeai.publishing.files import MAX_PDF_BYTES
from sasaeai.publishing.models import NewsPost

from .conftest import pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_scheduled_post_is_not_visible_before_its_time(client, post_factory):
    later = post_factory("来月のお知らせ", at=timezone.now() + datetime.timedelta(days=1))
    assert "来月のお知らせ" not in client.get(reverse("publishing:news-list")).content.decode()
    assert client.get(reverse("publishing:news-detail", args=[later.pk])).status_code == 404
    assert "来月のお知らせ" not in client.get(reverse("publishing:news-feed")).content.decode()
    assert "来月のお知らせ" not in client.get(reverse("publishing:home")).content.decode()
    NewsPost.objects.filter(pk=later.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert "来月のお知らせ" in client.get(reverse("publishing:news-list")).content.decode()


def test_a_draft_is_seen_by_the_centers_staff_only(client, personas, post_factory):
    post = post_factory()
    actions.unpublish_news_post(post=post, by=personas.center)
    url = reverse("publishing:news-detail", args=[post.pk])
    assert client.get(url).status_code == 404
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    client.force_login(personas.center)
    assert client.get(url).status_code == 200


def test_html_in_a_post_is_shown_as_text(client, post_factory):
    post = post_factory(
        "<script>alert(1)</script>見出し", body="<b>太字</b>\n\n<img src=x onerror=alert(1)>"
    )
    html = client.get(reverse("publishing:news-detail", args=[post.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;見出し" in html
    assert "<img src=x" not in html and "<b>太字</b>" not in html
    assert "&lt;b&gt;太字&lt;/b&gt;" in html


def test_the_atom_feed_is_valid_xml_with_the_published_entries(client, post_factory):
    post_factory("一つ目のお知らせ", body="<b>本文</b>")
    post_factory("二つ目のお知らせ")
    post_factory("予定のお知らせ", at=timezone.now() + datetime.timedelta(days=2))
    response = client.get(reverse("publishing:news-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == f"{ATOM}feed"
    titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
    assert sorted(titles) == ["一つ目のお知らせ", "二つ目のお知らせ"]
    for entry in root.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
        assert entry.findtext(f"{ATOM}updated")


def test_staff_create_publish_and_withdraw_a_post(client, personas):
    client.force_login(personas.center)
    response = client.post(
        reverse("publishing:news-create"),
        {"title": "研修の報告", "category": "report", "body": "実施しました。", "published_at": ""},
    )
    assert response.status_code == 302
    post = NewsPost.objects.get(title="研修の報告")
    assert post.published_at is None and post.prefecture_id == "33"
    client.post(reverse("publishing:news-publish", args=[post.pk]))
    post.refresh_from_db()
    assert post.is_published
    client.logout()
    assert "研修の報告" in client.get(reverse("publishing:news-list")).content.decode()
    client.force_login(personas.center)
    client.post(reverse("publishing:news-unpublish", args=[post.pk]))
    client.logout()
    assert "研修の報告" not in client.get(reverse("publishing:news-list")).content.decode()


def test_staff_edit_a_post_and_attach_a_pdf(client, personas, post_factory):
    post = post_factory()
    client.force_login(personas.center)
    response = client.post(
        reverse("publishing:news-edit", args=[post.pk]),
        {
            "title": "変更後",
            "category": "notice",
            "body": "本文",
            "published_at": "2026-01-05T10:00",
            "attachment": pdf_upload("案内.pdf"),
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "変更後" and post.attachment
    client.logout()
    download = client.get(reverse("publishing:news-attachment", args=[post.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("who", ["anonymous", "council", "corp_staff", "outsider"])
def test_only_the_centers_staff_write_news(client, personas, post_factory, who):
    post = post_factory()
    user = getattr(personas, who)
    if user.is_authenticated:
        client.force_login(user)
    for url in [
        reverse("publishing:manage"),
        reverse("publishing:news-create"),
        reverse("publishing:news-edit", args=[post.pk]),
    ]:
        assert client.get(url).status_code in (302, 404)
    assert client.post(reverse("publishing:news-unpublish", args=[post.pk])).status_code in (
        302,
        404,
    )
    post.refresh_from_db()
    assert post.is_published


def test_an_attachment_that_is_not_a_pdf_is_refused(personas, post_factory):
    fake = SimpleUploadedFile("案内.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        post_factory(attachment=fake)
    assert "attachment" in error.value.message_dict
    assert not NewsPost.objects.exists()


def test_a_file_that_only_starts_like_a_pdf_is_refused(personas, post_factory):
    fake = SimpleUploadedFile("x.pdf", b"%PDF-1.7\n garbage", content_type="application/pdf")
    with pytest.raises(ValidationError):
        post_factory(attachment=fake)


def test_a_too_large_pdf_is_refused(personas, post_factory):
    big = SimpleUploadedFile(
        "big.pdf", pdf_bytes() + b"\0" * (MAX_PDF_BYTES + 1), content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        post_factory(attachment=big)
    assert "MB" in " ".join(error.value.message_dict["attachment"])


def test_the_form_names_the_field_of_a_refused_attachment(client, personas, english):
    client.force_login(personas.center)
    response = client.post(
        reverse("publishing:news-create"),
        {
            "title": "t",
            "category": "notice",
            "body": "b",
            "attachment": SimpleUploadedFile("a.pdf", b"GIF89a", content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attachment"] == [
        "「a.pdf」は PDF ファイルではありません。"
    ]
    assert not NewsPost.objects.exists()


def test_the_demo_loads_news_and_two_issues_once(client, personas):
    from sasaeai.publishing import demo
    from sasaeai.publishing.models import Newsletter

    assert "ニュースレター: 2号" in demo.load("33")
    assert demo.load("33").endswith("作成済み")
    assert Newsletter.objects.count() == 2
    assert NewsPost.objects.published().count() == 3  # and one scheduled
    html = client.get(reverse("publishing:newsletter-list")).content.decode()
    assert "平成30年度" in html and "令和元年度" in html
