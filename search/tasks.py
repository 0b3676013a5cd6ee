import logging

from celery import shared_task

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
