"""The filters of the registry's lists, shared by the list pages, the exports and the API.

One set of GET parameters means the same everywhere, so that an export holds exactly the rows
the page showed:

- ``municipality``: a 6-digit local government code or its 5-digit JIS X 0402 form; a
  designated city (岡山市) includes its wards.
- ``prefecture``: a JIS X 0401 code (``33``).
- ``sector``: the code of a sector group (種別協議会); facilities through their corporation.
- ``kind``: the code of a facility kind (facilities only).
- ``member``: ``1`` members on ``as_of`` (default today in Japan), ``0`` those who are not.
- ``q``: free text on the normalised name and kana.
- ``as_of``: the date (YYYY-MM-DD) on which membership and being open are judged.
- ``closed``: ``1`` includes closed records; by default only those open on ``as_of``.

Empty values filter nothing. Invalid values raise one ``ValidationError`` naming each bad
parameter (the API answers 400 with it).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.core.text import hiragana_to_katakana, normalize_text, search_key
from sasaeai.regions.codes import InvalidMunicipalityCode, normalize_local_government_code

from .models import Corporation, Council, FacilityKind, SectorGroup

__all__ = ["filter_corporations", "filter_councils", "filter_facilities", "today_in_japan"]

JAPAN = ZoneInfo("Asia/Tokyo")
# Below this many characters the trigram index cannot help: search the names with LIKE.
SHORT_QUERY = 3
FLAGS = {"1": True, "0": False}

INVALID_MUNICIPALITY = _("Enter a municipality code of 5 or 6 digits, e.g. 33203 or 332038.")
INVALID_PREFECTURE = _("Enter a prefecture code from 01 to 47, e.g. 33.")
INVALID_FLAG = _("Enter 1 (yes) or 0 (no).")
INVALID_DATE = _("Enter a date as YYYY-MM-DD, e.g. 2019-03-31.")
UNKNOWN_CODE = _("“%(value)s” is not a known code. Known codes: %(known)s.")


def today_in_japan() -> datetime.date:
    return timezone.localdate(timezone=JAPAN)


class _Params:
    """Reads the parameters, collecting every error before raising them together."""

    def __init__(self, params: Mapping[str, str]) -> None:
        self.params = params
        self.errors: dict[str, list] = {}

    def text(self, name: str) -> str:
        return (self.params.get(name) or "").strip()

    def fail(self, name: str, message) -> None:
        self.errors.setdefault(name, []).append(message)

    def flag(self, name: str) -> bool | None:
        value = self.text(name)
        if value and value not in FLAGS:
            self.fail(name, INVALID_FLAG)
        return FLAGS.get(value)

    def date(self, name: str) -> datetime.date | None:
        value = normalize_text(self.text(name))
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(name, INVALID_DATE)
            return None

    def municipality(self) -> str | None:
        value = self.text("municipality")
        if not value:
            return None
        try:
            return normalize_local_government_code(value)
        except InvalidMunicipalityCode:
            self.fail("municipality", INVALID_MUNICIPALITY)
            return None

    def prefecture(self) -> str | None:
        value = normalize_text(self.text("prefecture"))
        if not value:
            return None
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 47):
            self.fail("prefecture", INVALID_PREFECTURE)
            return None
        return f"{int(value):02d}"

    def listed(self, name: str, model: type[Model]) -> Model | None:
        """The entry of an editable list with the code given in ``name``."""
        value = self.text(name)
        if not value:
            return None
        entry = model.objects.filter(code=value).first()
        if entry is None:
            known = ", ".join(model.objects.values_list("code", flat=True)[:20])
            self.fail(name, UNKNOWN_CODE % {"value": value, "known": known})
        return entry

    def raise_errors(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _name_search(queryset: QuerySet, query: str, *, kana: bool) -> QuerySet:
    """Free text through the models' ``search()``; 1–2 characters with LIKE on the names."""
    if len(search_key(query)) >= SHORT_QUERY:
        return queryset.search(query)
    text = normalize_text(query)
    condition = Q(name__icontains=text)
    if kana:
        condition |= Q(name_kana__icontains=hiragana_to_katakana(text))
    return queryset.filter(condition)


