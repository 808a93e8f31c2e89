"""Pillar VI ソーシャルアクション: policy proposals (提言) and the evidence behind them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sasaeai.accounts.scope import CenterScopedQuerySet, scope_of


class Addressee(models.TextChoices):
    PREFECTURE = "prefecture", _("prefecture")
    MUNICIPALITY = "municipality", _("municipality")
    NATIONAL = "national", _("national body")
    OTHER = "other", _("other")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    ANSWERED = "answered", pgettext_lazy("proposal", "answered")


class ProposalQuerySet(CenterScopedQuerySet):
    def published(self):
        return self.filter(published_on__isnull=False).exclude(status=ProposalStatus.DRAFT)

    def visible_to(self, user):
        """Published proposals are public; center staff see their prefecture's drafts too."""
        scope = scope_of(user)
        if scope.sees_everything():
            return self
        q = Q(published_on__isnull=False) & ~Q(status=ProposalStatus.DRAFT)
        if scope.prefecture_codes:
            q |= Q(prefecture_id__in=scope.prefecture_codes)
        return self.filter(q)


class Proposal(models.Model):
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("prefecture"),
    )
    title = models.CharField(_("title"), max_length=200)
    addressee_kind = models.CharField(_("addressed to"), max_length=12, choices=Addressee.choices)
    addressee = models.CharField(_("addressee"), max_length=200, help_text=_("e.g. 岡山県知事"))
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("municipality"),
    )
    themes = models.ManyToManyField(
        "projects.Theme", blank=True, related_name="proposals", verbose_name=_("themes")
    )
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title


class Evidence(models.Model):
    """What a proposal rests on: a committee's finding, a model project, a survey round."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evidence")
    finding = models.ForeignKey(
        "projects.Finding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cited_by",
        verbose_name=_("committee finding"),
    )
    model_project = models.ForeignKey(
        "projects.ModelProject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cited_by",
        verbose_name=_("model project"),
    )
    survey_round = models.ForeignKey(
        "surveys.Round",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cited_by",
        verbose_name=_("survey round"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(finding__isnull=False, model_project__isnull=True, survey_round__isnull=True)
                    | Q(
                        finding__isnull=True, model_project__isnull=False, survey_round__isnull=True
                    )
                    | Q(
                        finding__isnull=True, model_project__isnull=True, survey_round__isnull=False
                    )
                ),
                name="evidence_one_source",
            ),
        ]

    def __str__(self) -> str:
        return str(self.source)

    @property
    def source(self):
        return self.finding or self.model_project or self.survey_round
