"""The Excel/CSV engine shared by every app's imports and exports.

Importing is four steps, each of which a view or an action can show to the person::

    with open_table(upload, filename=upload.name) as table:    # TableError: file refused
        match = match_headers(table.headers, SPEC, mapping=mapping)  # unknown / missing
        for row in parse_rows(table, SPEC, match):           # row.values, row.errors
            ...

All-or-nothing is the caller's: check every row first (``rows()`` can be read again), then
save them all in one transaction, or refuse the file with its row errors.
Exporting: ``stream_csv`` (UTF-8 with BOM or CP932) and ``write_xlsx``, read back by the same
spec.
"""

from .cells import (
    parse_bool,
    parse_choice,
    parse_corporate_number,
    parse_date,
    parse_int,
    parse_text,
)
from .errors import TableError
from .formulas import escape_formula, unescape_formula
from .parsing import ParsedRow, RowError, parse_rows
from .reading import DEFAULT_MAX_BYTES, SourceRow, Table, check_table, open_table
from .spec import Column, HeaderMatch, TableSpec, header_key, match_headers
from .writing import CsvEncoding, stream_csv, write_xlsx

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Column",
    "CsvEncoding",
    "HeaderMatch",
    "ParsedRow",
    "RowError",
    "SourceRow",
    "Table",
    "TableError",
    "TableSpec",
    "check_table",
    "escape_formula",
    "header_key",
    "match_headers",
    "open_table",
    "parse_bool",
    "parse_choice",
    "parse_corporate_number",
    "parse_date",
    "parse_int",
    "parse_rows",
    "parse_text",
    "stream_csv",
    "unescape_formula",
    "write_xlsx",
]
