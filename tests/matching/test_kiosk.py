"""Kiosk mode: the matching flow for anyone at a shared screen. Anonymous, nothing stored on
the server (no rows, no session); the answers are sealed in the page and in one cookie, every
post is answered with a 303 to the next page's own address (so Back and Forward work and the
address names the step), and Finish clears."""

import base64
import html
import json
import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from matching import kiosk
from search.backends import SearchBackendError
from search.services import index_rebuild
from tests.db import row_counts
from tests.factories import (
    OrganisationFactory,
)
from tests.factories.places import local_activity, phone_befriender

START = reverse("matching:kiosk")
FINISH = reverse("matching:kiosk_finish")
PRINT = reverse("matching:kiosk_print")
EMAIL = reverse("matching:kiosk_email")
RESULTS = reverse("matching:kiosk_results")
PLACE = reverse("matching:kiosk_step", args=["place"])
STATE_INPUT = re.compile(r'<input type="hidden" name="state" value="([^"]+)">')

MEMBERS_EMPTY = {
    "members-TOTAL_FORMS": "1",
    "members-INITIAL_FORMS": "0",
    "members-MIN_NUM_FORMS": "0",
    "members-MAX_NUM_FORMS": "60",
}
ONE_MEMBER = {
    **MEMBERS_EMPTY,
    "members-0-label": "Mum",
    "members-0-kind": "family",
    "members-0-circle": "1",
}
ENJOY = {
    "interests": ["choirs-and-singing", "lunch-clubs"],
    "max_travel_km": "any",
    "max_cost": "any",
    "company": "either",
}
TOP_THREE = {"top_three": ["choirs-and-singing"], "order-choirs-and-singing": "1"}
NEEDS = {"needs": ["lonely"], "priority-lonely": "1", "words-lonely": "Nobody to chat to"}
ABOUT = {"age_band": "65_plus", "single_sex": ""}


@pytest.fixture
def borough(search_index, directory):
    """Activities near SW18, indexed: a choir, a lunch club and a phone befriender."""
    organisation = OrganisationFactory(parent=directory, title="Wandsworth Community")

    activities = {
        "choir": local_activity(
            organisation, "Community choir", "choirs-and-singing", step_free=False
        ),
        "lunch": local_activity(
            organisation, "Lunch club", "lunch-clubs", day="wed", step_free=False
        ),
        "phone": phone_befriender(
            organisation,
            booking="booking",
            how_to_join="Call Ann to book a first chat",
            contact_phone="020 7946 0000",
        ),
    }
    index_rebuild()
    return activities


def state_of(response) -> str:
    """The sealed answers as the page carries them (the last one: every form has the same)."""
    found = STATE_INPUT.findall(response.content.decode())
    assert found, "the page carries no state"
    return html.unescape(found[-1])


def step_url(slug):
    return reverse("matching:kiosk_step", args=[slug])


def post_step(client, slug, state, data=None, go="next"):
    return client.post(step_url(slug), {"state": state, "go": go, **(data or {})})


def page_step(response):
    step = response.context.get("step")
    return step.slug if step else None


def follow(client, response):
    """The page a 303 sends the browser to, fetched as the browser would (a GET)."""
    assert response.status_code == 303, response.status_code
    return client.get(response["Location"])


def walk_to_results(client):
    """Every step in turn, as a browser: each POST answered with a 303 to the next page."""
    response = client.get(START, follow=True)
    for slug, data in (
        ("place", {"near": "SW18 1AA"}),
        ("people", ONE_MEMBER),
        ("enjoy", ENJOY),
        ("top-three", TOP_THREE),
        ("needs", NEEDS),
        ("about", ABOUT),
    ):
        assert page_step(response) == slug, response.content.decode()[:2000]
        response = follow(client, post_step(client, slug, state_of(response), data))
        assert response.status_code == 200
    return response


def visit_cookie(client) -> str:
    cookie = client.cookies.get(kiosk.COOKIE_NAME)
    return cookie.value if cookie and cookie.value else ""


def with_visit(client, answers, **kwargs):
    """A browser that has been through the kiosk with these answers."""
    client.cookies[kiosk.COOKIE_NAME] = kiosk.visit_seal(kiosk.KioskVisit(answers, **kwargs))
    return client


def no_session_cookie(*responses):
    for response in responses:
        assert "sessionid" not in response.cookies


