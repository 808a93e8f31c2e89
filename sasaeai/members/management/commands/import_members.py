"""``manage.py import_members corporations|facilities FILE --prefecture 33``.

Also ``sasaeai import corporations FILE``. Checks every row, then imports all of them or none;
prints progress on stderr, then the counts, or every row error (one line each) and exits
non-zero having written nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sasaeai.core.tabular import DEFAULT_MAX_BYTES, TableError, TableSpec, header_key
from sasaeai.members.importing import (
    SPECS,
    ImportRefused,
    commit_import,
    preview_import,
)
from sasaeai.members.models import ImportKind
from sasaeai.regions.models import Center

MB = 1024 * 1024


def parse_mapping(pairs: Sequence[str], spec: TableSpec) -> dict[str, str]:
    """``File header=key`` pairs (the key, or a header of the import) as a mapping; an empty
    right side ignores the file's column."""
    mapping = {}
    for pair in pairs:
        header, separator, target = pair.rpartition("=")
        if not separator or not header.strip():
            message = _("--map expects “File header=column”, not “%(pair)s”.")
            raise CommandError(message % {"pair": pair})
        mapping[header.strip()] = _column_key(target.strip(), spec)
    return mapping


def _column_key(target: str, spec: TableSpec) -> str:
    if not target:
        return ""
    for column in spec.columns:
        if target == column.key or header_key(target) in map(header_key, column.headers):
            return column.key
    known = ", ".join(spec.headers())
    raise CommandError(
        _("--map: “%(target)s” is not a column of this import. Columns: %(known)s.")
        % {"target": target, "known": known}
    )


def _default_prefecture() -> str:
    centers = list(Center.objects.active().values_list("prefecture_id", flat=True)[:2])
    if len(centers) != 1:
        raise CommandError(_("Say which prefecture to import into, e.g. --prefecture 33."))
    return centers[0]


class Command(BaseCommand):
    help = "Import corporations or facilities from an .xlsx or CSV file: all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument("--prefecture", help="JIS prefecture code, e.g. 33 (Okayama)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write none")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=COLUMN",
            help="which file column feeds which column, e.g. --map '番号=法人番号'",
        )
        parser.add_argument("--max-size", type=float, default=DEFAULT_MAX_BYTES / MB, help="MB")

    def handle(self, *args, **options) -> None:
        kind, path = options["kind"], options["file"]
        arguments = {
            "prefecture": options["prefecture"] or _default_prefecture(),
            "mapping": parse_mapping(options["map"], SPECS[kind]),
            "max_bytes": int(options["max_size"] * MB),
            "on_progress": self._progress if options["verbosity"] else _silent,
        }
        try:
            if options["dry_run"]:
                self._preview(kind, path, **arguments)
            else:
                self._commit(kind, path, **arguments)
        except TableError as error:
            raise CommandError(str(error)) from error
        except ImportRefused as refusal:
            self._print_errors(refusal.errors)
            raise CommandError(str(refusal)) from refusal
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error

    def _preview(self, kind: str, path: str, **arguments) -> None:
        preview = preview_import(kind, path, **arguments)
        preview.match.require()
        if preview.errors:
            raise ImportRefused(preview.errors, total=preview.total)
        self._counts(preview.total, preview.created, preview.updated, preview.unchanged)
        self.stdout.write(_("Dry run: nothing was written."))

    def _commit(self, kind: str, path: str, **arguments) -> None:
        result = commit_import(kind, path, **arguments)
        self._counts(result.total, result.created, result.updated, result.unchanged)

    def _counts(self, total: int, created: int, updated: int, unchanged: int) -> None:
        self.stdout.write(
            _("%(total)d rows: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {"total": total, "created": created, "updated": updated, "unchanged": unchanged}
        )

    def _print_errors(self, errors) -> None:
        for error in errors:
            self.stderr.write(str(error))

    def _progress(self, processed: int, total: int) -> None:
        message = _("%(processed)d / %(total)d rows checked")
        self.stderr.write(message % {"processed": processed, "total": total})


def _silent(processed: int, total: int) -> None:
    """No progress at verbosity 0."""
