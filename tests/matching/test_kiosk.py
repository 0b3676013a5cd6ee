"""Kiosk mode: the matching flow for anyone at a shared screen. Anonymous, nothing stored on
the server (no rows, no session), answers carried in the page as signed state, Finish clears."""

import html
import re

import pytest
from django.core import mail
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
    """The signed answers as the page carries them (the last one: every form has the same)."""
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


def walk_to_results(client):
    """Every step in turn, each POST carrying the state the page before gave."""
    response = client.get(START)
    for slug, data in (
        ("place", {"near": "SW18 1AA"}),
        ("people", ONE_MEMBER),
        ("enjoy", ENJOY),
        ("top-three", TOP_THREE),
        ("needs", NEEDS),
    ):
        assert page_step(response) == slug, response.content.decode()[:2000]
        response = post_step(client, slug, state_of(response), data)
        assert response.status_code == 200
    return response


def no_session_cookie(*responses):
    for response in responses:
        assert "sessionid" not in response.cookies


# The flow ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestFlow:
    def test_start_page_says_nothing_is_kept_and_asks_for_a_postcode(self, client):
        response = client.get(START)

        assert response.status_code == 200
        content = response.content.decode()
        assert "Nothing is kept once you press" in content
        assert 'name="near"' in content
        assert "Step 1 of 5" in content
        assert f'action="{FINISH}"' in content

    def test_full_flow_suggests_nearby_activities_with_their_reasons(self, client, borough):
        response = walk_to_results(client)

        titles = [card.activity.title for card in response.context["cards"]]
        assert "Community choir" in titles
        content = response.content.decode()
        assert "Community choir" in content
        assert "Choirs and singing, as you chose" in content
        assert f'value="{borough["choir"].pk}"' in content
        assert 'id="suggestion-points"' in content
        answers = kiosk.state_read(state_of(response))
        assert answers["near"] == "SW18 1AA"
        assert answers["network"]["members"][0]["label"] == "Mum"
        assert answers["top_three"] == ["choirs-and-singing"]
        assert answers["needs"] == ["lonely"]

    def test_each_step_shows_its_progress(self, client, borough):
        response = post_step(client, "place", state_of(client.get(START)), {"near": "SW18"})

        assert page_step(response) == "people"
        assert "Step 2 of 5" in response.content.decode()

    def test_the_network_step_can_be_skipped(self, client, borough):
        state = kiosk.state_sign({"near": "SW18"})

        response = post_step(client, "people", state, ONE_MEMBER, go="skip")

        assert page_step(response) == "enjoy"
        assert "network" not in kiosk.state_read(state_of(response))

    def test_an_empty_map_is_not_an_error(self, client, borough):
        state = kiosk.state_sign({"near": "SW18"})

        response = post_step(client, "people", state, MEMBERS_EMPTY)

        assert page_step(response) == "enjoy"

    def test_back_keeps_the_answers_and_shows_them_again(self, client, borough):
        state = kiosk.state_sign({"near": "SW18"})
        enjoy = post_step(client, "people", state, ONE_MEMBER)

        back = post_step(client, "enjoy", state_of(enjoy), ENJOY, go="back")

        assert page_step(back) == "people"
        assert 'value="Mum"' in back.content.decode()
        assert kiosk.state_read(state_of(back))["interests"] == ENJOY["interests"]

    def test_a_bad_member_row_is_shown_as_a_field_error(self, client, borough):
        state = kiosk.state_sign({"near": "SW18"})
        data = {**MEMBERS_EMPTY, "members-0-label": "Mum", "members-0-circle": "1"}

        response = post_step(client, "people", state, data)

        assert response.status_code == 200
        assert page_step(response) == "people"
        assert "Choose who or what this is" in response.content.decode()

    def test_a_postcode_that_cannot_be_found_is_a_field_error(self, client, borough):
        response = post_step(client, "place", state_of(client.get(START)), {"near": "SW99"})

        assert response.status_code == 200
        assert page_step(response) == "place"
        assert response.context["form"].errors["near"] == [
            "We could not find SW99 on our map. Check it and try again."
        ]
        assert "error-summary" in response.content.decode()

    def test_a_step_address_without_answers_goes_back_to_the_start(self, client):
        response = client.get(step_url("enjoy"))

        assert response.status_code == 302
        assert response["Location"] == START

    def test_an_unknown_step_is_a_404(self, client):
        response = post_step(client, "nonsense", kiosk.state_sign({}))

        assert response.status_code == 404

    def test_pages_post_so_that_answers_never_go_in_an_address(self, client, borough):
        response = walk_to_results(client)

        content = response.content.decode().lower()
        assert 'method="get"' not in content
        assert 'method="post"' in content

    def test_search_being_down_is_a_plain_message_not_a_500(self, client, monkeypatch):
        def broken(*args, **kwargs):
            raise SearchBackendError("connection refused")

        monkeypatch.setattr("matching.views.kiosk.match_answers", broken)

        response = client.post(RESULTS, {"state": kiosk.state_sign({"near": "SW18"})})

        assert response.status_code == 503
        assert "cannot look for activities just now" in response.content.decode()
        assert "connection refused" not in response.content.decode()

    def test_answers_the_matcher_refuses_give_a_plain_message(self, client, borough):
        state = kiosk.state_sign({"near": "SW18", "interests": ["no-such-category"]})

        response = client.post(RESULTS, {"state": state})

        assert response.status_code == 200
        content = response.content.decode()
        assert "Some of your answers could not be used." in content
        assert "no-such-category" not in content


