"""Pillar I 気運づくり: the registry of corporations, facilities and councils, and membership."""

from .dues import Dues
from .imports import ImportJob, ImportKind, ImportStatus
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
    RegistryVersion,
    SectorGroup,
)

__all__ = [
    "Corporation",
    "CorporationQuerySet",
    "Council",
    "CouncilQuerySet",
    "Dues",
    "Facility",
    "FacilityKind",
    "FacilityQuerySet",
    "ImportJob",
    "ImportKind",
    "ImportStatus",
    "MemberKind",
    "MemberType",
    "MembershipApplication",
    "MembershipEvent",
    "RegistryVersion",
    "SectorGroup",
]
