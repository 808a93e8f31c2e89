"""What an import looks up once and then reads from dictionaries: municipalities, sector
groups, facility kinds."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from sasaeai.core.tabular.errors import join_names
from sasaeai.core.text import search_key
from sasaeai.regions.codes import InvalidMunicipalityCode, normalize_local_government_code
from sasaeai.regions.models import Municipality, MunicipalityKind, Prefecture

# Lookups: one query each, then dictionaries ----------------------------------------------------


class Municipalities:
    """The municipalities of one prefecture by code (5 or 6 digits) and by name, with or
    without the prefecture's name in front; a ward as its city's name and its own (岡山市北区)."""

    def __init__(self, prefecture: Prefecture) -> None:
        self.prefecture = prefecture
        self.by_key: dict[str, str] = {}
        rows = Municipality.objects.filter(prefecture=prefecture).order_by("is_active", "code")
        for code, name, kind, parent in rows.values_list("code", "name", "kind", "parent__name"):
            full = f"{parent}{name}" if kind == MunicipalityKind.WARD else name
            for key in (code, code[:5], full, f"{prefecture.name}{full}"):
                self.by_key[search_key(key)] = code  # active ones come last and win
        self.example = min(self.by_key.values(), default="")
        self.found: dict[str, str] = {}

    def resolve(self, text: str) -> str:
        code = self.found.get(text)
        if code is not None:
            return code
        if text.isascii() and text.isdigit():
            code = self._by_code(text)
        else:
            code = self.by_key.get(search_key(text))
            if code is None:
                raise ValidationError(self._unknown(text))
        self.found[text] = code  # a file names the same few municipalities again and again
        return code

    def _by_code(self, text: str) -> str:
        try:
            code = normalize_local_government_code(text)
        except InvalidMunicipalityCode as error:
            raise ValidationError(str(error)) from None
        if code not in self.by_key:
            raise ValidationError(self._unknown(text))
        return code

    def _unknown(self, text: str) -> str:
        return _(
            "“%(value)s” is not a municipality of %(prefecture)s. Enter its name "
            "(e.g. 津山市 or 岡山市北区) or its code (e.g. %(code)s)."
        ) % {"value": text, "prefecture": self.prefecture.name, "code": self.example}


class EditableChoices:
    """An editable list (sector groups, facility kinds) by name or code."""

    SHOWN = 8

    def __init__(self, model: type[Model], label: str) -> None:
        self.label = label
        self.by_key: dict[str, int] = {}
        self.names: list[str] = []
        self.found: dict[str, int] = {}
        for pk, code, name, active in model.objects.values_list("pk", "code", "name", "is_active"):
            self.by_key[search_key(code)] = self.by_key[search_key(name)] = pk
            if active:
                self.names.append(name)

    def resolve(self, text: str) -> int:
        pk = self.found.get(text)
        if pk is not None:
            return pk
        pk = self.by_key.get(search_key(text))
        if pk is not None:
            self.found[text] = pk
        else:
            shown = join_names(self.names[: self.SHOWN])
            shown += "…" if len(self.names) > self.SHOWN else ""
            raise ValidationError(
                _("“%(value)s” is not in the list of %(list)s. Valid values include: %(values)s.")
                % {"value": text, "list": self.label, "values": shown}
            )
        return pk
