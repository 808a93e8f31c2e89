"""Pillar I 気運づくり: the registry of corporations, facilities and councils, and membership."""

from .membership import (
    MemberKind,
    MembershipApplication,
    MembershipEvent,
    MemberType,
)
from .registry import (
    Corporation,
    CorporationQuerySet,
    Council,
    CouncilQuerySet,
    Facility,
    FacilityKind,
    FacilityQuerySet,
    SectorGroup,
)

__all__ = [
    "Corporation",
    "CorporationQuerySet",
    "Council",
    "CouncilQuerySet",
    "Facility",
    "FacilityKind",
    "FacilityQuerySet",
    "MemberKind",
    "MemberType",
    "MembershipApplication",
    "MembershipEvent",
    "SectorGroup",
]
