"""Every social welfare corporation, facility and council of a prefecture, members or not.

Closing never deletes: a closed or merged corporation, a closed facility and a council of a
merged municipality keep their records and history, with the date they closed.
"""

from __future__ import annotations

import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.core.hojin import validate_corporate_number
from sasaeai.core.text import normalize_text, search_key

postal_code_validator = RegexValidator(
    r"^\d{3}-?\d{4}$", _("Enter a postal code of 7 digits, e.g. 700-0807.")
)


class SearchableNames:
    """Names stored NFKC-normalised, and the search key derived from them: one rule for
    saves, imports and generated data (bulk writes bypass ``save``)."""

    name_fields: tuple[str, ...] = ("name", "name_kana")

    def normalize_names(self) -> None:
        for field in self.name_fields:
            setattr(self, field, normalize_text(getattr(self, field)))
        self.search_key = search_key(" ".join(getattr(self, f) for f in self.name_fields))

    def save(self, *args, **kwargs):
        self.normalize_names()
        super().save(*args, **kwargs)


class EditableList(models.Model):
    """A short list the center edits (sector groups, facility kinds)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class SectorGroup(EditableList):
    """種別協議会: the sector a corporation belongs to (老人福祉, 児童福祉, 障害福祉 ...)."""

    class Meta(EditableList.Meta):
        verbose_name = _("sector group")
        verbose_name_plural = _("sector groups")


class FacilityKind(EditableList):
    """施設種別 (特別養護老人ホーム, 保育所, 障害者支援施設 ...)."""

    class Meta(EditableList.Meta):
        verbose_name = _("facility kind")
        verbose_name_plural = _("facility kinds")


def open_on(date: datetime.date, *, start: str, end: str) -> Q:
    """Records that exist on ``date``: started on or before it (or unknown) and not yet ended."""
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": date})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": date})
    )


class ScopedQuerySet(models.QuerySet):
    """Visibility by area: center staff their prefecture, council staff their municipality."""

    area_path = "municipality"

    def _scope(self, user):
        from sasaeai.accounts.scope import scope_of

        return scope_of(user)

    def in_prefecture(self, code: str):
        return self.filter(**{f"{self.area_path}__prefecture_id": code})

    def in_municipality(self, code: str):
        """A municipality, with the wards of a designated city counted in the city."""
        return self.filter(
            Q(**{f"{self.area_path}_id": code}) | Q(**{f"{self.area_path}__parent_id": code})
        )

    def search(self, text: str):
        key = search_key(text)
        return self.filter(search_key__contains=key) if key else self


class CorporationQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> CorporationQuerySet:
        """Center staff: their prefecture; council staff: their municipality; corporation
        staff: their own corporations; anyone else: nothing."""
        scope = self._scope(user)
        if scope.sees_everything():
            return self.all()
        return self.filter(scope.area_q("municipality") | Q(pk__in=scope.corporation_ids))

    def editable_by(self, user) -> CorporationQuerySet:
        """Center staff edit their prefecture's; corporation staff their own."""
        scope = self._scope(user)
        if scope.sees_everything():
            return self.all()
        return self.filter(
            scope.prefecture_q("municipality__prefecture_id") | Q(pk__in=scope.corporation_ids)
        )

    def active_on(self, date: datetime.date) -> CorporationQuerySet:
        return self.filter(open_on(date, start="founded", end="closed"))

    def with_member_state(self, date: datetime.date) -> CorporationQuerySet:
        """Annotate ``member_state``: the kind of the latest membership event on ``date``."""
        from .membership import latest_event_kind

        return self.annotate(member_state=latest_event_kind(date, member_field="corporation"))

    def members_on(self, date: datetime.date) -> CorporationQuerySet:
        from .membership import MEMBER_KINDS

        return self.with_member_state(date).filter(member_state__in=MEMBER_KINDS)


