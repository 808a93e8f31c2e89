"""Pages of Pillar VI: the proposals (public once published), their evidence, and the steps
draft → submitted → answered, with publication, for center staff."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.core.access import public
from sasaeai.members.filters import today_in_japan

from . import actions, queries
from .forms import AnswerForm, EvidenceForm, ProposalForm, PublishForm, SubmitForm
from .models import ProposalStatus


def _form_page(request, form, *, title, back, intro=""):
    return render(
        request, "proposals/form.html", {"form": form, "title": title, "back": back, "intro": intro}
    )


@public
def proposal_list(request):
    prefecture = queries.home_prefecture(request.user)
    return render(
        request,
        "proposals/list.html",
        {
            "proposals": queries.proposals_for(request.user, prefecture),
            "can_manage": queries.manages(request.user, prefecture),
        },
    )


@public
def proposal_detail(request, pk: int):
    proposal = queries.get_proposal_for_user_or_404(request.user, pk)
    staff = queries.manages(request.user, proposal.prefecture_id)
    today = today_in_japan()
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "evidence": queries.evidence_of(request.user, proposal),
            "can_manage": staff,
            "is_draft": proposal.status == ProposalStatus.DRAFT,
            "submit_form": SubmitForm(initial={"submitted_on": today}) if staff else None,
            "publish_form": PublishForm(initial={"published_on": today}) if staff else None,
        },
    )


def _proposal_data(data) -> dict:
    return {
        "title": data["title"],
        "addressee_kind": data["addressee_kind"],
        "addressee": data["addressee"],
        "municipality": data["municipality"],
        "themes": list(data["themes"]),
        "text": data["text"],
    }


@center_staff
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    prefecture = queries.home_prefecture(request.user)
    form = ProposalForm(request.POST or None, prefecture=prefecture)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = actions.create_proposal(
                prefecture=prefecture, by=request.user, **_proposal_data(form.cleaned_data)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft proposal was saved."))
            return redirect("proposals:detail", proposal.pk)
    return _form_page(request, form, title=_("New proposal"), back=reverse("proposals:list"))


@center_staff
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk: int):
    proposal = queries.get_managed_proposal_or_404(request.user, pk)
    initial = {
        "title": proposal.title,
        "addressee_kind": proposal.addressee_kind,
        "addressee": proposal.addressee,
        "municipality": proposal.municipality_id,
        "themes": list(proposal.themes.values_list("pk", flat=True)),
        "text": proposal.text,
    }
    form = ProposalForm(request.POST or None, initial=initial, prefecture=proposal.prefecture_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_proposal(
                proposal=proposal, by=request.user, **_proposal_data(form.cleaned_data)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The proposal was saved."))
            return redirect("proposals:detail", proposal.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(proposal)s") % {"proposal": proposal.title},
        back=reverse("proposals:detail", args=[proposal.pk]),
    )


@center_staff
@require_http_methods(["GET", "POST"])
def evidence_add(request, pk: int):
    proposal = queries.get_managed_proposal_or_404(request.user, pk)
    form = EvidenceForm(request.POST or None, prefecture=proposal.prefecture_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_evidence(proposal=proposal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The evidence was added."))
            return redirect("proposals:detail", proposal.pk)
    return _form_page(
        request,
        form,
        title=_("Add evidence to %(proposal)s") % {"proposal": proposal.title},
        back=reverse("proposals:detail", args=[proposal.pk]),
        intro=_("Choose one: a committee finding, a model project or a survey round."),
    )


@center_staff
@require_POST
def evidence_remove(request, pk: int, evidence_pk: int):
    proposal = queries.get_managed_proposal_or_404(request.user, pk)
    evidence = get_object_or_404(proposal.evidence, pk=evidence_pk)
    try:
        actions.remove_evidence(evidence=evidence, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The evidence was removed."))
    return redirect("proposals:detail", proposal.pk)


def _step(request, pk: int, form_class, write, success):
    proposal = queries.get_managed_proposal_or_404(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(proposal, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("proposals:detail", proposal.pk)


@center_staff
@require_POST
def proposal_submit(request, pk: int):
    return _step(
        request,
        pk,
        SubmitForm,
        lambda proposal, data: actions.submit(proposal=proposal, by=request.user, **data),
        _("The proposal was recorded as submitted."),
    )


@center_staff
@require_POST
def proposal_publish(request, pk: int):
    return _step(
        request,
        pk,
        PublishForm,
        lambda proposal, data: actions.publish(proposal=proposal, by=request.user, **data),
        _("The proposal was published."),
    )


@center_staff
@require_POST
def proposal_unpublish(request, pk: int):
    proposal = queries.get_managed_proposal_or_404(request.user, pk)
    actions.unpublish(proposal=proposal, by=request.user)
    messages.success(request, _("The proposal is no longer public."))
    return redirect("proposals:detail", proposal.pk)


@center_staff
@require_http_methods(["GET", "POST"])
def proposal_answer(request, pk: int):
    proposal = queries.get_managed_proposal_or_404(request.user, pk)
    initial = {"answer": proposal.answer, "answered_on": proposal.answered_on or today_in_japan()}
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_answer(proposal=proposal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The answer was recorded."))
            return redirect("proposals:detail", proposal.pk)
    return _form_page(
        request,
        form,
        title=_("The answer to %(proposal)s") % {"proposal": proposal.title},
        back=reverse("proposals:detail", args=[proposal.pk]),
    )
