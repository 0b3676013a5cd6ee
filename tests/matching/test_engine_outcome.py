"""The one match call both flows make (matching.engine.match_outcome): cards, or why there are
none, never an exception; and the kiosk and the facilitated flow both go through it."""

import logging

import pytest
from django.urls import reverse

from matching import engine, kiosk
from matching.answers import MatchInputError
from matching.engine import UNUSABLE_ANSWERS, MatchOutcome, match_outcome
from search.backends import SearchBackendError


def refusing(field, message):
    def match_answers(answers, *, limit):
        raise MatchInputError(field, message)

    return match_answers


def test_a_refused_postcode_keeps_its_own_words_for_the_public(monkeypatch):
    monkeypatch.setattr(engine, "match_answers", refusing("near", "We could not find SW99 9ZZ."))

    outcome = match_outcome({"near": "SW99 9ZZ"})

    assert outcome.problem == "We could not find SW99 9ZZ."
    assert outcome.problem_field == "near"
    assert outcome.public_problem == "We could not find SW99 9ZZ."
    assert outcome.cards == [] and outcome.network is None


def test_other_refusals_name_the_field_but_say_something_plain_to_the_public(monkeypatch):
    monkeypatch.setattr(engine, "match_answers", refusing("interests[0]", "Unknown slug: x."))

    outcome = match_outcome({"near": "SW18"})

    assert outcome.problem == "Unknown slug: x."
    assert outcome.problem_field == "interests[0]"
    assert outcome.public_problem == UNUSABLE_ANSWERS


def test_search_being_down_is_unavailable_and_the_log_holds_no_answers(monkeypatch, caplog):
    def broken(answers, *, limit):
        raise SearchBackendError("query for SW18 4DJ refused")

    monkeypatch.setattr(engine, "match_answers", broken)

    with caplog.at_level(logging.ERROR, logger="matching.engine"):
        outcome = match_outcome({"near": "SW18 4DJ"})

    assert outcome.unavailable and not outcome.problem
    assert "SearchBackendError" in caplog.text
    assert "SW18" not in caplog.text


def test_no_problem_is_no_public_problem():
    assert MatchOutcome().public_problem == ""


@pytest.mark.django_db
def test_the_kiosk_and_the_facilitated_flow_both_ask_match_outcome(
    client, facilitator, person, monkeypatch
):
    asked = []

    def recording(answers, *, limit=engine.SUGGESTION_LIMIT):
        asked.append((dict(answers), limit))
        return MatchOutcome(unavailable=True)

    monkeypatch.setattr("matching.views.kiosk.match_outcome", recording)
    monkeypatch.setattr("matching.views.plans.match_outcome", recording)
    client.force_login(facilitator)

    facilitated = client.get(reverse("matching:suggestions", args=[person.reference]))
    client.cookies[kiosk.COOKIE_NAME] = kiosk.visit_seal(kiosk.KioskVisit({"near": "SW18"}))
    at_kiosk = client.get(reverse("matching:kiosk_results"))

    assert facilitated.status_code == at_kiosk.status_code == 503
    assert [answers["near"] for answers, _ in asked] == [person.postcode, "SW18"]
    assert {limit for _, limit in asked} == {engine.SUGGESTION_LIMIT}
