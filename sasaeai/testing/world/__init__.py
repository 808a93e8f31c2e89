"""A world with two of everything, for the cross-organisation walk (tests only).

Okayama (33) is the demo: the personas' own organisations (津山市's council, the own
corporation) and others (倉敷市, the outsider's corporation). Tottori (31) gets its own center
and staff, corporations, networks, events, surveys, projects, grants, proposals, activities,
cases, news and stockyard, through the same demo loaders and actions. ``World.get`` then names
one record of every kind on each side: ``own`` (津山市 / the own corporation), ``other``
(倉敷市 / the outsider's corporation) and ``tottori``.
"""

from __future__ import annotations

import time
from unittest import mock

from .base import SIDES, TIMINGS, World, side_context

__all__ = ["SIDES", "TIMINGS", "World", "build_world", "side_context"]


def build_world() -> World:
    """The Okayama demo, a Tottori mirror and the records the demo lacks, on every side."""
    from sasaeai.accounts.models import User
    from sasaeai.demo import load_demo
    from sasaeai.events import demo as events_demo
    from sasaeai.events.models import EventKind
    from sasaeai.members.generator import SCALES

    from .extras import build_extras
    from .records import records_of
    from .tottori import build_tottori

    started = time.monotonic()
    # The walk needs two of everything, not Okayama's 600 corporations and the year's
    # programme of events: the tiny registry and one course (with its certificates).
    course = next(row for row in events_demo.PROGRAMME if row[0] == EventKind.COURSE)
    with (
        mock.patch.dict(SCALES, {"okayama": SCALES["tiny"]}),
        mock.patch.object(events_demo, "PROGRAMME", (course,)),
    ):
        load_demo()
    TIMINGS["demo"] = time.monotonic() - started
    world = World()
    for key, username in {
        "center": "center-okayama",
        "council": "council-tsuyama",
        "corp_staff": "corp-staff",
        "outsider": "corp-outsider",
    }.items():
        world.users[key] = User.objects.get(username=username)
    world.corporations["own"] = world.users["corp_staff"].roles.get().corporation
    world.corporations["other"] = world.users["outsider"].roles.get().corporation
    started = time.monotonic()
    build_tottori(world)
    TIMINGS["tottori"] = time.monotonic() - started
    started = time.monotonic()
    build_extras(world)
    TIMINGS["extras"] = time.monotonic() - started
    world.records = records_of(world)
    return world
