import time

from django.core.management.base import BaseCommand, CommandError

from search.backends import SearchBackendError, get_backend
from search.services import index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the directory search index from the database. The new index is built beside "
        "the live one and swapped in at the end, so searches keep working throughout and an "
        "interrupted rebuild leaves the live index whole."
    )

    def handle(self, *args, **options):
        backend = get_backend()
        self.stdout.write(f"Rebuilding the {backend.name} search index...")
        started = time.perf_counter()
        try:
            count = index_rebuild(progress=self._progress)
        except SearchBackendError as exc:
            raise CommandError(
                f"The rebuild failed and the live index is unchanged: {exc}"
            ) from exc
        elapsed = time.perf_counter() - started
        rate = count / elapsed if elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {count} activities in {elapsed:.1f} s ({rate:,.0f} a second)."
            )
        )

    def _progress(self, done: int, total: int | None) -> None:
        if total:
            width = 30
            filled = int(width * min(done, total) / total)
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        else:
            bar = f"{done}"
        self.stdout.write(f"\r  {bar}", ending="\n" if total and done >= total else "")
        self.stdout.flush()
