"""``sasaeai manage purge_subscribers``: delete the newsletter addresses the privacy policy no
longer keeps (unconfirmed after 30 days, unsubscribed a year after leaving); run daily from a
timer or cron."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sasaeai.publishing.actions import purge_subscribers


class Command(BaseCommand):
    help = "Delete the newsletter addresses past their retention period."

    def handle(self, *args, **options):
        count = purge_subscribers()
        self.stdout.write(_("%(count)s addresses deleted.") % {"count": count})
