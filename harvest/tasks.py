"""Harvests run on the worker: thin tasks that take ids and call the services."""

import logging

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from . import selectors, services

logger = logging.getLogger(__name__)


@shared_task
def harvest_run(run_id: int) -> dict:
    run = services.harvest_run_execute(run_id=run_id)
    pairs = services.harvest_duplicates_find(run=run) if run.created or run.updated else 0
    return {"state": run.state, "seen": run.seen, "skipped": run.skipped, "pairs": pairs}


@shared_task
def harvest_due_feeds() -> int:
    """Start a harvest of every feed whose turn has come (Celery beat, every 15 minutes)."""
    started = 0
    for source in selectors.feeds_due():
        run = services.harvest_run_create(source=source, origin=source.url)
        harvest_enqueue(run)
        started += 1
    return started


def harvest_enqueue(run) -> None:
    """Run this harvest on the worker once the current transaction commits."""
    run_id = run.pk

    def send():
        try:
            harvest_run.delay(run_id)
        except OperationalError:
            logger.exception("Could not queue harvest run %s", run_id)
            services.harvest_run_fail(run_id=run_id, message="The job queue could not be reached.")

    transaction.on_commit(send)
