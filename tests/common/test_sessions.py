"""Signing out, and sessions that end when idle or when the browser closes."""

import time

from django.contrib.sessions.models import Session
from django.urls import reverse


def test_every_page_offers_sign_out_while_signed_in(client, facilitator, person, activity):
    client.force_login(facilitator)
    for url in ("/", activity.url, "/search/", reverse("matching:people"),
                reverse("matching:person", args=[person.reference])):  # fmt: skip
        html = client.get(url).content.decode()
        assert f'action="{reverse("sign_out")}"' in html, url
        assert 'name="csrfmiddlewaretoken"' in html, url


def test_signed_out_pages_offer_no_sign_out(client, activity):
    assert reverse("sign_out") not in client.get(activity.url).content.decode()


def test_sign_out_is_a_post_and_ends_the_session(client, facilitator):
    client.force_login(facilitator)
    assert client.get(reverse("sign_out")).status_code == 405
    response = client.post(reverse("sign_out"), follow=True)
    assert "You have signed out." in response.content.decode()
    assert client.get(reverse("matching:people")).status_code == 302  # to sign in
    assert not Session.objects.exists()


def test_sign_out_needs_the_csrf_token(facilitator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    assert client.post(reverse("sign_out")).status_code == 403
    assert client.get(reverse("matching:people")).status_code == 200


def test_session_cookie_ends_with_the_browser(client, facilitator):
    response = client.post(
        reverse("matching:sign_in"), {"username": facilitator.username, "password": "password"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]


def test_admin_remember_me_still_ends_with_the_browser(client, moderator):
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "moderator", "password": "password", "remember": "on"},
    )
    assert response.status_code == 302
    response = client.get("/admin/")
    cookie = client.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]


def _expiry(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def test_each_use_keeps_the_session_thirty_minutes_more(client, facilitator, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(facilitator)
    people = reverse("matching:people")
    client.get(people)
    first = _expiry(client)
    assert abs(first - (timezone.now() + timedelta(minutes=30))) < timedelta(seconds=10)
    # Within a minute of the last refresh the session is not written again...
    client.get(people)
    assert _expiry(client) == first
    # ...after it, the idle clock starts again from this request.
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    client.get(people)
    assert _expiry(client) > first


def test_a_session_idle_past_its_time_is_signed_out(client, facilitator):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(facilitator)
    people = reverse("matching:people")
    assert client.get(people).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(people).status_code == 302


def test_anonymous_requests_make_no_session(client, activity):
    client.get(activity.url)
    client.get("/search/?q=knit")
    assert not Session.objects.exists()
