from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.demo import demo_load
from common.site import absolute_url


class Command(BaseCommand):
    help = (
        "Load a demo borough (Wandsworth, SW11 to SW18) with organisations, venues, activities "
        "and local accounts. Running it again changes nothing."
    )
    # The accounts' passwords are published (README), so a site with DEBUG off gets them only
    # through --allow-production. --without-accounts makes no account and no person's record:
    # that is what the benchmark uses, with DEBUG off as a site is served.

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=150)
        parser.add_argument("--activities", type=int, default=400)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off. The demo accounts have published passwords.",
        )
        parser.add_argument(
            "--without-accounts",
            action="store_true",
            help=(
                "Load the borough only: no accounts (their passwords are published) and no "
                "people's records, so it also runs with DEBUG off. Used by make bench."
            ),
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
        accounts = not options["without_accounts"]
        if accounts and not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "load_demo creates accounts with published passwords, so it only runs with "
                "DEBUG on. Use --without-accounts to load the borough alone, or "
                "--allow-production if you really mean it."
            )
        if options["organisations"] < 1 or options["activities"] < 0:
            raise CommandError("--organisations must be at least 1 and --activities at least 0.")
        site = demo_load(
            seed=options["seed"],
            organisations=options["organisations"],
            activities=options["activities"],
            accounts=accounts,
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
        if not accounts:
            self.stdout.write("No accounts or people's records were made (--without-accounts).")
            return
        self.stdout.write(f"\nLocal accounts (sign in at {absolute_url('/sign-in/')}):")
        for role, username, password in site.accounts:
            self.stdout.write(f"  {role}: username {username!r}, password {password!r}")
