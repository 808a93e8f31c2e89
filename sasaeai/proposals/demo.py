"""Pillar VI demo data: a proposal to 岡山県 citing the 子どもの居場所部会's finding and the
model project, submitted, answered and published (fictitious wording, marked デモ). Load
``sasaeai.projects.demo`` first; loading again changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction

from sasaeai.projects.demo import CHILDREN, FINDING
from sasaeai.projects.models import Finding, ModelProject, Theme

from . import actions
from .models import Addressee, Proposal

TITLE = "子どもの学びと居場所を地域で支える仕組みへの支援について（提言・デモ）"


@transaction.atomic
def load(prefecture: str = "33", corporations=None, networks=None, by=None) -> str:
    if Proposal.objects.in_prefecture(prefecture).filter(title=TITLE).exists():
        return "提言: 作成済み"
    finding = Finding.objects.filter(committee__prefecture_id=prefecture, title=FINDING).first()
    project = ModelProject.objects.in_prefecture(prefecture).filter(title=CHILDREN).first()
    if finding is None or project is None:
        return "提言: モデル事業のデモが未作成"
    proposal = actions.create_proposal(
        prefecture=prefecture,
        title=TITLE,
        addressee_kind=Addressee.PREFECTURE,
        addressee="岡山県知事",
        themes=Theme.objects.in_prefecture(prefecture).filter(code__in=["T05", "T09"]),
        text=(
            "子どもの居場所部会の検討とモデル事業の成果から、次の3点を提言します（デモ）。\n"
            "1. 社会福祉施設の空き時間を活用した学習支援の場への送迎費用の助成\n"
            "2. 学習支援の担い手（地域住民・学生）の研修への支援\n"
            "3. 市町村域の社会福祉法人ネットワークと学校・教育委員会の連携の場づくり"
        ),
        by=by,
    )
    actions.add_evidence(
        proposal=proposal, finding=finding, note="部会での検討（平成31年2月）", by=by
    )
    actions.add_evidence(
        proposal=proposal, model_project=project, note="3か所での2年間の実践", by=by
    )
    actions.submit(proposal=proposal, submitted_on=datetime.date(2020, 7, 20), by=by)
    actions.record_answer(
        proposal=proposal,
        answer=(
            "ご提言の趣旨を踏まえ、令和3年度から学習支援の担い手研修を県の事業として"
            "実施する方向で検討します（架空の回答・デモ）。"
        ),
        answered_on=datetime.date(2020, 9, 30),
        by=by,
    )
    actions.publish(proposal=proposal, published_on=datetime.date(2020, 10, 15), by=by)
    return "提言: 1件（提出・回答・公開済み）"
