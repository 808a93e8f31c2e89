"""Model projects: the list, a project's page and edits, status, sites, reports, documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.core.access import authenticated, public
from sasaeai.members.filters import today_in_japan

from .. import actions, queries
from ..forms import (
    DocumentForm,
    EndSiteForm,
    ModelProjectForm,
    NewModelProjectForm,
    ReportForm,
    SiteForm,
    StatusForm,
)
from ..models import ProjectStatus
from .common import _form_page, _refused


@public
def project_list(request):
    prefecture = queries.home_prefecture(request.user)
    projects = queries.projects_of(request.user, prefecture)
    status = request.GET.get("status", "")
    if status in ProjectStatus.values:
        projects = projects.filter(status=status)
    return render(
        request,
        "projects/project_list.html",
        {
            "projects": projects,
            "status": status,
            "statuses": ProjectStatus.choices,
            "can_manage": queries.manages(request.user, prefecture),
        },
    )


@public
def project_detail(request, pk: int):
    project = queries.get_project_for_user_or_404(request.user, pk)
    staff = queries.manages(request.user, project.prefecture_id)
    reporting = queries.reporting_sites(request.user, project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "sites": queries.sites_of(project),
            "history": queries.history_of(project),
            "documents": queries.documents_for(request.user, project),
            "reports": queries.reports_for(request.user, project),
            "can_manage": staff,
            "can_report": staff or reporting.exists(),
            "status_form": StatusForm(),
            "document_form": DocumentForm(),
            "end_form": EndSiteForm(),
        },
    )


def _project_data(data) -> dict:
    return {
        "theme": data["theme"],
        "title": data["title"],
        "first_fiscal_year": data["first_fiscal_year"],
        "last_fiscal_year": data["last_fiscal_year"],
        "goals": data["goals"],
        "outcomes": data["outcomes"],
        "max_sites": data["max_sites"],
    }


@center_staff
@require_http_methods(["GET", "POST"])
def project_create(request):
    prefecture = queries.home_prefecture(request.user)
    form = NewModelProjectForm(request.POST or None, prefecture=prefecture)
    if request.method == "POST" and form.is_valid():
        try:
            project = actions.create_model_project(
                prefecture=prefecture,
                planned_on=form.cleaned_data["planned_on"],
                by=request.user,
                **_project_data(form.cleaned_data),
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The model project was registered."))
            return redirect("projects:project-detail", project.pk)
    return _form_page(
        request, form, title=_("New model project"), back=reverse("projects:project-list")
    )


@center_staff
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project = queries.get_managed_project_or_404(request.user, pk)
    initial = {
        "theme": project.theme_id,
        "title": project.title,
        "first_fiscal_year": project.first_fiscal_year,
        "last_fiscal_year": project.last_fiscal_year,
        "goals": project.goals,
        "outcomes": project.outcomes,
        "max_sites": project.max_sites,
    }
    form = ModelProjectForm(request.POST or None, initial=initial, prefecture=project.prefecture_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_model_project(
                project=project, by=request.user, **_project_data(form.cleaned_data)
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The model project was saved."))
            return redirect("projects:project-detail", project.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(project)s") % {"project": project.title},
        back=reverse("projects:project-detail", args=[project.pk]),
    )


@center_staff
@require_http_methods(["GET", "POST"])
def project_status(request, pk: int):
    project = queries.get_managed_project_or_404(request.user, pk)
    form = StatusForm(request.POST or None, initial={"effective_on": today_in_japan()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_status(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The status was recorded."))
            return redirect("projects:project-detail", project.pk)
    return _form_page(
        request,
        form,
        title=_("Record a status of %(project)s") % {"project": project.title},
        back=reverse("projects:project-detail", args=[project.pk]),
        intro=_(
            "A step dated before the latest one is kept where its date puts it; the project's "
            "status is always its latest step by date."
        ),
    )


@center_staff
@require_http_methods(["GET", "POST"])
def site_designate(request, pk: int):
    project = queries.get_managed_project_or_404(request.user, pk)
    form = SiteForm(request.POST or None, prefecture=project.prefecture_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.designate_site(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The site was designated."))
            return redirect("projects:project-detail", project.pk)
    return _form_page(
        request,
        form,
        title=_("Designate a site of %(project)s") % {"project": project.title},
        back=reverse("projects:project-detail", args=[project.pk]),
        intro=_("At most %(max)s sites at once; a corporation must be a member of the center.")
        % {"max": project.max_sites},
    )


@center_staff
@require_POST
def site_end(request, pk: int, site_pk: int):
    project = queries.get_managed_project_or_404(request.user, pk)
    site = get_object_or_404(project.sites, pk=site_pk)
    form = EndSiteForm(request.POST)
    if form.is_valid():
        try:
            actions.end_site(site=site, ended_on=form.cleaned_data["ended_on"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The end of the site was recorded."))
    else:
        messages.error(request, " ".join(form.errors.get("ended_on", [])))
    return redirect("projects:project-detail", project.pk)


@authenticated
@require_http_methods(["GET", "POST"])
def report_add(request, pk: int):
    """Center staff, or the staff of a corporation designated as a site (for their site)."""
    project = queries.get_project_for_user_or_404(request.user, pk)
    staff = queries.manages(request.user, project.prefecture_id)
    sites = queries.reporting_sites(request.user, project)
    if not staff and not sites.exists():
        raise Http404
    form = ReportForm(
        request.POST or None,
        sites=sites,
        site_required=not staff,
        initial={"reported_on": today_in_japan()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_progress_report(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The progress report was saved."))
            return redirect("projects:project-detail", project.pk)
    return _form_page(
        request,
        form,
        title=_("Progress report of %(project)s") % {"project": project.title},
        back=reverse("projects:project-detail", args=[project.pk]),
    )


@center_staff
@require_POST
def document_add(request, pk: int):
    project = queries.get_managed_project_or_404(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_document(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document was uploaded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("projects:project-detail", project.pk)


@public
def document_download(request, pk: int):
    document = queries.get_document_for_user_or_404(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])
