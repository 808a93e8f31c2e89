"""The stockyard's figures for the plan (filled in by the reports)."""

from __future__ import annotations


def plan_kpis() -> tuple:
    return ()
