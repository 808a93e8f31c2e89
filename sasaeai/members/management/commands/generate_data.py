"""``manage.py generate_data --scale okayama|national``: fictitious data (架空データ) at scale.

``--scale okayama`` is the demo's size (about 600 corporations and 2,500 facilities in
Okayama); ``national`` the benchmarks' (47 prefectures, 21,000 corporations, 80,000
facilities, ten years of membership history); ``tiny`` the tests'. Running it again adds
nothing; ``--reset-fictitious`` deletes the generated data first.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from sasaeai.members.generator import SCALES, generate


class Command(BaseCommand):
    help = "Generate fictitious corporations, facilities, councils and membership history."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--prefecture",
            help="JIS prefecture code: the prefecture of an Okayama-sized set (default 33), "
            "or the one prefecture to generate of the national set.",
        )
        parser.add_argument(
            "--reset-fictitious",
            action="store_true",
            help="First delete generated corporations, their facilities and membership events.",
        )

    def handle(self, *args, scale: str, seed: int, prefecture: str | None, **options):
        started = time.perf_counter()
        if prefecture is not None and (len(prefecture) != 2 or not prefecture.isdigit()):
            raise CommandError(_("--prefecture takes a 2-digit code such as 33."))
        try:
            result = generate(
                scale=scale,
                seed=seed,
                prefecture=prefecture.zfill(2) if prefecture else None,
                reset=options["reset_fictitious"],
                report=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        except ProtectedError as error:
            raise CommandError(
                _("Generated data is still referred to (%(error)s); nothing was deleted.")
                % {"error": error.args[0]}
            ) from error
        self.stdout.write(
            _(
                "Done in %(seconds).1f s: %(corporations)d corporations, %(facilities)d "
                "facilities, %(councils)d councils, %(events)d membership events; "
                "%(skipped)d prefectures skipped (already generated)."
            )
            % {
                "seconds": time.perf_counter() - started,
                "corporations": result.corporations,
                "facilities": result.facilities,
                "councils": result.councils,
                "events": result.events,
                "skipped": len(result.skipped),
            }
        )
