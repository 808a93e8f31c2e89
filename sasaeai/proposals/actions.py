"""Every write of Pillar VI, one function per use case, each in its own transaction.

A proposal is drafted, submitted to its addressee on a date, answered; it can be published
once it has left the draft. Its evidence is a committee's finding, a model project or a survey
round of the same prefecture. Refusals name the rule; nothing is written then.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Addressee, Evidence, Proposal, ProposalStatus


def _day(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _check_fields(prefecture: str, addressee_kind: str, municipality, themes) -> None:
    if addressee_kind not in Addressee.values:
        raise ValidationError(_("Unknown kind of addressee."), code="addressee_kind")
    if municipality is not None and municipality.prefecture_id != prefecture:
        raise ValidationError(
            _("%(municipality)s is not in this center's prefecture."),
            code="outside_prefecture",
            params={"municipality": municipality},
        )
    if addressee_kind == Addressee.MUNICIPALITY and municipality is None:
        raise ValidationError(
            _("A proposal to a municipality names the municipality."), code="municipality"
        )
    for theme in themes:
        if theme.prefecture_id != prefecture:
            raise ValidationError(
                _("The theme %(theme)s belongs to another prefecture."),
                code="outside_prefecture",
                params={"theme": theme},
            )


@transaction.atomic
def create_proposal(
    *,
    prefecture: str,
    title: str,
    addressee_kind: str,
    addressee: str,
    text: str,
    municipality=None,
    themes: Iterable = (),
    by=None,
) -> Proposal:
    themes = list(themes)
    _check_fields(prefecture, addressee_kind, municipality, themes)
    proposal = Proposal.objects.create(
        prefecture_id=prefecture,
        title=title,
        addressee_kind=addressee_kind,
        addressee=addressee,
        municipality=municipality,
        text=text,
        created_by=by,
    )
    proposal.themes.set(themes)
    return proposal


@transaction.atomic
def update_proposal(
    *,
    proposal: Proposal,
    title: str,
    addressee_kind: str,
    addressee: str,
    text: str,
    municipality=None,
    themes: Iterable = (),
    by=None,
) -> Proposal:
    """What a proposal says can change while it is a draft; once submitted it is a record."""
    proposal = _locked(proposal)
    if proposal.status != ProposalStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be edited; this proposal was submitted on %(date)s."),
            code="not_draft",
            params={"date": _day(proposal.submitted_on) if proposal.submitted_on else "—"},
        )
    themes = list(themes)
    _check_fields(proposal.prefecture_id, addressee_kind, municipality, themes)
    proposal.title, proposal.addressee_kind, proposal.addressee = title, addressee_kind, addressee
    proposal.municipality, proposal.text = municipality, text
    proposal.save()
    proposal.themes.set(themes)
    return proposal


def _source_prefecture(finding, model_project, survey_round) -> str:
    if finding is not None:
        return finding.committee.prefecture_id
    if model_project is not None:
        return model_project.prefecture_id
    return survey_round.survey.prefecture_id


@transaction.atomic
def add_evidence(
    *,
    proposal: Proposal,
    finding=None,
    model_project=None,
    survey_round=None,
    note: str = "",
    by=None,
) -> Evidence:
    """Cite one finding, model project or survey round of the proposal's prefecture."""
    sources = {
        "finding": finding,
        "model_project": model_project,
        "survey_round": survey_round,
    }
    given = {name: source for name, source in sources.items() if source is not None}
    if len(given) != 1:
        raise ValidationError(
            _("Cite exactly one: a committee finding, a model project or a survey round."),
            code="one_source",
        )
    proposal = _locked(proposal)
    if _source_prefecture(finding, model_project, survey_round) != proposal.prefecture_id:
        raise ValidationError(
            _("The evidence belongs to another prefecture: a proposal cites its own center's."),
            code="outside_prefecture",
        )
    if proposal.evidence.filter(**given).exists():
        raise ValidationError(
            _("The proposal already cites %(source)s."),
            code="duplicate",
            params={"source": next(iter(given.values()))},
        )
    return Evidence.objects.create(proposal=proposal, note=note, **given)


@transaction.atomic
def remove_evidence(*, evidence: Evidence, by=None) -> None:
    proposal = _locked(evidence.proposal)
    if proposal.status != ProposalStatus.DRAFT:
        raise ValidationError(
            _("The evidence of a submitted proposal stays as it was submitted."),
            code="not_draft",
        )
    evidence.delete()


@transaction.atomic
def submit(*, proposal: Proposal, submitted_on: datetime.date, by=None) -> Proposal:
    """draft → submitted, on the date it was handed to the addressee."""
    proposal = _locked(proposal)
    if proposal.status != ProposalStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be submitted; this proposal is %(status)s."),
            code="not_draft",
            params={"status": proposal.get_status_display()},
        )
    proposal.status, proposal.submitted_on = ProposalStatus.SUBMITTED, submitted_on
    proposal.save(update_fields=["status", "submitted_on", "updated_at"])
    return proposal


@transaction.atomic
def record_answer(
    *, proposal: Proposal, answer: str, answered_on: datetime.date, by=None
) -> Proposal:
    """submitted → answered, with the addressee's answer (an answer can be corrected)."""
    proposal = _locked(proposal)
    if proposal.status == ProposalStatus.DRAFT:
        raise ValidationError(
            _("A draft has no answer: submit the proposal first."), code="not_submitted"
        )
    if answered_on < proposal.submitted_on:
        raise ValidationError(
            _("The answer cannot come before the submission (%(date)s)."),
            code="dates",
            params={"date": _day(proposal.submitted_on)},
        )
    if not answer.strip():
        raise ValidationError(_("Write the answer."), code="empty")
    proposal.status, proposal.answer, proposal.answered_on = (
        ProposalStatus.ANSWERED,
        answer,
        answered_on,
    )
    proposal.save(update_fields=["status", "answer", "answered_on", "updated_at"])
    return proposal


@transaction.atomic
def publish(*, proposal: Proposal, published_on: datetime.date, by=None) -> Proposal:
    """Make a submitted (or answered) proposal public; a draft is never published."""
    proposal = _locked(proposal)
    if proposal.status == ProposalStatus.DRAFT:
        raise ValidationError(
            _("A draft cannot be published: submit the proposal first."), code="draft"
        )
    if published_on < proposal.submitted_on:
        raise ValidationError(
            _("A proposal cannot be published before it was submitted (%(date)s)."),
            code="dates",
            params={"date": _day(proposal.submitted_on)},
        )
    proposal.published_on = published_on
    proposal.save(update_fields=["published_on", "updated_at"])
    return proposal


@transaction.atomic
def unpublish(*, proposal: Proposal, by=None) -> Proposal:
    proposal = _locked(proposal)
    proposal.published_on = None
    proposal.save(update_fields=["published_on", "updated_at"])
    return proposal
