"""A small stockyard world on top of the personas: the catalogue, a stockyard in 津山市 kept
by its council, a drop-off point kept by the personas' own corporation (津山市), a stockyard in
倉敷市 kept by the other corporation, and the rescue-type limit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def okayama_by_default(settings, tmp_path):
    settings.SASAEAI_DEFAULT_PREFECTURE = "33"
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    rice: object
    cans: object
    diapers: object
    soap: object
    yard: object  # 津山市社協 ストックヤード (council keeps)
    drop_off: object  # 津山市, kept by the own corporation
    kurashiki: object  # 倉敷市, kept by the other corporation
    rule: object


@pytest.fixture
def world(personas) -> World:
    from sasaeai.stockyard.models import Item, KeeperKind, Location, LocationKind, SupportRule

    def item(name, category, unit, value, *, whole=True, expires=True):
        return Item.objects.create(
            prefecture_id="33", name=name, category=category, unit=unit,
            unit_value=Decimal(value), whole_units=whole, expires=expires,
        )  # fmt: skip

    def location(name, municipality, kind, keeper_kind, keeper_name, corporation=None, **kw):
        return Location.objects.create(
            prefecture_id="33", municipality_id=municipality, name=name, kind=kind,
            address=f"岡山県{name}", keeper_kind=keeper_kind, keeper_name=keeper_name,
            keeper_corporation=corporation, opening_hours="平日 9:00〜17:00", **kw,
        )  # fmt: skip

    return World(
        rice=item("米", "staple", "kg", 400, whole=False),
        cans=item("缶詰", "food", "缶", 150),
        diapers=item("紙おむつ", "baby", "枚", 30, expires=False),
        soap=item("石けん", "hygiene", "個", 100, expires=False),
        yard=location(
            "津山ストックヤード",
            "332038",
            LocationKind.STOCKYARD,
            KeeperKind.COUNCIL,
            "津山市社会福祉協議会",
            near_expiry_days=30,
        ),
        drop_off=location(
            "法人回収拠点",
            "332038",
            LocationKind.DROP_OFF,
            KeeperKind.CORPORATION,
            "自法人",
            corporation=personas.own_corporation,
            public=True,
        ),
        kurashiki=location(
            "倉敷ストックヤード",
            "332020",
            LocationKind.STOCKYARD,
            KeeperKind.CORPORATION,
            "他法人",
            corporation=personas.other_corporation,
        ),
        rule=SupportRule.objects.create(
            prefecture_id="33",
            name="レスキュー型（現物給付）",
            period_days=365,
            max_value=Decimal(10000),
        ),
    )


def receive(world, location, lines, *, on=TODAY, by=None, **kw):
    """Goods in at ``location``: ``lines`` of (item, quantity, expires_on)."""
    from sasaeai.stockyard import actions

    return actions.receive(
        location=location,
        lines=[actions.LotData(item=i, quantity=q, expires_on=e) for i, q, e in lines],
        received_on=on,
        by=by,
        today=TODAY,
        **kw,
    )


def household(reference="津-001", size=3, municipality="332038", ages="40, 10, 7"):
    from sasaeai.stockyard.actions import HouseholdData

    return HouseholdData(municipality_id=municipality, reference=reference, size=size, ages=ages)
