"""Casebook demo data for ``sasaeai demo``: three illustrative cases of Okayama's fictitious
demo corporations (a 子ども食堂 begun with the municipal network, a course for volunteers, a
food drive), each submitted, consented on a paper form and published. The wording is made up
for the demo and says so (デモ). Loading again changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction

from sasaeai.core.dates import end_of_day, fiscal_year_range
from sasaeai.core.versions import bump
from sasaeai.projects.models import Theme
from sasaeai.regions.models import Municipality

from . import actions
from .models import Case

D = datetime.date

CASES = (
    {
        "owner": "own",
        "municipality": "332038",  # 津山市
        "fiscal_year": 2019,
        "themes": ("T09", "T05"),
        "title": "法人ネットワークで始めた子ども食堂（デモ）",
        "summary": "市内の社会福祉法人の連絡会で話し合い、施設の食堂を使って月2回の"
        "子ども食堂を始めた。学習支援も併せて行っている。（架空の事例）",
        "background": "連絡会の勉強会で、民生委員から「夕食をひとりで食べる子どもがいる」と"
        "聞いたことがきっかけ。1法人では難しかったが、連絡会の3法人で分担することにした。",
        "activities": "第2・第4土曜日の夕方に、特別養護老人ホームの地域交流スペースで開催。"
        "調理は法人職員と大学生ボランティア、食材は地元の農家と生協からの寄付。"
        "食後は学生による宿題の見守りを行う。",
        "partners": "市社会福祉協議会（連絡会事務局）、民生委員・児童委員、地元の大学、"
        "農家、生活協同組合",
        "costs": "1回あたり約2万円。食材の多くは寄付。消耗品と保険料は3法人で按分し、"
        "初年度はセンターのモデル事業助成を活用した。",
        "results": "1回平均25人の子どもと10人の保護者が参加。学校や民生委員から気になる家庭の"
        "相談がつながるようになった。",
        "lessons": "送迎と、アレルギーへの対応が課題。参加者名簿は作らず、安心して来られる場に"
        "することを大切にした。",
    },
    {
        "owner": "third",
        "municipality": "331007",  # 岡山市
        "fiscal_year": 2019,
        "themes": ("T01",),
        "title": "地域の担い手を育てるボランティア育成講座（デモ）",
        "summary": "保育園を運営する法人が、子育てを終えた世代や学生を対象に全5回の"
        "ボランティア育成講座を開き、修了者が地域の居場所の担い手になった。（架空の事例）",
        "background": "地域のサロンの担い手が高齢化し、続けられないという声が町内会から"
        "寄せられた。",
        "activities": "保育・傾聴・応急手当・地域の福祉制度・実習の全5回。講師は法人の保育士と"
        "看護師、社会福祉協議会のボランティアセンター職員。",
        "partners": "社会福祉協議会ボランティアセンター、町内会、公民館",
        "costs": "会場は公民館（無料）、教材費は法人負担で約5万円。",
        "results": "修了者18人のうち11人が、サロンや子ども食堂のボランティアとして活動を始めた。",
        "lessons": "平日の昼と土曜日の2コースにしたことで、働く世代も参加できた。",
    },
    {
        "owner": "other",
        "municipality": "332020",  # 倉敷市
        "fiscal_year": 2020,
        "themes": ("T07",),
        "title": "商店街と取り組むフードドライブ（デモ）",
        "summary": "家庭で余っている食品を商店街の店先で集め、法人のストックヤードから"
        "緊急に食料が必要な世帯へ届けている。（架空の事例）",
        "background": "生活困窮の相談で、その日の食料に困っている世帯への緊急支援の手段が"
        "なかった。",
        "activities": "商店街の5店舗に回収箱を置き、月1回法人の車で回収。賞味期限を確認して"
        "ストックヤードで管理し、社会福祉協議会の相談窓口からの依頼で届ける。",
        "partners": "商店街振興組合、社会福祉協議会（生活困窮者自立相談支援）、フードバンク",
        "costs": "回収箱と保管棚で約3万円（法人負担）。運搬は法人の既存の車両を使用。",
        "results": "1年間で約800kgの食品が集まり、延べ120世帯に届けた。",
        "lessons": "賞味期限の管理表を共有し、期限の近い食品は子ども食堂に回している。",
    },
)

PAPER_CONSENT = {"consented_by": "理事長（デモ）", "given_on": D(2020, 3, 10)}


@transaction.atomic
def load(prefecture: str = "33", *, corporations: dict, by) -> str:
    """Create and publish the demo cases missing from ``prefecture``."""
    themes = {theme.code: theme for theme in Theme.objects.in_prefecture(prefecture)}
    created = 0
    for spec in CASES:
        if Case.objects.in_prefecture(prefecture).filter(title=spec["title"]).exists():
            continue
        fields = {k: v for k, v in spec.items() if k not in ("owner", "municipality", "themes")}
        case = actions.create_case(
            by=by,
            corporation=corporations[spec["owner"]],
            municipality=Municipality.objects.get(code=spec["municipality"]),
            themes=[themes[code] for code in spec["themes"] if code in themes],
            **fields,
        )
        actions.submit_case(case=case, by=by)
        actions.record_consent(
            case=case, by=by, method="paper", includes_photos=True, **PAPER_CONSENT
        )
        actions.publish_case(case=case, by=by)
        # The demo's cases were published in their year's casebook (its last month), so the
        # plan's figure of published cases has a history over the plan's years.
        published = end_of_day(fiscal_year_range(case.fiscal_year)[1] - datetime.timedelta(days=7))
        Case.objects.filter(pk=case.pk).update(published_at=published)
        created += 1
    if created:
        bump("casebook")
    return f"事例集: 新規 {created}"
