"""``sasaeai manage remind_events``: queue today's reminders (run daily from a timer or cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.events.reminders import send_reminders


class Command(BaseCommand):
    help = "Queue reminders to the registrants of events starting in their reminder days."

    def handle(self, *args, **options):
        count = send_reminders(today=timezone.localdate())
        self.stdout.write(_("%(count)s reminders queued.") % {"count": count})