# The flow ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestFlow:
    def test_the_way_in_starts_afresh_at_the_first_steps_own_address(self, client):
        response = client.get(START)

        assert response.status_code == 302
        assert response["Location"] == PLACE
        page = client.get(PLACE)
        assert page.status_code == 200
        content = page.content.decode()
        assert "Nothing is kept once you press" in content
        assert 'name="near"' in content
        assert "Step 1 of 6" in content
        assert f'action="{FINISH}"' in content

    def test_the_way_in_forgets_an_earlier_visit(self, client):
        with_visit(client, {"near": "SW18 1AA"})

        response = client.get(START)

        assert response.cookies[kiosk.COOKIE_NAME].value == ""
        assert 'value="SW18 1AA"' not in client.get(PLACE).content.decode()

    def test_full_flow_suggests_nearby_activities_with_their_reasons(self, client, borough):
        response = walk_to_results(client)

        assert response.request["PATH_INFO"] == RESULTS
        titles = [card.activity.title for card in response.context["cards"]]
        assert "Community choir" in titles
        content = response.content.decode()
        assert "Community choir" in content
        assert "Choirs and singing, as you chose" in content
        assert f'value="{borough["choir"].pk}"' in content
        assert 'id="suggestion-points"' in content
        answers = kiosk.state_open(state_of(response))
        assert answers["near"] == "SW18 1AA"
        assert answers["network"]["members"][0]["label"] == "Mum"
        assert answers["top_three"] == ["choirs-and-singing"]
        assert answers["needs"] == ["lonely"]

    def test_each_post_sends_the_browser_to_the_next_steps_own_address(self, client, borough):
        response = client.get(START, follow=True)
        for slug, data, then in (
            ("place", {"near": "SW18"}, step_url("people")),
            ("people", ONE_MEMBER, step_url("enjoy")),
            ("enjoy", ENJOY, step_url("top-three")),
            ("top-three", TOP_THREE, step_url("needs")),
            ("needs", NEEDS, step_url("about")),
            ("about", ABOUT, RESULTS),
        ):
            posted = post_step(client, slug, state_of(response), data)

            assert posted.status_code == 303
            assert posted["Location"] == then  # no answers in the address
            response = client.get(then)
            assert response.status_code == 200

    def test_each_step_shows_its_progress(self, client, borough):
        posted = post_step(client, "place", state_of(client.get(PLACE)), {"near": "SW18"})

        response = follow(client, posted)
        assert page_step(response) == "people"
        assert "Step 2 of 6" in response.content.decode()

    def test_going_back_and_forward_shows_each_step_again_with_the_latest_answers(
        self, client, borough
    ):
        walk_to_results(client)

        place = client.get(PLACE)
        people = client.get(step_url("people"))
        needs = client.get(step_url("needs"))
        results = client.get(RESULTS)

        assert [page_step(r) for r in (place, people, needs)] == ["place", "people", "needs"]
        assert 'value="SW18 1AA"' in place.content.decode()
        assert 'value="Mum"' in people.content.decode()
        assert "Nobody to chat to" in needs.content.decode()
        assert "Community choir" in results.content.decode()
        # Back from a later step and on again keeps everything after it too.
        answers = kiosk.state_open(state_of(people))
        assert answers["needs"] == ["lonely"]

    def test_the_network_step_can_be_skipped(self, client, borough):
        state = kiosk.state_seal({"near": "SW18"})

        response = follow(client, post_step(client, "people", state, ONE_MEMBER, go="skip"))

        assert page_step(response) == "enjoy"
        assert "network" not in kiosk.state_open(state_of(response))

    def test_an_empty_map_is_not_an_error(self, client, borough):
        state = kiosk.state_seal({"near": "SW18"})

        response = post_step(client, "people", state, MEMBERS_EMPTY)

        assert response["Location"] == step_url("enjoy")

    def test_the_pages_back_button_keeps_the_answers_and_shows_them_again(self, client, borough):
        state = kiosk.state_seal({"near": "SW18"})
        enjoy = follow(client, post_step(client, "people", state, ONE_MEMBER))

        back = post_step(client, "enjoy", state_of(enjoy), ENJOY, go="back")

        assert back["Location"] == step_url("people")
        people = client.get(back["Location"])
        assert 'value="Mum"' in people.content.decode()
        assert kiosk.state_open(state_of(people))["interests"] == ENJOY["interests"]

    def test_a_bad_member_row_is_shown_as_a_field_error_at_the_steps_address(self, client, borough):
        state = kiosk.state_seal({"near": "SW18"})
        data = {**MEMBERS_EMPTY, "members-0-label": "Mum", "members-0-circle": "1"}

        posted = post_step(client, "people", state, data)

        assert posted["Location"] == step_url("people")
        response = client.get(posted["Location"])
        assert response.status_code == 200
        assert page_step(response) == "people"
        content = response.content.decode()
        assert "Choose who or what this is" in content
        assert 'value="Mum"' in content  # what was typed is kept

    def test_a_postcode_that_cannot_be_found_is_a_field_error(self, client, borough):
        posted = post_step(client, "place", state_of(client.get(PLACE)), {"near": "SW99"})

        assert posted["Location"] == PLACE
        response = client.get(PLACE)
        assert response.status_code == 200
        assert page_step(response) == "place"
        assert response.context["form"].errors["near"] == [
            "We could not find SW99 on our map. Check it and try again."
        ]
        assert "error-summary" in response.content.decode()

    def test_add_another_without_javascript_keeps_the_rows_and_adds_one(self, client, borough):
        state = kiosk.state_seal({"near": "SW18"})

        posted = post_step(client, "people", state, {**ONE_MEMBER, "add_row": "1"})

        response = client.get(posted["Location"])
        content = response.content.decode()
        assert 'value="Mum"' in content
        assert 'name="members-1-label"' in content

    def test_a_step_address_without_answers_goes_back_to_the_start(self, client):
        response = client.get(step_url("enjoy"))

        assert response.status_code == 302
        assert response["Location"] == START

    def test_an_unknown_step_is_a_404(self, client):
        response = post_step(client, "nonsense", kiosk.state_seal({}))

        assert response.status_code == 404

    def test_search_being_down_is_a_plain_message_not_a_500(self, client, monkeypatch):
        def broken(*args, **kwargs):
            raise SearchBackendError("connection refused")

        monkeypatch.setattr("matching.engine.match_answers", broken)

        response = with_visit(client, {"near": "SW18"}).get(RESULTS)

        assert response.status_code == 503
        assert "cannot look for activities just now" in response.content.decode()
        assert "connection refused" not in response.content.decode()

    def test_answers_the_matcher_refuses_give_a_plain_message(self, client, borough):
        with_visit(client, {"near": "SW18", "interests": ["no-such-category"]})

        response = client.get(RESULTS)

        assert response.status_code == 200
        content = response.content.decode()
        assert "Some of your answers could not be used." in content
        assert "no-such-category" not in content

    def test_a_visit_too_big_for_a_cookie_is_shown_directly(self, client, borough, monkeypatch):
        monkeypatch.setattr("matching.views.kiosk.MAX_COOKIE_CHARS", 10)

        response = post_step(client, "people", kiosk.state_seal({"near": "SW18"}), ONE_MEMBER)

        assert response.status_code == 200
        assert page_step(response) == "enjoy"
        assert response.cookies[kiosk.COOKIE_NAME].value == ""

    def test_a_full_network_map_fits_in_the_cookie(self, client, borough):
        members = [
            {"circle": 1 + n % 3, "kind": "friend", "support": ["company", "emotional"],
             "frequency": "weekly", "label": f"Friend number {n}"}
            for n in range(40)
        ]  # fmt: skip
        answers = {"near": "SW18 1AA", "network": {"members": members}, **ENJOY}
        words = [{"need": need, "in_their_words": "x" * 300, "who_will_help": "y" * 200}
                 for need in ("lonely", "active", "mood")]  # fmt: skip

        token = kiosk.visit_seal(kiosk.KioskVisit({**answers, "need_notes": words}))

        assert len(token) <= kiosk.MAX_COOKIE_CHARS


