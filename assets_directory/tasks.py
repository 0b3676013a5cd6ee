from celery import shared_task

from . import services


@shared_task
def send_freshness_reminders() -> dict:
    summary = services.freshness_send_reminders()
    return vars(summary)
