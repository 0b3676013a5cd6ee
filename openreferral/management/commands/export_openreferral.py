"""Export the directory as the Open Referral feed publishes it, to a file or a directory."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openreferral import export


class Command(BaseCommand):
    help = (
        "Export every listed service as the Open Referral UK feed publishes it: json (one "
        'document, {"services": [...]}, fully nested), ndjson (one service a line), csv (the '
        "HSDS 3.0 tabular datapackage: a directory, or a .zip when --output ends in .zip) or "
        "geojson (each service at a venue with a point)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=export.FORMATS)
        parser.add_argument("--output", required=True, help="The file (or csv directory) to write.")

    def handle(self, *args, format, output, **options):
        path = Path(output)
        if format != "csv" or path.suffix.lower() == ".zip":
            if path.is_dir():
                raise CommandError(f"{output} is a directory: give a file name.")
        elif path.exists() and not path.is_dir():
            raise CommandError(f"{output} is a file: give a directory, or a name ending .zip.")
        try:
            export.write(format, path, export.SiteContext())
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}") from None
        self.stdout.write(f"Wrote {format} to {output}")
