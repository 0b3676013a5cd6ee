"""Casework housekeeping on the worker: thin tasks that call the services."""

from celery import shared_task

from . import services


@shared_task
def follow_up_reminders_send() -> int:
    """Daily (Celery beat): link workers told how many follow-ups fall due today."""
    return services.follow_up_reminders_send()
