"""The register of personal data (個人情報保護法): which fields of which models hold it, whose it
is, why it is kept, for how long, and how it is erased.

Each app declares its holdings in its own ``privacy.py`` and registers them in its
``AppConfig.ready``, as it does its KPIs; ``core`` imports no app, so a holding carries
everything the disclosure, the erasure and the purge need: the fields, how a person is found in
them, the path to the record's prefecture, when the record was stored and when its period ends.
Fields whose names look personal but are not (an organisation's name, a staff note about a
meeting) are declared with ``not_personal`` and a reason, so that the register's completeness
test fails on any new field that is neither.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import CharField, F, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat, Lower, Replace
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ANONYMOUS",
    "Holding",
    "Person",
    "PersonalField",
    "Retention",
    "holdings",
    "marker",
    "not_personal",
    "register",
]

# What an erased name becomes: the register and the pages say 匿名.
ANONYMOUS = "匿名"

# How a field is erased.
BLANK = "blank"
REPLACE = "replace"  # by 匿名
MARK = "mark"  # by a marker naming the row (keeps a unique column unique)
ERASURES = {BLANK: _("blanked"), REPLACE: _("replaced by 匿名"), MARK: _("replaced by a marker")}

# How a person is recognised in a holding.
EMAIL = "email"
NAME = "name"
PHONE = "phone"
REFERENCE = "reference"  # a referring organisation's case number
MENTIONS = "mentions"  # free text that may name them or give their address


def marker(prefix: str, suffix: str = ""):
    """An erased value that names its row (``erased-12``), for columns that must stay unique."""
    return Concat(Value(prefix), Cast(F("pk"), CharField()), Value(suffix))


@dataclass(frozen=True)
class PersonalField:
    name: str
    label: Promise
    erasure: str = BLANK  # BLANK, REPLACE or MARK
    erased_value: Any = None  # the marker expression for MARK

    @property
    def erasure_label(self) -> Promise:
        return ERASURES[self.erasure]

    @property
    def value_after_erasure(self) -> Any:
        if self.erasure == MARK:
            return self.erased_value
        return ANONYMOUS if self.erasure == REPLACE else ""


@dataclass(frozen=True)
class Retention:
    """How long a holding's records keep their personal data: ``default_years`` after the
    day their period counts from (the end of the event's fiscal year), or as set per center
    in ``Center.settings["privacy_retention_years"][key]``."""

    key: str
    default_years: int
    # Rows whose period started before the cutoff date (today less the years): past it.
    started_before: Callable[[datetime.date], Q]
    label: Promise  # with %(years)s

    def text(self, settings: Mapping[str, Any] | None) -> str:
        return str(self.label) % {"years": retention_years(settings, self)}


@dataclass(frozen=True)
class Holding:
    model: str  # "events.Registration"
    whose: Promise  # the people the data is about
    purpose: Promise
    retention: Promise  # how long, in words (for a purged holding: its Retention's label)
    fields: tuple[PersonalField, ...]
    # Paths (or expressions) compared with a person's email, name, phone or case number.
    identified_by: Mapping[str, tuple[Any, ...]]
    prefecture_paths: tuple[str, ...]  # any of them equal to the prefecture: in scope
    stored_at: str  # path to when the record was stored
    context: tuple[str, ...] = ()  # paths that say which record it is (the event's title)
    purged: Retention | None = None  # anonymised by ``purge_personal_data`` after the period
    only: Q = field(default_factory=Q)  # the rows of the model that hold this data
    also_on_erasure: Mapping[str, Any] = field(default_factory=dict)  # e.g. is_active=False
    # Models whose audit entries repeat this record's personal data (their ``__str__`` shows
    # the participant's name): (model label, path from that model to this one's pk).
    audit_children: tuple[tuple[str, str], ...] = ()

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def retention_text(self, settings: Mapping[str, Any] | None) -> str:
        """How long, in words, with a center's own period where it set one."""
        return self.purged.text(settings) if self.purged else str(self.retention)

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def rows(self) -> QuerySet:
        return self.model_class._default_manager.filter(self.only)

    def erased_q(self) -> Q:
        """Rows already erased: every blanked or replaced field holds its erased value (a
        holding that is purged has at least one such field: ``register`` checks)."""
        q = Q()
        for f in self.fields:
            if f.erasure != MARK:
                q &= Q(**{f.name: f.value_after_erasure})
        return q

    def in_prefecture(self, queryset: QuerySet, prefecture: str | None) -> QuerySet:
        """``prefecture`` None: everywhere (a superuser)."""
        if prefecture is None:
            return queryset
        q = Q(pk__in=[])
        for path in self.prefecture_paths:
            q |= Q(**{path: prefecture})
        model = self.model_class
        return queryset.filter(pk__in=model._default_manager.filter(q).values("pk"))

    def about(self, person: Person) -> QuerySet:
        """The rows that hold data about ``person``."""
        return self.rows().filter(person.q(self.identified_by))

    def erasure_updates(self) -> dict[str, Any]:
        values = {f.name: f.value_after_erasure for f in self.fields}
        also = {k: v() if callable(v) else v for k, v in self.also_on_erasure.items()}
        return {**values, **also}


def _folded(expression):
    """A column without spaces (half- and full-width), lower-cased: names are compared so."""
    expr = expression if not isinstance(expression, str) else F(expression)
    for space in (" ", "\u3000", "-"):
        expr = Replace(expr, Value(space), Value(""), output_field=TextField())
    return Lower(expr)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if ch not in " \u3000-").lower()


