"""The printed result of bench/load.py: the load's throughput and latency, its errors by kind,
and the table of faults with the 5xx inside and outside their planned outages."""

from __future__ import annotations

import os
from collections import Counter


def _percentile(values: list[float], percent: int) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))] * 1000


def _made(setup: dict) -> str:
    if "restored" in setup:
        return f"restored from the cache in {setup['restored']:.0f} s"
    return f"made in {setup['seconds']:.0f} s, of which migrate {setup['migrate_seconds']:.0f} s"


def _during(hit, window: tuple[float, float]) -> bool:
    return hit.started <= window[1] and hit.ended >= window[0]


def _failed(hit) -> bool:
    return hit.kind != "ok"


def report(load, records, args, setup: dict, prepared: float) -> tuple[list[str], bool]:
    hits = load.hits
    duration = max((hit.ended for hit in hits), default=0.0)
    windows = [record.window for record in records if record.window]
    outside = [hit for hit in hits if not any(_during(hit, w) for w in windows)]
    lines = [
        f"Sasae-ai load and faults: {args.clients} clients for {duration:.0f} s on"
        f" {os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f}); gunicorn"
        f" {args.workers} workers, one task worker, private PostgreSQL; demo data"
        f" ({_made(setup)}; ready to serve after {prepared:.0f} s)",
        "  {:<24} {:>8} {:>7} {:>7} {:>7}".format("who", "requests", "req/s", "p50 ms", "p95 ms"),
    ]
    for who in ("staff", "public", "all"):
        mine = [hit for hit in hits if who in {"all", hit.who}]
        answered = [hit.ended - hit.started for hit in mine if hit.status]
        lines.append(
            f"  {who:<24} {len(mine):>8,} {len(mine) / max(duration, 1e-9):>7.1f}"
            f" {_percentile(answered, 50):>7.0f} {_percentile(answered, 95):>7.0f}"
        )
    by_label: dict[str, list[float]] = {}
    for hit in hits:
        if hit.status:
            by_label.setdefault(hit.label, []).append(hit.ended - hit.started)
    slowest = sorted(by_label.items(), key=lambda item: -_percentile(item[1], 95))[:3]
    lines.append(
        "  slowest (p50 / p95 ms): "
        + ", ".join(
            f"{label} {_percentile(times, 50):.0f} / {_percentile(times, 95):.0f}"
            for label, times in slowest
        )
    )
    kinds = Counter(hit.kind for hit in hits)
    lines.append(
        "  answers by kind: " + ", ".join(f"{kind} {n:,}" for kind, n in kinds.most_common())
    )
    labels = Counter((hit.label, hit.kind) for hit in hits if _failed(hit))
    for (label, kind), n in labels.most_common(8):
        lines.append(f"    {n:>5} x {kind}: {label}")
    lines += _table(records, hits, outside)
    five_outside = sum(1 for hit in outside if hit.status >= 500)
    lost = sum(record.lost for record in records)
    untried = [record.name for record in records if not record.tried]
    held = five_outside == 0 and lost == 0 and not untried
    lines.append(
        f"  verdict: 5xx outside the planned outages {five_outside}, lost {lost},"
        f" faults not tried {len(untried)}: {'held' if held else 'NOT held'}"
    )
    return lines, held


def _table(records, hits, outside) -> list[str]:
    windows = [record.window for record in records if record.window]
    row = "  {:<36} {:>7} {:>13} {:>8} {:>6} {:>6} {:>6} {:>5}  {}"
    lines = [
        "Faults:",
        row.format(
            "fault", "at s", "outage s", "requests", "5xx in", "other", "5xx out", "lost", "what"
        ),
    ]
    for record in records:
        at = f"{record.at:.1f}" if record.at is not None else "-"
        if record.window:
            during = [hit for hit in hits if _during(hit, record.window)]
            window = f"{record.window[0]:.1f}-{record.window[1]:.1f}"
            inside = sum(1 for hit in during if hit.status >= 500)
            other = sum(1 for hit in during if _failed(hit) and hit.status < 500)
            counts = (window, f"{len(during):,}", inside, other, "-")
        elif record.at is not None and record.until is not None:
            during = [hit for hit in hits if _during(hit, (record.at, record.until))]
            unplanned = [hit for hit in during if not any(_during(hit, w) for w in windows)]
            bad = sum(1 for hit in unplanned if hit.status >= 500)
            other = sum(1 for hit in during if _failed(hit) and hit.status < 500)
            counts = ("none", f"{len(during):,}", "-", other, bad)
        else:
            counts = ("-", "-", "-", "-", "-")
        name = record.name if record.tried else f"{record.name} (NOT tried)"
        lines.append(row.format(name, at, *counts, record.lost, record.detail))
    bad_outside = sum(1 for hit in outside if hit.status >= 500)
    other_outside = sum(1 for hit in outside if _failed(hit) and hit.status < 500)
    lines.append(
        row.format(
            "outside every planned outage", "-", "-", f"{len(outside):,}", "-", other_outside,
            bad_outside, "-", "must be 0 5xx",
        )
    )  # fmt: skip
    return lines
