"""A survey definition as JSON, so that prefectures can share it, and last year's copied.

Shape (``export_definition`` writes it, ``import_definition`` reads it back)::

    {"code": "corporation-annual", "title": "...", "description": "...", "fiscal_year": 2019,
     "sections": [{"title": "...", "help": "...", "questions": [
        {"code": "q1", "kind": "single", "text": "...", "help": "", "required": true,
         "has_other": false, "scale_min": null, "scale_max": null,
         "show_if": {"question": "q0", "answers": ["yes"]}, "rows": [],
         "choices": [{"code": "yes", "label": "している"}]}]}]}

Every problem is reported with where it is (``sections[0].questions[2].choices``) and why,
before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import CHOICE_KINDS, Choice, Question, QuestionKind, Section, Survey

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
OTHER = "other"


def export_definition(survey: Survey) -> dict:
    sections = []
    questions = list(
        survey.questions.select_related("section")
        .prefetch_related("choices")
        .order_by("order", "id")
    )
    for section in survey.sections.order_by("order", "id"):
        sections.append(
            {
                "title": section.title,
                "help": section.help,
                "questions": [_question(q) for q in questions if q.section_id == section.pk],
            }
        )
    loose = [_question(q) for q in questions if q.section_id is None]
    if loose:
        sections.insert(0, {"title": "", "help": "", "questions": loose})
    return {
        "code": survey.code,
        "title": survey.title,
        "description": survey.description,
        "fiscal_year": survey.fiscal_year,
        "sections": sections,
    }


def _question(question: Question) -> dict:
    return {
        "code": question.code,
        "kind": question.kind,
        "text": question.text,
        "help": question.help,
        "required": question.required,
        "has_other": question.has_other,
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "show_if": question.show_if or {},
        "rows": question.rows or [],
        "choices": [
            {"code": c.code, "label": c.label}
            for c in question.choices.all()
            if not (question.has_other and c.code == OTHER)
        ],
    }


class DefinitionError(ValidationError):
    pass


def _fail(where: str, message: str) -> None:
    raise DefinitionError(f"{where}: {message}")


def _text(data: Mapping, key: str, where: str, *, required: bool = False, limit: int = 0) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        _fail(f"{where}.{key}", _("must be text"))
    if required and not value.strip():
        _fail(f"{where}.{key}", _("is required"))
    if limit and len(value) > limit:
        _fail(f"{where}.{key}", _("is longer than %(limit)s characters") % {"limit": limit})
    return value.strip()


def check_definition(data: object) -> dict:
    """The definition, checked; ``DefinitionError`` names the first problem and its place."""
    if not isinstance(data, Mapping):
        _fail("definition", _("must be a JSON object"))
    code = _text(data, "code", "definition", required=True)
    if not CODE.match(code):
        _fail("definition.code", _("use lower-case letters, digits, - and _ (at most 40)"))
    _text(data, "title", "definition", required=True, limit=200)
    year = data.get("fiscal_year")
    if not isinstance(year, int) or not 1989 <= year <= 2100:
        _fail("definition.fiscal_year", _("must be a year such as 2019"))
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        _fail("definition.sections", _("must be a non-empty list"))
    seen: dict[str, dict] = {}
    for s, section in enumerate(sections):
        where = f"sections[{s}]"
        if not isinstance(section, Mapping):
            _fail(where, _("must be an object"))
        _text(section, "title", where, limit=200)
        questions = section.get("questions")
        if not isinstance(questions, list):
            _fail(f"{where}.questions", _("must be a list"))
        for q, question in enumerate(questions):
            _check_question(question, f"{where}.questions[{q}]", seen)
    if not seen:
        _fail("definition.sections", _("hold no question"))
    return dict(data)


def _check_question(question: object, where: str, seen: dict[str, dict]) -> None:
    if not isinstance(question, Mapping):
        _fail(where, _("must be an object"))
    code = _text(question, "code", where, required=True)
    if not CODE.match(code):
        _fail(f"{where}.code", _("use lower-case letters, digits, - and _ (at most 40)"))
    if code in seen:
        _fail(f"{where}.code", _("“%(code)s” is used by another question") % {"code": code})
    kind = question.get("kind")
    if kind not in QuestionKind.values:
        _fail(
            f"{where}.kind",
            _("must be one of %(kinds)s") % {"kinds": ", ".join(QuestionKind.values)},
        )
    _text(question, "text", where, required=True)
    choices = question.get("choices") or []
    if kind in CHOICE_KINDS:
        if not isinstance(choices, list) or not (choices or question.get("has_other")):
            _fail(f"{where}.choices", _("a choice question needs choices"))
        codes = set()
        for c, choice in enumerate(choices):
            if not isinstance(choice, Mapping):
                _fail(f"{where}.choices[{c}]", _("must be an object"))
            choice_code = _text(choice, "code", f"{where}.choices[{c}]", required=True)
            _text(choice, "label", f"{where}.choices[{c}]", required=True, limit=200)
            if not CODE.match(choice_code) or choice_code in codes:
                _fail(f"{where}.choices[{c}].code", _("must be a new code"))
            codes.add(choice_code)
    elif choices:
        _fail(f"{where}.choices", _("only choice questions have choices"))
    if kind == QuestionKind.MATRIX:
        rows = question.get("rows") or []
        if not rows or not all(isinstance(r, Mapping) and r.get("code") for r in rows):
            _fail(f"{where}.rows", _("a matrix needs rows with codes and labels"))
    if kind == QuestionKind.SCALE:
        low, high = question.get("scale_min", 1), question.get("scale_max", 5)
        if not (isinstance(low, int) and isinstance(high, int) and low < high <= low + 10):
            _fail(f"{where}.scale_max", _("a scale runs from scale_min to a larger scale_max"))
    show_if = question.get("show_if") or {}
    if show_if:
        other = seen.get(show_if.get("question", ""))
        if other is None:
            _fail(f"{where}.show_if", _("must name an earlier question"))
        answers = show_if.get("answers") or []
        valid = {c["code"] for c in other.get("choices") or []}
        if other.get("has_other"):
            valid.add(OTHER)
        if not answers or not set(answers) <= valid:
            _fail(f"{where}.show_if.answers", _("must be choice codes of that question"))
    seen[code] = dict(question)


@transaction.atomic
def import_definition(
    data: object, *, prefecture: str, by=None, copied_from: Survey | None = None
) -> Survey:
    """Create a definition from its JSON (checked first; nothing written on an error)."""
    data = check_definition(data)
    if Survey.objects.filter(
        prefecture_id=prefecture, code=data["code"], fiscal_year=data["fiscal_year"]
    ).exists():
        _fail(
            "definition.code",
            _("%(code)s already exists for fiscal year %(year)s")
            % {"code": data["code"], "year": data["fiscal_year"]},
        )
    survey = Survey.objects.create(
        prefecture_id=prefecture,
        code=data["code"],
        title=data["title"].strip(),
        description=(data.get("description") or "").strip(),
        fiscal_year=data["fiscal_year"],
        copied_from=copied_from,
        created_by=by,
    )
    order = 0
    for s, section_data in enumerate(data["sections"]):
        section = Section.objects.create(
            survey=survey,
            order=s,
            title=(section_data.get("title") or "").strip(),
            help=(section_data.get("help") or "").strip(),
        )
        for question_data in section_data["questions"]:
            order += 1
            kind = question_data["kind"]
            question = Question.objects.create(
                survey=survey,
                section=section,
                order=order,
                code=question_data["code"],
                kind=kind,
                text=question_data["text"].strip(),
                help=(question_data.get("help") or "").strip(),
                required=bool(question_data.get("required")),
                has_other=bool(question_data.get("has_other")) and kind in CHOICE_KINDS,
                scale_min=question_data.get("scale_min", 1) if kind == QuestionKind.SCALE else None,
                scale_max=question_data.get("scale_max", 5) if kind == QuestionKind.SCALE else None,
                show_if=question_data.get("show_if") or {},
                rows=question_data.get("rows") or [],
            )
            choices = list(question_data.get("choices") or [])
            if question.has_other:
                choices.append({"code": OTHER, "label": "その他"})
            Choice.objects.bulk_create(
                Choice(question=question, order=i, code=c["code"], label=c["label"].strip())
                for i, c in enumerate(choices)
            )
    return survey


@transaction.atomic
def replace_definition(survey: Survey, data: object, *, by=None) -> Survey:
    """Edit a definition that has not been sent: its questions are replaced by the JSON's
    (checked first). The code and fiscal year stay, so that years keep comparing."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.rounds.exists():
        _fail(
            "definition",
            _("it has been sent already: copy it to a new year, or import it as a new code"),
        )
    data = check_definition(data)
    if (data["code"], data["fiscal_year"]) != (survey.code, survey.fiscal_year):
        _fail("definition.code", _("the code and the fiscal year of a definition do not change"))
    prefecture, copied_from = survey.prefecture_id, survey.copied_from
    survey.delete()
    return import_definition(data, prefecture=prefecture, by=by, copied_from=copied_from)


def copy_to_next_year(survey: Survey, *, by=None) -> Survey:
    """Last year's definition for this year: the same codes, so years compare."""
    data = export_definition(survey)
    data["fiscal_year"] = survey.fiscal_year + 1
    return import_definition(data, prefecture=survey.prefecture_id, by=by, copied_from=survey)
