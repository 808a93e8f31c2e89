"""What the center publishes: news posts (お知らせ), newsletter issues (ニュースレター) and
the people who asked to receive them by mail, with one delivery record per issue and
subscriber so that nobody ever gets the same issue twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sasaeai.accounts.scope import CenterScopedQuerySet, scope_of


class NewsCategory(models.TextChoices):
    NOTICE = "notice", pgettext_lazy("news category", "notice")  # お知らせ
    EVENT = "event", pgettext_lazy("news category", "event")  # 催し
    RECRUITMENT = "recruitment", pgettext_lazy("news category", "call for participants")  # 募集
    REPORT = "report", pgettext_lazy("news category", "report")  # 活動報告


class NewsPostQuerySet(CenterScopedQuerySet):
    def published(self, now=None) -> NewsPostQuerySet:
        """Posts whose publication time has come (a later time: scheduled, not yet shown)."""
        return self.filter(published_at__lte=now or timezone.now())

    def visible_to(self, user) -> NewsPostQuerySet:
        """Published posts are public; the center's staff see their prefecture's drafts too."""
        scope = scope_of(user)
        if scope.sees_everything():
            return self
        return self.filter(
            Q(published_at__lte=timezone.now()) | scope.prefecture_q("prefecture_id")
        )

    def version(self) -> tuple:
        """What a cached page of these posts depends on (one query)."""
        row = self.aggregate(n=Count("pk"), changed=Max("updated_at"), last=Max("published_at"))
        return (row["n"], row["changed"], row["last"])


class NewsPost(models.Model):
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="news_posts",
        verbose_name=_("prefecture"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Plain text; blank lines separate paragraphs."))
    category = models.CharField(
        _("category"), max_length=12, choices=NewsCategory.choices, default=NewsCategory.NOTICE
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Empty: not published. A future time: published then."),
    )
    attachment = models.FileField(
        _("attachment (PDF)"), upload_to="publishing/news/%Y/", blank=True, max_length=200
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        indexes = [models.Index(fields=["prefecture", "published_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.published_at is not None and self.published_at > timezone.now()


class NewsletterQuerySet(CenterScopedQuerySet):
    def published(self, today=None) -> NewsletterQuerySet:
        return self.filter(published_on__lte=today or timezone.localdate())

    def visible_to(self, user) -> NewsletterQuerySet:
        scope = scope_of(user)
        if scope.sees_everything():
            return self
        return self.filter(
            Q(published_on__lte=timezone.localdate()) | scope.prefecture_q("prefecture_id")
        )

    def version(self) -> tuple:
        row = self.aggregate(n=Count("pk"), changed=Max("updated_at"))
        return (row["n"], row["changed"])


class Newsletter(models.Model):
    """One issue: an HTML page written as text, an uploaded PDF, or both."""

    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="newsletters",
        verbose_name=_("prefecture"),
    )
    number = models.PositiveIntegerField(_("issue number"))
    title = models.CharField(_("title"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    published_on = models.DateField(
        _("published on"), null=True, blank=True, help_text=_("Empty: not published.")
    )
    body = models.TextField(
        _("text"), blank=True, help_text=_("Plain text; blank lines separate paragraphs.")
    )
    pdf = models.FileField(_("PDF"), upload_to="publishing/newsletters/%Y/", blank=True)
    sent_at = models.DateTimeField(_("sent to subscribers at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "-number"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "number"], name="publishing_newsletter_unique_number"
            ),
            models.CheckConstraint(
                condition=~Q(body="") | ~Q(pdf=""),
                name="publishing_newsletter_has_content",
                violation_error_message=_("Write the issue's text or upload its PDF."),
            ),
        ]

    def __str__(self) -> str:
        return f"No.{self.number} {self.title}"

    @property
    def is_published(self) -> bool:
        return self.published_on is not None and self.published_on <= timezone.localdate()


class SubscriberQuerySet(CenterScopedQuerySet):
    def receiving(self) -> SubscriberQuerySet:
        """Confirmed (double opt-in) and not unsubscribed: the only addresses mail goes to."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscriber(models.Model):
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="newsletter_subscribers",
        verbose_name=_("prefecture"),
    )
    email = models.EmailField(_("email"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    # The last confirmation mail: a second request for the same address within a few minutes
    # sends nothing (the visitor is told the same thing either way).
    requested_at = models.DateTimeField(_("confirmation requested at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "email"], name="publishing_subscriber_unique_email"
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_receiving(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class Delivery(models.Model):
    """One issue to one subscriber: created before sending, claimed by the one task run that
    mails it, marked sent once mailed. A doubled batch never mails it twice; a batch whose
    worker was killed mid-send is run again under the same claim and mails what was not marked
    sent (with the same Message-ID, so that a mail handed over just before the kill is one
    message to its reader)."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    claimed_by = models.CharField(
        _("claimed by"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("The sending task's id, set before the mail goes."),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "subscriber"], name="publishing_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.newsletter} → {self.subscriber}"
