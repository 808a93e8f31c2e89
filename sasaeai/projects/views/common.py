"""What the pages share: the form page, a refusal shown on its form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render


def _form_page(request, form, *, title, back, intro=""):
    return render(
        request, "projects/form.html", {"form": form, "title": title, "back": back, "intro": intro}
    )


def _refused(form, error: ValidationError) -> None:
    form.add_error(None, error)