def fold_as_typed(text: str) -> str:
    """``fold`` without NFKC, as ``_folded`` folds a column: a name stored with full-width
    brackets or digits (中村 健太（架空1）) is found by the same name typed."""
    return "".join(ch for ch in (text or "") if ch not in " \u3000-").lower()


@dataclass(frozen=True)
class Person:
    """Whom a disclosure or an erasure is about: an email address, or a name (with a phone
    number where the records have one), or a referring organisation's case number."""

    email: str = ""
    name: str = ""
    phone: str = ""
    reference: str = ""
    name_as_typed: str = field(default="", compare=False)

    def __post_init__(self):
        object.__setattr__(self, "email", (self.email or "").strip().lower())
        object.__setattr__(self, "name_as_typed", fold_as_typed(self.name))
        object.__setattr__(self, "name", fold(self.name))
        object.__setattr__(self, "phone", fold(self.phone))
        object.__setattr__(self, "reference", (self.reference or "").strip())

    def is_empty(self) -> bool:
        return not (self.email or self.name or self.reference)

    def may_be_in(self, identified_by: Mapping[str, tuple[Any, ...]]) -> bool:
        """Whether a holding can be searched with what is known of the person at all."""
        known = {EMAIL: self.email, NAME: self.name, REFERENCE: self.reference}
        known[MENTIONS] = self.email or self.name
        return any(known.get(kind) for kind in identified_by)

    def q(self, identified_by: Mapping[str, tuple[Any, ...]]) -> Q:
        q = Q(pk__in=[])
        if self.email:
            for path in identified_by.get(EMAIL, ()):
                q |= Q(**{f"{path}__iexact": self.email})
        if self.name:
            name_q = Q(pk__in=[])
            for path in identified_by.get(NAME, ()):
                for spelling in {self.name, self.name_as_typed}:
                    name_q |= Q(_folded_eq(path, spelling))
            phones = identified_by.get(PHONE, ())
            if self.phone and phones:
                phone_q = Q(pk__in=[])
                for path in phones:
                    phone_q |= _folded_eq(path, self.phone)
                name_q &= phone_q
            q |= name_q
        if self.reference:
            for path in identified_by.get(REFERENCE, ()):
                q |= Q(**{path: self.reference})
        for path in identified_by.get(MENTIONS, ()):
            for needle in (fold(self.email), self.name):
                if needle:
                    q |= _folded_contains(path, needle)
        return q


def _folded_eq(path, value: str) -> Q:
    from django.db.models.lookups import Exact

    return Q(Exact(_folded(path), Value(value)))


def _folded_contains(path, value: str) -> Q:
    from django.db.models.lookups import Contains

    return Q(Contains(_folded(path), Value(value)))


# The register ---------------------------------------------------------------------------------

_HOLDINGS: dict[str, Holding] = {}
_NOT_PERSONAL: dict[tuple[str, str], Promise] = {}


def register(*holdings: Holding) -> None:
    for holding in holdings:
        existing = _HOLDINGS.get(holding.model)
        if existing is not None and existing.fields != holding.fields:
            raise ValueError(f"personal data of {holding.model} is declared twice")
        if holding.purged and all(f.erasure == MARK for f in holding.fields):
            raise ValueError(f"{holding.model}: a purged holding needs a field to tell erased rows")
        _HOLDINGS[holding.model] = holding


def not_personal(model: str, *fields: str, reason: Promise) -> None:
    """Declare fields whose names look personal but that hold no personal data."""
    for name in fields:
        _NOT_PERSONAL[(model, name)] = reason


def holdings() -> list[Holding]:
    return sorted(_HOLDINGS.values(), key=lambda h: h.model)


def holding(model: str) -> Holding:
    return _HOLDINGS[model]


def declared_not_personal() -> dict[tuple[str, str], Promise]:
    return dict(_NOT_PERSONAL)


def is_declared(model: str, field_name: str) -> bool:
    if (model, field_name) in _NOT_PERSONAL:
        return True
    held = _HOLDINGS.get(model)
    return held is not None and field_name in held.field_names()


def retention_years(settings: Mapping[str, Any] | None, retention: Retention) -> int:
    """The years a center keeps what ``retention`` covers: its own setting or the default."""
    chosen = ((settings or {}).get("privacy_retention_years") or {}).get(retention.key)
    if isinstance(chosen, int) and not isinstance(chosen, bool) and chosen >= 0:
        return chosen
    return retention.default_years


def retention_years_of(settings: Mapping[str, Any] | None) -> dict[str, int]:
    """The years of each purged period, a center's own or the default (the public policy)."""
    return {h.purged.key: retention_years(settings, h.purged) for h in holdings() if h.purged}


def public_register(settings: Mapping[str, Any] | None) -> list[dict[str, str]]:
    """The register as the public privacy page lists it: whose, what, why, how long."""
    return [
        {
            "whose": str(h.whose),
            "items": "、".join(str(f.label) for f in h.fields),
            "purpose": str(h.purpose),
            "retention": h.retention_text(settings),
        }
        for h in holdings()
    ]
