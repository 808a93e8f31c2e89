"""The world's places, people and records, shared by its builders."""

from __future__ import annotations

from dataclasses import dataclass, field

OKAYAMA, TOTTORI = "33", "31"
TSUYAMA, KURASHIKI = "332038", "332020"
TOTTORI_CITY, YONAGO, KURAYOSHI = "312011", "312029", "312037"
SIDES = ("own", "other", "tottori")
TIMINGS: dict[str, float] = {}


@dataclass
class World:
    users: dict = field(default_factory=dict)  # persona key -> User
    corporations: dict = field(default_factory=dict)  # side -> Corporation
    records: dict = field(default_factory=dict)  # kind -> {side: record}

    def get(self, kind: str, side: str):
        try:
            return self.records[kind][side]
        except KeyError:
            raise LookupError(f"the world has no {kind} on the {side} side") from None


def side_context(world: World, side: str) -> dict:
    """Who and where a side is: its corporation, municipality, prefecture and staff."""
    return {
        "own": {
            "corporation": world.corporations["own"],
            "municipality": TSUYAMA,
            "prefecture": OKAYAMA,
            "center": world.users["center"],
            "staff": world.users["corp_staff"],
        },
        "other": {
            "corporation": world.corporations["other"],
            "municipality": KURASHIKI,
            "prefecture": OKAYAMA,
            "center": world.users["center"],
            "staff": world.users["outsider"],
        },
        "tottori": {
            "corporation": world.corporations["tottori"],
            "municipality": TOTTORI_CITY,
            "prefecture": TOTTORI,
            "center": world.users["tottori"],
            "staff": world.users["tottori_corp"],
        },
    }[side]
