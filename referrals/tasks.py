"""Referral housekeeping on the worker: thin tasks that call the services."""

from celery import shared_task

from . import services


@shared_task
def referral_details_erase_expired() -> int:
    """Daily (Celery beat): what groups were told about people, deleted a year after their
    referrals closed (REFERRAL_RETENTION_DAYS)."""
    return services.referral_shared_details_erase_expired()


@shared_task
def referrals_remind_and_alert() -> tuple[int, int]:
    """Daily (Celery beat): groups reminded before their answer is due, teams told after."""
    return services.referrals_remind_and_alert()
