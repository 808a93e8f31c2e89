import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sasaeai.publishing import actions
from sasaeai.publishing.models import NewsCategory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name: str = "issue.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def post_factory(personas):
    def make(title="地域公益活動フォーラムを開催します", *, body="本文です。", at=None, **kwargs):
        return actions.create_news_post(
            prefecture="33",
            data=actions.NewsData(
                title=title,
                body=body,
                category=kwargs.get("category", NewsCategory.NOTICE),
                published_at=at if at is not None else timezone.now() - datetime.timedelta(hours=1),
                attachment=kwargs.get("attachment"),
            ),
            by=personas.center,
        )

    return make


@pytest.fixture
def issue_factory(personas):
    def make(
        number=1, *, fiscal_year=2019, published_on=None, body="今号の特集：子ども食堂", pdf=None
    ):
        return actions.create_newsletter(
            prefecture="33",
            data=actions.NewsletterData(
                number=number,
                title=f"ささえ愛通信 第{number}号",
                fiscal_year=fiscal_year,
                published_on=published_on or timezone.localdate() - datetime.timedelta(days=1),
                body=body,
                pdf=pdf,
            ),
            by=personas.center,
        )

    return make