# Nothing stored, nothing readable -------------------------------------------------------


@pytest.mark.django_db
class TestNothingStored:
    def test_the_whole_flow_print_and_email_add_no_rows_and_no_session(self, client, borough):
        # The first page the site ever renders creates its settings row (Wagtail's site
        # settings, in the footer of every page): that row is the site's, not the person's.
        client.get(PLACE)
        before = row_counts()
        start = client.get(START, follow=True)

        results = walk_to_results(client)
        chosen = {"state": state_of(results), "activities": [borough["choir"].pk]}
        printed = client.post(PRINT, chosen, follow=True)
        emailed = client.post(EMAIL, {**chosen, "email": "someone@example.org"}, follow=True)
        finished = client.post(FINISH)

        assert printed.status_code == emailed.status_code == finished.status_code == 200
        assert row_counts() == before
        no_session_cookie(start, results, printed, emailed, finished)
        assert "sessionid" not in client.cookies

    def test_the_cookie_and_the_addresses_hold_nothing_readable(self, client, borough):
        walk_to_results(client)
        results = client.post(
            PRINT,
            {"state": state_of(client.get(RESULTS)), "activities": [borough["choir"].pk]},
        )
        token = visit_cookie(client)

        assert token
        assert results["Location"] == PRINT
        padded = token + "=" * (-len(token) % 4)
        for text in (token, base64.urlsafe_b64decode(padded).decode("latin-1")):
            for answer in ("SW18", "Mum", "lonely", "choirs", "Nobody to chat to"):
                assert answer not in text
        morsel = client.cookies[kiosk.COOKIE_NAME]
        assert morsel["httponly"]
        assert morsel["samesite"] == "Strict"
        assert morsel["path"] == START

    def test_every_kiosk_page_is_no_store_and_not_indexed(self, client, borough):
        results = walk_to_results(client)
        posted_print = client.post(
            PRINT, {"state": state_of(results), "activities": [borough["choir"].pk]}
        )
        responses = [
            client.get(START),
            client.get(PLACE),
            post_step(client, "place", kiosk.state_seal({}), {"near": "SW18"}),
            client.get(step_url("people")),
            client.get(RESULTS),
            posted_print,
            client.get(PRINT),
            client.post(FINISH),
            post_step(client, "place", "tampered"),
        ]

        for response in responses:
            assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]
            assert "noindex" in response["X-Robots-Tag"]


