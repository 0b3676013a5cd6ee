from django.core.management.base import BaseCommand

from insights.selectors import district
from insights.services import district_figures_refresh


class Command(BaseCommand):
    help = (
        "Work the commissioners' figures out now (if the directory changed since they were "
        "kept) and record today's supply for the trends, as the scheduled task does every "
        "15 minutes."
    )

    def handle(self, *args, **options):
        kinds = district_figures_refresh()
        self.stdout.write(f"Figures ready for {district()}: supply of {kinds} kinds recorded.")
