"""How a server process holds its memory once the site is loaded (cms/wsgi.py, and the
benchmark, which times requests as they are served)."""

import gc

# Objects allocated before a collection of the youngest generation (Python's default is 700).
# A page allocates tens of thousands (a Wagtail page, twenty model instances and their
# templates), so at 700 the collector ran several times a request and every tenth of those
# cascaded into older generations: the pages' p95 was 8-10 ms above their median on the
# 100,000-activity benchmark, 2-4 ms with this. A young generation this size is a few MB.
YOUNG_THRESHOLD = 10_000


def prepare_for_serving() -> None:
    """Freeze what start-up loaded and collect the young generation less often.

    What is loaded by now (Django, Wagtail, every app's models) lives as long as the process.
    Freezing it keeps the collector's full passes from walking it again and again: measured on
    the search API, the worst pause in 6,000 requests fell from about 115 ms to 20-30 ms.
    Forked workers also keep sharing those pages with the parent instead of copying them.
    """
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
