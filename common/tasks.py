"""Celery tasks of the common layer: thin, taking plain values."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.core.mail import EmailMessage, send_mail

logger = logging.getLogger(__name__)


def send_now(*, subject: str, body: str, to: list[str], reply_to: list[str] | None = None) -> int:
    """Hand one finished plain-text message to the mail backend; raises what it raises.

    ``reply_to`` sets the Reply-To header: a reply goes to whoever wrote through the site,
    while the message itself comes from the site's address."""
    if reply_to:
        return EmailMessage(subject, body, None, to, reply_to=reply_to).send()
    return send_mail(subject, body, None, to)


@shared_task(bind=True, max_retries=5)
def mail_deliver(
    self, *, subject: str, body: str, to: list[str], reply_to: list[str] | None = None
) -> int:
    """Send one finished plain-text message; retried with back-off when the server fails."""
    try:
        return send_now(subject=subject, body=body, to=to, reply_to=reply_to)
    except (smtplib.SMTPException, OSError) as exc:
        if self.request.is_eager:
            # In-process (no broker): nothing to retry against; say so and carry on.
            logger.error("Could not send %r to %d recipient(s): %s", subject, len(to), exc)
            return 0
        raise self.retry(exc=exc, countdown=min(2**self.request.retries * 30, 1800)) from exc
