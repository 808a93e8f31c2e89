"""Grant programs and their cycle: call (募集), application, screening, decision (交付決定),
payments (概算払・精算払), reports (実績報告), return of unspent money and amendments (変更申請).

A program's rules are data (``GrantProgram``), not code: who may apply, the caps per applicant
per year and over the term, the number of fiscal years, the sites per theme in one call, the
budget per fiscal year and the expense categories. ``rules.py`` checks them; ``actions.py``
checks them again on every write, under a lock on the program's row.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sasaeai.accounts.scope import CenterScopedQuerySet, scope_of

FY = [MinValueValidator(2000)]


class ApplicantKind(models.TextChoices):
    CORPORATION = "corporation", _("member corporation")  # 基礎団体会員法人
    NETWORK = "network", _("municipal network")  # 市町村域社会福祉法人ネットワーク


class GrantProgram(models.Model):
    """A grant program with its rules (e.g. モデル事業研究・開発助成)."""

    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="grant_programs",
        verbose_name=_("prefecture"),
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    eligible_kinds = models.JSONField(
        _("eligible applicants"),
        default=list,
        help_text=_("Kinds of applicant: corporation (member corporations), network."),
    )
    members_only = models.BooleanField(
        _("member corporations only"),
        default=True,
        help_text=_("A corporation must be a member of the center on the day of the decision."),
    )
    cap_per_year = models.PositiveIntegerField(
        _("cap per applicant and fiscal year (yen)"), null=True, blank=True
    )
    cap_total = models.PositiveIntegerField(
        _("cap per applicant over the term (yen)"), null=True, blank=True
    )
    max_years = models.PositiveSmallIntegerField(_("fiscal years at most"), default=1)
    max_sites_per_theme = models.PositiveSmallIntegerField(
        _("sites per theme in one call at most"), null=True, blank=True
    )
    requires_theme = models.BooleanField(_("an application names a theme"), default=False)
    expense_categories = models.JSONField(_("eligible expense categories"), default=list)
    active = models.BooleanField(_("in use"), default=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["prefecture", "code"]
        verbose_name = _("grant program")
        verbose_name_plural = _("grant programs")
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "code"], name="grant_program_code"),
            models.CheckConstraint(condition=Q(max_years__gte=1), name="grant_program_years"),
        ]

    def __str__(self) -> str:
        return self.name


class ProgramBudget(models.Model):
    """The program's total budget for one fiscal year: awards never exceed it."""

    program = models.ForeignKey(GrantProgram, on_delete=models.CASCADE, related_name="budgets")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=FY)
    amount = models.PositiveIntegerField(_("budget (yen)"))

    class Meta:
        ordering = ["fiscal_year"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["program", "fiscal_year"], name="program_budget_fy"),
        ]

    def __str__(self) -> str:
        return f"{self.program} FY{self.fiscal_year}"


class GrantCallQuerySet(CenterScopedQuerySet):
    prefecture_path = "program__prefecture_id"


class GrantCall(models.Model):
    """募集: a call of a program in a fiscal year, open from ``opens_on`` to ``closes_on``."""

    program = models.ForeignKey(GrantProgram, on_delete=models.PROTECT, related_name="calls")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=FY)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    themes = models.ManyToManyField(
        "projects.Theme", blank=True, related_name="grant_calls", verbose_name=_("themes")
    )
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GrantCallQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "-opens_on"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="grant_call_window"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, date) -> bool:
        return self.opens_on <= date <= self.closes_on


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    AWARDED = "awarded", _("awarded")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ApplicationQuerySet(CenterScopedQuerySet):
    prefecture_path = "call__program__prefecture_id"

    def visible_to(self, user):
        """Center staff: their prefecture's; corporation staff: their corporation's; council
        staff: the networks whose area holds their municipality."""
        scope = scope_of(user)
        if not scope.is_authenticated:
            return self.none()
        if scope.sees_everything():
            return self
        q = scope.prefecture_q("call__program__prefecture_id")
        if scope.corporation_ids:
            q |= Q(corporation_id__in=scope.corporation_ids)
        if scope.municipality_codes:
            q |= Q(network__area__in=scope.municipality_codes) | Q(
                network__area__parent_id__in=scope.municipality_codes
            )
        return self.filter(q).distinct()


