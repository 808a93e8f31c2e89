"""What the stock pages share: the form page and how an action's refusal is shown."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

GET_POST = require_http_methods(["GET", "POST"])


def form_page(request, template: str, form, *, title: str, back: str, **context):
    return render(
        request,
        f"stockyard/stock/{template}",
        {"form": form, "title": title, "back": back, **context},
    )


def refused(form, error: ValidationError) -> None:
    """The action's refusal, shown on the form (by field where it names one)."""
    form.add_error(None, error)
