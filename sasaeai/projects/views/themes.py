"""Themes: the list, loading the starting list and editing a theme (center staff)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff

from .. import actions, queries
from ..forms import ThemeForm
from .common import _form_page, _refused


@center_staff
def theme_list(request):
    prefecture = queries.home_prefecture(request.user)
    themes = queries.themes_with_counts(request.user, prefecture)
    return render(
        request,
        "projects/theme_list.html",
        {"themes": themes, "can_load": not themes.exists()},
    )


@center_staff
@require_POST
def theme_load(request):
    prefecture = queries.home_prefecture(request.user)
    try:
        created = actions.load_starting_themes(prefecture)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s themes were added.") % {"count": created})
    return redirect("projects:theme-list")


@center_staff
@require_http_methods(["GET", "POST"])
def theme_edit(request, pk: int | None = None):
    prefecture = queries.home_prefecture(request.user)
    theme = queries.get_managed_theme_or_404(request.user, pk) if pk else None
    initial = (
        {
            "code": theme.code,
            "name": theme.name,
            "description": theme.description,
            "order": theme.order,
            "active": theme.active,
        }
        if theme
        else {}
    )
    form = ThemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_theme(
                prefecture=theme.prefecture_id if theme else prefecture,
                theme=theme,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The theme was saved."))
            return redirect("projects:theme-list")
    title = _("Edit the theme") if theme else _("New theme")
    return _form_page(request, form, title=title, back=reverse("projects:theme-list"))
