"""Demo news and newsletter issues for Okayama (fictitious wording, marked デモ): a few posts,
one of them scheduled, and two HTML issues of the newsletter. Loading again changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from . import actions
from .models import NewsCategory, Newsletter, NewsPost

POSTS = [
    (
        -3,
        NewsCategory.EVENT,
        "地域福祉実践フォーラムの参加者を募集しています（デモ）",
        "社会福祉法人の地域における公益的な取組の実践を発表し合うフォーラムを開催します。\n"
        "どなたでも参加できます。研修・イベントのページからお申し込みください。",
    ),
    (
        -10,
        NewsCategory.REPORT,
        "コミュニティワーカースキルアップ研修を開催しました（デモ）",
        "6回の連続講座に、県内の社会福祉法人と社会福祉協議会から延べ120名が参加しました。\n\n"
        "受講者の皆さまの実践報告は、次号のニュースレターで紹介します。",
    ),
    (
        -30,
        NewsCategory.NOTICE,
        "ホームページを開設しました（デモ）",
        "岡山ささえ愛センターのホームページを開設しました。お知らせ、研修・イベント、"
        "ニュースレターを掲載していきます。",
    ),
    (
        7,
        NewsCategory.RECRUITMENT,
        "モデル事業の実施法人を募集します（公開予定・デモ）",
        "制度の狭間の課題に取り組むモデル事業の実施法人を募集します。詳細は公開日にお知らせします。",
    ),
]

ISSUES = [
    (
        1,
        2018,
        datetime.date(2019, 3, 15),
        "ささえ愛通信 創刊号（デモ）",
        "岡山ささえ愛センターが始まりました。\n\n"
        "県内のすべての社会福祉法人が力を合わせ、制度の狭間にある方を支える取組を広げます。\n\n"
        "【特集】市町村域ネットワークづくりの第一歩\n"
        "総社市、津山市などで、法人どうしの連絡会が動き始めています。",
    ),
    (
        2,
        2019,
        datetime.date(2019, 9, 20),
        "ささえ愛通信 第2号（デモ）",
        "【特集】子どもの居場所づくり\n"
        "社会福祉施設の空き時間を活用した学習支援の場が、3か所で始まりました。\n\n"
        "【報告】コミュニティワーカースキルアップ研修\n"
        "6回の連続講座を終え、受講者が各地の実践を発表しました。",
    ),
]


@transaction.atomic
def load(prefecture: str = "33", by=None) -> str:
    if Newsletter.objects.in_prefecture(prefecture).filter(number=1).exists():
        return "お知らせ・ニュースレター: 作成済み"
    now = timezone.now()
    for days, category, title, body in POSTS:
        if NewsPost.objects.in_prefecture(prefecture).filter(title=title).exists():
            continue
        actions.create_news_post(
            prefecture=prefecture,
            data=actions.NewsData(
                title=title,
                body=body,
                category=category,
                published_at=now + datetime.timedelta(days=days),
            ),
            by=by,
        )
    for number, year, published_on, title, body in ISSUES:
        actions.create_newsletter(
            prefecture=prefecture,
            data=actions.NewsletterData(
                number=number,
                title=title,
                fiscal_year=year,
                published_on=published_on,
                body=body,
            ),
            by=by,
        )
    return f"お知らせ: {len(POSTS)}件 / ニュースレター: {len(ISSUES)}号"