# Sealed state ------------------------------------------------------------------------------


@pytest.mark.django_db
class TestState:
    def test_state_round_trips_and_drops_keys_it_does_not_know(self):
        token = kiosk.state_seal({"near": "SW18", "name": "Ann"})

        assert kiosk.state_open(token) == {"near": "SW18"}

    def test_the_answers_cannot_be_read_from_a_token(self):
        token = kiosk.state_seal({"near": "SW18 1AA", "need_notes": [{"need": "lonely"}]})

        with pytest.raises(signing.BadSignature):
            signing.loads(token, salt="matching.kiosk.state")
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert b"SW18" not in raw
        assert b"lonely" not in raw

    def test_a_tampered_token_is_a_400_asking_to_start_again(self, client):
        token = kiosk.state_seal({"near": "SW18"})
        middle = len(token) // 2
        tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]

        response = post_step(client, "people", tampered, MEMBERS_EMPTY)

        assert response.status_code == 400
        content = response.content.decode()
        assert "Please start again" in content
        assert "could not read your answers" in content

    def test_a_tampered_cookie_is_a_400_and_is_deleted(self, client):
        token = kiosk.visit_seal(kiosk.KioskVisit({"near": "SW18"}))
        client.cookies[kiosk.COOKIE_NAME] = token[:-4] + "AAAA"

        response = client.get(step_url("people"))

        assert response.status_code == 400
        assert "could not read your answers" in response.content.decode()
        assert response.cookies[kiosk.COOKIE_NAME].value == ""

    def test_missing_state_is_a_400(self, client):
        response = client.post(step_url("enjoy"), ENJOY)

        assert response.status_code == 400

    def test_a_token_sealed_with_another_key_is_refused(self, client, settings):
        settings.SECRET_KEY = "another-site-" + "x" * 40
        token = kiosk.state_seal({"near": "SW18"})
        settings.SECRET_KEY = "this-site-" + "y" * 40

        with pytest.raises(kiosk.KioskStateError) as refused:
            kiosk.state_open(token)
        assert not refused.value.expired
        assert post_step(client, "people", token, MEMBERS_EMPTY).status_code == 400

    def test_a_token_sealed_before_the_key_was_rotated_still_opens(self, settings):
        settings.SECRET_KEY = "old-key-" + "x" * 40
        token = kiosk.state_seal({"near": "SW18"})
        settings.SECRET_KEY = "new-key-" + "y" * 40
        settings.SECRET_KEY_FALLBACKS = ["old-key-" + "x" * 40]

        assert kiosk.state_open(token) == {"near": "SW18"}

    def test_a_signed_but_unencrypted_state_is_refused(self, client):
        forged = signing.dumps({"near": "SW18"}, salt="matching.kiosk.state", compress=True)

        assert post_step(client, "people", forged, MEMBERS_EMPTY).status_code == 400

    def test_state_with_a_key_we_never_write_is_refused(self):
        forged = kiosk.token_seal({"near": "SW18", "evil": 1})

        with pytest.raises(kiosk.KioskStateError):
            kiosk.state_open(forged)

    def test_a_page_left_too_long_is_a_400_saying_so(self, client):
        token = kiosk.token_seal({"near": "SW18"}, now=time.time() - kiosk.PAGE_SECONDS - 5)

        response = post_step(client, "people", token, MEMBERS_EMPTY)

        assert response.status_code == 400
        assert "left for too long" in response.content.decode()

    def test_a_page_posted_well_within_its_time_is_accepted(self, client, borough):
        token = kiosk.token_seal({"near": "SW18"}, now=time.time() - kiosk.PAGE_SECONDS + 60)

        assert post_step(client, "people", token, MEMBERS_EMPTY).status_code == 303

    def test_a_token_from_the_future_is_refused(self):
        token = kiosk.token_seal({"near": "SW18"}, now=time.time() + 3600)

        with pytest.raises(kiosk.KioskStateError) as refused:
            kiosk.state_open(token)
        assert not refused.value.expired

    def test_the_cookie_opens_pages_only_a_little_longer_than_the_idle_time(self, client):
        assert kiosk.IDLE_SECONDS + kiosk.WARNING_SECONDS < kiosk.REOPEN_SECONDS
        assert kiosk.REOPEN_SECONDS <= kiosk.IDLE_SECONDS + kiosk.WARNING_SECONDS + 5 * 60
        quiet = time.time() - kiosk.REOPEN_SECONDS - 5
        payload = {"a": {"near": "SW18"}}
        client.cookies[kiosk.COOKIE_NAME] = kiosk.token_seal(payload, now=quiet)

        response = client.get(step_url("people"))

        assert response.status_code == 400
        assert "left for too long" in response.content.decode()
        assert response.cookies[kiosk.COOKIE_NAME].value == ""

    def test_each_page_refreshes_the_cookie(self, client, borough):
        recent = time.time() - kiosk.REOPEN_SECONDS + 30
        client.cookies[kiosk.COOKIE_NAME] = kiosk.token_seal({"a": {"near": "SW18"}}, now=recent)

        response = client.get(step_url("people"))

        assert response.status_code == 200
        fresh = kiosk.visit_open(response.cookies[kiosk.COOKIE_NAME].value)
        assert fresh.answers == {"near": "SW18"}


