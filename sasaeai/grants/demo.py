"""Demo grants: the seed's two programs with budgets, their calls of FY2018 and FY2019 with
awards, payments and reports, and one call open today so that a visitor can apply.

Everything goes through ``actions`` on the dates it would have happened, so the demo obeys the
same rules as a person would. Loading twice changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from sasaeai.core.dates import fiscal_year, fiscal_year_label

from . import actions
from .models import Application, GrantCall, GrantReport
from .starting import load_starting_programs

BUDGETS = {
    "model-rd": {2018: 2_400_000, 2019: 4_800_000, 2020: 2_400_000},
    "network-formation": {year: 1_500_000 for year in range(2018, 2023)},
}


def _line(year: int, category: str, amount: int, description: str = "") -> dict:
    return {"fiscal_year": year, "category": category, "amount": amount, "description": description}


def _apply_and_award(call, *, on, decided_on, amounts, title, plan, by, **applicant):
    lines = []
    for year, amount in amounts.items():
        lines.append(_line(year, "謝金", amount // 4, "講師・協力者謝金"))
        lines.append(
            _line(year, "需用費（消耗品費・印刷製本費）", amount - amount // 4, "教材・手引書印刷")
        )
    application = actions.create_application(
        call=call, title=title, plan=plan, lines=lines, on=on, by=by, **applicant
    )
    actions.submit_application(application=application, on=on)
    return application, actions.decide(
        application=application, amounts=amounts, decided_on=decided_on, by=by
    )


def _pay_and_report(decision, *, spent_share: float = 1.0) -> None:
    for year in decision.years.all():
        start = datetime.date(year.fiscal_year, 7, 1)
        actions.record_payment(
            decision=decision,
            fiscal_year=year.fiscal_year,
            kind="advance",
            amount=year.amount,
            paid_on=start,
        )
        report = decision.reports.get(kind=GrantReport.Kind.FINAL, fiscal_year=year.fiscal_year)
        actions.submit_report(
            report=report,
            text=f"{fiscal_year_label(year.fiscal_year)}の取組実績（デモ）",
            spent=int(year.amount * spent_share),
            submitted_on=report.due_on - datetime.timedelta(days=10),
        )


@transaction.atomic
def ensure_demo_grants(prefecture: str, *, corporations: dict, center_user) -> str:
    from sasaeai.networks.models import MunicipalNetwork
    from sasaeai.projects.models import Theme

    programs = {p.code: p for p in load_starting_programs(prefecture)}
    for code, budgets in BUDGETS.items():
        for year, amount in budgets.items():
            if not programs[code].budgets.filter(fiscal_year=year).exists():
                actions.set_budget(program=programs[code], fiscal_year=year, amount=amount)

    themes = {t.code: t for t in Theme.objects.in_prefecture(prefecture)}
    model, formation = programs["model-rd"], programs["network-formation"]
    created = 0
    networks = {n.name: n for n in MunicipalNetwork.objects.in_prefecture(prefecture)}

    def network(prefix: str):
        return next((n for name, n in networks.items() if name.startswith(prefix)), None)

    if not GrantCall.objects.filter(program=model, fiscal_year=2018).exists() and "T05" in themes:
        call = actions.open_call(
            program=model,
            fiscal_year=2018,
            title="平成30年度 制度の狭間の課題解決プロジェクト（モデル事業）募集",
            opens_on=datetime.date(2018, 5, 1),
            closes_on=datetime.date(2018, 6, 15),
            themes=[themes["T05"]],
            description="テーマ「子どもの居場所（学びの支援）の仕組みづくり」。1テーマにつき3ヶ所。",
        )
        sites = [{"corporation": corporations["own"]}]
        sites += [{"network": n} for n in (network("津山市"), network("総社市")) if n]
        for site in sites:
            _application, decision = _apply_and_award(
                call,
                on=datetime.date(2018, 6, 1),
                decided_on=datetime.date(2018, 7, 10),
                amounts={2018: 200_000, 2019: 200_000},
                title="子どもの居場所（学びの支援）の仕組みづくり",
                plan="社会福祉施設と地域が連携した、子どもの育ちの支援の仕組みを研究・開発する（デモ）。",
                by=center_user,
                theme=themes["T05"],
                **site,
            )
            _pay_and_report(decision, spent_share=0.95)
            created += 1
        call = actions.open_call(
            program=formation,
            fiscal_year=2018,
            title="平成30年度 市町村域ネットワークづくり助成 募集",
            opens_on=datetime.date(2018, 5, 1),
            closes_on=datetime.date(2018, 9, 30),
        )
        for n in (network("赤磐市"), network("真庭")):
            if n is None:
                continue
            _application, decision = _apply_and_award(
                call,
                on=datetime.date(2018, 9, 1),
                decided_on=datetime.date(2018, 10, 1),
                amounts={2018: 100_000, 2019: 100_000},
                title="ネットワーク設立当初の運営・事業費",
                plan="設立当初の連絡会運営、研修会の開催（デモ）。",
                by=center_user,
                network=n,
            )
            _pay_and_report(decision)
            created += 1

    if not GrantCall.objects.filter(program=model, fiscal_year=2019).exists() and "T04" in themes:
        call = actions.open_call(
            program=model,
            fiscal_year=2019,
            title="令和元年度 制度の狭間の課題解決プロジェクト（モデル事業）募集",
            opens_on=datetime.date(2019, 5, 7),
            closes_on=datetime.date(2019, 6, 28),
            themes=[themes["T04"]],
            description="テーマ「働きづらさを抱える方のための働く場づくり（就労体験・就労訓練）」。",
        )
        _application, decision = (
            _apply_and_award(
                call,
                on=datetime.date(2019, 6, 20),
                decided_on=datetime.date(2019, 7, 25),
                amounts={2019: 150_000, 2020: 250_000},
                title="働きづらさを抱える方のための働く場づくり",
                plan="相談支援機関等と連携して、就労体験・就労訓練の場を提供する仕組みを作る（デモ）。",
                by=center_user,
                theme=themes["T04"],
                corporation=corporations["third"],
            )
            if _is_member(corporations["third"])
            else (None, None)
        )
        if decision is not None:
            _pay_and_report(decision, spent_share=0.9)
            created += 1

    today = timezone.localdate()
    current = fiscal_year(today)
    if not GrantCall.objects.filter(program=model, fiscal_year=current).exists():
        actions.open_call(
            program=model,
            fiscal_year=current,
            title=f"{fiscal_year_label(current, style='wareki')} モデル事業 募集（デモ）",
            opens_on=today - datetime.timedelta(days=7),
            closes_on=today + datetime.timedelta(days=60),
            themes=[themes[code] for code in ("T01", "T05", "T11") if code in themes],
            description="デモの募集です。法人職員（corp-staff）でログインして申請できます。",
        )
    awarded = Application.objects.filter(call__program__prefecture_id=prefecture, status="awarded")
    return f"助成: 交付決定 新規 {created} 計 {awarded.count()}"


def _is_member(corporation) -> bool:
    from sasaeai.members.models import Corporation

    return (
        Corporation.objects.members_on(datetime.date(2019, 6, 20))
        .filter(pk=corporation.pk)
        .exists()
    )
