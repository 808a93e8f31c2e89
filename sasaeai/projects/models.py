"""Pillar II モデルづくり: themes between welfare systems (制度の狭間), model projects and their
designated sites, the center's leading projects, committees (課題別部会) and their findings.

A model project's status is dated history (``ProjectStatusEntry``), never overwritten, so that
the plan's "model projects developed and shared" can be counted as of any date.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sasaeai.accounts.scope import CenterScopedQuerySet, scope_of

FISCAL_YEAR_VALIDATORS = [MinValueValidator(2000)]


# Themes ---------------------------------------------------------------------------------------


class Theme(models.Model):
    """制度の狭間の課題: one of a center's themes (Okayama starts with the seed's 12)."""

    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="themes",
        verbose_name=_("prefecture"),
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. T05; stable across years"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["prefecture", "order", "code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "code"], name="theme_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


# Model projects -------------------------------------------------------------------------------


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    RUNNING = "running", pgettext_lazy("model project", "running")
    EVALUATED = "evaluated", _("evaluated")
    SHARED = "shared", _("shared")  # know-how developed and shared: counts for the plan


PROJECT_STATUS_ORDER = [
    ProjectStatus.PLANNED,
    ProjectStatus.RUNNING,
    ProjectStatus.EVALUATED,
    ProjectStatus.SHARED,
]


def status_on_subquery(date: datetime.date):
    """The status of the model project at ``OuterRef('pk')`` on ``date`` (latest entry)."""
    return Subquery(
        ProjectStatusEntry.objects.filter(project=OuterRef("pk"), effective_on__lte=date)
        .order_by("-effective_on", "-pk")
        .values("status")[:1]
    )


class ModelProjectQuerySet(CenterScopedQuerySet):
    def visible_to(self, user):
        """Model projects are public once out of planning; staff of the prefecture see all."""
        scope = scope_of(user)
        if scope.sees_everything():
            return self
        q = ~Q(status=ProjectStatus.PLANNED)
        if scope.prefecture_codes:
            q |= Q(prefecture_id__in=scope.prefecture_codes)
        return self.filter(q)

    def with_status_on(self, date: datetime.date):
        return self.annotate(status_on=status_on_subquery(date))

    def shared_on(self, date: datetime.date):
        """Projects whose latest status on ``date`` is shared (the plan's ≥ 5 target)."""
        return self.with_status_on(date).filter(status_on=ProjectStatus.SHARED)


class ModelProject(models.Model):
    """モデル事業: a theme developed by designated sites over one or more fiscal years."""

    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="model_projects",
        verbose_name=_("prefecture"),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="model_projects", verbose_name=_("theme")
    )
    title = models.CharField(_("title"), max_length=200)
    first_fiscal_year = models.PositiveSmallIntegerField(
        _("first fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    last_fiscal_year = models.PositiveSmallIntegerField(
        _("last fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    goals = models.TextField(_("goals"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    max_sites = models.PositiveSmallIntegerField(
        _("sites at most"), default=3, help_text=_("指定: at most this many sites at once")
    )
    # The latest status, kept in step with the history by ``actions.set_status``.
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ModelProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-first_fiscal_year", "title"]
        verbose_name = _("model project")
        verbose_name_plural = _("model projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_fiscal_year__gte=models.F("first_fiscal_year")),
                name="model_project_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.first_fiscal_year
            and self.last_fiscal_year
            and self.last_fiscal_year < self.first_fiscal_year
        ):
            raise ValidationError(
                {"last_fiscal_year": _("The last fiscal year comes before the first.")}
            )

    @property
    def fiscal_years(self) -> range:
        return range(self.first_fiscal_year, self.last_fiscal_year + 1)


class ProjectStatusEntry(models.Model):
    """One dated step of a model project; the latest on a date is its status then."""

    project = models.ForeignKey(ModelProject, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=12, choices=ProjectStatus.choices)
    effective_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = _("status entry")
        verbose_name_plural = _("status history")

    def __str__(self) -> str:
        return f"{self.effective_on:%Y-%m-%d} {self.get_status_display()}"


class ModelSite(models.Model):
    """指定: a member corporation or a municipal network designated to develop the project."""

    project = models.ForeignKey(ModelProject, on_delete=models.CASCADE, related_name="sites")
    corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="model_sites",
        verbose_name=_("corporation"),
    )
    network = models.ForeignKey(
        "networks.MunicipalNetwork",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="model_sites",
        verbose_name=_("municipal network"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="model_sites",
        verbose_name=_("municipality"),
    )
    designated_on = models.DateField(_("designated on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["designated_on", "pk"]
        verbose_name = _("designated site")
        verbose_name_plural = _("designated sites")
        constraints = [
            models.CheckConstraint(
                condition=(Q(corporation__isnull=False) & Q(network__isnull=True))
                | (Q(corporation__isnull=True) & Q(network__isnull=False)),
                name="model_site_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return str(self.corporation or self.network)

    @property
    def holder(self):
        return self.corporation or self.network


class ProgressReport(models.Model):
    """A progress report of a project (or of one of its sites) for a fiscal year."""

    project = models.ForeignKey(ModelProject, on_delete=models.CASCADE, related_name="reports")
    site = models.ForeignKey(
        ModelSite,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("site"),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("report"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["fiscal_year", "reported_on", "pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.project} ({self.fiscal_year})"


class DocumentKind(models.TextChoices):
    HANDBOOK = "handbook", _("handbook")  # 手引書
    COURSE = "course", _("course material")  # 展開支援講座の資料
    REPORT = "report", _("report")
    OTHER = "other", _("other")


class ProjectDocument(models.Model):
    """Know-how a project produced: handbooks, course materials, reports."""

    project = models.ForeignKey(ModelProject, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="projects/%Y/")
    published = models.BooleanField(_("public"), default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")

    def __str__(self) -> str:
        return self.title


# Leading projects -----------------------------------------------------------------------------


class LeadingProject(models.Model):
    """リーディング事業: a project the center runs itself with partners."""

    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="leading_projects",
        verbose_name=_("prefecture"),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="leading_projects", verbose_name=_("theme")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    first_fiscal_year = models.PositiveSmallIntegerField(
        _("first fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    last_fiscal_year = models.PositiveSmallIntegerField(
        _("last fiscal year"), null=True, blank=True, validators=FISCAL_YEAR_VALIDATORS
    )

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["first_fiscal_year", "title"]
        verbose_name = _("leading project")
        verbose_name_plural = _("leading projects")

    def __str__(self) -> str:
        return self.title


class PartnerKind(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("neighbourhood organisation")  # 地縁組織
    COUNCIL = "council", _("council of social welfare")  # 社協
    CORPORATION = "corporation", _("social welfare corporation")
    OTHER = "other", _("other body")  # 関係団体


class LeadingPartner(models.Model):
    project = models.ForeignKey(LeadingProject, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=200)
    corporation = models.ForeignKey(
        "members.Corporation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    council = models.ForeignKey(
        "members.Council", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    joined_on = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class LeadingYear(models.Model):
    """What a leading project did in one fiscal year, and what came of it."""

    project = models.ForeignKey(LeadingProject, on_delete=models.CASCADE, related_name="years")
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    activities = models.TextField(_("activities"))
    results = models.TextField(_("results"), blank=True)
    times_held = models.PositiveIntegerField(_("times held"), null=True, blank=True)
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)

    class Meta:
        ordering = ["fiscal_year"]
        verbose_name = _("year of a leading project")
        verbose_name_plural = _("years of a leading project")
        constraints = [
            models.UniqueConstraint(fields=["project", "fiscal_year"], name="leading_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project} ({self.fiscal_year})"


# Committees -----------------------------------------------------------------------------------


class Committee(models.Model):
    """課題別部会: examines a theme; its findings can be cited by proposals."""

    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="committees",
        verbose_name=_("prefecture"),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
        verbose_name=_("theme"),
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    formed_on = models.DateField(_("formed on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        MEMBER = "member", _("member")
        ADVISER = "adviser", _("adviser")
        SECRETARIAT = "secretariat", _("secretariat")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    corporation = models.ForeignKey(
        "members.Corporation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["role", "name"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）" if self.organisation else self.name


class CommitteeMeeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(
        CommitteeMember, blank=True, related_name="meetings_attended", verbose_name=_("attendance")
    )

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")

    def __str__(self) -> str:
        return f"{self.committee} {self.held_on:%Y-%m-%d}"


class Finding(models.Model):
    """A committee's finding: what it learned, citable by proposals."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="findings")
    meeting = models.ForeignKey(
        CommitteeMeeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("finding"))
    found_on = models.DateField(_("date"))

    class Meta:
        ordering = ["-found_on", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.title
