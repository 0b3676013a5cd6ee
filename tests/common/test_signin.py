"""Sign-in and password-reset throttling, over HTTP, on both sign-in forms."""

import time

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

SIGN_IN_FORMS = [
    pytest.param(lambda: reverse("matching:sign_in"), id="public"),
    pytest.param(lambda: reverse("wagtailadmin_login"), id="admin"),
]


@pytest.fixture
def staff(db):
    return UserFactory(username="jo", email="jo@example.org", is_superuser=True)


def _try(client, url, username, password="wrong", address="198.51.100.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", SIGN_IN_FORMS)
@override_settings(SIGNIN_FAILURES_PER_ACCOUNT=5)
def test_account_is_paused_after_five_failures_and_the_right_password_is_refused(
    client, staff, url
):
    url = url()
    for _ in range(5):
        assert _try(client, url, "jo").status_code == 200
    response = _try(client, url, "jo", password="password")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "Too many attempts to sign in" in response.content.decode()
    assert "15 minutes" in response.content.decode()


@pytest.mark.parametrize("url", SIGN_IN_FORMS)
def test_account_pause_holds_from_another_address_and_for_any_spelling(client, staff, url):
    url = url()
    for n in range(5):
        _try(client, url, "jo", address=f"203.0.113.{n}")
    response = _try(client, url, " JO ", password="password", address="192.0.2.1")
    assert not response.wsgi_request.user.is_authenticated


@override_settings(SIGNIN_FAILURES_PER_ADDRESS=30)
def test_address_is_paused_after_many_failures_across_accounts(client, staff):
    url = reverse("matching:sign_in")
    for n in range(30):
        _try(client, url, f"guess{n}")
    response = _try(client, url, "jo", password="password")
    assert not response.wsgi_request.user.is_authenticated
    assert "Too many attempts" in response.content.decode()
    # Someone else, elsewhere, is not affected.
    other = _try(client, url, "jo", password="password", address="192.0.2.50")
    assert other.wsgi_request.user.is_authenticated


def test_a_shared_address_is_not_paused_by_a_few_mistakes(client, staff):
    # A library: several people mistype once or twice; the right password still works.
    url = reverse("matching:sign_in")
    for n in range(12):
        _try(client, url, f"person{n % 6}")
    response = _try(client, url, "jo", password="password")
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_pause_ends_by_itself(client, staff, monkeypatch):
    url = reverse("matching:sign_in")
    for _ in range(5):
        _try(client, url, "jo")
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    response = _try(client, url, "jo", password="password")
    assert response.status_code == 302


def test_success_starts_the_account_afresh(client, staff):
    url = reverse("matching:sign_in")
    for _ in range(4):
        _try(client, url, "jo")
    assert _try(client, url, "jo", password="password").status_code == 302
    client.logout()
    for _ in range(4):
        _try(client, url, "jo")
    assert _try(client, url, "jo", password="password").status_code == 302


def test_unknown_usernames_are_paused_like_real_ones(client, db):
    # The message must not tell an attacker which accounts exist.
    url = reverse("matching:sign_in")
    for _ in range(5):
        _try(client, url, "nobody")
    assert "Too many attempts" in _try(client, url, "nobody").content.decode()


@override_settings(PASSWORD_RESETS_PER_EMAIL=3)
def test_password_reset_is_limited_per_email_address(client, staff):
    url = reverse("wagtailadmin_password_reset")
    for _ in range(3):
        response = client.post(url, {"email": "jo@example.org"})
        assert response.status_code == 302
    response = client.post(url, {"email": "jo@example.org"})
    assert response.status_code == 429
    assert "Too many requests to reset a password" in response.content.decode()
    assert len(mail.outbox) == 3


@override_settings(PASSWORD_RESETS_PER_ADDRESS=4)
def test_password_reset_is_limited_per_address(client, staff):
    url = reverse("wagtailadmin_password_reset")
    for n in range(4):
        client.post(url, {"email": f"person{n}@example.org"}, REMOTE_ADDR="198.51.100.7")
    response = client.post(url, {"email": "jo@example.org"}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    response = client.post(url, {"email": "jo@example.org"}, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 302


def test_password_reset_mistakes_do_not_count(client, staff):
    url = reverse("wagtailadmin_password_reset")
    for _ in range(10):
        assert client.post(url, {"email": "not an address"}).status_code == 200
    assert client.post(url, {"email": "jo@example.org"}).status_code == 302


def test_authenticate_itself_refuses_a_paused_account(rf, staff):
    # Whatever form or view calls it: the backend will not check the password.
    from django.contrib.auth import authenticate

    request = rf.post("/", REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        assert authenticate(request, username="jo", password="wrong") is None
    assert authenticate(request, username="jo", password="password") is None
    other = rf.post("/", REMOTE_ADDR="192.0.2.1")
    assert authenticate(other, username="someone-else", password="password") is None
    assert authenticate(other, username="jo", password="password") is None
