"""Pillar III 市町村域ネットづくり: municipal networks, the dated status of every municipality,
outreach visits and the networks' meetings.

A municipality's status is dated history (``StatusEntry``), never overwritten: its status on a
day is its latest entry on or before that day, so that every page and KPI can be read as of any
date. Statuses are kept per local government: a designated city's wards fold into the city.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sasaeai.accounts.scope import scope_of
from sasaeai.core.text import search_key


class Status(models.TextChoices):
    """Where a municipality stands on its way to a network (the seed's page 11)."""

    NONE = "none", _("nothing yet")  # 未着手
    MEETINGS = "meetings", _("meetings held")  # 連絡会・情報交換会等開催
    STUDY = "study", _("staff training or internal study")  # 職員研修・局内検討
    ESTABLISHED = "established", pgettext_lazy("network status", "established")  # 設置済
    ACTIVE = "active", pgettext_lazy("network status", "active")  # 活動中
    DORMANT = "dormant", pgettext_lazy("network status", "dormant")  # 休止


# A municipality "has a network" once established, whether active or dormant since.
WITH_NETWORK = frozenset({Status.ESTABLISHED, Status.ACTIVE, Status.DORMANT})
CONSIDERING = frozenset({Status.MEETINGS, Status.STUDY})
# The order of the way, for legends and tables.
STATUS_ORDER = [
    Status.NONE,
    Status.MEETINGS,
    Status.STUDY,
    Status.ESTABLISHED,
    Status.ACTIVE,
    Status.DORMANT,
]


# One colour per status for the map, the legend and the tables (pages and PDF alike): light to
# dark along the way, distinguishable without colour by the table and the legend's counts.
STATUS_COLOURS = {
    Status.NONE: "#e8e8ea",
    Status.MEETINGS: "#fde7a9",
    Status.STUDY: "#f6b26b",
    Status.ESTABLISHED: "#5b9bd5",
    Status.ACTIVE: "#2e75b6",
    Status.DORMANT: "#b4a7d6",
}


class Source(models.TextChoices):
    SURVEY = "survey", _("survey")  # 取組状況調査
    VISIT = "visit", _("outreach visit")  # アウトリーチ支援
    REPORT = "report", _("report")  # 報告
    OTHER = "other", _("other")


class NetworkQuerySet(models.QuerySet):
    def in_prefecture(self, code: str) -> NetworkQuerySet:
        return self.filter(prefecture_id=code)

    def visible_to(self, user) -> NetworkQuerySet:
        """Networks are public knowledge (the seed lists them); their documents are not."""
        return self

    def editable_by(self, user) -> NetworkQuerySet:
        """Center staff edit their prefecture's networks; council staff the networks whose area
        holds their municipality."""
        scope = scope_of(user)
        if not scope.is_authenticated:
            return self.none()
        if scope.sees_everything():
            return self
        q = scope.prefecture_q("prefecture_id")
        if scope.municipality_codes:
            q |= Q(
                pk__in=MunicipalNetwork.area.through.objects.filter(
                    Q(municipality_id__in=scope.municipality_codes)
                    | Q(municipality__parent_id__in=scope.municipality_codes)
                ).values("municipalnetwork_id")
            )
        return self.filter(q)

    def established_on(self, date: datetime.date) -> NetworkQuerySet:
        """Networks established on or before ``date`` and not dissolved by then."""
        return self.filter(established_on__lte=date).exclude(dissolved_on__lte=date)

    def search(self, text: str) -> NetworkQuerySet:
        key = search_key(text)
        if not key:
            return self
        return self.filter(Q(search_key__contains=key) | Q(nickname_key__contains=key))


class MunicipalNetwork(models.Model):
    """市町村域の社会福祉法人ネットワーク (連絡会): an area of one or more municipalities."""

    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="networks",
        verbose_name=_("prefecture"),
    )
    name = models.CharField(_("official name"), max_length=200)
    nickname = models.CharField(
        _("nickname"), max_length=100, blank=True, help_text=_("e.g. ふくしネットそうじゃ")
    )
    area = models.ManyToManyField(
        "regions.Municipality",
        related_name="networks",
        verbose_name=_("area"),
        help_text=_("The municipalities the network covers (圏域)."),
    )
    secretariat = models.ForeignKey(
        "members.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="networks",
        verbose_name=_("secretariat"),
        help_text=_("The municipal council of social welfare that hosts the network."),
    )
    established_on = models.DateField(_("established"), null=True, blank=True)
    established_note = models.TextField(
        _("note on the date"),
        blank=True,
        help_text=_("e.g. the date of the bylaw change; the liaison council existed before."),
    )
    dissolved_on = models.DateField(_("dissolved"), null=True, blank=True)
    contact = models.TextField(_("contact"), blank=True)
    note = models.TextField(_("note"), blank=True)
    # Normalised names: the official name identifies a network in its prefecture (imports match
    # on it); both are searched.
    search_key = models.CharField(max_length=400, editable=False)
    nickname_key = models.CharField(max_length=200, editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["prefecture_id", "established_on", "name"]
        verbose_name = _("municipal network")
        verbose_name_plural = _("municipal networks")
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "search_key"], name="networks_unique_name_in_prefecture"
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(dissolved_on__gte=F("established_on")),
                name="networks_dissolved_after_established",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.nickname}）" if self.nickname else self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name)
        self.nickname_key = search_key(self.nickname)
        super().save(*args, **kwargs)


