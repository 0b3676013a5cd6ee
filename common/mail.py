"""The one way the site sends e-mail: rendered now, delivered by a Celery task after commit.

No view sends mail. A service renders the plain-text body here, in the request's process (the
template's context holds model instances a task could not carry), and the task delivers the
finished text once the transaction that caused it commits: a rolled-back change sends nothing,
and a slow or failing mail server never holds up the page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.template.loader import render_to_string

from .tasks import mail_deliver, send_now

logger = logging.getLogger(__name__)

# The hook that defers delivery to the commit. A test's transaction never commits, so the test
# suite swaps this for "at once" (tests/conftest.py), except in tests/common/test_mail.py, which
# proves the rule itself.
on_commit = transaction.on_commit


def mail_send(
    *,
    subject: str,
    template: str,
    context: dict,
    to: Iterable[str],
    wait: bool = False,
    reply_to: Iterable[str] = (),
) -> bool:
    """Render ``template`` with ``context`` and queue it for ``to``; False if no one to send to.

    ``subject`` and the body are plain text (the ``.txt`` templates turn autoescaping off).
    Recipients are de-duplicated in order and empty ones dropped.

    ``wait`` sends at once, in this process, and raises what the mail backend raises
    (``SMTPException``, ``OSError``): for someone waiting at a shared screen who keeps nothing,
    who must be told now that it failed so they can print instead.

    ``reply_to`` (optional) sets the Reply-To header, for a message one person writes to another
    through the site without either seeing the other's address until one replies.
    """
    recipients = [address for address in dict.fromkeys(to) if address]
    if not recipients:
        logger.warning("No recipients for %r; nothing sent.", subject)
        return False
    body = render_to_string(template, context)
    replies = [address for address in dict.fromkeys(reply_to) if address] or None
    if wait:
        send_now(subject=subject, body=body, to=recipients, reply_to=replies)
        return True
    on_commit(
        lambda: mail_deliver.delay(subject=subject, body=body, to=recipients, reply_to=replies)
    )
    return True
