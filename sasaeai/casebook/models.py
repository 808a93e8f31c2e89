"""Pillar V 見える化: the casebook (事例集), practices of corporations and municipal networks.

A case is drafted by its corporation's staff (or by the center for a network), submitted,
edited and published by the center's staff. Publication rests on a recorded consent
(``Consent``): who agreed, for whom, when, how and to what; withdrawing it unpublishes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.scope import CenterScopedQuerySet, scope_of


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    PUBLISHED = "published", _("published")


class CaseQuerySet(CenterScopedQuerySet):
    def published(self):
        return self.filter(status=CaseStatus.PUBLISHED)

    def version(self):
        """What the public pages of the casebook depend on: the latest change of any case of
        the set. Every publication, edit, photo, unpublication and withdrawal changes a case's
        ``updated_at`` (a draft's edit too: a harmless extra refresh); one index-only read."""
        return self.aggregate(last=Max("updated_at"))["last"]

    def in_scope_of(self, user):
        """The cases a user works on: their corporation's, their municipality's (council
        staff), their prefecture's (center staff); nothing for anyone else."""
        scope = scope_of(user)
        return self if scope.sees_everything() else self.filter(_scope_q(scope))

    def visible_to(self, user):
        """Published cases are public; others only within the user's scope."""
        scope = scope_of(user)
        if scope.sees_everything():
            return self
        return self.filter(Q(status=CaseStatus.PUBLISHED) | _scope_q(scope))


def _scope_q(scope) -> Q:
    q = Q(pk__in=[])
    if scope.corporation_ids:
        q |= Q(corporation_id__in=scope.corporation_ids)
    if scope.prefecture_codes or scope.municipality_codes:
        q |= scope.area_q("municipality")
    return q


class Case(models.Model):
    """事例: one practice of a corporation or of a municipal network."""

    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("prefecture"),
    )
    corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("corporation"),
    )
    network = models.ForeignKey(
        "networks.MunicipalNetwork",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("municipal network"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("municipality"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    background = models.TextField(_("background"), blank=True)
    activities = models.TextField(_("what was done"), blank=True)
    partners = models.TextField(_("partners"), blank=True)
    costs = models.TextField(_("costs and funding"), blank=True)
    results = models.TextField(_("results"), blank=True)
    lessons = models.TextField(_("lessons and challenges"), blank=True)
    themes = models.ManyToManyField(
        "projects.Theme", blank=True, related_name="cases", verbose_name=_("themes")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # search_key() of every text, the themes' names and the owner's name (see search.py).
    search_text = models.TextField(editable=False, default="")
    # The same key with every character between spaces, for terms of one or two characters:
    # PostgreSQL's trigram index sees each character as a word there (see search.py).
    search_chars = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    TEXT_FIELDS = (
        "title",
        "summary",
        "background",
        "activities",
        "partners",
        "costs",
        "results",
        "lessons",
    )

    class Meta:
        ordering = ["-fiscal_year", "-published_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=(Q(corporation__isnull=False) & Q(network__isnull=True))
                | (Q(corporation__isnull=True) & Q(network__isnull=False)),
                name="case_one_owner",
            ),
        ]
        # The public pages: the years, the newest first, and the version (count, last change)
        # read from indexes alone, without touching the long texts.
        indexes = [
            models.Index(
                fields=["prefecture", "status", "fiscal_year"], name="case_public_year_idx"
            ),
            models.Index(
                fields=["prefecture", "status", "-published_at", "-id"], name="case_public_new_idx"
            ),
            models.Index(fields=["prefecture", "updated_at"], name="case_version_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self):
        return self.corporation or self.network

    def current_consent(self):
        """The consent in force (the latest not withdrawn), or ``None``."""
        return self.consents.filter(withdrawn_at__isnull=True).order_by("-given_on", "-pk").first()


class CasePhoto(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("image"), upload_to="casebook/photos/%Y/")
    content_type = models.CharField(max_length=20, editable=False)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt_text


class ConsentMethod(models.TextChoices):
    ONLINE = "online", _("online, by the corporation's staff")
    PAPER = "paper", _("paper form, entered by the center's staff")


class Consent(models.Model):
    """The fact that the owner agreed to publish the case: kept, never edited; a withdrawal
    is dated on it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of (corporation)"),
    )
    network = models.ForeignKey(
        "networks.MunicipalNetwork",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of (network)"),
    )
    consented_by = models.CharField(
        _("consented by"), max_length=200, help_text=_("Name and position, e.g. 理事長 山田太郎")
    )
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    given_on = models.DateField(_("given on"))
    includes_photos = models.BooleanField(_("photos included"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent to publish")
        verbose_name_plural = _("consents to publish")

    def __str__(self) -> str:
        return f"{self.consented_by} ({self.given_on})"