class NetworkMember(models.Model):
    """A corporation in a network, with the dates it joined and left."""

    network = models.ForeignKey(MunicipalNetwork, on_delete=models.CASCADE, related_name="members")
    corporation = models.ForeignKey(
        "members.Corporation",
        on_delete=models.PROTECT,
        related_name="network_memberships",
        verbose_name=_("corporation"),
    )
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["joined_on", "id"]
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="networks_member_left_after_joined",
            ),
            models.UniqueConstraint(
                fields=["network", "corporation"],
                condition=Q(left_on__isnull=True),
                name="networks_member_once_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.corporation} / {self.network}"


class DocumentKind(models.TextChoices):
    BYLAWS = "bylaws", _("bylaws")  # 規約・要綱
    MINUTES = "minutes", _("minutes")  # 議事録
    OTHER = "other", _("other")


class NetworkDocument(models.Model):
    network = models.ForeignKey(
        MunicipalNetwork, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="networks/documents/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("network document")
        verbose_name_plural = _("network documents")

    def __str__(self) -> str:
        return self.title


class MeetingKind(models.TextChoices):
    LIAISON = "liaison", _("liaison meeting")  # 連絡会
    TRAINING = "training", _("training")  # 研修
    PROJECT = "project", _("joint project")  # 事業
    OTHER = "other", _("other")


class NetworkMeeting(models.Model):
    """A meeting of a network: liaison meeting, training or joint project (its log)."""

    network = models.ForeignKey(MunicipalNetwork, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    minutes = models.FileField(_("minutes"), upload_to="networks/minutes/%Y/", blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}"


class StatusEntryQuerySet(models.QuerySet):
    def in_prefecture(self, code: str) -> StatusEntryQuerySet:
        return self.filter(municipality__prefecture_id=code)

    def visible_to(self, user) -> StatusEntryQuerySet:
        """Where each municipality stands is public (the map); evidence is shown to staff."""
        return self

    def on(self, date: datetime.date) -> StatusEntryQuerySet:
        return self.filter(effective_on__lte=date)

    def latest_first(self) -> StatusEntryQuerySet:
        return self.order_by("-effective_on", "-id")


def latest_status(date: datetime.date, field: str = "status", path: str = "pk") -> Subquery:
    """A subquery for a municipality's latest status entry (``field`` of it) on ``date``."""
    return Subquery(
        StatusEntry.objects.filter(municipality_id=OuterRef(path), effective_on__lte=date)
        .latest_first()
        .values(field)[:1]
    )


class StatusEntry(models.Model):
    """One dated step of a municipality: from nothing yet to an established, active network."""

    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="network_statuses",
        verbose_name=_("municipality"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    effective_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    network = models.ForeignKey(
        MunicipalNetwork,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_entries",
        verbose_name=_("network"),
    )
    is_correction = models.BooleanField(
        _("correction"),
        default=False,
        help_text=_("Entered later for a date before the municipality's latest entry."),
    )
    visit = models.ForeignKey(
        "OutreachVisit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_entries",
        verbose_name=_("outreach visit"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = StatusEntryQuerySet.as_manager()

    class Meta:
        ordering = ["municipality_id", "effective_on", "id"]
        verbose_name = _("status entry")
        verbose_name_plural = _("status entries")
        indexes = [models.Index(fields=["municipality", "effective_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=sorted(WITH_NETWORK)) | Q(network__isnull=False),
                name="networks_status_with_network_names_it",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.effective_on} {self.get_status_display()}"

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> VisitQuerySet:
        """Center staff: their prefecture's visits; council staff: visits to their area."""
        scope = scope_of(user)
        if not scope.is_authenticated:
            return self.none()
        if scope.sees_everything():
            return self
        q = scope.prefecture_q("prefecture_id")
        if scope.municipality_codes:
            q |= scope.area_q("municipality") | Q(
                network__in=MunicipalNetwork.objects.editable_by(user)
            )
        return self.filter(q)


class OutreachVisit(models.Model):
    """アウトリーチ支援: a visit or hearing by center staff to help a network start or grow."""

    prefecture = models.ForeignKey("regions.Prefecture", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("date of the visit"))
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outreach_visits",
        verbose_name=_("municipality"),
    )
    network = models.ForeignKey(
        MunicipalNetwork,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("network"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="outreach_visits", verbose_name=_("center staff")
    )
    people_met = models.TextField(
        _("people met"),
        blank=True,
        help_text=_("Their roles (e.g. 社協事務局長, 施設長 2名); names only when needed."),
    )
    topics = models.TextField(_("topics"), blank=True)
    advice = models.TextField(_("advice given"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("outreach visit")
        verbose_name_plural = _("outreach visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | Q(network__isnull=False),
                name="networks_visit_has_a_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.municipality or self.network}"


class FollowUp(models.Model):
    """A next step agreed at a visit, due on a date."""

    visit = models.ForeignKey(OutreachVisit, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("next step"), max_length=300)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.action
