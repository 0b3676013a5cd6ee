from django.core.management.base import BaseCommand

from assets_directory.services import freshness_send_reminders


class Command(BaseCommand):
    help = (
        "Send 'is your listing still right?' reminders and flag silent listings to moderators. "
        "Run daily (for example from cron) where Celery beat is not running."
    )

    def handle(self, *args, **options):
        summary = freshness_send_reminders()
        self.stdout.write(
            f"Reminders sent: {summary.reminded}. Flagged to moderators: {summary.flagged}. "
            f"Without an owner to remind: {summary.skipped_no_owner}."
        )
