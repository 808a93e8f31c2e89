"""Pages of surveys: definitions (copy, JSON in and out), rounds (targets, tracking,
reminders, letters, closing), answering without an account, results, paper answers."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import scope_of
from sasaeai.core import uploads
from sasaeai.core.access import public
from sasaeai.core.audit import record_access
from sasaeai.core.qr import qr_svg
from sasaeai.core.ratelimit import rate_limited

from . import actions, definition
from .forms import DefinitionUploadForm, RoundForm
from .models import Invitation, QuestionKind, Round, Survey


def _prefecture(user) -> str:
    prefecture = scope_of(user).home_prefecture
    if prefecture is None:
        raise Http404
    return prefecture


def _survey_or_404(user, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.managed_by(user), pk=pk)


def _round_or_404(user, pk: int) -> Round:
    return get_object_or_404(Round.objects.managed_by(user).select_related("survey"), pk=pk)


def answer_url(invitation: Invitation) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.SASAEAI_SITE_URL + reverse("surveys:answer", args=[invitation.token])


# Definitions ----------------------------------------------------------------------------------


@center_staff
def survey_list(request):
    prefecture = _prefecture(request.user)
    surveys = Survey.objects.managed_by(request.user).filter(prefecture_id=prefecture)
    rounds = (
        Round.objects.managed_by(request.user)
        .filter(survey__prefecture_id=prefecture)
        .select_related("survey")
        .order_by("-fiscal_year", "-id")
    )
    return render(request, "surveys/survey_list.html", {"surveys": surveys, "rounds": rounds})


@center_staff
@require_http_methods(["GET", "POST"])
def survey_import(request):
    prefecture = _prefecture(request.user)
    form = DefinitionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = definition.import_definition(
                form.cleaned_data["definition"], prefecture=prefecture, by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The survey was created."))
            return redirect("surveys:survey-detail", survey.pk)
    return render(
        request, "surveys/form.html", {"form": form, "title": _("Import a survey definition")}
    )


@center_staff
def survey_detail(request, pk: int):
    survey = _survey_or_404(request.user, pk)
    questions = actions.questions_of(survey)
    return render(
        request,
        "surveys/survey_detail.html",
        {"survey": survey, "questions": questions, "rounds": survey.rounds.all()},
    )


@center_staff
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk: int):
    """Edit a definition before it is sent, as its JSON (the shape it is shared in)."""
    survey = _survey_or_404(request.user, pk)
    text = json.dumps(definition.export_definition(survey), ensure_ascii=False, indent=2)
    form = DefinitionUploadForm(request.POST or None, initial={"text": text})
    if request.method == "POST" and form.is_valid():
        try:
            survey = definition.replace_definition(
                survey, form.cleaned_data["definition"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The survey was saved."))
            return redirect("surveys:survey-detail", survey.pk)
    title = _("Edit %(title)s") % {"title": survey.title}
    return render(request, "surveys/form.html", {"form": form, "title": title})


@center_staff
def survey_json(request, pk: int):
    survey = _survey_or_404(request.user, pk)
    body = json.dumps(definition.export_definition(survey), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"{survey.code}-{survey.fiscal_year}.json"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@center_staff
@require_POST
def survey_copy(request, pk: int):
    survey = _survey_or_404(request.user, pk)
    try:
        copy = definition.copy_to_next_year(survey, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:survey-detail", survey.pk)
    messages.success(
        request,
        _("Copied to fiscal year %(year)s with the same question codes.")
        % {"year": copy.fiscal_year},
    )
    return redirect("surveys:survey-detail", copy.pk)


# Rounds ---------------------------------------------------------------------------------------


@center_staff
@require_http_methods(["GET", "POST"])
def round_create(request, pk: int):
    survey = _survey_or_404(request.user, pk)
    form = RoundForm(
        request.POST or None,
        survey=survey,
        initial={"title": survey.title, "target_kind": "corporations"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        question, choices = form.kpi()
        deadline = timezone.make_aware(
            datetime.datetime.combine(data["deadline"], datetime.time(23, 59))
        )
        target_filter = {}
        if data["members_only"]:
            target_filter["members_only"] = True
        if data["municipalities"]:
            target_filter["municipalities"] = [m.pk for m in data["municipalities"]]
        try:
            round_ = actions.create_round(
                survey=survey,
                title=data["title"],
                target_kind=data["target_kind"],
                deadline=deadline,
                target_filter=target_filter,
                kpi_question=question,
                kpi_choices=choices,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The round was created with %(count)s invitations.")
                % {"count": round_.invitations.count()},
            )
            return redirect("surveys:round-detail", round_.pk)
    return render(request, "surveys/form.html", {"form": form, "title": _("Send the survey")})


@center_staff
def round_detail(request, pk: int):
    from . import results

    round_ = _round_or_404(request.user, pk)
    invitations = round_.invitations.select_related("municipality", "response").order_by(
        "municipality_id", "name"
    )
    return render(
        request,
        "surveys/round_detail.html",
        {
            "round": round_,
            "rate": results.response_rate(round_),
            "by_municipality": results.rate_by(round_, by="municipality"),
            "by_kind": results.rate_by(round_, by="kind"),
            "invitations": invitations,
            "open": round_.is_open(),
        },
    )


@center_staff
@require_POST
def round_close(request, pk: int):
    round_ = _round_or_404(request.user, pk)
    actions.close_round(round_=round_, by=request.user)
    messages.success(request, _("The round is closed: no more answers are accepted."))
    return redirect("surveys:round-detail", round_.pk)


@center_staff
@require_POST
def round_remind(request, pk: int):
    round_ = _round_or_404(request.user, pk)
    count = actions.remind(round_=round_)
    messages.success(
        request,
        _(
            "%(count)s reminders queued (to those with an address who have not answered; "
            "once a day at most)."
        )
        % {"count": count},
    )
    return redirect("surveys:round-detail", round_.pk)


@center_staff
def round_letters(request, pk: int):
    """One letter a target, with its link and QR code, for those reached by post."""
    from sasaeai.core.pdf import render_pdf
    from sasaeai.regions.models import Center

    round_ = _round_or_404(request.user, pk)
    invitations = round_.invitations.select_related("municipality").order_by(
        "municipality_id", "name"
    )
    if request.GET.get("unanswered"):
        invitations = invitations.exclude(response__submitted_at__isnull=False)
    letters = [
        {"invitation": inv, "url": answer_url(inv), "qr": qr_svg(answer_url(inv), scale=3)}
        for inv in invitations
    ]
    center = Center.objects.filter(prefecture_id=round_.survey.prefecture_id).first()
    pdf = render_pdf(
        "surveys/letters_pdf.html",
        {"round": round_, "letters": letters, "center": center, "today": timezone.localdate()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=letters-{round_.pk}.pdf"
    return response


# Answering (no account) -----------------------------------------------------------------------


def _form_questions(survey, raw):
    """The questions with what the form needs: choices, rows, current values."""
    rows = []
    for question in actions.questions_of(survey):
        value = raw.get(question.code)
        rows.append(
            {
                "q": question,
                "choices": list(question.choices.all()),
                "value": value,
                "values": value if isinstance(value, list) else [value] if value else [],
                "other": raw.get(f"{question.code}__other", ""),
                "matrix": [
                    {"row": row, "value": raw.get(f"{question.code}__{row['code']}")}
                    for row in question.rows
                ],
                "scale": range(question.scale_min, question.scale_max + 1)
                if question.kind == QuestionKind.SCALE
                else [],
                "show_if": json.dumps(question.show_if, ensure_ascii=False)
                if question.show_if
                else "",
            }
        )
    return rows


def _raw_from_post(post) -> dict[str, object]:
    raw: dict[str, object] = {}
    for key in post:
        if key in {"csrfmiddlewaretoken", "action"}:
            continue
        values = post.getlist(key)
        raw[key] = values if len(values) > 1 or key.startswith("multi__") else values[0]
    # Multiple-choice inputs are named "multi__<code>" so that one tick is still a list.
    for key in [k for k in raw if k.startswith("multi__")]:
        value = raw.pop(key)
        raw[key.removeprefix("multi__")] = value if isinstance(value, list) else [value]
    return raw


@public
@rate_limited("token-link-miss", methods=("GET", "POST"), misses_only=True)
@rate_limited("survey-answer")
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    invitation = Invitation.objects.select_related("round__survey").filter(token=token).first()
    if invitation is None:
        return render(request, "surveys/answer_error.html", {"reason": "unknown"}, status=404)
    round_ = invitation.round
    response = getattr(invitation, "response", None)
    problems = {}
    if request.method == "POST":
        raw = _raw_from_post(request.POST)
        submit = request.POST.get("action") == "submit"
        try:
            saved = actions.save_answers(invitation=invitation, raw=raw, submit=submit)
        except actions.AnswersRefused as error:
            problems = {p.question: p.message for p in error.problems}
            if request.htmx:  # the autosave: say so beside the buttons
                return HttpResponse(_("Not saved: check the marked answers."))
            messages.error(request, _("Some answers need your attention; nothing was lost."))
            if submit:
                # Keep what was typed: save it as a draft without the required check.
                with contextlib.suppress(ValidationError):
                    actions.save_answers(invitation=invitation, raw=raw, submit=False)
        except ValidationError as error:
            return render(
                request,
                "surveys/answer_error.html",
                {"reason": error.code, "round": round_},
                status=410,
            )
        else:
            if request.htmx:
                return HttpResponse(
                    _("Saved at %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")}
                )
            if submit:
                messages.success(request, _("Thank you: your answers are submitted."))
            else:
                messages.success(request, _("Saved. You can come back to this page later."))
            response = saved
            return redirect("surveys:answer", token)
        response = getattr(invitation, "response", None)
        raw_values = raw
    else:
        try:
            actions.check_open(invitation)
        except ValidationError as error:
            return render(
                request,
                "surveys/answer_error.html",
                {"reason": error.code, "round": round_},
                status=410,
            )
        raw_values = actions.answers_as_raw(response)
    return render(
        request,
        "surveys/answer.html",
        {
            "invitation": invitation,
            "round": round_,
            "survey": round_.survey,
            "questions": _form_questions(round_.survey, raw_values),
            "response": response,
            "problems": problems,
        },
    )


# Results --------------------------------------------------------------------------------------

CROSS_BY = {
    "municipality": gettext_lazy("municipality"),
    "sector": gettext_lazy("sector group"),
    "membership": gettext_lazy("membership"),
    "question": gettext_lazy("another question"),
}


@center_staff
def round_results(request, pk: int):
    """Counts and shares per question, a cross-tab, the year-over-year table; free text for
    the center's staff. ``?shared=1`` shows what may leave the center (small cells hidden)."""
    from . import results

    round_ = _round_or_404(request.user, pk)
    if not request.GET.get("shared"):  # free text answers are shown (or in the workbook)
        record_access(round_, actor=request.user, what="free text answers")
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            results.results_workbook(round_, include_text=True),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename=survey-results-{round_.pk}.xlsx"
        return response
    questions = actions.questions_of(round_.survey)
    choice_questions = [q for q in questions if q.kind in {"single", "multiple"}]
    if request.GET.get("format") == "pdf":
        return _summary_pdf(round_, questions)
    shared = bool(request.GET.get("shared"))
    blocks = []
    for question in questions:
        block = {"q": question}
        if question.kind in {"single", "multiple"}:
            block["rows"] = results.question_counts(round_, question)
        elif question.kind == "matrix":
            counts = results.matrix_counts(round_, question)
            block["matrix"] = [(row["label"], counts.get(row["code"], [])) for row in question.rows]
        elif question.kind in {"number", "scale"}:
            block["summary"] = results.number_summary(round_, question)
        elif question.kind in {"text"} and not shared:
            block["texts"] = results.text_answers(round_, question)
        blocks.append(block)
    by_code = {q.code: q for q in choice_questions}
    cross_q = by_code.get(request.GET.get("q")) or (
        choice_questions[0] if choice_questions else None
    )
    by = request.GET.get("by") if request.GET.get("by") in CROSS_BY else "municipality"
    other = by_code.get(request.GET.get("other")) if by == "question" else None
    if by == "question" and other is None:
        by = "municipality"
    crosstab = (
        results.crosstab(round_, cross_q, by=by, other=other, hide_small=shared)
        if cross_q
        else None
    )
    yoy = (
        results.year_over_year(
            round_.survey.code, cross_q.code, prefecture=round_.survey.prefecture_id
        )
        if cross_q
        else []
    )
    cross_rows = []
    if crosstab:
        for row in [*crosstab.rows, crosstab.overall]:
            cross_rows.append(
                {
                    "label": row.label,
                    "total": row.total,
                    "cells": list(zip(row.counts, row.shares, strict=True)),
                    "overall": row is crosstab.overall,
                }
            )
    yoy_choices = list(yoy[0].choices) if yoy else []
    yoy_rows = [
        {
            "fiscal_year": row.fiscal_year,
            "respondents": row.respondents,
            "shares": [row.shares.get(code) for code, _label in yoy_choices],
        }
        for row in yoy
    ]
    return render(
        request,
        "surveys/results.html",
        {
            "cross_rows": cross_rows,
            "yoy_choices": yoy_choices,
            "yoy_rows": yoy_rows,
            "round": round_,
            "rate": results.response_rate(round_),
            "blocks": blocks,
            "choice_questions": choice_questions,
            "cross_q": cross_q,
            "by": by,
            "by_choices": CROSS_BY,
            "other": other,
            "crosstab": crosstab,
            "yoy": yoy,
            "shared": shared,
        },
    )


