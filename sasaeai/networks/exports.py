"""Rows of the network list and of the status table, in the import's headers, so that an
export imports back (``importing.NETWORK_HEADERS`` and ``STATUS_HEADERS``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .importing import SOURCE_EXPORT_LABELS, STATUS_EXPORT_LABELS
from .kpis import MunicipalityStatus
from .models import WITH_NETWORK, MunicipalNetwork, Status


def network_rows(networks: Iterable[MunicipalNetwork]) -> Iterator[list]:
    """One row per network: 市町村 (its area), 状況, 組織名, 愛称, 設立日, 事務局, 備考."""
    for network in networks:
        area = "・".join(m.name for m in network.area.all())
        status = "設置済" if network.established_on else ""
        yield [
            area,
            status,
            network.name,
            network.nickname,
            network.established_on,
            network.secretariat.name if network.secretariat else "",
            network.established_note,
        ]


def status_rows(statuses: Iterable[MunicipalityStatus]) -> Iterator[list]:
    """One row per municipality: 市町村, 状況, 時点, 組織名, 出典, 備考."""
    for entry in statuses:
        network = entry.network.name if entry.network and entry.status in WITH_NETWORK else ""
        yield [
            entry.municipality.name,
            STATUS_EXPORT_LABELS[Status(entry.status)],
            entry.since,
            network,
            SOURCE_EXPORT_LABELS.get(entry.source, ""),
            "",
        ]
