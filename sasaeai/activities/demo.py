"""Demo activities of Okayama's fictitious corporations (marked デモ): two 子ども食堂 (岡山市,
津山市), a 居場所, a 認知症カフェ, a food drive and shopping support, published so that the
directory, the map and the open data have something to show. Loading again changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from sasaeai.projects.models import Theme
from sasaeai.regions.models import Municipality

from . import actions
from . import schedule as schedules
from .models import Activity

D = datetime.date
T = datetime.time
S = schedules.Schedule

# (corporation key, municipality, title, themes, targets, schedule, venue, address, lat, lon, extra)
DEMO = (
    ("third", "331007", "きびっこ食堂（デモ）", ("T09", "T05"), ("children", "parents"),
     S(schedules.WEEKLY, D(2019, 4, 1), weekdays=(2,), start_time=T(17), end_time=T(19)),
     "きびデモ保育園 ホール", "岡山県岡山市北区デモ町1-1", "34.6655", "133.9180",
     {"cost": "子ども無料・大人300円", "postal_code": "700-0000",
      "how_to_join": "予約不要。はじめての方は電話でお知らせください。"}),
    ("own", "332038", "ささえ愛こども食堂つやま（デモ）", ("T09",), ("children", "everyone"),
     S(schedules.MONTHLY_NTH, D(2019, 4, 1), weekdays=(5,), nth=2, start_time=T(11),
       end_time=T(14)),
     "ささえ愛デモホーム 地域交流室", "岡山県津山市デモ町2-2", "35.0630", "134.0040",
     {"cost": "無料", "postal_code": "708-0000", "partners": "津山市デモ地区民生委員児童委員協議会",
      "how_to_join": "当日そのままお越しください。支援が必要な子どもの紹介は電話で。"}),
    ("other", "332020", "みらいの居場所カフェ（デモ）", ("T01", "T08"), ("youth", "everyone"),
     S(schedules.WEEKLY, D(2019, 6, 1), weekdays=(0, 3), start_time=T(13), end_time=T(17)),
     "みらいデモ会 交流スペース", "岡山県倉敷市デモ町3-3", "34.5850", "133.7720",
     {"cost": "無料", "how_to_join": "出入り自由です。"}),
    ("own", "332038", "オレンジカフェささえ愛（デモ）", ("T10",), ("elderly", "everyone"),
     S(schedules.MONTHLY_NTH, D(2019, 5, 1), weekdays=(2,), nth=-1, start_time=T(14),
       end_time=T(16)),
     "ささえ愛デモホーム 1階喫茶", "岡山県津山市デモ町2-2", None, None,
     {"cost": "100円（飲み物代）", "partners": "津山市地域包括支援センター（デモ）"}),
    ("third", "331007", "きびフードドライブ（デモ）", ("T07",), ("needy",),
     S(schedules.DATES, D(2019, 6, 1), dates=(D(2019, 6, 1), D(2019, 12, 7), D(2020, 6, 6)),
       start_time=T(10), end_time=T(15)),
     "きびデモ保育園 玄関", "岡山県岡山市北区デモ町1-1", "34.6655", "133.9180",
     {"how_to_join": "未開封・賞味期限1か月以上の食品をお持ちください。"}),
    ("own", "332038", "買い物支援バス ささえ愛号（デモ）", ("T11",), ("elderly", "disabled"),
     S(schedules.WEEKLY, D(2019, 10, 1), weekdays=(1, 4), start_time=T(9, 30),
       end_time=T(12)),
     "ささえ愛デモホーム 送迎車", "岡山県津山市デモ町2-2", None, None,
     {"cost": "無料", "how_to_join": "前日までに電話で予約してください。"}),
)  # fmt: skip


@transaction.atomic
def load(prefecture: str = "33", *, corporations: dict, reviewer=None) -> str:
    themes = {theme.code: theme for theme in Theme.objects.in_prefecture(prefecture)}
    if not themes:
        return "地域公益活動: テーマが未作成"
    created = 0
    for key, code, title, theme_codes, targets, plan, venue, address, lat, lon, extra in DEMO:
        corporation = corporations[key]
        if Activity.objects.filter(corporation=corporation, title=title).exists():
            continue
        data = actions.ActivityFields(
            title=title,
            municipality=Municipality.objects.get(pk=code),
            schedule=plan,
            description=f"{title.removesuffix('（デモ）')}の説明文です（架空のデモデータ）。",
            themes=[themes[c] for c in theme_codes if c in themes],
            targets=list(targets),
            venue=venue,
            address=address,
            latitude=Decimal(lat) if lat else None,
            longitude=Decimal(lon) if lon else None,
            contact_phone="000-0000-0000",
            started_on=plan.starts_on,
            **extra,
        )
        activity = actions.create_activity(data=data, corporation=corporation)
        actions.submit_activity(activity=activity)
        actions.publish_activity(activity=activity, by=reviewer)
        created += 1
    return f"地域公益活動: 新規 {created}"
