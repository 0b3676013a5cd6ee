from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load a demo borough (Wandsworth, SW11 to SW18) with organisations, venues, activities "
        "and local accounts. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=150)
        parser.add_argument("--activities", type=int, default=400)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off. The demo accounts have published passwords.",
        )

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total)
        self.stdout.write(
            f"\r  bulk activities [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            ending="\n" if done >= total else "",
        )
        self.stdout.flush()

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "load_demo creates accounts with published passwords, so it only runs with "
                "DEBUG on. Use --allow-production if you really mean it."
            )
        if options["organisations"] < 1 or options["activities"] < 0:
            raise CommandError("--organisations must be at least 1 and --activities at least 0.")
        site = demo_load(
            seed=options["seed"],
            organisations=options["organisations"],
            activities=options["activities"],
            progress=self._progress,
        )
        summary = site.borough
        if summary.already_loaded:
            self.stdout.write("The directory already has organisations: nothing was changed.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo borough loaded: {summary.organisations} organisations, "
                    f"{summary.activities} activities, {summary.venues} venues."
                )
            )
        self.stdout.write("\nLocal accounts (sign in at http://127.0.0.1:8000/sign-in/):")
        for role, username, password in site.accounts:
            self.stdout.write(f"  {role}: username {username!r}, password {password!r}")
