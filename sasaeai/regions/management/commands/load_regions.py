"""``manage.py load_regions [--path FILE]``: load prefectures and municipalities."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sasaeai.regions.loading import RegionDataError, load_regions


class Command(BaseCommand):
    help = "Load the prefectures and municipalities of Japan from the regions data file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=None,
            help="A data file in the format of sasaeai/regions/data/municipalities.csv.",
        )

    def handle(self, *args, path: Path | None = None, **options):
        try:
            result = load_regions(path=path)
        except RegionDataError as error:
            raise CommandError(_("Nothing was loaded. %(error)s") % {"error": error}) from error
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s")
                % {"path": path, "error": error.strerror or error}
            ) from error
        self.stdout.write(
            _(
                "Regions loaded: %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged, %(deactivated)d marked inactive."
            )
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "deactivated": result.deactivated,
            }
        )
