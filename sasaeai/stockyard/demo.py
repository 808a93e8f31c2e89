"""Stockyard demo data for ``sasaeai demo``: the 緊急一時支援 leading project in three Okayama
municipalities, made up for the demo and marked so (（デモ） in every name; the catalogue's
items keep their plain names, as a center's own catalogue would).

岡山市, 倉敷市 and 津山市 each have a stockyard kept by the city's council of social welfare and
a public drop-off point kept by one of the demo corporations; 津山市 also has one kept by a
neighbourhood association (地縁組織). 津山市's food drive is running: its donations were
received at its two drop-off points and moved to the council's stockyard, and five referrals
from the demo's council and corporation staff show every status (requested, approved, handed
over, cancelled, declined); 倉敷市's corporation has one waiting at its city's stockyard.
``council-tsuyama`` keeps the 津山 stockyard, so it can approve the referral that waits there.

Every dated fact is relative to the day the demo is loaded and goes through ``actions`` (with
``today=`` and ``on=``), so the stock is the ledger's. Items, locations and the support limit
have no action of their own yet and are created here. Loading again changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import actions
from .models import (
    Campaign,
    Category,
    DonorKind,
    Item,
    KeeperKind,
    Location,
    LocationKind,
    MinimumStock,
    Referral,
    SupportRule,
    Urgency,
)

OKAYAMA_CITY, KURASHIKI, TSUYAMA = "331007", "332020", "332038"

# name, category, unit, yen per unit, counted in whole units, has a date
ITEMS = (
    ("米", Category.STAPLE, "kg", 400, False, True),
    ("缶詰", Category.FOOD, "缶", 150, True, True),
    ("レトルト食品", Category.FOOD, "袋", 200, True, True),
    ("粉ミルク", Category.BABY, "缶", 2000, True, True),
    ("紙おむつ", Category.BABY, "枚", 30, True, False),
    ("生理用品", Category.SANITARY, "袋", 300, True, False),
    ("歯ブラシ", Category.HYGIENE, "本", 100, True, False),
    ("石けん", Category.HYGIENE, "個", 100, True, False),
)


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    municipality: str
    kind: str
    keeper_kind: str
    keeper_name: str
    address: str
    opening_hours: str
    corporation: str | None = None  # the demo corporation's key
    public: bool = False


WEEKDAYS = "平日 9:00〜17:00"
PLACES = (
    Place(
        "tsuyama-yard", "津山市社協ストックヤード（デモ）", TSUYAMA, LocationKind.STOCKYARD,
        KeeperKind.COUNCIL, "津山市社会福祉協議会（デモ）", "岡山県津山市デモ町1-1（架空）",
        WEEKDAYS,
    ),
    Place(
        "tsuyama-corp", "ささえ愛デモ福祉会 回収拠点（デモ）", TSUYAMA, LocationKind.DROP_OFF,
        KeeperKind.CORPORATION, "社会福祉法人ささえ愛デモ福祉会（架空）",
        "岡山県津山市デモ町2-3（架空）", "毎日 9:00〜18:00（年末年始を除く）", "own", True,
    ),
    Place(
        "tsuyama-town", "デモ町内会 集会所 回収拠点（デモ）", TSUYAMA, LocationKind.DROP_OFF,
        KeeperKind.OTHER, "デモ町内会（架空）", "岡山県津山市デモ町5-8（架空）",
        "毎週土曜日 10:00〜12:00", public=True,
    ),
    Place(
        "kurashiki-yard", "倉敷市社協ストックヤード（デモ）", KURASHIKI, LocationKind.STOCKYARD,
        KeeperKind.COUNCIL, "倉敷市社会福祉協議会（デモ）", "岡山県倉敷市デモ町1-1（架空）",
        WEEKDAYS,
    ),
    Place(
        "kurashiki-corp", "みらいデモ会 回収拠点（デモ）", KURASHIKI, LocationKind.DROP_OFF,
        KeeperKind.CORPORATION, "社会福祉法人みらいデモ会（架空）",
        "岡山県倉敷市デモ町3-4（架空）", "平日 10:00〜16:00", "other", True,
    ),
    Place(
        "okayama-yard", "岡山市社協ストックヤード（デモ）", OKAYAMA_CITY, LocationKind.STOCKYARD,
        KeeperKind.COUNCIL, "岡山市社会福祉協議会（デモ）", "岡山県岡山市北区デモ町1-1（架空）",
        WEEKDAYS,
    ),
    Place(
        "okayama-corp", "きびデモ保育会 回収拠点（デモ）", OKAYAMA_CITY, LocationKind.DROP_OFF,
        KeeperKind.CORPORATION, "社会福祉法人きびデモ保育会（架空）",
        "岡山県岡山市北区デモ町2-2（架空）", "平日 8:30〜18:00", "third", True,
    ),
)  # fmt: skip

# The minimum the 津山 stockyard wants on its shelves.
MINIMUMS = (
    ("tsuyama-yard", "米", 20),
    ("tsuyama-yard", "缶詰", 24),
    ("tsuyama-yard", "紙おむつ", 100),
)

# The seed names 困窮レスキュー事業 (社会福祉法人による現物給付); the amount is the demo's.
RULE = {"name": "困窮レスキュー事業 現物給付（デモ）", "period_days": 365, "max_value": 10000}

FOOD_DRIVE = "津山市フードドライブ（デモ）"
DRIVE_NOTE = "ご家庭で余っている未開封の食品をお持ちください。（デモ）"
OTHER_DRIVES = (
    # title, organiser, first day, last day (from the demo's day), drop-off points
    ("岡山市 フードドライブ（デモ）", "岡山市社会福祉協議会（デモ）", -3, 25, ("okayama-corp",)),
    ("倉敷市 年末フードドライブ（デモ）", "倉敷市社会福祉協議会（デモ）", 14, 28,
     ("kurashiki-corp",)),
)  # fmt: skip

# Goods in: (place, days from the demo's day, donor kind, donor, food drive?, lines of
# (item, quantity, days until its date or None)). None has passed its date on the day it came.
DONATIONS = (
    ("tsuyama-yard", -20, DonorKind.COMPANY, "株式会社デモ商事（架空）", False, (
        ("紙おむつ", 200, None), ("生理用品", 20, None), ("歯ブラシ", 30, None),
        ("石けん", 30, None),
    )),
    ("tsuyama-corp", -14, DonorKind.FOOD_DRIVE, "", True, (
        ("米", "15", 240), ("缶詰", 24, 20), ("レトルト食品", 12, 150), ("粉ミルク", 2, 120),
    )),
    ("tsuyama-town", -10, DonorKind.FOOD_DRIVE, "", True, (
        ("米", "7.5", 200), ("缶詰", 18, 400), ("レトルト食品", 10, 25),
    )),
    ("kurashiki-yard", -12, DonorKind.PURCHASE, "", False, (("米", "10", 300), ("缶詰", 12, 365))),
    ("okayama-yard", -8, DonorKind.INDIVIDUAL, "", False, (
        ("レトルト食品", 20, 180), ("缶詰", 12, 60),
    )),
)  # fmt: skip

# Moved to the 津山 stockyard a week ago: everything from the corporation's point, the rice and
# cans from the neighbourhood's (its retort food, near its date, stays there).
TRANSFERS = (("tsuyama-corp", None), ("tsuyama-town", ("米", "缶詰")))
TRANSFER_DAY = -7


@dataclass(frozen=True)
class Story:
    """One referral and what happened to it (days from the demo's day)."""

    reference: str
    place: str
    by: str  # the demo user: corp_staff, council or outsider (their corporation or council)
    size: int
    ages: str
    urgency: str
    needs: str
    lines: tuple
    requested: int
    approved: int | None = None
    handed_over: int | None = None
    cancelled: int | None = None
    declined: int | None = None
    reason: str = ""


STORIES = (
    Story(
        "デモ-法-001", "tsuyama-yard", "corp_staff", 3, "38, 10, 6", Urgency.TODAY,
        "失業中で食料が尽きた（デモ）",
        (("米", "5"), ("缶詰", 10), ("レトルト食品", 4), ("歯ブラシ", 3)),
        requested=-6, approved=-6, handed_over=-5,
    ),
    Story(
        "デモ-法-003", "tsuyama-yard", "corp_staff", 2, "81, 79", Urgency.SOON,
        "年金支給日まで食料が足りない（デモ）", (("缶詰", 4), ("レトルト食品", 2)),
        requested=-5, approved=-5, cancelled=-4,
        reason="親族の支援が決まり不要になったため（デモ）",
    ),
    Story(
        "デモ-社協-002", "tsuyama-yard", "council", 2, "45, 17", Urgency.NORMAL,
        "生活用品（デモ）", (("生理用品", 2), ("米", "10")),
        requested=-4, declined=-4, reason="同じ世帯に別の支援が決まったため（デモ）",
    ),
    Story(
        "デモ-社協-001", "tsuyama-yard", "council", 1, "72", Urgency.SOON,
        "ひとり暮らし、急な出費で食費がない（デモ）", (("米", "2.5"), ("缶詰", 6), ("石けん", 1)),
        requested=-3, approved=-2,
    ),
    Story(
        "デモ-法-002", "tsuyama-yard", "corp_staff", 4, "35, 33, 2, 0", Urgency.TODAY,
        "乳児のミルクとおむつ（デモ）", (("粉ミルク", 1), ("紙おむつ", 60), ("米", "5")),
        requested=-1,
    ),
    Story(
        "デモ-みらい-001", "kurashiki-yard", "outsider", 2, "50, 20", Urgency.SOON,
        "食料（デモ）", (("缶詰", 3),), requested=-2,
    ),
)  # fmt: skip


def load(
    prefecture: str = "33", *, corporations: dict, users: dict, today: datetime.date | None = None
) -> str:
    """Create what is missing of the stockyard demo in ``prefecture``. ``users``: the demo's
    ``center``, ``council`` (津山市), ``corp_staff`` (the own corporation) and ``outsider``."""
    today = today or timezone.localdate()
    with transaction.atomic():
        items, new_items = _items(prefecture)
        places, new_places = _places(prefecture, corporations)
        _limits(prefecture, places, items)
        drives = _other_drives(prefecture, places, today)
        referrals = 0
        if not Campaign.objects.in_prefecture(prefecture).filter(title=FOOD_DRIVE).exists():
            referrals = _story(prefecture, items, places, users, corporations, today)
            drives += 1
    return (
        f"ストックヤード: 品目 新規 {new_items} / 拠点 新規 {new_places}"
        f" / フードドライブ 新規 {drives} / 依頼 新規 {referrals}"
    )


def _items(prefecture: str) -> tuple[dict, int]:
    """The catalogue, through the action the catalogue page uses (only what is missing)."""
    items = {item.name: item for item in Item.objects.in_prefecture(prefecture)}
    created = 0
    for name, category, unit, value, whole, expires in ITEMS:
        if name not in items:
            items[name] = actions.save_item(
                prefecture=prefecture, name=name, category=category, unit=unit,
                unit_value=Decimal(value), whole_units=whole, expires=expires,
            )  # fmt: skip
            created += 1
    return items, created


def _places(prefecture: str, corporations: dict) -> tuple[dict, int]:
    """The locations, through the action the location form uses (only what is missing)."""
    from sasaeai.regions.models import Municipality

    existing = {location.name: location for location in Location.objects.in_prefecture(prefecture)}
    places, created = {}, 0
    for place in PLACES:
        location = existing.get(place.name)
        if location is None:
            location = actions.save_location(
                municipality=Municipality.objects.get(pk=place.municipality),
                keeper_corporation=corporations[place.corporation] if place.corporation else None,
                name=place.name, kind=place.kind, keeper_kind=place.keeper_kind,
                keeper_name=place.keeper_name, address=place.address,
                opening_hours=place.opening_hours, public=place.public,
            )  # fmt: skip
            created += 1
        places[place.key] = location
    return places, created


def _limits(prefecture: str, places: dict, items: dict) -> None:
    if not SupportRule.objects.in_prefecture(prefecture).filter(name=RULE["name"]).exists():
        actions.save_support_rule(
            prefecture_id=prefecture,
            name=RULE["name"],
            period_days=RULE["period_days"],
            max_value=Decimal(RULE["max_value"]),
        )
    wanted: dict = {}
    for place, item, quantity in MINIMUMS:
        wanted.setdefault(places[place], {})[items[item]] = Decimal(quantity)
    for location, minimums in wanted.items():
        if not MinimumStock.objects.filter(location=location).exists():
            actions.set_minimums(location=location, minimums=minimums)


def _other_drives(prefecture: str, places: dict, today: datetime.date) -> int:
    created = 0
    for title, organiser, first, last, points in OTHER_DRIVES:
        if Campaign.objects.in_prefecture(prefecture).filter(title=title).exists():
            continue
        actions.create_campaign(
            prefecture=prefecture,
            title=title,
            organiser=organiser,
            starts_on=_day(today, first),
            ends_on=_day(today, last),
            drop_offs=[places[key] for key in points],
            description=DRIVE_NOTE,
        )
        created += 1
    return created


def _day(today: datetime.date, days: int) -> datetime.date:
    return today + datetime.timedelta(days=days)


def _story(prefecture: str, items, places, users, corporations, today) -> int:
    """津山市's food drive, the goods in, the move to the stockyard, the referrals."""
    drive = actions.create_campaign(
        prefecture=prefecture,
        title=FOOD_DRIVE,
        organiser="津山市社会福祉協議会（デモ）",
        starts_on=_day(today, -21),
        ends_on=_day(today, 9),
        drop_offs=[places["tsuyama-corp"], places["tsuyama-town"]],
        description=DRIVE_NOTE,
    )
    received = {}
    for place, day, kind, donor, in_drive, lines in DONATIONS:
        location = places[place]
        donation = actions.receive(
            location=location,
            lines=[
                actions.LotData(
                    item=items[name],
                    quantity=quantity,
                    expires_on=None if until is None else _day(today, until),
                )
                for name, quantity, until in lines
            ],
            received_on=_day(today, day),
            donor_kind=kind,
            donor_name=donor,
            campaign=drive if in_drive else None,
            # The council records what comes in at 津山 (its area); the center elsewhere.
            by=users["council"] if location.municipality_id == TSUYAMA else users["center"],
            today=today,
        )
        if donor:
            actions.issue_receipt(donation)
        received[place] = donation
    for place, names in TRANSFERS:
        for lot in received[place].lots.select_related("item"):
            if names is None or lot.item.name in names:
                actions.transfer(
                    source=places[place],
                    destination=places["tsuyama-yard"],
                    item=lot.item,
                    quantity=lot.quantity,
                    lot=lot,
                    on=_day(today, TRANSFER_DAY),
                    by=users["council"],
                    today=today,
                )
    for story in sorted(STORIES, key=lambda story: story.requested):
        _referral(story, items, places, users, corporations, today)
    return len(STORIES)


# The corporation each demo user refers for (the council refers for its municipality).
REFERRING_CORPORATION = {"corp_staff": "own", "outsider": "other"}


def _referral(story: Story, items, places, users, corporations, today) -> Referral:
    location = places[story.place]
    by = users[story.by]
    referrer = (
        {"corporation": corporations[REFERRING_CORPORATION[story.by]]}
        if story.by in REFERRING_CORPORATION
        else {"municipality": location.municipality}
    )
    referral = actions.refer(
        location=location,
        household=actions.HouseholdData(
            location.municipality_id, story.reference, story.size, story.ages
        ),
        lines=[(items[name], quantity) for name, quantity in story.lines],
        urgency=story.urgency,
        needs=story.needs,
        on=_day(today, story.requested),
        by=by,
        today=today,
        **referrer,
    )
    keeper = users["council"]
    if story.approved is not None:
        actions.approve(referral=referral, by=keeper, on=_day(today, story.approved), today=today)
    if story.handed_over is not None:
        actions.hand_over(
            referral=referral, by=keeper, on=_day(today, story.handed_over), today=today
        )
    if story.cancelled is not None:
        actions.cancel(
            referral=referral,
            reason=story.reason,
            by=by,
            on=_day(today, story.cancelled),
            today=today,
        )
    if story.declined is not None:
        actions.decline(
            referral=referral, reason=story.reason, by=keeper, today=_day(today, story.declined)
        )
    return referral
