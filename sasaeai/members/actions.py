"""Writes on members: one function per use case, each in its own transaction."""

from __future__ import annotations

from django.db import transaction

from .models import Corporation


@transaction.atomic
def register_corporation(
    *,
    corporate_number: str,
    name: str,
    municipality_code: str,
    name_kana: str = "",
    is_fictitious: bool = False,
) -> Corporation:
    """Add a corporation to the registry after validating every field."""
    corporation = Corporation(
        corporate_number=corporate_number,
        name=name,
        name_kana=name_kana,
        municipality_id=municipality_code,
        is_fictitious=is_fictitious,
    )
    corporation.full_clean()
    corporation.save()
    return corporation