# Nothing stored --------------------------------------------------------------------------


@pytest.mark.django_db
class TestNothingStored:
    def test_the_whole_flow_print_and_email_add_no_rows_and_no_session(self, client, borough):
        # The first page the site ever renders creates its settings row (Wagtail's site
        # settings, in the footer of every page): that row is the site's, not the person's.
        client.get(START)
        before = row_counts()
        start = client.get(START)

        results = walk_to_results(client)
        chosen = {"state": state_of(results), "activities": [borough["choir"].pk]}
        printed = client.post(PRINT, chosen)
        emailed = client.post(EMAIL, {**chosen, "email": "someone@example.org"})
        finished = client.post(FINISH)

        assert printed.status_code == emailed.status_code == finished.status_code == 200
        assert row_counts() == before
        no_session_cookie(start, results, printed, emailed, finished)
        assert "sessionid" not in client.cookies

    def test_every_kiosk_page_is_no_store_and_not_indexed(self, client, borough):
        results = walk_to_results(client)
        responses = [
            client.get(START),
            post_step(client, "place", kiosk.state_sign({}), {"near": "SW18"}),
            results,
            client.post(PRINT, {"state": state_of(results), "activities": [borough["choir"].pk]}),
            client.post(FINISH),
            post_step(client, "place", "tampered"),
        ]

        for response in responses:
            assert "no-store" in response["Cache-Control"]
            assert "noindex" in response["X-Robots-Tag"]


# Signed state ----------------------------------------------------------------------------


@pytest.mark.django_db
class TestState:
    def test_state_round_trips_and_drops_keys_it_does_not_know(self):
        token = kiosk.state_sign({"near": "SW18", "name": "Ann"})

        assert kiosk.state_read(token) == {"near": "SW18"}

    def test_tampered_state_is_a_400_asking_to_start_again(self, client):
        token = kiosk.state_sign({"near": "SW18"})
        tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

        response = post_step(client, "people", tampered, MEMBERS_EMPTY)

        assert response.status_code == 400
        content = response.content.decode()
        assert "Please start again" in content
        assert "could not read your answers" in content

    def test_missing_state_is_a_400(self, client):
        response = client.post(step_url("enjoy"), ENJOY)

        assert response.status_code == 400

    def test_state_signed_for_something_else_is_refused(self, client):
        from django.core import signing

        forged = signing.dumps({"near": "SW18"}, salt="something.else")

        response = client.post(RESULTS, {"state": forged})

        assert response.status_code == 400

    def test_state_with_a_key_we_never_write_is_refused(self):
        from django.core import signing

        forged = signing.dumps({"near": "SW18", "evil": 1}, salt=kiosk.SALT, compress=True)

        with pytest.raises(kiosk.KioskStateError):
            kiosk.state_read(forged)

    def test_state_left_too_long_is_a_400_saying_so(self, client, monkeypatch):
        token = kiosk.state_sign({"near": "SW18"})
        monkeypatch.setattr(kiosk, "MAX_AGE_SECONDS", -1)

        response = client.post(RESULTS, {"state": token})

        assert response.status_code == 400
        assert "left for too long" in response.content.decode()