class Application(models.Model):
    """An application of a corporation or a network to a call."""

    call = models.ForeignKey(GrantCall, on_delete=models.PROTECT, related_name="applications")
    applicant_kind = models.CharField(_("applicant"), max_length=12, choices=ApplicantKind.choices)
    corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_applications",
        verbose_name=_("corporation"),
    )
    network = models.ForeignKey(
        "networks.MunicipalNetwork",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_applications",
        verbose_name=_("municipal network"),
    )
    theme = models.ForeignKey(
        "projects.Theme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_applications",
        verbose_name=_("theme"),
    )
    model_project = models.ForeignKey(
        "projects.ModelProject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grant_applications",
        verbose_name=_("model project"),
    )
    title = models.CharField(_("title"), max_length=200)
    plan = models.TextField(_("plan"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(applicant_kind="corporation")
                    & Q(corporation__isnull=False)
                    & Q(network__isnull=True)
                )
                | (
                    Q(applicant_kind="network")
                    & Q(corporation__isnull=True)
                    & Q(network__isnull=False)
                ),
                name="grant_application_one_applicant",
            ),
            models.UniqueConstraint(
                fields=["call", "corporation"],
                condition=Q(corporation__isnull=False) & ~Q(status="withdrawn"),
                name="grant_application_once_per_call_corporation",
            ),
            models.UniqueConstraint(
                fields=["call", "network"],
                condition=Q(network__isnull=False) & ~Q(status="withdrawn"),
                name="grant_application_once_per_call_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} — {self.title}"

    @property
    def applicant(self):
        return self.corporation or self.network

    def requested_total(self) -> int:
        return self.budget_lines.aggregate(total=Sum("amount"))["total"] or 0


class BudgetLine(models.Model):
    """A line of the application's budget: a fiscal year, an expense category, yen."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=FY)
    category = models.CharField(_("expense category"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.PositiveIntegerField(_("amount (yen)"))

    class Meta:
        ordering = ["fiscal_year", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.category} {self.amount:,}円"


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="grants/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class Reviewer(models.Model):
    """A person who screens the applications of a call."""

    call = models.ForeignKey(GrantCall, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_reviews"
    )

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="grant_reviewer_once"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Conflict(models.Model):
    """A reviewer's declared conflict of interest with one application (利益相反)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["application", "user"], name="grant_conflict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.reason}"


class Review(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    reviewed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="grant_review_once"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="review_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.score}"


class Decision(models.Model):
    """交付決定 (or a refusal): the outcome of an application, with its date and letter."""

    class Outcome(models.TextChoices):
        AWARDED = "awarded", _("awarded")
        DECLINED = "declined", _("declined")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    decided_on = models.DateField(_("decided on"))
    number = models.CharField(_("document number"), max_length=50, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    closed_on = models.DateField(
        pgettext_lazy("grant", "closed on"),
        null=True,
        blank=True,
        help_text=_("No report is accepted after this day."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.application} ({self.get_outcome_display()})"

    def total(self) -> int:
        return sum(year.amount for year in self.years.all())


class AwardYear(models.Model):
    """The amount awarded for one fiscal year (changed only by an approved amendment)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="years")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=FY)
    amount = models.PositiveIntegerField(_("awarded (yen)"))

    class Meta:
        ordering = ["fiscal_year"]
        verbose_name = _("awarded amount")
        verbose_name_plural = _("awarded amounts")
        constraints = [
            models.UniqueConstraint(fields=["decision", "fiscal_year"], name="award_year_once"),
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.amount:,}円"


class Payment(models.Model):
    class Kind(models.TextChoices):
        ADVANCE = "advance", _("advance payment")  # 概算払
        SETTLEMENT = "settlement", _("settlement payment")  # 精算払

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="payments")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=FY)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.PositiveIntegerField(_("amount (yen)"))
    paid_on = models.DateField(pgettext_lazy("grant", "paid on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} FY{self.fiscal_year} {self.amount:,}円"


class GrantReport(models.Model):
    """A progress or final report (実績報告) due for a fiscal year of an award."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("progress report")
        FINAL = "final", _("final report")  # 実績報告

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=FY)
    due_on = models.DateField(_("due on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    text = models.TextField(_("report"), blank=True)
    spent = models.PositiveIntegerField(_("spent (yen)"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "kind", "fiscal_year"], name="grant_report_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} FY{self.fiscal_year}"


class Refund(models.Model):
    """返還: unspent money the recipient returns."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="refunds")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=FY)
    amount = models.PositiveIntegerField(_("amount (yen)"))
    requested_on = models.DateField(_("requested on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["requested_on", "pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_positive")]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.amount:,}円"


class Amendment(models.Model):
    """変更申請: a request to change the awarded amounts, checked against the same rules."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="amendments")
    reason = models.TextField(_("reason"))
    amounts = models.JSONField(_("amounts requested"), help_text=_("{fiscal year: yen}"))
    previous = models.JSONField(_("amounts before"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["requested_on", "pk"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.decision} ({self.get_status_display()})"