def _common(
    queryset: QuerySet,
    reader: _Params,
    *,
    as_of: datetime.date,
    prefecture_path: str,
    kana: bool = True,
) -> QuerySet:
    """The filters every list has: area, free text, open or closed."""
    if (prefecture := reader.prefecture()) is not None:
        queryset = queryset.filter(**{prefecture_path: prefecture})
    if (municipality := reader.municipality()) is not None:
        queryset = queryset.in_municipality(municipality)
    if query := reader.text("q"):
        queryset = _name_search(queryset, query, kana=kana)
    if not reader.flag("closed"):
        queryset = queryset.filter(Q(closed__isnull=True) | Q(closed__gt=as_of))
    return queryset


def _members(queryset: QuerySet, members: QuerySet, member: bool | None, *, path: str):
    if member is None:
        return queryset
    condition = {f"{path}__in": members.values("pk")}
    return queryset.filter(**condition) if member else queryset.exclude(**condition)


def filter_corporations(
    queryset: QuerySet, params: Mapping[str, str], *, as_of: datetime.date | None = None
) -> QuerySet:
    """Corporations of ``queryset`` that match the list parameters (see the module doc)."""
    reader = _Params(params)
    as_of = as_of or reader.date("as_of") or today_in_japan()
    queryset = _common(queryset, reader, as_of=as_of, prefecture_path="municipality__prefecture")
    if (sector := reader.listed("sector", SectorGroup)) is not None:
        queryset = queryset.filter(sector_group=sector)
    members = Corporation.objects.members_on(as_of)
    queryset = _members(queryset, members, reader.flag("member"), path="pk")
    reader.raise_errors()
    return queryset


def filter_facilities(
    queryset: QuerySet, params: Mapping[str, str], *, as_of: datetime.date | None = None
) -> QuerySet:
    """Facilities of ``queryset`` that match the list parameters; a facility is a member when
    its corporation is (the seed's definition)."""
    reader = _Params(params)
    as_of = as_of or reader.date("as_of") or today_in_japan()
    queryset = _common(queryset, reader, as_of=as_of, prefecture_path="municipality__prefecture")
    if (sector := reader.listed("sector", SectorGroup)) is not None:
        queryset = queryset.filter(corporation__sector_group=sector)
    if (kind := reader.listed("kind", FacilityKind)) is not None:
        queryset = queryset.filter(kind=kind)
    members = Corporation.objects.members_on(as_of)
    queryset = _members(queryset, members, reader.flag("member"), path="corporation")
    reader.raise_errors()
    return queryset


def filter_councils(
    queryset: QuerySet, params: Mapping[str, str], *, as_of: datetime.date | None = None
) -> QuerySet:
    """Councils of ``queryset`` that match the list parameters (no sector or kind)."""
    reader = _Params(params)
    as_of = as_of or reader.date("as_of") or today_in_japan()
    queryset = _common(queryset, reader, as_of=as_of, prefecture_path="prefecture", kana=False)
    members = Council.objects.members_on(as_of)
    queryset = _members(queryset, members, reader.flag("member"), path="pk")
    reader.raise_errors()
    return queryset


def filter_membership_events(queryset: QuerySet, params: Mapping[str, str]) -> QuerySet:
    """Membership events by the member's prefecture or municipality, kind (``join``,
    ``change``, ``withdraw``) and free text on the member's name."""
    reader = _Params(params)
    if (prefecture := reader.prefecture()) is not None:
        queryset = queryset.filter(
            Q(corporation__municipality__prefecture_id=prefecture)
            | Q(council__prefecture_id=prefecture)
        )
    if (municipality := reader.municipality()) is not None:
        queryset = queryset.filter(
            Q(corporation__municipality_id=municipality)
            | Q(corporation__municipality__parent_id=municipality)
            | Q(council__municipality_id=municipality)
        )
    kind = reader.text("kind")
    if kind and kind not in EVENT_KINDS:
        reader.fail("kind", UNKNOWN_CODE % {"value": kind, "known": ", ".join(EVENT_KINDS)})
    elif kind:
        queryset = queryset.filter(kind=kind)
    if query := reader.text("q"):
        key = search_key(query)
        queryset = queryset.filter(
            Q(corporation__search_key__contains=key) | Q(council__search_key__contains=key)
        )
    reader.raise_errors()
    return queryset


EVENT_KINDS = ("join", "change", "withdraw")
