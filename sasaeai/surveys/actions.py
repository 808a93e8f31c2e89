"""Every write of surveys: rounds and their invitations, answers (saved as typed, submitted
once), closing, reminders."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.core.dates import JapaneseDateError, parse_japanese_date

from .models import (
    CHOICE_KINDS,
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Round,
    Survey,
    TargetKind,
)

# Rounds ---------------------------------------------------------------------------------------


def _local_government(municipality):
    if municipality is not None and municipality.parent_id:
        return municipality.parent_id
    return municipality.pk if municipality else None


def _targets(round_: Round) -> list[Invitation]:
    """The invitations of a round's population: every open record of its prefecture."""
    from sasaeai.members.models import Corporation, Council, Facility
    from sasaeai.networks.models import MunicipalNetwork

    prefecture = round_.survey.prefecture_id
    today = timezone.localdate()
    wanted = round_.target_filter or {}
    municipalities = set(wanted.get("municipalities") or [])
    if round_.target_kind == TargetKind.CORPORATIONS:
        records = Corporation.objects.in_prefecture(prefecture).active_on(today)
        if wanted.get("members_only"):
            records = records.members_on(today)
        if wanted.get("sector_groups"):
            records = records.filter(sector_group_id__in=wanted["sector_groups"])
        records = records.select_related("municipality")
        field = "corporation"
    elif round_.target_kind == TargetKind.FACILITIES:
        records = (
            Facility.objects.in_prefecture(prefecture)
            .active_on(today)
            .select_related("municipality")
        )
        field = "facility"
    elif round_.target_kind == TargetKind.COUNCILS:
        records = (
            Council.objects.in_prefecture(prefecture)
            .active_on(today)
            .select_related("municipality")
        )
        field = "council"
    else:
        records = MunicipalNetwork.objects.in_prefecture(prefecture).established_on(today)
        field = "network"
    invitations = []
    for record in records:
        if field == "network":
            first = record.area.order_by("code").first()
            municipality = first.pk if first else None
        else:
            municipality = _local_government(record.municipality)
        if municipalities and municipality not in municipalities:
            continue
        invitations.append(
            Invitation(
                round=round_, name=record.name, municipality_id=municipality, **{field: record}
            )
        )
    return invitations


@transaction.atomic
def create_round(
    *,
    survey: Survey,
    title: str,
    target_kind: str,
    deadline: datetime.datetime,
    fiscal_year: int | None = None,
    target_filter: Mapping | None = None,
    kpi_question: Question | None = None,
    kpi_choices: Sequence[str] = (),
    by=None,
    is_demo: bool = False,
) -> Round:
    """A round and one invitation per target."""
    if kpi_question is not None:
        if kpi_question.survey_id != survey.pk or kpi_question.kind not in CHOICE_KINDS:
            raise ValidationError(_("The KPI must be a choice question of this survey."))
        codes = set(kpi_question.choices.values_list("code", flat=True))
        if not kpi_choices or not set(kpi_choices) <= codes:
            raise ValidationError(
                _("Name the answers that count as 「している」 among: %(codes)s.")
                % {"codes": ", ".join(sorted(codes))}
            )
    round_ = Round.objects.create(
        survey=survey,
        fiscal_year=fiscal_year or survey.fiscal_year,
        title=title,
        target_kind=target_kind,
        target_filter=dict(target_filter or {}),
        deadline=deadline,
        kpi_question=kpi_question,
        kpi_choices=list(kpi_choices),
        created_by=by,
        is_demo=is_demo,
    )
    invitations = _targets(round_)
    if not invitations:
        raise ValidationError(_("The round would reach nobody: no target matches."))
    Invitation.objects.bulk_create(invitations, batch_size=2000)
    return round_


@transaction.atomic
def close_round(*, round_: Round, by=None) -> Round:
    if round_.closed_at is None:
        round_.closed_at = timezone.now()
        round_.save(update_fields=["closed_at"])
    return round_


# Answers --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    question: str  # the question's code
    message: str


class AnswersRefused(ValidationError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__([f"{p.question}: {p.message}" for p in problems])
        self.problems = problems


def visible(questions: Sequence[Question], chosen: Mapping[str, set[str]]) -> list[Question]:
    """The questions shown, given the choices made (skip logic)."""
    shown = []
    for question in questions:
        rule = question.show_if or {}
        if rule and not (chosen.get(rule["question"], set()) & set(rule["answers"])):
            continue
        shown.append(question)
    return shown


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("choices").order_by("order", "id"))


def check_open(invitation: Invitation, now=None) -> None:
    round_ = invitation.round
    if round_.closed_at is not None:
        raise ValidationError(_("This survey is closed."), code="closed")
    if (now or timezone.now()) > round_.deadline:
        raise ValidationError(_("The deadline of this survey has passed."), code="deadline")


