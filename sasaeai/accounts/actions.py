"""Writes on accounts: one function per use case."""

from __future__ import annotations

from django.db import transaction

from .models import RoleAssignment, User


@transaction.atomic
def set_date_style(*, user: User, date_style: str) -> User:
    """Remember whether ``user`` reads dates in 和暦 or 西暦."""
    user.date_style = date_style
    user.full_clean(validate_unique=False, exclude=["password", "username"])
    user.save(update_fields=["date_style"])
    return user


@transaction.atomic
def grant_role(
    *,
    user: User,
    role: str,
    center=None,
    municipality_code: str | None = None,
    corporation=None,
) -> RoleAssignment:
    """Give ``user`` a role with its scope; a role with the wrong kind of scope is refused."""
    assignment = RoleAssignment(
        user=user,
        role=role,
        center=center,
        municipality_id=municipality_code,
        corporation=corporation,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


def issue_api_token(*, user: User) -> str:
    """The user's API token, created on first request (one per user)."""
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=user)
    return token.key
