"""A group answers a referral through the signed link in its e-mail, without an account."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from referrals.links import group_token
from referrals.models import Referral
from referrals.services import SharedDetails
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror="alert(1)">'


def link_in(message) -> str:
    return re.search(r"http://\S+/referrals/answer/\S+/", message.body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def referral(person, choir, facilitator):
    return refer(person, choir, facilitator)


def test_the_group_is_mailed_a_link_and_nothing_personal_but_a_first_name(referral):
    (message,) = mail.outbox
    assert message.to == ["choir@example.org"]
    assert message.reply_to == ["linkworker@example.org"]
    assert "Marker-Jo" in message.body
    for private in ("Marker-help", "Marker-access", "07700 900123", "Jo B"):
        assert private not in message.body
    assert link_in(message)


def test_opening_the_link_shows_what_was_shared_changes_nothing_and_is_never_cached(
    client, referral
):
    path = path_of(link_in(mail.outbox[0]))
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Marker-help meeting people" in page
    assert "Marker-access step-free" in page
    assert "no-store" in response["Cache-Control"]
    # Mail scanners open links: opening twice is still fine, and the referral is untouched.
    assert client.get(path).status_code == 200
    referral.refresh_from_db()
    assert referral.status == "requested"


def test_accepting_spends_the_link_and_mails_a_new_one_for_how_it_went(client, referral):
    path = path_of(link_in(mail.outbox[0]))
    mail.outbox.clear()

    response = client.post(path, {"status": "accepted", "note": ""})

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert referral.events.last().by_group_link is True
    to_group, to_worker = mail.outbox
    assert to_worker.to == ["linkworker@example.org"]
    assert "Accepted by the group" in to_worker.body
    new_path = path_of(link_in(to_group))
    assert new_path != path
    used = client.get(path)
    assert used.status_code == 410
    assert "used already" in used.content.decode()
    # The new link offers what comes next: whether they came.
    again = client.get(new_path).content.decode()
    assert "They come regularly" in again
    assert "Yes, we can welcome them" not in again


def test_declining_without_a_reason_names_the_field_and_changes_nothing(client, referral):
    path = path_of(link_in(mail.outbox[0]))
    response = client.post(path, {"status": "rejected"})
    assert response.status_code == 200
    assert "Say why" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "requested"
    assert client.post(path, {"status": "rejected", "reason": "no_capacity"}).status_code == 200
    referral.refresh_from_db()
    assert (referral.status, referral.reason, referral.is_open) == (
        "rejected", "no_capacity", False,
    )  # fmt: skip


def test_an_answer_not_offered_is_refused_by_field(client, referral):
    path = path_of(link_in(mail.outbox[0]))
    response = client.post(path, {"status": "completed"})
    assert response.status_code == 200
    assert "error-message" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "requested"


def test_a_tampered_link_fails_in_words(client, referral):
    token = group_token(referral)
    for bad in (token[:-2] + "xx", token.replace(":", "", 1), "nonsense", HOSTILE):
        response = client.get(reverse("referrals:answer", args=[bad]))
        assert response.status_code == 404, bad
        assert "not complete or has been changed" in response.content.decode()


def test_an_expired_link_fails_in_words(client, referral, settings):
    settings.REFERRAL_LINK_DAYS = -1
    response = client.get(reverse("referrals:answer", args=[group_token(referral)]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_what_was_shared_reaches_the_page_as_text(client, person, choir, facilitator):
    mail.outbox.clear()
    hostile = refer(
        person, choir, facilitator,
        shared=SharedDetails(first_name="Jo", help_with=HOSTILE, access_needs=HOSTILE),
    )  # fmt: skip
    page = client.get(reverse("referrals:answer", args=[group_token(hostile)])).content.decode()
    assert HOSTILE not in page
    assert "&lt;img src=x" in page


def test_a_link_for_a_referral_since_erased_fails(client, referral):
    token = group_token(referral)
    Referral.objects.all().delete()
    assert client.get(reverse("referrals:answer", args=[token])).status_code == 410
