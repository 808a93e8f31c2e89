"""Leading projects: the list, a project's page, edits, partners and fiscal years."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.core.access import public

from .. import actions, queries
from ..forms import LeadingProjectForm, LeadingYearForm, PartnerForm
from .common import _form_page, _refused


@public
def leading_list(request):
    prefecture = queries.home_prefecture(request.user)
    return render(
        request,
        "projects/leading_list.html",
        {
            "projects": queries.leading_projects_of(prefecture),
            "can_manage": queries.manages(request.user, prefecture),
        },
    )


@public
def leading_detail(request, pk: int):
    project = queries.get_leading_project_or_404(request.user, pk)
    staff = queries.manages(request.user, project.prefecture_id)
    return render(
        request,
        "projects/leading_detail.html",
        {
            "project": project,
            "partners": project.partners.all(),
            "years": project.years.all(),
            "can_manage": staff,
            "partner_form": PartnerForm(prefecture=project.prefecture_id) if staff else None,
        },
    )


@center_staff
@require_http_methods(["GET", "POST"])
def leading_edit(request, pk: int | None = None):
    prefecture = queries.home_prefecture(request.user)
    project = queries.get_managed_leading_project_or_404(request.user, pk) if pk else None
    initial = (
        {
            "theme": project.theme_id,
            "title": project.title,
            "description": project.description,
            "first_fiscal_year": project.first_fiscal_year,
            "last_fiscal_year": project.last_fiscal_year,
        }
        if project
        else {}
    )
    prefecture = project.prefecture_id if project else prefecture
    form = LeadingProjectForm(request.POST or None, initial=initial, prefecture=prefecture)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_leading_project(
                prefecture=prefecture, project=project, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The leading project was saved."))
            return redirect("projects:leading-detail", saved.pk)
    back = (
        reverse("projects:leading-detail", args=[project.pk])
        if project
        else reverse("projects:leading-list")
    )
    title = (
        _("Edit %(project)s") % {"project": project.title} if project else _("New leading project")
    )
    return _form_page(request, form, title=title, back=back)


@center_staff
@require_POST
def partner_add(request, pk: int):
    project = queries.get_managed_leading_project_or_404(request.user, pk)
    form = PartnerForm(request.POST, prefecture=project.prefecture_id)
    if form.is_valid():
        try:
            actions.add_partner(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The partner was added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("projects:leading-detail", project.pk)


@center_staff
@require_http_methods(["GET", "POST"])
def leading_year(request, pk: int, year_pk: int | None = None):
    project = queries.get_managed_leading_project_or_404(request.user, pk)
    year = get_object_or_404(project.years, pk=year_pk) if year_pk else None
    initial = (
        {
            "fiscal_year": year.fiscal_year,
            "activities": year.activities,
            "results": year.results,
            "times_held": year.times_held,
            "people_reached": year.people_reached,
        }
        if year
        else {}
    )
    form = LeadingYearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_leading_year(
                project=project, year=year, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The year was recorded."))
            return redirect("projects:leading-detail", project.pk)
    return _form_page(
        request,
        form,
        title=_("A year of %(project)s") % {"project": project.title},
        back=reverse("projects:leading-detail", args=[project.pk]),
    )
