from celery import shared_task

from . import services


@shared_task
def district_figures_refresh() -> int:
    """Keep the district's figures ready and its supply's history recorded (see the service)."""
    return services.district_figures_refresh()
