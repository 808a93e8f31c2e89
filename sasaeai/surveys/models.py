"""Surveys: yearly questionnaires to every corporation (and to facilities, councils or
networks), invitations that work without an account, responses saved as they are typed,
results by question, cross-tab and year, and the plan's 「している」 KPI.

A definition (``Survey``) has sections and questions; every question and choice has a stable
``code`` so that the same question can be compared across years: a definition copied from
last year keeps its codes. A ``Round`` sends a definition in a fiscal year to a population;
each target gets an ``Invitation`` with a secret token; its one ``Response`` holds one
``Answer`` row per question (and per matrix row, and per chosen choice of a multiple-choice
question), so that counting is a ``GROUP BY`` in the database.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.scope import scope_of


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    TEXT = "text", _("free text")
    NUMBER = "number", _("number")
    DATE = "date", _("date")
    SCALE = "scale", _("rating scale")
    MATRIX = "matrix", _("matrix of rows and choices")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.MATRIX})


class SurveyQuerySet(models.QuerySet):
    def managed_by(self, user) -> SurveyQuerySet:
        scope = scope_of(user)
        if scope.sees_everything():
            return self
        return self.filter(prefecture_id__in=scope.prefecture_codes)


class Survey(models.Model):
    """A questionnaire definition, owned by a center; shared as JSON between prefectures."""

    prefecture = models.ForeignKey(
        "regions.Prefecture", on_delete=models.PROTECT, related_name="surveys"
    )
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("The same for every year's copy, e.g. corporation-annual."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "code"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "code", "fiscal_year"], name="surveys_one_definition_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.fiscal_year}）"


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    help = models.TextField(_("help"), blank=True)

    class Meta:
        ordering = ["survey_id", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    help = models.TextField(_("help"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    has_other = models.BooleanField(
        _("with “other” and a text"), default=False, help_text=_("For choice questions.")
    )
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    # Skip logic: show only when the question with code ``question`` has one of ``answers``
    # (choice codes): {"question": "q1", "answers": ["yes"]}.
    show_if = models.JSONField(default=dict, blank=True)
    # For a matrix: its rows, [{"code": "r1", "label": "..."}].
    rows = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["survey_id", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="surveys_question_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:40]}"


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        ordering = ["question_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="surveys_choice_code")
        ]

    def __str__(self) -> str:
        return self.label


class TargetKind(models.TextChoices):
    CORPORATIONS = "corporations", _("corporations")
    FACILITIES = "facilities", _("facilities")
    COUNCILS = "councils", _("councils")
    NETWORKS = "networks", _("municipal networks")


class RoundQuerySet(models.QuerySet):
    def managed_by(self, user) -> RoundQuerySet:
        scope = scope_of(user)
        if scope.sees_everything():
            return self
        return self.filter(survey__prefecture_id__in=scope.prefecture_codes)


class Round(models.Model):
    """A definition sent in a fiscal year to a population, with a deadline."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="rounds")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    title = models.CharField(_("title"), max_length=200)
    target_kind = models.CharField(_("sent to"), max_length=14, choices=TargetKind.choices)
    target_filter = models.JSONField(_("filter"), default=dict, blank=True)
    deadline = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The plan's KPI: the question and the answers that count as 「している」.
    kpi_question = models.ForeignKey(
        Question, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kpi_choices = models.JSONField(default=list, blank=True)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "id"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")

    def __str__(self) -> str:
        return self.title

    @property
    def prefecture_id(self) -> str:
        return self.survey.prefecture_id

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is None and now <= self.deadline


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Invitation(models.Model):
    """One target of a round: its secret link works without an account."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    corporation = models.ForeignKey(
        "members.Corporation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    facility = models.ForeignKey(
        "members.Facility", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    council = models.ForeignKey(
        "members.Council", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    network = models.ForeignKey(
        "networks.MunicipalNetwork",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    # Where the target is, kept as a local government (wards in their city), for tracking.
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )
    email = models.EmailField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round_id", "municipality_id", "name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "corporation"],
                condition=Q(corporation__isnull=False),
                name="surveys_one_invitation_a_corporation",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Response(models.Model):
    """The one response of an invitation: saved as typed, submitted once, editable until
    the deadline."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="response")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    # The invitation's local government, copied when the response is made (an invitation
    # never moves), so that results count answers by place with one join, not two.
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    source = models.CharField(max_length=10, default="web")  # web or import (paper, Excel)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["round", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.invitation} / {self.round}"


class Answer(models.Model):
    """One value: a chosen choice (one row per choice for multiple choice, per row for a
    matrix), a text, a number or a date."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    row = models.CharField(max_length=40, blank=True)  # a matrix row's code
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    text = models.TextField(blank=True)  # free text, or the text of “other”
    # The respondent's local government (its response's copy), so that a cross-tab by place
    # is read from the index below alone.
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
    )
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        # Covering for the counts of results: a question's answers by choice, place and
        # respondent are read from the index alone, without the rows (texts) of the answers.
        indexes = [models.Index(fields=["question", "choice", "municipality", "response"])]

    def __str__(self) -> str:
        return f"{self.question.code}={self.choice or self.text or self.number or self.date}"
