"""File-level refusals: the whole file is refused before any of its rows is used."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sasaeai.core.errors import UserInputError

__all__ = ["TableError", "join_names"]

EMPTY = _("“%(name)s” is empty: no header row was found.")
ENCRYPTED = _(
    "“%(name)s” is password-protected (encrypted). Remove the password in Excel (File › Info › "
    "Protect Workbook › Encrypt with Password), save the workbook and upload it again."
)
LEGACY_XLS = _(
    "“%(name)s” is in the old Excel 97–2003 format (.xls). Open it in Excel, save it as an Excel "
    "workbook (.xlsx) and upload it again."
)
NOT_A_TABLE = _("“%(name)s” is not an Excel workbook (.xlsx) or a CSV file.")
DAMAGED = _("“%(name)s” cannot be opened as an Excel workbook; it may be damaged (%(error)s).")
ENCODING = _(
    "“%(name)s” cannot be read as text: a CSV file must be in UTF-8 (with or without BOM) or "
    "Shift_JIS (CP932). In Excel, save it as “CSV UTF-8 (Comma delimited)”."
)
TOO_LARGE = _(
    "“%(name)s” is too large (%(size)s MB): files up to %(limit)s MB can be imported. Split it "
    "into smaller files."
)
NO_SUCH_SHEET = _("“%(name)s” has no sheet named “%(sheet)s”. Its sheets are: %(sheets)s.")
MALFORMED_CSV = _("“%(name)s” cannot be read as CSV near row %(row)s: %(error)s.")
MISSING_COLUMNS = _("Required columns are missing: %(missing)s. The columns found are: %(found)s.")
DUPLICATE_COLUMNS = _(
    "These columns appear more than once: %(columns)s. Keep one of each, or map the extra ones "
    "to other columns."
)
UNNAMED = _("the file")
NONE = _("(none)")
# Joins a list of names in a sentence: “, ” in English, “、” in Japanese.
LIST_SEPARATOR = _(", ")


def join_names(names: Iterable[str]) -> str:
    """Join names for a message, with the separator of the active language."""
    return gettext(LIST_SEPARATOR).join(names) or gettext(NONE)


class TableError(UserInputError):
    """A file that cannot be imported at all, with a message for the person who uploaded it."""