@pytest.mark.django_db
class TestStillHere:
    URL = reverse("matching:kiosk_still_here")

    def test_a_touch_of_the_screen_keeps_the_pages_seen_open(self, client):
        quiet = time.time() - kiosk.REOPEN_SECONDS + 30
        visit = {"a": {"near": "SW18"}, "c": [7]}
        client.cookies[kiosk.COOKIE_NAME] = kiosk.token_seal(visit, now=quiet)

        response = client.post(self.URL)

        assert response.status_code == 204
        assert "no-store" in response["Cache-Control"]
        token = response.cookies[kiosk.COOKIE_NAME].value
        assert kiosk.token_open(token, max_age=5) == visit

    def test_it_does_not_bring_back_a_visit_gone_quiet(self, client):
        quiet = time.time() - kiosk.REOPEN_SECONDS - 5
        client.cookies[kiosk.COOKIE_NAME] = kiosk.token_seal({"a": {"near": "SW18"}}, now=quiet)

        response = client.post(self.URL)

        assert response.status_code == 204
        assert response.cookies[kiosk.COOKIE_NAME].value == ""

    def test_without_a_visit_it_sets_nothing(self, client):
        response = client.post(self.URL)

        assert response.status_code == 204
        assert kiosk.COOKIE_NAME not in response.cookies

    def test_it_is_a_post_protected_from_other_sites(self):
        from django.test import Client

        browser = Client(enforce_csrf_checks=True)

        assert browser.get(self.URL).status_code == 405
        assert browser.post(self.URL).status_code == 403