def _values(question: Question, raw: Mapping[str, object]) -> list[Answer] | str:
    """The answers to one question from the submitted values, or a message."""
    key = question.code
    choices = {c.code: c for c in question.choices.all()}
    answers: list[Answer] = []
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        picked = raw.get(key) or []
        picked = [picked] if isinstance(picked, str) else list(picked)
        picked = [p for p in picked if p]
        if question.kind == QuestionKind.SINGLE and len(picked) > 1:
            return _("Choose one answer.")
        for code in picked:
            if code not in choices:
                return _("“%(value)s” is not one of the choices.") % {"value": code}
            other = str(raw.get(f"{key}__other") or "") if code == "other" else ""
            answers.append(Answer(question=question, choice=choices[code], text=other.strip()))
    elif question.kind == QuestionKind.MATRIX:
        for row in question.rows:
            code = raw.get(f"{key}__{row['code']}")
            if not code:
                continue
            if code not in choices:
                return _("“%(value)s” is not one of the choices.") % {"value": code}
            answers.append(Answer(question=question, row=row["code"], choice=choices[code]))
    else:
        text = str(raw.get(key) or "").strip()
        if not text:
            return answers
        if question.kind == QuestionKind.TEXT:
            answers.append(Answer(question=question, text=text))
        elif question.kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
            try:
                number = decimal.Decimal(text.replace(",", ""))
            except decimal.InvalidOperation:
                return _("Enter a number.")
            if question.kind == QuestionKind.SCALE and not (
                question.scale_min <= number <= question.scale_max
            ):
                return _("Choose from %(low)s to %(high)s.") % {
                    "low": question.scale_min,
                    "high": question.scale_max,
                }
            answers.append(Answer(question=question, number=number))
        elif question.kind == QuestionKind.DATE:
            try:
                answers.append(Answer(question=question, date=parse_japanese_date(text).value))
            except JapaneseDateError as error:
                return str(error)
    return answers


def _complete(question: Question, answers: list[Answer]) -> bool:
    if question.kind == QuestionKind.MATRIX:
        return {a.row for a in answers} >= {row["code"] for row in question.rows}
    return bool(answers)


@transaction.atomic
def save_answers(
    *,
    invitation: Invitation,
    raw: Mapping[str, object],
    submit: bool = False,
    source: str = "web",
    now=None,
    check_deadline: bool = True,
) -> Response:
    """Replace the invitation's answers with ``raw`` (question code → value(s)); with
    ``submit`` every shown required question must be answered. Answers to questions hidden
    by the skip logic are dropped. One invitation has one response, however often it is
    saved or submitted."""
    if check_deadline:
        check_open(invitation, now)
    questions = questions_of(invitation.round.survey)
    parsed: dict[str, list[Answer]] = {}
    problems: list[Problem] = []
    for question in questions:
        result = _values(question, raw)
        if isinstance(result, str):
            problems.append(Problem(question.code, result))
            parsed[question.code] = []
        else:
            parsed[question.code] = result
    chosen = {
        code: {a.choice.code for a in answers if a.choice_id} for code, answers in parsed.items()
    }
    shown = visible(questions, chosen)
    if submit:
        for question in shown:
            if question.required and not _complete(question, parsed[question.code]):
                problems.append(Problem(question.code, _("This question is required.")))
    if problems:
        raise AnswersRefused(problems)
    response, _created = Response.objects.select_for_update().get_or_create(
        invitation=invitation,
        defaults={
            "round": invitation.round,
            "municipality_id": invitation.municipality_id,
            "source": source,
        },
    )
    response.answers.all().delete()
    rows = [answer for question in shown for answer in parsed[question.code]]
    for answer in rows:
        answer.response = response
        answer.municipality_id = response.municipality_id
    Answer.objects.bulk_create(rows)
    if submit and response.submitted_at is None:
        response.submitted_at = now or timezone.now()
    response.source = source
    response.save()
    return response


def answers_as_raw(response: Response | None) -> dict[str, object]:
    """A response's answers in the shape ``save_answers`` reads (to fill the form again)."""
    raw: dict[str, object] = {}
    if response is None:
        return raw
    for answer in response.answers.select_related("question", "choice"):
        question = answer.question
        key = question.code
        if question.kind == QuestionKind.MULTIPLE:
            raw.setdefault(key, []).append(answer.choice.code)
            if answer.text:
                raw[f"{key}__other"] = answer.text
        elif question.kind == QuestionKind.SINGLE:
            raw[key] = answer.choice.code
            if answer.text:
                raw[f"{key}__other"] = answer.text
        elif question.kind == QuestionKind.MATRIX:
            raw[f"{key}__{answer.row}"] = answer.choice.code
        elif answer.number is not None:
            number = answer.number
            raw[key] = str(int(number)) if number == number.to_integral() else str(number)
        elif answer.date is not None:
            raw[key] = answer.date.isoformat()
        else:
            raw[key] = answer.text
    return raw


# Reminders ------------------------------------------------------------------------------------


def remind(*, round_: Round, now=None) -> int:
    """Queue a reminder to every invitation with an address and no submitted response,
    never twice in one day."""
    from .tasks import send_invitation_mail

    now = now or timezone.now()
    today = timezone.localdate(now)
    count = 0
    with transaction.atomic():
        # Lock the invitations only: PostgreSQL cannot lock the nullable side of the outer
        # join to their responses.
        pending = (
            round_.invitations.select_for_update(of=("self",))
            .exclude(email="")
            .exclude(response__submitted_at__isnull=False)
        )
        for invitation in pending:
            if invitation.reminded_at and timezone.localdate(invitation.reminded_at) == today:
                continue
            invitation.reminded_at = now
            invitation.save(update_fields=["reminded_at"])
            transaction.on_commit(
                lambda pk=invitation.pk: send_invitation_mail.enqueue(pk, "reminder")
            )
            count += 1
    return count
