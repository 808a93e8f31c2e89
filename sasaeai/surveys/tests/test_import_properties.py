"""Property tests of the paper and Excel answer import: whatever respondents, answers and
encoding a sheet holds, it is written whole or refused with row errors in Japanese and
nothing written; importing a written sheet again changes nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import event, given
from hypothesis import strategies as st

from sasaeai.core.tabular import TableError
from sasaeai.surveys import actions, definition, paper
from sasaeai.surveys.models import Answer, Response
from sasaeai.testing.tables import (
    FORMATS,
    IMPORT_SETTINGS,
    assert_row_errors_in_japanese,
    fingerprint,
    suffix,
    table_bytes,
    texts,
    undecodable,
)

from .test_paper import DEFINITION, HEADERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(personas):
    survey = definition.import_definition(DEFINITION, prefecture="33")
    return actions.create_round(
        survey=survey,
        title="令和元年度 実施状況調査",
        target_kind="corporations",
        deadline=timezone.now() + timedelta(days=30),
    )


def answers():
    return fingerprint(Response.objects.all(), Answer.objects.all())


def pick(draw, clean, valid, invalid):
    return draw(st.sampled_from(valid if clean else [*valid, *invalid]))


@st.composite
def answer_rows(draw, invitations, clean=False):
    """A respondent by 招待コード or 法人番号 (right, unknown or not a number) and answers that
    are labels, codes, full-width digits or nonsense; ``clean`` rows can all be read."""
    invitation = draw(st.sampled_from(invitations))
    by = pick(draw, clean, ["token", "number"], ["unknown-token", "not-a-number"])
    token, number = {
        "token": (invitation.token, ""),
        "number": ("", invitation.corporation.corporate_number),
        "unknown-token": ("ZZZZZZZZ", ""),
        "not-a-number": ("", "12345"),
    }[by]
    cells = {
        "法人番号": number,
        "招待コード": token,
        "名称": invitation.name,
        "市町村": "",
        "q1": pick(draw, clean, ["している", "yes", "していない"], ["", "たぶん"]),
        "q2": pick(draw, clean, ["", "高齢者", "子ども", "高齢者、子ども"], ["宇宙人"]),
        "q2__other": "" if clean else draw(st.one_of(st.just(""), texts)),
        "q3": pick(draw, clean, ["", "10", "１０"], ["-5", "多数"]),
        "q4__r1": pick(draw, clean, ["", "十分", "不十分", "good"], ["まあまあ"]),
        "q4__r2": draw(st.sampled_from(["", "十分", "不十分"])),
    }
    return [cells[header] for header in HEADERS]


def _plan(round_, fmt, data):
    return paper.plan_answers(io.BytesIO(data), round_=round_, filename=f"回答.{suffix(fmt)}")


@IMPORT_SETTINGS
@given(data=st.data(), fmt=st.sampled_from(FORMATS))
def test_an_answer_sheet_is_written_whole_or_not_at_all(round_, data, fmt):
    invitations = list(round_.invitations.select_related("corporation").order_by("pk"))
    clean = data.draw(st.booleans())
    rows = data.draw(
        st.lists(
            answer_rows(invitations, clean),
            min_size=1,
            max_size=5,
            unique_by=(lambda row: row[2]) if clean else None,  # one row per respondent
        )
    )
    sheet = table_bytes(fmt, HEADERS, rows)
    with transaction.atomic():
        before = answers()
        plan = _plan(round_, fmt, sheet)
        if not plan.ok:
            with pytest.raises(paper.AnswersImportRefused):
                paper.apply_answers(plan)
            assert answers() == before, "a refused sheet wrote something"
            assert_row_errors_in_japanese(plan.errors)
            event("refused")
        else:
            written = paper.apply_answers(plan)
            assert written == len(plan.rows)
            for invitation, _ in plan.rows:
                assert Response.objects.filter(
                    invitation=invitation, submitted_at__isnull=False
                ).exists()
            event("committed")
            after = answers()
            again = _plan(round_, fmt, sheet)
            assert again.ok and not again.rows, [str(e) for e in again.errors]
            paper.apply_answers(again)
            assert answers() == after
        transaction.set_rollback(True)


def test_undecodable_bytes_are_refused_in_japanese_and_write_nothing(round_):
    before = answers()
    with pytest.raises(TableError) as refusal:
        paper.plan_answers(io.BytesIO(undecodable(HEADERS)), round_=round_, filename="x.csv")
    assert answers() == before
    assert any("\u3040" <= c <= "\u9fff" for c in str(refusal.value))