# Print and e-mail ------------------------------------------------------------------------


@pytest.fixture
def results_state(client, borough):
    return state_of(walk_to_results(client))


@pytest.mark.django_db
class TestPrint:
    def test_print_lists_the_chosen_items_with_when_where_and_why(
        self, client, borough, results_state
    ):
        posted = client.post(PRINT, {"state": results_state, "activities": [borough["choir"].pk]})

        assert posted.status_code == 303
        assert posted["Location"] == PRINT
        response = client.get(PRINT)
        assert response.status_code == 200
        content = response.content.decode()
        assert "Your list of things to try" in content
        assert "Community choir" in content
        assert "Community choir hall, 1 High Street" in content
        assert "Choirs and singing, as you chose" in content
        assert "Lunch club" not in content
        assert "Nobody to chat to" in content  # their words about what matters
        assert "js-print" in content

    def test_print_says_how_to_join_whom_to_phone_and_when_it_next_meets(
        self, client, borough, results_state
    ):
        choir, phone = borough["choir"], borough["phone"]

        client.post(PRINT, {"state": results_state, "activities": [choir.pk, phone.pk]})

        content = html.unescape(client.get(PRINT).content.decode())
        next_choir = timezone.localtime(choir.next_sessions(count=1)[0].start)
        assert f"Next date</dt><dd>{next_choir:%A %-d %B %Y, %H:%M}" in content
        assert "Booking needed. Call Ann to book a first chat" in content
        assert 'href="tel:02079460000">020 7946 0000' in content
        # The kiosk's list keeps the visitor on the kiosk: web addresses are text, not links.
        assert f'href="{choir.url}"' not in content

    def test_unknown_chosen_ids_are_refused(self, client, borough, results_state):
        for value in ("999999", "abc", "²", "1" * 23):
            response = client.post(PRINT, {"state": results_state, "activities": [value]})

            assert response.status_code == 400
            assert "not on your list any more" in response.content.decode()
            # Shown where the mistake was made; its address is the suggestions' own.
            assert response.context["kiosk_address"] == RESULTS

    def test_choosing_nothing_asks_to_tick_something(self, client, borough, results_state):
        response = client.post(PRINT, {"state": results_state})

        assert response.status_code == 400
        assert "Tick at least one" in response.content.decode()

    def test_back_to_the_suggestions_keeps_the_ticks(self, client, borough, results_state):
        choir = borough["choir"].pk
        client.post(PRINT, {"state": results_state, "activities": [choir]})

        printed = client.get(PRINT)
        assert f'href="{RESULTS}"' in printed.content.decode()
        response = client.get(RESULTS)

        assert response.status_code == 200
        assert response.context["chosen_ids"] == {choir}

    def test_the_print_address_without_a_visit_goes_to_the_start(self, client):
        response = client.get(PRINT)

        assert response.status_code == 302
        assert response["Location"] == START