class Corporation(SearchableNames, models.Model):
    corporate_number = models.CharField(
        _("corporate number"),
        max_length=13,
        unique=True,
        validators=[validate_corporate_number],
        help_text=_("法人番号: 13 digits, the first is a check digit."),
    )
    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    representative = models.CharField(_("representative"), max_length=100, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=8, blank=True, validators=[postal_code_validator]
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="corporations",
        verbose_name=_("municipality"),
        db_index=False,  # the index on (municipality, closed) serves it
    )
    sector_group = models.ForeignKey(
        SectorGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corporations",
        verbose_name=_("sector group"),
    )
    founded = models.DateField(_("founded"), null=True, blank=True)
    closed = models.DateField(_("closed"), null=True, blank=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    is_fictitious = models.BooleanField(
        _("fictitious (demo)"),
        default=False,
        help_text=_("A made-up corporation of the demo data, not a real one."),
    )
    # Searched with ``contains`` (LIKE '%…%'), which no B-tree serves: no index to keep up.
    search_key = models.CharField(max_length=400, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CorporationQuerySet.as_manager()

    class Meta:
        verbose_name = _("social welfare corporation")
        verbose_name_plural = _("social welfare corporations")
        ordering = ["name_kana", "name"]
        indexes = [models.Index(fields=["municipality", "closed"])]
        constraints = [
            models.CheckConstraint(
                name="corporation_closes_after_founding",
                condition=Q(founded__isnull=True)
                | Q(closed__isnull=True)
                | Q(closed__gte=models.F("founded")),
            )
        ]

    def __str__(self) -> str:
        return self.name


class FacilityQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> FacilityQuerySet:
        """Facilities in the user's area, and every facility of a corporation the user may
        see (as its page lists them), wherever the facility stands."""
        scope = self._scope(user)
        if scope.sees_everything():
            return self.all()
        return self.filter(
            scope.area_q("municipality")
            | scope.area_q("corporation__municipality")
            | Q(corporation_id__in=scope.corporation_ids)
        )

    def editable_by(self, user) -> FacilityQuerySet:
        scope = self._scope(user)
        if scope.sees_everything():
            return self.all()
        return self.filter(
            scope.prefecture_q("municipality__prefecture_id")
            | Q(corporation_id__in=scope.corporation_ids)
        )

    def active_on(self, date: datetime.date) -> FacilityQuerySet:
        return self.filter(open_on(date, start="opened", end="closed"))

    def members_on(self, date: datetime.date) -> FacilityQuerySet:
        """The seed's definition: a facility counts when its corporation is a member."""
        return self.filter(corporation__in=Corporation.objects.members_on(date).values("pk"))


class Facility(SearchableNames, models.Model):
    """施設・事業所: a facility or business office of a corporation."""

    corporation = models.ForeignKey(
        Corporation,
        on_delete=models.PROTECT,
        related_name="facilities",
        verbose_name=_("corporation"),
        db_index=False,  # facility_unique_name, on (corporation, name), serves it
    )
    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    kind = models.ForeignKey(
        FacilityKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name=_("kind"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="facilities",
        verbose_name=_("municipality"),
        db_index=False,  # the index on (municipality, closed) serves it
    )
    postal_code = models.CharField(
        _("postal code"), max_length=8, blank=True, validators=[postal_code_validator]
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    opened = models.DateField(_("opened"), null=True, blank=True)
    closed = models.DateField(_("closed"), null=True, blank=True)
    office_number = models.CharField(
        _("office number"),
        max_length=20,
        blank=True,
        help_text=_("Optional official number, e.g. the long-term care insurance office number."),
    )
    # Searched with ``contains`` (LIKE '%…%'), which no B-tree serves: no index to keep up.
    search_key = models.CharField(max_length=400, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("facility or business office")
        verbose_name_plural = _("facilities and business offices")
        ordering = ["name_kana", "name"]
        indexes = [models.Index(fields=["municipality", "closed"])]
        constraints = [
            # The facility key of imports: its corporation and its name.
            models.UniqueConstraint(fields=["corporation", "name"], name="facility_unique_name"),
            models.UniqueConstraint(
                fields=["office_number"],
                condition=~Q(office_number=""),
                name="facility_unique_office_number",
            ),
            models.CheckConstraint(
                name="facility_closes_after_opening",
                condition=Q(opened__isnull=True)
                | Q(closed__isnull=True)
                | Q(closed__gte=models.F("opened")),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CouncilQuerySet(ScopedQuerySet):
    def in_prefecture(self, code: str) -> CouncilQuerySet:
        """The prefectural council and the municipal ones."""
        return self.filter(prefecture_id=code)

    def visible_to(self, user) -> CouncilQuerySet:
        """Councils are public bodies: anyone signed in sees those of their area; center staff
        their prefecture's, council staff their own."""
        scope = self._scope(user)
        if scope.sees_everything():
            return self.all()
        return self.filter(scope.prefecture_q("prefecture_id") | scope.area_q("municipality"))

    def active_on(self, date: datetime.date) -> CouncilQuerySet:
        return self.filter(open_on(date, start="founded", end="closed"))

    def with_member_state(self, date: datetime.date) -> CouncilQuerySet:
        from .membership import latest_event_kind

        return self.annotate(member_state=latest_event_kind(date, member_field="council"))

    def members_on(self, date: datetime.date) -> CouncilQuerySet:
        from .membership import MEMBER_KINDS

        return self.with_member_state(date).filter(member_state__in=MEMBER_KINDS)


class Council(SearchableNames, models.Model):
    """社会福祉協議会: one for the prefecture (県社協) and one per municipality (市町村社協)."""

    class Level(models.TextChoices):
        PREFECTURAL = "prefectural", _("prefectural council")
        MUNICIPAL = "municipal", _("municipal council")

    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="councils",
        verbose_name=_("prefecture"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100)
    corporate_number = models.CharField(
        _("corporate number"),
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
    )
    postal_code = models.CharField(
        _("postal code"), max_length=8, blank=True, validators=[postal_code_validator]
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    closed = models.DateField(_("closed"), null=True, blank=True)
    # Searched with ``contains`` (LIKE '%…%'), which no B-tree serves: no index to keep up.
    search_key = models.CharField(max_length=400, editable=False)

    objects = CouncilQuerySet.as_manager()
    name_fields = ("name",)

    class Meta:
        verbose_name = _("council of social welfare")
        verbose_name_plural = _("councils of social welfare")
        ordering = ["prefecture_id", "level", "municipality_id"]
        constraints = [
            models.CheckConstraint(
                name="council_level_matches_area",
                condition=Q(level="prefectural", municipality__isnull=True)
                | Q(level="municipal", municipality__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["prefecture"],
                condition=Q(level="prefectural", closed__isnull=True),
                name="council_one_open_prefectural",
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(closed__isnull=True),
                name="council_one_open_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RegistryVersion(models.Model):
    """A token that changes whenever the registry or the membership changes.

    Figures computed from the records (the membership rate) are cached under it: every process
    reads the token (one indexed row) and recomputes only when it differs.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("registry version")

    def __str__(self) -> str:
        return self.token
