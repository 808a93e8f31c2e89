"""Fictitious yearly rounds FY2018–FY2022 to Okayama's corporations, marked as demo, with a
「している」 share that grows year by year (the plan's visibility target is 70 % by the end of
FY H31). The definition is ``data/corporation-annual-2018.json``, copied each year with the
same codes, as staff would."""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from . import actions, definition
from .models import Answer, Response, Round, Survey

DEFINITION = Path(__file__).resolve().parent / "data" / "corporation-annual-2018.json"
# Fiscal year → (share answering, share of answers 「している」)
YEARS = {2018: (0.62, 0.46), 2019: (0.71, 0.58), 2020: (0.74, 0.66), 2021: (0.78, 0.71),
         2022: (0.8, 0.75)}  # fmt: skip
WHAT = ["kodomo", "food", "cafe", "other"]


@transaction.atomic
def ensure_demo_surveys(prefecture: str) -> str:
    if Round.objects.filter(survey__prefecture_id=prefecture, is_demo=True).exists():
        return "アンケート: 作成済み"
    rng = random.Random(28)  # noqa: S311 - fictitious demo data, not security
    survey = Survey.objects.filter(
        prefecture_id=prefecture, code="corporation-annual", fiscal_year=2018
    ).first() or definition.import_definition(
        json.loads(DEFINITION.read_text(encoding="utf-8")), prefecture=prefecture
    )
    responses = 0
    for year, (answering, doing) in YEARS.items():
        if survey.fiscal_year != year:
            survey = Survey.objects.filter(
                prefecture_id=prefecture, code=survey.code, fiscal_year=year
            ).first() or definition.copy_to_next_year(survey)
        deadline = timezone.make_aware(datetime.datetime(year, 7, 31, 23, 59))
        round_ = actions.create_round(
            survey=survey,
            title=f"{year}年度 地域における公益的な取組に関する調査（デモ）",
            target_kind="corporations",
            deadline=deadline,
            kpi_question=survey.questions.get(code="doing"),
            kpi_choices=["yes"],
            is_demo=True,
        )
        responses += _answer(round_, survey, answering, doing, rng)
        if deadline < timezone.now():
            actions.close_round(round_=round_)
    return f"アンケート: 5年度分 回答 {responses} 件（デモ）"


def _answer(round_, survey, answering: float, doing: float, rng: random.Random) -> int:
    questions = {q.code: q for q in survey.questions.all()}
    choices = {(c.question.code, c.code): c for q in questions.values() for c in q.choices.all()}
    submitted = round_.deadline - datetime.timedelta(days=10)
    made = []
    answers = []
    for invitation in round_.invitations.all():
        if rng.random() > answering:
            continue
        response = Response(
            invitation=invitation,
            round=round_,
            municipality_id=invitation.municipality_id,
            submitted_at=submitted,
        )
        made.append(response)
        state = "yes" if rng.random() < doing else rng.choice(["planned", "no", "no"])
        picks = [("doing", state)]
        if state == "yes":
            picks += [("what", code) for code in rng.sample(WHAT, rng.randint(1, 2))]
        answers.append((response, picks, rng.randint(1, 5), rng.randint(0, 12)))
    Response.objects.bulk_create(made)
    rows = []
    for response, picks, score, staff in answers:
        for code, choice in picks:
            text = "買い物支援" if choice == "other" else ""
            rows.append(
                Answer(
                    response=response,
                    municipality_id=response.municipality_id,
                    question=questions[code],
                    choice=choices[(code, choice)],
                    text=text,
                )
            )
        rows.append(
            Answer(
                response=response,
                municipality_id=response.municipality_id,
                question=questions["satisfaction"],
                number=score,
            )
        )
        rows.append(
            Answer(
                response=response,
                municipality_id=response.municipality_id,
                question=questions["staff"],
                number=staff,
            )
        )
    Answer.objects.bulk_create(rows, batch_size=2000)
    return len(made)
