"""The letters of a decision: 交付決定通知書 with its number, 和暦 date, addressee, program and
awarded amounts per 年度; 不交付決定通知書 with its reason; IPAex fonts, no request made."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from sasaeai.grants import actions, documents

from .conftest import DECIDE_ON, submitted

pytestmark = pytest.mark.django_db


def read(data: bytes) -> tuple[str, set[str]]:
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return text, fonts


def test_the_award_letter_holds_what_was_decided(grants):
    corporation = grants.personas.own_corporation
    corporation.representative = "津山 一郎"
    corporation.save()
    application = submitted(
        grants.call,
        corporation=corporation,
        theme=grants.theme,
        amounts=((2019, 200_000), (2020, 150_000)),
    )
    decision = actions.decide(
        application=application,
        amounts={2019: 200_000, 2020: 150_000},
        decided_on=DECIDE_ON,
        number="岡ささ第12号",
        conditions="事業終了後30日以内に実績報告書を提出すること。",
    )
    text, fonts = read(documents.decision_letter_pdf(decision))
    assert "交付決定通知書" in text and "不交付" not in text
    assert "岡ささ第12号" in text
    assert "令和元年6月20日" in text
    assert corporation.name in text and "津山一郎様" in text
    assert "モデル事業研究・開発助成" in text and "就労準備支援" in text
    assert "令和元年度200,000円" in text and "令和2年度150,000円" in text
    assert "合計350,000円" in text
    assert "事業終了後30日以内に実績報告書を提出すること。" in text
    assert "岡山県地域公益活動推進センター" in text
    assert fonts and all("IPAex" in name for name in fonts), fonts


def test_the_refusal_letter_gives_the_reason(grants):
    application = submitted(grants.network_call, network=grants.network, amounts=((2019, 100_000),))
    decision = actions.decline(
        application=application, reason="事業計画の具体性が不足しているため", decided_on=DECIDE_ON
    )
    text, _fonts = read(documents.decision_letter_pdf(decision))
    assert "不交付決定通知書" in text
    assert grants.network.name in text
    assert "事業計画の具体性が不足しているため" in text
    assert "令和元年6月20日" in text
    assert "円" not in text
