"""``sasaeai manage purge_personal_data``: anonymise the personal data past its retention period
(event participants, survey free text; the periods are in the register, a center may set its
own in ``Center.settings["privacy_retention_years"]``); run daily from a timer or cron.
Idempotent: what is erased is not counted again."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sasaeai.privacy.actions import purge_personal_data


class Command(BaseCommand):
    help = "Anonymise the personal data past its retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")
        parser.add_argument("--today", help="The date to count the periods to (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(_("--today must be a date such as 2026-04-01.")) from error
        lines = purge_personal_data(today=day, dry_run=dry_run)
        for line in lines:
            where = line.prefecture or _("other prefectures")
            self.stdout.write(
                _("%(where)s %(model)s: %(count)s past %(years)s years (began before %(cutoff)s)")
                % {
                    "where": where,
                    "model": line.model,
                    "count": line.count,
                    "cutoff": line.cutoff.isoformat(),
                    "years": line.years,
                }
            )
        total = sum(line.count for line in lines)
        if dry_run:
            self.stdout.write(
                _("Dry run: %(count)s records would be anonymised.") % {"count": total}
            )
        else:
            self.stdout.write(_("%(count)s records anonymised.") % {"count": total})
