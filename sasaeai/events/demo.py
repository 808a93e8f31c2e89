"""The FY H31 (FY2019) programme of the seed as demo events, marked as demo, with fictitious
registrations from the demo registry, attendance and the course's certificates; and one
public forum open for registration, a month ahead of today."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from . import actions
from .models import Audience, Event, EventKind, RegistrationStatus

FAMILY = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
]
GIVEN = ["一郎", "花子", "健太", "美咲", "大輔", "由美", "翔太", "恵", "直樹", "彩", "誠", "香織"]

B, C, T = EventKind.BRIEFING, EventKind.COURSE, EventKind.TRAINING
SECTOR, PUBLIC = Audience.SECTOR, Audience.PUBLIC
BRIEFING = "地域公益活動推進センター説明会"
PRACTICE = "地域福祉実践研修"
# (kind, title, audience, capacity, [(date, start hour, end hour)], sessions to complete)
PROGRAMME = [
    (B, f"{BRIEFING}（第1回）", SECTOR, 60, [("2019-05-23", 14, 16)], None),
    (C, "コミュニティワーカースキルアップ研修", SECTOR, 30,
     [(f"2019-{m:02d}-13", 13, 16) for m in range(6, 12)], 5),
    (EventKind.COMMITTEE, "市町村ネットワーク部会", Audience.MEMBERS, None,
     [("2019-07-04", 10, 12)], None),
    (T, f"{PRACTICE}（第1回）", SECTOR, 50, [("2019-07-18", 13, 16)], None),
    (B, f"{BRIEFING}（第2回）", SECTOR, 60, [("2019-08-22", 14, 16)], None),
    (T, "コミュニティソーシャルワーク研修", SECTOR, 80, [("2019-09-12", 10, 16)], None),
    (T, f"{PRACTICE}（第2回）", SECTOR, 50, [("2019-10-17", 13, 16)], None),
    (T, "展開支援講座（子どもの居場所づくり）", SECTOR, 40, [("2019-11-07", 13, 16)], None),
    (B, f"{BRIEFING}（第3回）", SECTOR, 60, [("2019-11-21", 14, 16)], None),
    (T, f"{PRACTICE}（第3回）", SECTOR, 50, [("2020-01-16", 13, 16)], None),
    (EventKind.PRESENTATION, "地域公益活動実践発表会", PUBLIC, 150, [("2020-02-06", 13, 16)], None),
    (EventKind.FORUM, "地域福祉実践フォーラム", PUBLIC, 200, [("2020-02-20", 13, 17)], None),
    (EventKind.REPORT, "市町村域ネットワーク実践報告会", SECTOR, 80,
     [("2020-03-05", 13, 16)], None),
]  # fmt: skip


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def ensure_demo_events(prefecture: str, organiser: str) -> str:
    """Create the demo programme once; a second run changes nothing."""
    if Event.objects.in_prefecture(prefecture).filter(is_demo=True).exists():
        return "研修・イベント: 作成済み"
    from sasaeai.members.models import Corporation

    rng = random.Random(2019)  # noqa: S311 - fictitious demo data, not security
    corporations = list(
        Corporation.objects.filter(municipality__prefecture_id=prefecture, closed=None).order_by(
            "corporate_number"
        )[:200]
    )
    events = registrations = 0
    for kind, title, audience, capacity, days, completion in PROGRAMME:
        sessions = [
            actions.SessionData(
                _at(datetime.date.fromisoformat(day), start),
                _at(datetime.date.fromisoformat(day), end),
                venue="岡山県総合福祉・ボランティア・NPO会館（デモ）",
            )
            for day, start, end in days
        ]
        event = actions.create_event(
            prefecture=prefecture,
            sessions=sessions,
            kind=kind,
            title=title,
            audience=audience,
            capacity=capacity,
            completion_min_sessions=completion,
            organiser=organiser,
            is_demo=True,
        )
        events += 1
        wanted = min((capacity or 40) + 3, 12 + rng.randrange(20))
        registrations += _fill(event, corporations, wanted, rng)
        _attend(event, rng)
        if kind == EventKind.COURSE:
            actions.issue_certificates(event=event)
    upcoming = timezone.localdate() + datetime.timedelta(days=30)
    forum = actions.create_event(
        prefecture=prefecture,
        sessions=[
            actions.SessionData(_at(upcoming, 13), _at(upcoming, 17), venue="岡山市民会館（デモ）")
        ],
        kind=EventKind.FORUM,
        title="地域福祉実践フォーラム（受付中・デモ）",
        audience=Audience.PUBLIC,
        capacity=100,
        organiser=organiser,
        is_demo=True,
    )
    registrations += _fill(forum, corporations, 12, rng)
    return f"研修・イベント: {events + 1} 件、申込 {registrations} 件（デモ）"


def _fill(event, corporations, count: int, rng: random.Random) -> int:
    made = 0
    for n in range(count):
        corporation = rng.choice(corporations) if corporations else None
        name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}（架空{n + 1}）"
        actions.register(
            event=event,
            name=name,
            corporation=corporation,
            now=event.sessions.order_by("starts_at").first().starts_at
            - datetime.timedelta(days=14),
        )
        made += 1
    return made


COMMENTS = [
    "他法人の取組を知ることができた。",
    "グループワークが参考になった。",
    "",
    "",
    "次回も参加したい。",
]


def _attend(event, rng: random.Random) -> None:
    confirmed = list(event.registrations.filter(status=RegistrationStatus.CONFIRMED))
    for session in event.sessions.order_by("starts_at"):
        present = [r.pk for r in confirmed if rng.random() < 0.88]
        actions.set_attendance(session=session, present=present)
    for registration in confirmed:
        if rng.random() < 0.6:
            actions.submit_evaluation(
                registration=registration,
                overall=rng.choice([3, 4, 4, 5, 5]),
                usefulness=rng.choice([3, 4, 5, 5]),
                comment=rng.choice(COMMENTS),
            )