# Print and e-mail ------------------------------------------------------------------------


@pytest.fixture
def results_state(client, borough):
    return state_of(walk_to_results(client))


@pytest.mark.django_db
class TestPrint:
    def test_print_lists_the_chosen_items_with_when_where_and_why(
        self, client, borough, results_state
    ):
        response = client.post(PRINT, {"state": results_state, "activities": [borough["choir"].pk]})

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

        response = client.post(PRINT, {"state": results_state, "activities": [choir.pk, phone.pk]})

        content = html.unescape(response.content.decode())
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

    def test_choosing_nothing_asks_to_tick_something(self, client, borough, results_state):
        response = client.post(PRINT, {"state": results_state})

        assert response.status_code == 400
        assert "Tick at least one" in response.content.decode()

    def test_back_to_the_suggestions_keeps_the_ticks(self, client, borough, results_state):
        choir = borough["choir"].pk

        response = client.post(RESULTS, {"state": results_state, "activities": [choir]})

        assert response.status_code == 200
        assert response.context["chosen_ids"] == {choir}


@pytest.mark.django_db
class TestEmail:
    def test_sends_one_message_to_the_address_given_and_keeps_nothing(
        self, client, borough, results_state
    ):
        before = row_counts()

        response = client.post(
            EMAIL,
            {
                "state": results_state,
                "activities": [borough["choir"].pk],
                "email": "someone@example.org",
            },
        )

        assert response.status_code == 200
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["someone@example.org"]
        assert "Community choir" in message.body
        assert "Choirs and singing, as you chose" in message.body
        assert "Next date: " in message.body
        assert "How to join: Just turn up" in message.body
        assert "http://testserver/" in message.body
        assert "We have sent your list" in response.content.decode()
        assert "someone@example.org" not in response.content.decode()
        assert row_counts() == before

    def test_a_bad_address_is_a_field_error_and_sends_nothing(self, client, borough, results_state):
        response = client.post(
            EMAIL,
            {"state": results_state, "activities": [borough["choir"].pk], "email": "nope"},
        )

        assert response.status_code == 400
        assert response.context["email_form"].errors["email"]
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

        assert first.status_code == 200
        assert second.status_code == 429
        assert "Too many e-mails" in second.content.decode()
        assert len(mail.outbox) == 1

    def test_a_mail_server_failure_is_a_plain_message(
        self, client, borough, results_state, monkeypatch
    ):
        def broken(*args, **kwargs):
            raise OSError("connection refused")

        monkeypatch.setattr("matching.views.kiosk.send_mail", broken)

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
        content = response.content.decode()
        assert "All cleared" in content
        assert f'href="{START}"' in content
        for answer in ("SW18 1AA", "Mum", "Community choir", "Nobody to chat to"):
            assert answer not in content
        assert 'name="state"' not in content

    def test_every_page_has_a_finish_button(self, client, borough):
        results = walk_to_results(client)
        printed = client.post(
            PRINT, {"state": state_of(results), "activities": [borough["choir"].pk]}
        )

        for response in (client.get(START), results, printed):
            assert f'action="{FINISH}"' in response.content.decode()


@pytest.mark.django_db
def test_the_home_page_offers_the_questions_to_anyone(client, directory):
    content = client.get("/").content.decode()
    assert f'href="{START}"' in content
    assert "nothing is kept" in content
