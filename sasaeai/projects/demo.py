"""Pillar II demo data for Okayama, from the seed: the 12 themes, two model projects with their
status history and sites, three leading projects with partners and yearly results, and the
子どもの居場所部会 with members, two meetings and a finding. Figures and people are
fictitious (架空, marked デモ). Loading again changes nothing: every record is looked up by
its title first."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from . import actions
from .models import Committee, LeadingProject, ModelProject, PartnerKind, Theme

D = datetime.date

CHILDREN = "子どもの居場所（学びの支援）の仕組みづくり"
WORK = "働きづらさを抱える方のための働く場づくり（就労体験・就労訓練）"
COMMITTEE = "子どもの居場所部会"
FINDING = "学習支援の場は施設の空き時間と地域の担い手で広げられる"

# (theme, title, description, [(kind, name, role)], {fy: (activities, results, times, people)})
LEADING = [
    (
        "T07",
        "緊急一時支援（フードバンク、生活用品）プロジェクト",
        "地縁組織や社協、関係団体等と連携し、フードドライブで集めた食品や生活用品を"
        "ストックヤードで管理して、生活に困っている方へ緊急に届ける仕組み（デモ）。",
        [
            (PartnerKind.COUNCIL, "岡山市社会福祉協議会（架空の役割）", "ストックヤードの運営"),
            (PartnerKind.NEIGHBOURHOOD, "デモ町内会連合会（架空）", "フードドライブの呼びかけ"),
            (PartnerKind.OTHER, "デモフードバンクおかやま（架空）", "食品の受け入れ"),
        ],
        {
            2018: ("フードドライブ 6回、ストックヤード 1か所開設（デモ）", "", 6, 140),
            2019: ("フードドライブ 10回、ストックヤード 3か所（デモ）", "", 10, 320),
        },
    ),
    (
        "T09",
        "子ども食堂（共生型）プロジェクト",
        "社会福祉施設の食堂を地域に開き、子どもから高齢者までが集う共生型の子ども食堂を"
        "地域ぐるみで運営する（デモ）。",
        [
            (PartnerKind.CORPORATION, "社会福祉法人ささえ愛デモ福祉会（架空）", "会場と調理"),
            (PartnerKind.NEIGHBOURHOOD, "デモ地区民生委員児童委員協議会（架空）", "見守り"),
        ],
        {
            2018: ("施設食堂で月1回開催（デモ）", "延べ参加者の半数が地域の高齢者", 8, 260),
            2019: ("2施設に拡大、月2回開催（デモ）", "学習支援と組み合わせた回を試行", 22, 710),
        },
    ),
    (
        "T01",
        "地域の居場所プロジェクト",
        "法人の空きスペースを地域の居場所として開放し、地域住民が運営に参加する（デモ）。",
        [
            (PartnerKind.COUNCIL, "津山市社会福祉協議会（架空の役割）", "担い手の募集"),
            (PartnerKind.CORPORATION, "社会福祉法人きびデモ保育会（架空）", "場所の提供"),
        ],
        {
            2018: ("居場所 2か所で試行（デモ）", "", 40, 480),
            2019: ("居場所 5か所に拡大（デモ）", "住民ボランティア 18名が運営に参加", 96, 1350),
        },
    ),
]


def _as_list(items) -> list:
    if items is None:
        return []
    if isinstance(items, dict):
        return list(items.values())
    return list(items)


def _designate(project, holders, on: datetime.date) -> int:
    created = 0
    for holder in holders:
        if project.sites.count() >= project.max_sites:
            break
        kind = "network" if holder.__class__.__name__ == "MunicipalNetwork" else "corporation"
        try:
            actions.designate_site(project=project, designated_on=on, **{kind: holder})
        except ValidationError:
            continue  # not a member on that date, or already a site: the next one
        created += 1
    return created


def _model_projects(prefecture, themes, corporations, networks) -> int:
    created = 0
    if not ModelProject.objects.in_prefecture(prefecture).filter(title=CHILDREN).exists():
        project = actions.create_model_project(
            prefecture=prefecture,
            theme=themes["T05"],
            title=CHILDREN,
            first_fiscal_year=2018,
            last_fiscal_year=2019,
            planned_on=D(2018, 4, 1),
            goals="社会福祉施設と地域が連携し、子どもの学びと居場所を支える仕組みをつくる（デモ）。",
            outcomes="手引書「施設でひらく学びの居場所」（デモ）と展開支援講座の教材。",
        )
        for status, on, note in (
            ("running", D(2018, 6, 1), "3か所を指定して開始"),
            ("evaluated", D(2020, 3, 31), "2年間の評価"),
            ("shared", D(2020, 6, 30), "手引書を公開"),
        ):
            actions.set_status(project=project, status=status, effective_on=on, note=note)
        _designate(project, [*corporations, *networks], D(2018, 7, 10))
        for year, text in (
            (2018, "学習支援 週1回、延べ参加 420人（デモ）。"),
            (2019, "3か所で週2回に拡大、延べ参加 960人（デモ）。"),
        ):
            actions.add_progress_report(
                project=project, fiscal_year=year, reported_on=D(year + 1, 3, 31), text=text
            )
        created += 1
    if not ModelProject.objects.in_prefecture(prefecture).filter(title=WORK).exists():
        project = actions.create_model_project(
            prefecture=prefecture,
            theme=themes["T04"],
            title=WORK,
            first_fiscal_year=2019,
            last_fiscal_year=2020,
            planned_on=D(2019, 4, 1),
            goals="法人の事業所で就労体験・就労訓練の場を開拓する（デモ）。",
        )
        actions.set_status(project=project, status="running", effective_on=D(2019, 7, 1))
        _designate(project, corporations[:2], D(2019, 7, 1))
        created += 1
    return created


def _leading_projects(prefecture, themes) -> int:
    created = 0
    for code, title, description, partners, years in LEADING:
        if LeadingProject.objects.in_prefecture(prefecture).filter(title=title).exists():
            continue
        project = actions.save_leading_project(
            prefecture=prefecture,
            theme=themes[code],
            title=title,
            description=description,
            first_fiscal_year=2018,
            last_fiscal_year=2019,
        )
        for kind, name, role in partners:
            actions.add_partner(
                project=project, kind=kind, name=name, role=role, joined_on=D(2018, 4, 1)
            )
        for year, (activities, results, times, people) in years.items():
            actions.record_leading_year(
                project=project,
                fiscal_year=year,
                activities=activities,
                results=results,
                times_held=times,
                people_reached=people,
            )
        created += 1
    return created


def _committee(prefecture, themes) -> int:
    if Committee.objects.in_prefecture(prefecture).filter(name=COMMITTEE).exists():
        return 0
    committee = actions.save_committee(
        prefecture=prefecture,
        name=COMMITTEE,
        theme=themes["T05"],
        purpose="子どもの居場所・学習支援の課題を検討し、モデル事業と提言につなげる（デモ）。",
        formed_on=D(2018, 5, 1),
    )
    people = [
        ("部会 一郎（架空）", "デモ大学 社会福祉学部", "chair"),
        ("施設 花子（架空）", "社会福祉法人ささえ愛デモ福祉会（架空）", "member"),
        ("地域 太郎（架空）", "デモ地区民生委員児童委員協議会", "member"),
        ("事務局 愛（架空）", "岡山ささえ愛センター", "secretariat"),
    ]
    members = [
        actions.add_committee_member(
            committee=committee, name=name, organisation=org, role=role, joined_on=D(2018, 5, 1)
        )
        for name, org, role in people
    ]
    first = actions.record_meeting(
        committee=committee,
        held_on=D(2018, 6, 20),
        venue="岡山県総合福祉会館",
        agenda="部会の進め方、県内の学習支援の現状",
        minutes="各地の学習支援の担い手不足が共有された（デモ）。",
        attendees=members,
    )
    actions.record_meeting(
        committee=committee,
        held_on=D(2019, 2, 14),
        venue="岡山県総合福祉会館",
        agenda="モデル事業の中間報告、提言の方向",
        minutes="施設の空き時間の活用が有効との意見が多かった（デモ）。",
        attendees=members[:3],
    )
    actions.add_finding(
        committee=committee,
        meeting=first,
        title=FINDING,
        text=(
            "モデル事業の3か所では、施設の空き時間と地域の担い手を組み合わせることで、"
            "追加の費用をほとんどかけずに学習支援の場を週1〜2回開くことができた。"
            "一方、送迎と担い手の研修には公的な支えが要る（デモ）。"
        ),
        found_on=D(2019, 2, 14),
    )
    return 1


@transaction.atomic
def load(
    prefecture: str = "33",
    corporations: Iterable | dict | None = None,
    networks: Iterable | None = None,
) -> str:
    """Load the demo of Pillar II. ``corporations`` (a list, or the demo's dict of key →
    corporation) and ``networks`` are the candidates for the model projects' sites, in order;
    those that are not members of the center on the date are skipped. Without ``networks``,
    the 津山市 and 総社市 networks are used when they exist."""
    from sasaeai.networks.models import MunicipalNetwork

    themes_added = actions.load_starting_themes(prefecture)
    themes = {t.code: t for t in Theme.objects.in_prefecture(prefecture)}
    corporations = _as_list(corporations)
    if networks is None:
        networks = [
            n
            for prefix in ("津山市", "総社市")
            for n in MunicipalNetwork.objects.in_prefecture(prefecture)
            .filter(name__startswith=prefix)
            .order_by("pk")[:1]
        ]
    models = _model_projects(prefecture, themes, corporations, _as_list(networks))
    leading = _leading_projects(prefecture, themes)
    committees = _committee(prefecture, themes)
    return (
        f"モデル事業: テーマ 新規 {themes_added} / モデル事業 新規 {models}"
        f" / リーディング事業 新規 {leading} / 部会 新規 {committees}"
    )
