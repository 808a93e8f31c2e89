"""Committees: a committee's page and edits, its members, meetings and findings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.core.access import public
from sasaeai.members.filters import today_in_japan

from .. import actions, queries
from ..forms import CommitteeForm, CommitteeMemberForm, FindingForm, MeetingForm
from .common import _form_page, _refused


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
