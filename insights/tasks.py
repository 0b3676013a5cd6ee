from celery import shared_task
from django.db import transaction

from . import services


@shared_task
def district_figures_refresh() -> int:
    """Keep the district's figures ready and its supply's history recorded (see the service)."""
    return services.district_figures_refresh()


@shared_task
def england_run_execute(run_id: int) -> str:
    """The analysis of all of England, in the background (see the service)."""
    return services.england_run_execute(run_id=run_id).status


def england_run_enqueue(run_id: int) -> None:
    """Start the analysis once the run is committed. Without a broker (eager, as in
    development) it runs there and then, before the page answers."""
    transaction.on_commit(lambda: england_run_execute.delay(run_id))
