"""Pillar V 見える化: the public-interest activities (地域公益活動) that corporations and
municipal networks run: what, where, when and for whom.

An activity is run by exactly one corporation or one municipal network and takes place in a
municipality of its owner's prefecture. Its schedule is a stored RFC 5545 recurrence (see
``schedule.py``) with the weekdays it can fall on kept beside it for the directory's search.
It goes draft → submitted → published (→ withdrawn); the public sees published, public ones.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Max, Q
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.scope import CenterScopedQuerySet, scope_of

from . import schedule as schedules


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("internal")


class TargetGroup(models.TextChoices):
    """Who an activity is for. The labels are the domain's own words (shown and exported in
    Japanese, searched by residents in Japanese)."""

    CHILDREN = "children", "子ども"
    PARENTS = "parents", "子育て家庭"
    ELDERLY = "elderly", "高齢者"
    DISABLED = "disabled", "障害のある人"
    NEEDY = "needy", "生活困窮者"
    YOUTH = "youth", "若者"
    FOREIGN = "foreign", "外国にルーツのある人"
    EVERYONE = "everyone", "誰でも"


def pack(codes) -> str:
    """Codes stored as ``|a|b|`` so that one can be searched with ``contains("|a|")``."""
    codes = [str(code) for code in codes]
    return f"|{'|'.join(codes)}|" if codes else ""


def unpack(packed: str) -> list[str]:
    return [code for code in packed.split("|") if code]


class ActivityQuerySet(CenterScopedQuerySet):
    def public(self):
        """What residents see: published and public."""
        return self.filter(state=ReviewState.PUBLISHED, visibility=Visibility.PUBLIC)

    def running_on(self, date: datetime.date):
        """Started on or before ``date`` (or undated) and not ended by then."""
        return self.filter(Q(started_on__lte=date) | Q(started_on__isnull=True)).exclude(
            ended_on__lt=date
        )

    def on_weekday(self, weekday: int):
        return self.filter(weekdays__contains=str(weekday))

    def for_target(self, code: str):
        return self.filter(targets__contains=f"|{code}|")

    def version(self):
        """A cheap token that changes when any of these activities changes."""
        # COUNT(*) and MAX(updated_at) read the (prefecture, updated_at) index alone.
        return tuple(self.order_by().aggregate(n=Count("*"), at=Max("updated_at")).values())

    def managed_by(self, user):
        """Those a user edits or reviews: center staff their prefecture's, council staff their
        municipality's, corporation staff their corporation's."""
        scope = scope_of(user)
        if not scope.is_authenticated:
            return self.none()
        if scope.sees_everything():
            return self
        q = scope.prefecture_q("prefecture_id")
        if scope.municipality_codes:
            q |= scope.area_q("municipality")
        if scope.corporation_ids:
            q |= Q(corporation_id__in=scope.corporation_ids)
        return self.filter(q)

    def reviewable_by(self, user):
        """Those a user may publish or send back: center and council staff."""
        scope = scope_of(user)
        if not scope.is_authenticated:
            return self.none()
        if scope.sees_everything():
            return self
        q = scope.prefecture_q("prefecture_id")
        if scope.municipality_codes:
            q |= scope.area_q("municipality")
        return self.filter(q)

    def visible_to(self, user):
        return self.filter(
            Q(pk__in=self.managed_by(user).values("pk"))
            | Q(state=ReviewState.PUBLISHED, visibility=Visibility.PUBLIC)
        )


class Activity(models.Model):
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("prefecture"),
        editable=False,
    )
    corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("corporation"),
    )
    network = models.ForeignKey(
        "networks.MunicipalNetwork",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("municipal network"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(
        "projects.Theme", blank=True, related_name="activities", verbose_name=_("themes")
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("municipality"),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=8, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # RFC 5545: DTSTART with an RRULE or an RDATE list (see schedule.py).
    schedule_rule = models.TextField(_("schedule (RFC 5545)"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    schedule_note = models.CharField(
        _("note on the schedule"), max_length=200, blank=True, help_text=_("e.g. 祝日は休み")
    )
    schedule_text = models.CharField(_("schedule"), max_length=300, editable=False)
    weekdays = models.CharField(max_length=7, editable=False, blank=True)  # "025": Mon, Wed, Sat
    targets = models.CharField(_("for whom"), max_length=200, blank=True)  # pack()ed codes
    cost = models.CharField(_("cost"), max_length=200, blank=True, help_text=_("e.g. 無料"))
    how_to_join = models.TextField(_("how to join or refer someone"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    partners = models.TextField(_("partners"), blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_reason = models.TextField(_("reason for sending back"), blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["municipality_id", "title", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(corporation__isnull=False, network__isnull=True)
                | Q(corporation__isnull=True, network__isnull=False),
                name="activities_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="activities_ended_after_started",
            ),
        ]
        indexes = [
            # The directory: published public activities of a municipality (or a prefecture).
            models.Index(
                fields=["state", "visibility", "municipality", "title"],
                name="activities_directory",
            ),
            models.Index(fields=["prefecture", "updated_at"], name="activities_version"),
            # The plan's figure on any date: those started by it less those ended before it,
            # read from the index alone (kpis.running_series).
            models.Index(
                fields=["prefecture", "state", "visibility", "started_on"],
                name="activities_started",
            ),
            models.Index(
                fields=["prefecture", "state", "visibility", "ended_on"],
                name="activities_ended",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self):
        return self.corporation or self.network

    @property
    def schedule(self) -> schedules.Schedule:
        return schedules.from_rule(self.schedule_rule, self.start_time, self.end_time)

    @property
    def target_codes(self) -> list[str]:
        return unpack(self.targets)

    @property
    def target_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(code, code)) for code in self.target_codes]

    @property
    def weekday_labels(self) -> list[str]:
        return [schedules.JAPANESE_DAYS[int(day)] for day in self.weekdays]

    @property
    def is_public(self) -> bool:
        return self.state == ReviewState.PUBLISHED and self.visibility == Visibility.PUBLIC
