"""Casebook pages: the public sees published cases only; each role sees its own scope; the
search reads Japanese as people type it; files are given out only for published cases."""

import csv
import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sasaeai.casebook import actions
from sasaeai.casebook.models import Case

from .conftest import draft_case, png_bytes, publish

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


# Scope ----------------------------------------------------------------------------------------


def test_anonymous_and_another_corporation_get_404_on_an_unpublished_case(client, personas, draft):
    for url in (f"/cases/{draft.pk}/", f"/cases/manage/{draft.pk}/"):
        assert client.get(url).status_code in (404, 302)
    assert client.get(f"/cases/{draft.pk}/").status_code == 404
    client.force_login(personas.outsider)
    for url in (
        f"/cases/{draft.pk}/",
        f"/cases/manage/{draft.pk}/",
        f"/cases/manage/{draft.pk}/edit/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/cases/manage/{draft.pk}/submit/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.parametrize("persona", ["corp_staff", "council", "center"])
def test_own_council_and_center_staff_see_the_draft(client, personas, draft, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(f"/cases/{draft.pk}/").status_code == 200
    assert client.get(f"/cases/manage/{draft.pk}/").status_code == 200
    assert draft.title in text(client.get("/cases/manage/"))


def test_outsiders_working_list_is_empty_but_published_cases_are_public(
    client, personas, published, themes
):
    other = draft_case(personas, themes, title="まだ下書きの事例")
    client.force_login(personas.outsider)
    page = text(client.get("/cases/manage/"))
    assert published.title not in page and other.title not in page
    assert client.get(f"/cases/{published.pk}/").status_code == 200


def test_the_public_list_shows_published_cases_only(client, personas, published, themes):
    draft_case(personas, themes, title="まだ下書きの事例")
    page = text(client.get("/cases/"))
    assert published.title in page and "まだ下書きの事例" not in page


# Search ---------------------------------------------------------------------------------------


@pytest.fixture
def volunteers(personas, themes):
    return publish(
        draft_case(personas, themes, title="ボランティア育成講座", summary="地域の担い手を育てる。",
                   background="", activities="", partners="", costs="", results="", lessons=""),
        personas,
    )  # fmt: skip


def titles(response) -> str:
    return text(response)


def test_halfwidth_katakana_finds_fullwidth(client, volunteers, published):
    page = text(client.get("/cases/", {"q": "ﾎﾞﾗﾝﾃｨｱ"}))
    assert "ボランティア育成講座" in page
    assert "子ども食堂をネットワークで始めた" in page  # its activities name ボランティア
    page = text(client.get("/cases/", {"q": "ぼらんてぃあ 育成"}))
    assert "ボランティア育成講座" in page and "子ども食堂をネットワーク" not in page


@pytest.mark.parametrize("query", ["食", "食堂", "送迎"])
def test_one_and_two_character_queries_work(client, volunteers, published, query):
    page = text(client.get("/cases/", {"q": query}))
    assert "子ども食堂をネットワークで始めた" in page
    assert "ボランティア育成講座" not in page


def test_a_query_of_symbols_only_gets_a_clear_message(client, published, english):
    response = client.get("/cases/", {"q": "！？・・・ ＠"})
    assert response.status_code == 200
    assert "検索する文字または数字を1文字以上入力してください" in text(response)
    assert 'id="search-error"' in text(response)


def test_filters_by_theme_municipality_and_year(client, personas, themes, published):
    from sasaeai.regions.models import Municipality

    kurashiki = Municipality.objects.get(code="332020")
    actions.update_case(
        case=published, by=personas.center, municipality=kurashiki, fiscal_year=2020,
        themes=[themes["T01"]], title=published.title, summary=published.summary,
    )  # fmt: skip
    hit = {"theme": themes["T01"].pk, "municipality": "332020", "year": "2020"}
    assert published.title in text(client.get("/cases/", hit))
    for miss in ({"theme": themes["T05"].pk}, {"municipality": "332038"}, {"year": "2019"}):
        assert published.title not in text(client.get("/cases/", miss))


def test_html_in_fields_is_rendered_inert(client, personas, themes):
    case = publish(
        draft_case(personas, themes, title="<script>alert(1)</script>食堂",
                   summary="<img src=x onerror=alert(1)>"),
        personas,
    )  # fmt: skip
    for url in ("/cases/", f"/cases/{case.pk}/"):
        page = text(client.get(url))
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;" in page
        assert "<img src=x" not in page


def test_the_list_is_paginated(client, personas, themes):
    for n in range(22):
        publish(draft_case(personas, themes, title=f"事例{n:02d}"), personas)
    first = text(client.get("/cases/"))
    assert "事例21" in first and "事例00" not in first and "page=2" in first
    second = text(client.get("/cases/", {"page": 2}))
    assert "事例00" in second and "事例01" in second and "page=3" not in second
    assert "事例21" in text(client.get("/cases/", {"page": "x"}))


def test_case_page_shows_every_section_and_the_meta_description(client, published):
    page = text(client.get(f"/cases/{published.pk}/"))
    for part in ("民生委員から", "ボランティアの学生", "津山市社会福祉協議会", "食材費は寄付",
                 "毎回30人", "送迎が課題", published.corporation.name, "津山市"):  # fmt: skip
        assert part in page


# Cache ----------------------------------------------------------------------------------------


def test_publishing_and_withdrawing_invalidate_the_cached_pages(client, personas, themes):
    case = draft_case(personas, themes, title="あとで公開する事例")
    assert "あとで公開する事例" not in text(client.get("/cases/"))
    assert client.get("/cases/").status_code == 200  # now stored
    publish(case, personas)
    assert "あとで公開する事例" in text(client.get("/cases/"))
    assert "あとで公開する事例" in text(client.get(f"/cases/{case.pk}/"))
    actions.update_case(
        case=case, by=personas.center, municipality=case.municipality, fiscal_year=2019,
        title="題を変えた事例", summary=case.summary,
    )  # fmt: skip
    assert "題を変えた事例" in text(client.get(f"/cases/{case.pk}/"))
    assert "題を変えた事例" in text(client.get("/cases/"))
    actions.withdraw_consent(case=case, by=personas.corp_staff)
    assert "題を変えた事例" not in text(client.get("/cases/"))
    assert client.get(f"/cases/{case.pk}/").status_code == 404


# Photos ---------------------------------------------------------------------------------------


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_jpg_that_is_a_text_file_is_refused(client, personas, draft, english):
    client.force_login(personas.corp_staff)
    response = client.post(
        f"/cases/manage/{draft.pk}/photos/new/",
        {"image": upload("photo.jpg", b"this is not an image\n" * 10), "alt_text": "調理の様子"},
    )
    assert response.status_code == 200
    assert "「photo.jpg」は JPEG、PNG、WebP 形式の画像ではありません" in text(response)
    assert not draft.photos.exists()


def test_a_photo_larger_than_5_mb_is_refused(personas, draft, english):
    from django.core.exceptions import ValidationError

    big = png_bytes() + b"\0" * (5 * 1024 * 1024)
    with pytest.raises(ValidationError) as refusal:
        actions.add_photo(case=draft, by=personas.corp_staff, upload=upload("big.png", big),
                          alt_text="大きな写真")  # fmt: skip
    assert refusal.value.code == "too_large"
    assert not draft.photos.exists()


def test_a_photo_needs_its_alternative_text(personas, draft):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refusal:
        actions.add_photo(case=draft, by=personas.corp_staff,
                          upload=upload("a.png", png_bytes()), alt_text="  ")  # fmt: skip
    assert refusal.value.code == "alt_text"


def test_photos_are_served_only_for_published_cases_with_photo_consent(client, personas, themes):
    case = draft_case(personas, themes)
    photo = actions.add_photo(case=case, by=personas.corp_staff,
                              upload=upload("a.png", png_bytes(), "image/png"),
                              alt_text="子どもたちが配膳する様子")  # fmt: skip
    url = f"/cases/{case.pk}/photos/{photo.pk}/"
    assert client.get(url).status_code == 404
    publish(case, personas)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert 'alt="子どもたちが配膳する様子"' in text(client.get(f"/cases/{case.pk}/"))
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 200  # published: public
    client.logout()
    actions.withdraw_consent(case=case, by=personas.center)
    assert client.get(url).status_code == 404


def test_a_consent_without_photos_keeps_them_private(client, personas, themes):
    case = draft_case(personas, themes)
    photo = actions.add_photo(
        case=case, by=personas.corp_staff, upload=upload("a.png", png_bytes()), alt_text="写真"
    )
    publish(case, personas, includes_photos=False)
    assert client.get(f"/cases/{case.pk}/photos/{photo.pk}/").status_code == 404
    assert f"/photos/{photo.pk}/" not in text(client.get(f"/cases/{case.pk}/"))
    client.force_login(personas.corp_staff)
    assert client.get(f"/cases/{case.pk}/photos/{photo.pk}/").status_code == 200


# Files ----------------------------------------------------------------------------------------


def test_the_yearly_casebook_pdf_holds_cover_contents_and_cases(client, personas, themes):
    case = draft_case(personas, themes)
    actions.add_photo(
        case=case, by=personas.corp_staff, upload=upload("a.png", png_bytes()), alt_text="写真"
    )
    publish(case, personas)
    publish(draft_case(personas, themes, title="フードドライブを商店街で"), personas)
    draft_case(personas, themes, title="下書きは載らない")
    response = client.get("/cases/casebook-2019.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    whole = "".join(pages).replace(" ", "").replace("\n", "")
    assert "事例集" in pages[0] and "令和元年度" in pages[0]
    assert "目次" in pages[1]
    for part in (
        "子ども食堂をネットワークで始めた",
        "フードドライブを商店街で",
        "きっかけ",
        "民生委員から",
    ):
        assert part in whole
    assert "きっかけ" in whole and "取組内容" in whole
    assert "下書きは載らない" not in whole
    assert len(reader.pages) >= 4
    assert any(page.images for page in reader.pages)
    assert client.get("/cases/casebook-2030.pdf").status_code == 404


def test_the_yearly_pdf_reads_a_fixed_number_of_queries_whatever_the_cases(
    client, personas, themes
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_pdf():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/cases/casebook-2019.pdf").status_code == 200
        return len(captured)

    publish(draft_case(personas, themes, title="一つ目の事例"), personas)
    one = queries_for_pdf()
    for title in ("二つ目の事例", "三つ目の事例", "四つ目の事例"):
        publish(draft_case(personas, themes, title=title), personas)
    assert queries_for_pdf() == one


def test_open_data_csv_has_japanese_headers_with_bom(client, published, personas, themes):
    draft_case(personas, themes, title="下書きは出さない")
    response = client.get("/cases/open-data/cases.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["事例ID", "タイトル", "概要", "きっかけ"]
    assert "実施主体" in rows[0] and "市区町村コード" in rows[0] and "年度" in rows[0]
    assert len(rows) == 2 and rows[1][1] == published.title
    assert rows[1][rows[0].index("URL")].endswith(f"/cases/{published.pk}/")


def test_staff_export_holds_the_listed_cases(client, personas, published, themes):
    from openpyxl import load_workbook

    draft_case(personas, themes, title="下書きの事例")
    client.force_login(personas.center)
    response = client.get("/cases/manage/export.xlsx", {"status": "draft"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert values == ["タイトル", "下書きの事例"]


# Staff pages ----------------------------------------------------------------------------------


def test_corporation_staff_draft_submit_and_consent_online(client, personas, themes):
    client.force_login(personas.corp_staff)
    response = client.post("/cases/manage/new/", {
        "corporation": personas.own_corporation.pk, "municipality": "332038",
        "fiscal_year": "R1", "title": "認知症カフェ", "summary": "月1回のカフェ",
        "themes": [themes["T05"].pk],
    })  # fmt: skip
    case = Case.objects.get(title="認知症カフェ")
    assert response.status_code == 302 and case.fiscal_year == 2019
    client.post(f"/cases/manage/{case.pk}/submit/")
    client.post(f"/cases/manage/{case.pk}/consent/",
                {"method": "online", "agree": "on", "consented_by": "事務局長 山田花子",
                 "includes_photos": "on"})  # fmt: skip
    case.refresh_from_db()
    assert case.status == "submitted" and case.current_consent().method == "online"
    assert client.post(f"/cases/manage/{case.pk}/publish/").status_code == 404
    client.force_login(personas.center)
    client.post(f"/cases/manage/{case.pk}/publish/")
    case.refresh_from_db()
    assert case.status == "published"


def test_publish_without_consent_shows_the_refusal(client, personas, draft, english):
    actions.submit_case(case=draft, by=personas.corp_staff)
    client.force_login(personas.center)
    response = client.post(f"/cases/manage/{draft.pk}/publish/", follow=True)
    assert "公開への同意が記録されていないため" in text(response)
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_lists_take_a_fixed_number_of_queries(
    client, personas, themes, django_assert_max_num_queries
):
    for n in range(5):
        publish(draft_case(personas, themes, title=f"事例{n}"), personas)
    with django_assert_max_num_queries(12):
        client.get("/cases/")
    client.force_login(personas.center)
    with django_assert_max_num_queries(14):
        client.get("/cases/manage/")


def test_a_short_term_is_found_beyond_the_newest_cases(client, personas, themes, monkeypatch):
    from sasaeai.casebook import search

    monkeypatch.setattr(search, "WINDOW", 2)
    publish(draft_case(personas, themes, title="港のそばの居場所", lessons="港"), personas)
    for n in range(3):
        publish(draft_case(personas, themes, title=f"新しい事例{n}"), personas)
    page = text(client.get("/cases/", {"q": "港"}))
    assert "港のそばの居場所" in page and "新しい事例" not in page
    page = text(client.get("/cases/", {"q": "食"}))  # in every case: the newest come first
    assert "新しい事例2" in page and "港のそばの居場所" in page


def test_a_city_filter_includes_its_wards(client, personas, themes):
    from sasaeai.regions.models import Municipality

    ward = Municipality.objects.filter(parent_id="331007").first()
    case = publish(draft_case(personas, themes, title="北区の居場所"), personas)
    actions.update_case(
        case=case, by=personas.center, municipality=ward, fiscal_year=2019,
        title=case.title, summary=case.summary,
    )  # fmt: skip
    assert "北区の居場所" in text(client.get("/cases/", {"municipality": "331007"}))
    assert "北区の居場所" not in text(client.get("/cases/", {"municipality": "332038"}))
