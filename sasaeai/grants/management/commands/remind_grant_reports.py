"""``sasaeai manage remind_grant_reports``: queue today's reminders of grant reports (run daily
from a timer or cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.grants.tasks import REMIND_DAYS, remind_reports


class Command(BaseCommand):
    help = "Queue reminders of the grant reports due soon or overdue (at most once a day)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=REMIND_DAYS,
            help="Remind reports due within this many days (default %(default)s).",
        )

    def handle(self, *args, **options):
        count = remind_reports(today=timezone.localdate(), days=options["days"])
        self.stdout.write(_("%(count)s reminders queued.") % {"count": count})
