"""``manage.py import_geo FILE [--prefecture 33] [--tolerance 0.001]``.

Also ``sasaeai geo import FILE``. Loads municipal boundaries from a 国土数値情報 N03 GeoJSON or
TopoJSON file; each prefecture in the file has its boundaries replaced, all or nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sasaeai.core.errors import UserInputError
from sasaeai.regions.geo import import_boundaries


class Command(BaseCommand):
    help = "Import municipal boundaries from an N03 (国土数値情報) GeoJSON or TopoJSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--prefecture", help="import only this prefecture, e.g. 33 (Okayama)")
        parser.add_argument(
            "--tolerance",
            type=float,
            default=0.001,
            help="simplification tolerance in degrees (0.001 ≈ 100 m; 0 keeps every point)",
        )

    def handle(self, *args, **options) -> None:
        path = options["file"]
        try:
            result = import_boundaries(
                path, prefecture=options["prefecture"], tolerance=options["tolerance"]
            )
        except UserInputError as error:
            raise CommandError(_("Nothing was imported. %(error)s") % {"error": error}) from error
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s")
                % {"path": path, "error": error.strerror or error}
            ) from error
        self.stdout.write(
            _(
                "Boundaries imported: %(count)d municipalities in prefectures %(prefectures)s; "
                "%(skipped)d features skipped (no code or an unknown code)."
            )
            % {
                "count": result.count,
                "prefectures": ", ".join(result.prefectures) or "-",
                "skipped": result.skipped,
            }
        )
