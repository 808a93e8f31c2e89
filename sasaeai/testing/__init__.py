"""Test support shared by all apps: factories and personas (imported by tests only)."""

from .personas import Personas, personas

__all__ = ["Personas", "personas"]
