"""Daily reminder of unpaid dues (run by a systemd timer or cron, see README)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sasaeai.core.dates import fiscal_year, fiscal_year_label
from sasaeai.members.dues import remind_unpaid_dues
from sasaeai.members.filters import today_in_japan


class Command(BaseCommand):
    help = "Email members whose dues are unpaid (at most once a day each)."

    def add_arguments(self, parser):
        parser.add_argument("--prefecture", required=True, help="2-digit code, e.g. 33")
        parser.add_argument("--fiscal-year", type=int, help="default: the current fiscal year")

    def handle(self, *args, prefecture, fiscal_year=None, **options):
        if not (prefecture.isdigit() and len(prefecture) == 2):
            raise CommandError(_("--prefecture takes a 2-digit code such as 33."))
        year = fiscal_year or _current_fiscal_year()
        count = remind_unpaid_dues(prefecture=prefecture, fiscal_year=year)
        message = _("%(count)d members reminded of unpaid dues for %(year)s.")
        self.stdout.write(message % {"count": count, "year": fiscal_year_label(year)})


def _current_fiscal_year() -> int:
    return fiscal_year(today_in_japan())
