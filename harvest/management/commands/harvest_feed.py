"""Harvest an Open Referral feed, from the web or from a file, and print its report."""

from django.core.management.base import BaseCommand, CommandError

from harvest import selectors, services
from harvest.models import FeedSource


class Command(BaseCommand):
    help = (
        "Harvest an Open Referral (ORUK / HSDS 3.0) feed into the directory: --url walks a feed's "
        "pages and items; --file reads a JSON or ndjson file of services. Records are upserted "
        "by the source's ids, with their provenance; bad records are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="The feed's name (made if new).")
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--url", help="The feed's root address, e.g. https://x.org/openreferral/"
        )
        where.add_argument("--file", help="A JSON or .ndjson file of services.")
        parser.add_argument("--quiet-report", action="store_true", help="Print the totals only.")

    def handle(self, *args, source, url=None, file=None, quiet_report=False, **options):
        if not url and not file:
            existing = FeedSource.objects.filter(name=source).first()
            if existing is None or not existing.url:
                raise CommandError("Give --url or --file (the source has no address yet).")
            url = existing.url
        feed = services.feed_source_get_or_create(name=source, url=url or "")
        if url and feed.url != url:
            feed.url = url
            feed.save(update_fields=["url"])
        run = services.harvest_run_create(source=feed, origin=url or file)

        def progress(run):
            total = f"/{run.expected}" if run.expected else ""
            self.stderr.write(f"\r  {run.seen}{total} records read", ending="")

        if file:
            try:
                run = services.harvest_file(run=run, path=file, progress=progress)
            except OSError as exc:
                raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from None
        else:
            run = services.harvest_url(run=run, progress=progress)
        self.stderr.write("")
        pairs = services.harvest_duplicates_find(run=run) if run.created or run.updated else 0
        if pairs:
            self.stdout.write(f"{pairs} likely duplicates listed for a moderator to decide.")
        for line in selectors.run_report(run, limit=None if not quiet_report else 0):
            self.stdout.write(line)
        if run.state == run.State.FAILED:
            raise CommandError(run.error)
