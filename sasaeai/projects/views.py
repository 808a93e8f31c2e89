"""Pages of Pillar II: themes, model projects with their sites, status history, reports and
documents; leading projects; committees with their meetings and findings; an Excel export."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.core.access import authenticated, public
from sasaeai.core.dates import fiscal_year_label
from sasaeai.core.tabular import write_xlsx
from sasaeai.members.filters import today_in_japan

from . import actions, kpis, queries
from .forms import (
    CommitteeForm,
    CommitteeMemberForm,
    DocumentForm,
    EndSiteForm,
    FindingForm,
    LeadingProjectForm,
    LeadingYearForm,
    MeetingForm,
    ModelProjectForm,
    NewModelProjectForm,
    PartnerForm,
    ReportForm,
    SiteForm,
    StatusForm,
    ThemeForm,
)
from .models import PROJECT_STATUS_ORDER, ProjectStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form_page(request, form, *, title, back, intro=""):
    return render(
        request, "projects/form.html", {"form": form, "title": title, "back": back, "intro": intro}
    )


def _refused(form, error: ValidationError) -> None:
    form.add_error(None, error)


# Home -----------------------------------------------------------------------------------------


@public
def home(request):
    """Themes with their counts, model projects by status, leading projects, committees."""
    prefecture = queries.home_prefecture(request.user)
    projects = list(queries.projects_of(request.user, prefecture))
    by_status = [
        (status, [p for p in projects if p.status == status]) for status in PROJECT_STATUS_ORDER
    ]
    today = today_in_japan()
    return render(
        request,
        "projects/home.html",
        {
            "themes": queries.themes_with_counts(request.user, prefecture),
            "by_status": [(s, items) for s, items in by_status if items],
            "figures": kpis.project_figures(prefecture, today),
            "today": today,
            "leading_projects": queries.leading_projects_of(prefecture),
            "committees": queries.committees_of(prefecture),
            "can_manage": queries.manages(request.user, prefecture),
        },
    )


# Themes ---------------------------------------------------------------------------------------


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


# Model projects -------------------------------------------------------------------------------


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
def project_export(request):
    """The model projects the page lists, as an Excel sheet."""
    prefecture = queries.home_prefecture(request.user)
    projects = queries.projects_of(request.user, prefecture).prefetch_related(
        "sites__corporation", "sites__network"
    )
    headers = ["テーマ", "事業名", "開始年度", "終了年度", "状況", "指定先", "目標"]
    rows = (
        [
            f"{p.theme.code} {p.theme.name}",
            p.title,
            fiscal_year_label(p.first_fiscal_year, style="wareki"),
            fiscal_year_label(p.last_fiscal_year, style="wareki"),
            p.get_status_display(),
            "・".join(str(s.holder) for s in p.sites.all() if s.ended_on is None),
            p.goals,
        ]
        for p in projects
    )
    buffer = io.BytesIO()
    write_xlsx(headers, rows, buffer, sheet_title="モデル事業")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"model-projects-{prefecture}-{today_in_japan():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


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


# Leading projects -----------------------------------------------------------------------------


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


# Committees -----------------------------------------------------------------------------------


@public
def committee_detail(request, pk: int):
    committee = queries.get_committee_or_404(request.user, pk)
    staff = queries.manages(request.user, committee.prefecture_id)
    return render(
        request,
        "projects/committee_detail.html",
        {
            "committee": committee,
            "members": committee.members.all() if staff else [],
            "meetings": queries.meetings_of(committee, staff=staff),
            "findings": committee.findings.select_related("meeting"),
            "can_manage": staff,
            "member_form": CommitteeMemberForm() if staff else None,
        },
    )


@center_staff
@require_http_methods(["GET", "POST"])
def committee_edit(request, pk: int | None = None):
    prefecture = queries.home_prefecture(request.user)
    committee = queries.get_managed_committee_or_404(request.user, pk) if pk else None
    initial = (
        {
            "name": committee.name,
            "theme": committee.theme_id,
            "purpose": committee.purpose,
            "formed_on": committee.formed_on,
            "dissolved_on": committee.dissolved_on,
        }
        if committee
        else {}
    )
    prefecture = committee.prefecture_id if committee else prefecture
    form = CommitteeForm(request.POST or None, initial=initial, prefecture=prefecture)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_committee(
                prefecture=prefecture, committee=committee, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The committee was saved."))
            return redirect("projects:committee-detail", saved.pk)
    back = (
        reverse("projects:committee-detail", args=[committee.pk])
        if committee
        else reverse("projects:home")
    )
    title = (
        _("Edit %(committee)s") % {"committee": committee.name} if committee else _("New committee")
    )
    return _form_page(request, form, title=title, back=back)


@center_staff
@require_POST
def committee_member_add(request, pk: int):
    committee = queries.get_managed_committee_or_404(request.user, pk)
    form = CommitteeMemberForm(request.POST)
    if form.is_valid():
        try:
            actions.add_committee_member(committee=committee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The member was added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("projects:committee-detail", committee.pk)


@center_staff
@require_http_methods(["GET", "POST"])
def meeting_add(request, pk: int):
    committee = queries.get_managed_committee_or_404(request.user, pk)
    form = MeetingForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_meeting(committee=committee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect("projects:committee-detail", committee.pk)
    return _form_page(
        request,
        form,
        title=_("Record a meeting of %(committee)s") % {"committee": committee.name},
        back=reverse("projects:committee-detail", args=[committee.pk]),
    )


@center_staff
@require_http_methods(["GET", "POST"])
def finding_add(request, pk: int):
    committee = queries.get_managed_committee_or_404(request.user, pk)
    form = FindingForm(
        request.POST or None, committee=committee, initial={"found_on": today_in_japan()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_finding(committee=committee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The finding was recorded."))
            return redirect("projects:committee-detail", committee.pk)
    return _form_page(
        request,
        form,
        title=_("Record a finding of %(committee)s") % {"committee": committee.name},
        back=reverse("projects:committee-detail", args=[committee.pk]),
    )
