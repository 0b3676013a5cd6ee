"""common.mail: rendered at once, delivered by the task only when the transaction commits."""

from __future__ import annotations

import smtplib

import pytest
from django.db import transaction

from common.mail import mail_send
from common.tasks import mail_deliver

pytestmark = [pytest.mark.mail_after_commit, pytest.mark.django_db]

TEMPLATE = "search/emails/shortlist.txt"


def send(to=("a@example.org",)):
    return mail_send(
        subject="Your list", template=TEMPLATE, context={"activities": []}, to=list(to)
    )


def test_mail_waits_for_the_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert send() is True
        assert mailoutbox == []
    assert len(callbacks) == 1
    (message,) = mailoutbox
    assert (message.subject, message.to) == ("Your list", ["a@example.org"])


def test_rolled_back_change_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                send()
                raise RuntimeError("the change fails after the mail was asked for")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mailoutbox == []


def test_recipients_are_deduplicated_and_blanks_dropped(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(to=["b@example.org", "", "a@example.org", "b@example.org"])
    assert mailoutbox[0].to == ["b@example.org", "a@example.org"]


def test_no_recipients_sends_nothing_and_says_so(
    mailoutbox, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert send(to=["", ""]) is False
    assert callbacks == [] and mailoutbox == []
    assert "No recipients for 'Your list'" in caplog.text


def test_failing_mail_server_is_logged_not_raised_in_process(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection closed")

    monkeypatch.setattr("common.tasks.send_mail", refuse)
    result = mail_deliver.delay(subject="Your plan", body="Hello", to=["a@example.org"])
    assert result.get() == 0
    assert "Could not send 'Your plan' to 1 recipient(s): connection closed" in caplog.text


def test_waiting_send_goes_at_once_even_inside_a_transaction(mailoutbox):
    with transaction.atomic():
        assert mail_send(
            subject="Your list",
            template=TEMPLATE,
            context={"activities": []},
            to=["a@example.org"],
            wait=True,
        )
        assert len(mailoutbox) == 1


def test_waiting_send_raises_what_the_server_raises(monkeypatch, mailoutbox):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no")})

    monkeypatch.setattr("common.tasks.send_mail", refuse)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        mail_send(
            subject="Your list", template=TEMPLATE, context={"activities": []},
            to=["a@example.org"], wait=True,
        )  # fmt: skip
    assert mailoutbox == []


def test_reply_to_is_set_only_when_given(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail_send(
            subject="A message",
            template=TEMPLATE,
            context={"activities": []},
            to=["leader@example.org"],
            reply_to=["sender@example.org", "", "sender@example.org"],
        )
        send()
    with_reply, without = mailoutbox
    assert with_reply.to == ["leader@example.org"]
    assert with_reply.reply_to == ["sender@example.org"]
    assert without.reply_to == []


def test_reply_to_when_sent_at_once(mailoutbox):
    mail_send(
        subject="A message",
        template=TEMPLATE,
        context={"activities": []},
        to=["leader@example.org"],
        reply_to=["sender@example.org"],
        wait=True,
    )
    assert mailoutbox[0].reply_to == ["sender@example.org"]
