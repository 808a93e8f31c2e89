"""What the grants' pages share: rendering with the navigation, a refusal shown as a message
or on its form, a PDF answer, today's date and the fiscal years a call's budget may cover."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import queries
from ..rules import RuleBroken


def _page(request, template: str, context: dict):
    """Render with what the grants' navigation needs."""
    context.setdefault("is_reviewer", queries.is_reviewer(request.user))
    return render(request, template, context)


def _refused(request, error: ValidationError) -> None:
    if isinstance(error, RuleBroken):
        messages.error(request, error.sentence())
    else:
        messages.error(request, " ".join(error.messages))


def _form_refused(form, error: ValidationError) -> None:
    form.add_error(None, error.sentence() if isinstance(error, RuleBroken) else error)


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


def _today():
    return timezone.localdate()


def _years(call) -> range:
    return range(call.fiscal_year, call.fiscal_year + call.program.max_years)
