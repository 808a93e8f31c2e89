"""Every write of the plan by a user: a target added or changed by the center's staff."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from sasaeai.accounts.scope import scope_of

from .models import Target


@transaction.atomic
def save_target(target: Target, *, by) -> Target:
    """Check and save a target of the staff member's own prefecture's plan (the audit log
    records who changed it; the plan's token is replaced after the commit)."""
    scope = scope_of(by)
    if not (scope.sees_everything() or scope.home_prefecture == target.plan.prefecture_id):
        raise PermissionDenied
    target.full_clean()
    target.save()
    return target
