"""Pillar IV ひとづくり and the center's events: trainings, courses of several sessions,
briefings, forums; registration with capacity and a waitlist; attendance; certificates;
evaluations.

Seats are counted from the registrations, never stored: an event's confirmed count is the
number of its confirmed registrations. Every change of a registration's status happens in
``actions`` with the event's row locked, so that concurrent requests never overbook.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.scope import scope_of
from sasaeai.core.pillars import PILLARS


class EventKind(models.TextChoices):
    TRAINING = "training", _("training")  # 研修
    COURSE = "course", _("course of several sessions")  # 連続講座
    BRIEFING = "briefing", _("briefing")  # 説明会
    COMMITTEE = "committee", _("committee meeting")  # 部会
    FORUM = "forum", _("forum")  # フォーラム
    PRESENTATION = "presentation", _("practice presentation")  # 実践発表会
    REPORT = "report", _("report meeting")  # 報告会
    OTHER = "other", _("other")


class Audience(models.TextChoices):
    MEMBERS = "members", _("staff of member corporations and councils")
    SECTOR = "sector", _("all corporations and councils")
    PUBLIC = "public", _("the public")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CANCELLED = "cancelled", _("cancelled")


PILLAR_CHOICES = [(pillar.slug, f"{pillar.numeral} {pillar.function}") for pillar in PILLARS]


class EventQuerySet(models.QuerySet):
    def in_prefecture(self, code: str) -> EventQuerySet:
        return self.filter(prefecture_id=code)

    def visible_to(self, user) -> EventQuerySet:
        """Published events: public ones to everyone, the others to signed-in staff of the
        prefecture; drafts to the center's staff."""
        scope = scope_of(user)
        if scope.sees_everything():
            return self
        shown = Q(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
        public = shown & Q(audience=Audience.PUBLIC)
        if not scope.is_authenticated:
            return self.filter(public)
        prefectures = set(scope.prefecture_codes) | {c[:2] for c in scope.municipality_codes}
        prefectures |= set(scope.corporation_prefecture_codes)
        return self.filter(
            public
            | (shown & Q(prefecture_id__in=prefectures))
            | Q(prefecture_id__in=scope.prefecture_codes)
        )

    def managed_by(self, user) -> EventQuerySet:
        scope = scope_of(user)
        if scope.sees_everything():
            return self
        return self.filter(prefecture_id__in=scope.prefecture_codes)

    def upcoming_in(self, place: str, now) -> EventQuerySet:
        """Events with a session still to come whose venue names ``place`` (a municipality's
        name: events carry no municipality, their venues say where they are)."""
        return self.filter(sessions__starts_at__gte=now, sessions__venue__contains=place).distinct()

    def with_counts(self) -> EventQuerySet:
        return self.annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            ),
            waitlist_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
            ),
        )


class Event(models.Model):
    prefecture = models.ForeignKey(
        "regions.Prefecture", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    pillar = models.CharField(_("pillar"), max_length=20, choices=PILLAR_CHOICES, default="people")
    tags = models.JSONField(_("themes"), default=list, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.PUBLISHED
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    per_organisation_limit = models.PositiveIntegerField(
        _("limit per organisation"), null=True, blank=True
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    cancellation_cutoff = models.DateTimeField(
        _("cancellation possible until"), null=True, blank=True
    )
    completion_min_sessions = models.PositiveSmallIntegerField(
        _("sessions needed to complete"),
        null=True,
        blank=True,
        help_text=_("e.g. 5 of a course of 6 sessions; empty: every session."),
    )
    reminder_days = models.PositiveSmallIntegerField(_("reminder, days before"), default=3)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    themes = models.ManyToManyField(
        "projects.Theme",
        blank=True,
        related_name="events",
        verbose_name=_("themes between systems"),
        help_text=_("The center's themes (制度の狭間の課題) the event is about."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    @property
    def starts_at(self):
        first = self.first_session
        return first.starts_at if first else None

    @property
    def first_session(self):
        sessions = getattr(self, "_prefetched_objects_cache", {}).get("sessions")
        if sessions is not None:
            return min(sessions, key=lambda s: s.starts_at, default=None)
        return self.sessions.order_by("starts_at").first()

    def sessions_needed(self, session_count: int) -> int:
        return min(self.completion_min_sessions or session_count, session_count)

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == EventStatus.PUBLISHED
            and (self.registration_opens_at is None or now >= self.registration_opens_at)
            and (self.registration_closes_at is None or now <= self.registration_closes_at)
        )


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session"), default=1)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("seats at the venue"),
        null=True,
        blank=True,
        help_text=_("The room's seats, when they differ from the event's capacity."),
    )

    class Meta:
        ordering = ["event_id", "starts_at", "number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="events_session_ends_after_start"
            ),
            models.UniqueConstraint(fields=["event", "number"], name="events_session_number"),
        ]

    def __str__(self) -> str:
        return f"{self.event} ({self.number})"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITLISTED = "waitlisted", _("waitlisted")
    CANCELLED = "cancelled", _("cancelled")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class RegistrationQuerySet(models.QuerySet):
    def active(self) -> RegistrationQuerySet:
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def visible_to(self, user) -> RegistrationQuerySet:
        """Center staff: their prefecture's; others: those they made or that name their
        corporation or municipality's council."""
        scope = scope_of(user)
        if scope.sees_everything():
            return self
        if not scope.is_authenticated:
            return self.none()
        q = Q(event__prefecture_id__in=scope.prefecture_codes) | Q(registered_by=user)
        if scope.corporation_ids:
            q |= Q(corporation_id__in=scope.corporation_ids)
        if scope.municipality_codes:
            q |= Q(council__municipality_id__in=scope.municipality_codes)
        return self.filter(q)


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("corporation"),
    )
    council = models.ForeignKey(
        "members.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("council"),
    )
    # Who this person is, for refusing a second registration of the same person.
    person_key = models.CharField(max_length=300, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person_key"],
                condition=~Q(status="cancelled"),
                name="events_one_registration_a_person",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} / {self.event}"

    @property
    def organisation(self) -> str:
        return str(self.corporation or self.council or self.affiliation or "")


class CheckInMethod(models.TextChoices):
    QR = "qr", _("QR code")
    LIST = "list", _("list")
    SHEET = "sheet", _("attendance sheet")


class Attendance(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField(_("method"), max_length=6, choices=CheckInMethod.choices)
    checked_in_at = models.DateTimeField(default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="events_attend_a_session_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration.name} @ {self.session}"


class Certificate(models.Model):
    """修了証: issued once to a registration that met its course's completion rule."""

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number


class Evaluation(models.Model):
    """The short questionnaire after an event: one per registration."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="evaluation"
    )
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"))
    usefulness = models.PositiveSmallIntegerField(_("useful for your work"))
    comment = models.TextField(_("comments"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5, usefulness__gte=1, usefulness__lte=5),
                name="events_evaluation_scale_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} {self.overall}/{self.usefulness}"