def _summary_pdf(round_, questions):
    """The summary for the board and the prefecture: rate, the KPI over the years, every
    choice question's counts; no free text."""
    from sasaeai.core.pdf import render_pdf

    from . import results

    blocks = [
        {"q": q, "rows": results.question_counts(round_, q)}
        for q in questions
        if q.kind in {"single", "multiple"}
    ]
    kpi_question = round_.kpi_question
    yoy = (
        results.year_over_year(
            round_.survey.code, kpi_question.code, prefecture=round_.survey.prefecture_id
        )
        if kpi_question
        else []
    )
    kpi_choices = list(yoy[0].choices) if yoy else []
    pdf = render_pdf(
        "surveys/summary_pdf.html",
        {
            "round": round_,
            "rate": results.response_rate(round_),
            "blocks": blocks,
            "kpi_question": kpi_question,
            "kpi_choices": kpi_choices,
            "kpi_rows": [
                {
                    "fiscal_year": row.fiscal_year,
                    "respondents": row.respondents,
                    "shares": [row.shares.get(code) for code, _label in kpi_choices],
                }
                for row in yoy
            ],
            "today": timezone.localdate(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=survey-summary-{round_.pk}.pdf"
    return response


# Paper and Excel answers ----------------------------------------------------------------------

IMPORT_SALT = "sasaeai.surveys.answers"


@center_staff
@require_http_methods(["GET", "POST"])
def round_answers(request, pk: int):
    """Download the answer sheet (every invitation, answers so far); upload it filled in:
    preview with row errors, then all or nothing."""
    from sasaeai.core.tabular import TableError

    from . import paper
    from .forms import AnswersUploadForm

    round_ = _round_or_404(request.user, pk)
    if request.GET.get("format") in {"xlsx", "csv"}:
        record_access(round_, actor=request.user, what="answer sheet")
        kind = request.GET["format"]
        buffer = io.BytesIO()
        paper.export_answers(round_, buffer, format=kind)
        content_type = (
            "text/csv; charset=utf-8"
            if kind == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(buffer.getvalue(), content_type=content_type)
        response["Content-Disposition"] = f"attachment; filename=answers-{round_.pk}.{kind}"
        return response
    form = AnswersUploadForm(request.POST or None, request.FILES or None)
    context = {"round": round_, "form": form, "plan": None}
    if request.method == "POST" and "token" in request.POST:
        try:
            name, data = uploads.open_upload(
                request.POST["token"], salt=IMPORT_SALT, user=request.user.pk, round=round_.pk
            )
        except uploads.PreviewExpired:
            messages.error(request, _("The preview expired. Upload the file again."))
            return redirect("surveys:round-answers", round_.pk)
        except uploads.UploadMismatch:
            raise Http404 from None
        try:
            plan = paper.plan_answers(data, round_=round_, filename=name)
            count = paper.apply_answers(plan, by=request.user)
        except (TableError, ValidationError) as error:
            messages.error(request, uploads.message_of(error))
            return redirect("surveys:round-answers", round_.pk)
        messages.success(request, _("%(count)s responses imported.") % {"count": count})
        return redirect("surveys:round-detail", round_.pk)
    if request.method == "POST" and form.is_valid():
        try:
            context["plan"], context["token"] = uploads.preview(
                form.cleaned_data["file"],
                lambda data, name: paper.plan_answers(data, round_=round_, filename=name),
                salt=IMPORT_SALT,
                user=request.user.pk,
                round=round_.pk,
            )
        except (TableError, ValidationError) as error:
            form.add_error("file", uploads.message_of(error))
    return render(request, "surveys/answers_import.html", context)