@pytest.mark.django_db
class TestEmail:
    def test_sends_one_message_to_the_address_given_and_keeps_nothing(
        self, client, borough, results_state
    ):
        before = row_counts()

        posted = client.post(
            EMAIL,
            {
                "state": results_state,
                "activities": [borough["choir"].pk],
                "email": "someone@example.org",
            },
        )

        assert posted.status_code == 303
        assert posted["Location"] == RESULTS
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["someone@example.org"]
        assert "Community choir" in message.body
        assert "Choirs and singing, as you chose" in message.body
        assert "Next date: " in message.body
        assert "How to join: Just turn up" in message.body
        assert "http://testserver/" in message.body
        response = client.get(RESULTS)
        assert "We have sent your list" in response.content.decode()
        assert "someone@example.org" not in response.content.decode()
        assert "someone" not in json.dumps(kiosk.token_open(visit_cookie(client), max_age=60))
        assert row_counts() == before
        # The news is given once: Back or reload shows the list without it.
        assert "We have sent your list" not in client.get(RESULTS).content.decode()

    def test_a_bad_address_is_a_field_error_and_sends_nothing(self, client, borough, results_state):
        response = client.post(
            EMAIL,
            {"state": results_state, "activities": [borough["choir"].pk], "email": "nope"},
        )

        assert response.status_code == 400
        assert response.context["email_form"].errors["email"]
        assert response.context["kiosk_address"] == RESULTS
        assert mail.outbox == []

    @pytest.mark.parametrize("value", ["999999", "²", "1" * 23])
    def test_unknown_chosen_ids_send_nothing(self, client, borough, results_state, value):
        response = client.post(
            EMAIL, {"state": results_state, "activities": [value], "email": "a@example.org"}
        )

        assert response.status_code == 400
        assert "not on your list any more" in response.content.decode()
        assert mail.outbox == []

    def test_is_rate_limited(self, client, borough, results_state, settings):
        settings.KIOSK_EMAIL_RATE_LIMIT = 1
        data = {
            "state": results_state,
            "activities": [borough["choir"].pk],
            "email": "someone@example.org",
        }

        first = client.post(EMAIL, data)
        second = client.post(EMAIL, data)

        assert first.status_code == 303
        assert second.status_code == 429
        assert "Too many e-mails" in second.content.decode()
        assert len(mail.outbox) == 1

    def test_one_recipient_is_limited_across_screens_and_mistakes_cost_nothing(
        self, client, borough, results_state, settings
    ):
        settings.PUBLIC_FORM_TARGET_RATE_LIMIT = 2
        data = {"state": results_state, "activities": [borough["choir"].pk]}
        for _ in range(4):  # typing mistakes on a shared screen
            assert client.post(EMAIL, {**data, "email": "not an address"}).status_code == 400
        for n in range(2):
            response = client.post(
                EMAIL, {**data, "email": "jo@example.org"}, REMOTE_ADDR=f"10.0.0.{n}"
            )
            assert response.status_code == 303
        response = client.post(EMAIL, {**data, "email": "JO@example.org"}, REMOTE_ADDR="10.0.0.9")
        assert response.status_code == 429
        assert "has been sent several lists" in response.content.decode()
        # The next person in the library's queue is served.
        other = client.post(EMAIL, {**data, "email": "sam@example.org"}, REMOTE_ADDR="10.0.0.0")
        assert other.status_code == 303
        assert len(mail.outbox) == 3

    def test_a_mail_server_failure_is_a_plain_message(
        self, client, borough, results_state, monkeypatch
    ):
        def broken(*args, **kwargs):
            raise OSError("connection refused")

        monkeypatch.setattr("common.tasks.send_mail", broken)

        response = client.post(
            EMAIL,
            {"state": results_state, "activities": [borough["choir"].pk], "email": "a@b.org"},
        )

        assert response.status_code == 503
        assert "could not be sent just now" in response.content.decode()


# Finish ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestFinish:
    def test_finish_clears_the_browser_and_shows_no_answers(self, client, borough):
        results = walk_to_results(client)

        response = client.post(FINISH, {"state": state_of(results)})

        assert response.status_code == 200
        assert response["Clear-Site-Data"] == '"cache", "storage"'
        assert "no-store" in response["Cache-Control"]
        assert response.cookies[kiosk.COOKIE_NAME].value == ""
        assert response.cookies[kiosk.COOKIE_NAME]["max-age"] == 0
        content = response.content.decode()
        assert "All cleared" in content
        assert f'href="{START}"' in content
        for answer in ("SW18 1AA", "Mum", "Community choir", "Nobody to chat to"):
            assert answer not in content
        assert 'name="state"' not in content

    def test_after_finish_no_earlier_address_shows_the_answers(self, client, borough):
        walk_to_results(client)
        client.post(FINISH)

        for address in (step_url("people"), step_url("needs"), RESULTS, PRINT):
            response = client.get(address, follow=True)
            content = response.content.decode()
            assert response.status_code == 200, address
            assert "SW18 1AA" not in content and "Mum" not in content, address
        assert 'value="SW18 1AA"' not in client.get(PLACE).content.decode()

    def test_every_page_has_a_finish_button(self, client, borough):
        results = walk_to_results(client)
        client.post(PRINT, {"state": state_of(results), "activities": [borough["choir"].pk]})
        printed = client.get(PRINT)

        for response in (client.get(PLACE), results, printed):
            assert f'action="{FINISH}"' in response.content.decode()


@pytest.mark.django_db
def test_the_home_page_offers_the_questions_to_anyone(client, directory):
    content = client.get("/").content.decode()
    assert f'href="{START}"' in content
    assert "nothing is kept" in content
