"""What every plan page needs: the prefecture a user works in, the date asked for."""

from __future__ import annotations

import datetime

from django.utils import timezone

from sasaeai.accounts.scope import scope_of, shown_prefecture

from ..forms import AsOfForm


def today() -> datetime.date:
    return timezone.localdate()


def home_prefecture(request) -> str:
    """The center staff's prefecture; a superuser may name one (``?prefecture=33``)."""
    asked = request.GET.get("prefecture", "")
    if scope_of(request.user).sees_everything() and asked.isdigit() and len(asked) == 2:
        return asked
    return shown_prefecture(request.user)


def as_of_from(request, plan) -> tuple[datetime.date, AsOfForm]:
    """The date asked for, by default today, or the plan's last day once it has ended."""
    form = AsOfForm(request.GET or None)
    default = min(today(), plan.ends_on) if plan else today()
    if form.is_valid() and form.cleaned_data.get("as_of"):
        return form.cleaned_data["as_of"], form
    return default, form
