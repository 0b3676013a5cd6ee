import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from . import services
from .backends import SearchBackendError

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=6)
def update_directory_index(self, activity_ids: list[int]) -> dict:
    try:
        indexed, removed = services.index_update_activities(ids=activity_ids)
    except SearchBackendError as exc:
        logger.warning("Search index update failed for %s: %s", activity_ids, exc)
        if self.request.is_eager:
            # In-process (the embedded default): nothing to retry against; a rebuild mends it.
            return {"indexed": 0, "removed": 0, "error": str(exc)}
        raise self.retry(exc=exc, countdown=min(2**self.request.retries * 10, 600)) from exc
    return {"indexed": indexed, "removed": removed}


def index_enqueue(ids: Iterable[int]) -> None:
    """Update these activities in the index once the current transaction commits.

    Publishing must never wait on, or fail because of, the search engine or the broker: the
    task retries on its own, and a broker that cannot be reached is logged.
    """
    ids = sorted({int(i) for i in ids})
    if not ids:
        return

    def send():
        try:
            update_directory_index.delay(ids)
        except OperationalError:
            logger.exception("Could not queue a search index update for activities %s", ids)

    transaction.on_commit(send)
