"""What every plan page needs: the prefecture a user works in, the date asked for."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone

from sasaeai.accounts.scope import scope_of
from sasaeai.regions.models import Center

from ..forms import AsOfForm


def today() -> datetime.date:
    return timezone.localdate()


def home_prefecture(request) -> str:
    """The center staff's prefecture; a superuser may name one (``?prefecture=33``)."""
    scope = scope_of(request.user)
    asked = request.GET.get("prefecture", "")
    if scope.sees_everything() and asked.isdigit() and len(asked) == 2:
        return asked
    prefecture = scope.home_prefecture
    if prefecture is None:
        center = Center.objects.for_display()
        prefecture = center.prefecture_id if center else None
    if prefecture is None:
        raise Http404
    return prefecture


def as_of_from(request, plan) -> tuple[datetime.date, AsOfForm]:
    """The date asked for, by default today, or the plan's last day once it has ended."""
    form = AsOfForm(request.GET or None)
    default = min(today(), plan.ends_on) if plan else today()
    if form.is_valid() and form.cleaned_data.get("as_of"):
        return form.cleaned_data["as_of"], form
    return default, form
