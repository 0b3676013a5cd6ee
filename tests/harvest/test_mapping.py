"""Reading one record: pure, no database."""

import datetime
from decimal import Decimal

import pytest

from harvest.mapping import BadRecord, read_service, summary_of, venue_access

from .conftest import service


def test_a_valid_service_is_read_whole():
    data = read_service(service())
    assert data.name == "Chair yoga"
    assert data.fields["status"] == "running"
    assert data.fields["cost"] == "paid" and data.fields["cost_amount"] == Decimal("2.50")
    assert data.fields["age_min"] == 50
    assert data.fields["contact_email"] == "yoga@example.org"
    assert data.organisation.name == "Balham Movers"
    assert data.organisation.charity_number == "1100001"
    assert data.venue.postcode == "SW12 8QY"
    assert data.venue.latitude == pytest.approx(51.4433)
    (session,) = data.schedules
    assert (session.frequency, session.weekdays) == ("weekly", "tue")
    assert session.start_time == datetime.time(10) and session.end_time == datetime.time(11)
    assert [t.key for t in data.terms] == ["term-exercise"]
    assert data.notes == []


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": None}, "name", "required"),
        ({"name": 12}, "name", "should be text"),
        ({"email": "not-an-address"}, "email", "not an e-mail address"),
        ({"email": False}, "email", "should be text"),
        ({"url": "example_counselling"}, "url", "not a web address"),
        ({"status": "open"}, "status", "is not one of"),
        ({"minimum_age": "twelve"}, "minimum_age", "whole number"),
        ({"minimum_age": 30, "maximum_age": 20}, "maximum_age", "below minimum_age"),
        ({"schedules": {"freq": "WEEKLY"}}, "schedules", "should be a list"),
        ({"organization": "Balham Movers"}, "organization", "should be an object"),
        ({"cost_options": [{"amount": "lots"}]}, "cost_options[0].amount", "number"),
    ],
)
def test_a_bad_record_names_its_field_and_reason(changes, field, words):
    with pytest.raises(BadRecord) as caught:
        read_service(service(**changes))
    assert caught.value.field == field
    assert words in caught.value.reason


def test_what_the_directory_cannot_hold_is_noted_and_kept_in_words():
    data = read_service(
        service(
            schedules=[
                {
                    "freq": "MONTHLY",
                    "bymonthday": "2",
                    "opens_at": "10:00",
                    "description": "The second of each month",
                }
            ]
        )
    )
    assert data.schedules == []
    assert "When: The second of each month" in data.fields["how_to_join"]
    assert [field for field, _ in data.notes] == ["schedules[0]"]


def test_a_point_off_the_globe_is_noted_not_fatal():
    record = service()
    record["service_at_locations"][0]["location"]["latitude"] = 100
    data = read_service(record)
    assert data.venue.latitude is None and data.venue.longitude is None
    assert any("latitude" in field for field, _ in data.notes)


def test_without_a_location_an_online_service_is_online():
    data = read_service(
        service(
            service_at_locations=[],
            schedules=[
                {
                    "freq": "WEEKLY",
                    "byday": "MO",
                    "opens_at": "18:00",
                    "attending_type": "Online, by video call",
                }
            ],
        )  # fmt: skip
    )
    assert data.venue is None
    assert data.fields["delivery"] == "online"


def test_the_summary_is_whole_sentences_that_fit():
    long = "First sentence here. " + "Second sentence is long. " * 20
    summary = summary_of(long, "Name")
    assert summary.startswith("First sentence here.")
    assert len(summary) <= 300 and summary.endswith(".")
    assert summary_of("", "Just a name") == "Just a name"


def test_a_location_our_feed_keeps_private_stays_private():
    record = service()
    location = record["service_at_locations"][0]["location"]
    location.update(name="Private address in SW12", latitude=None, longitude=None)
    location["addresses"][0].update(address_1="Private address", city="", postal_code="SW12")
    venue = read_service(record).venue
    assert venue.is_private
    assert venue.postcode == "SW12"


def test_an_ordinary_location_is_not_private():
    assert not read_service(service()).venue.is_private


@pytest.mark.parametrize(
    ("ages", "eligibility", "who_for"),
    [
        ({}, "Open to everyone.", ""),
        ({"minimum_age": 18}, "For people aged 18 and over.", ""),
        (
            {"minimum_age": 18},
            "For older people. For people aged 18 and over.",
            "For older people.",
        ),  # noqa: E501
        ({"minimum_age": 18}, "Adults only!", "Adults only!"),
        ({}, "For people aged 18 and over.", "For people aged 18 and over."),
    ],
)
def test_whom_a_service_is_for_is_kept_without_the_sentences_its_ages_give_again(
    ages, eligibility, who_for
):
    # The directory writes those sentences after the words it keeps: a harvest of our own
    # feed would otherwise say them twice, and once more each round.
    record = service(eligibility_description=eligibility, **{"minimum_age": None, **ages})
    data = read_service(record)
    assert data.fields["who_for"] == who_for


def test_a_services_languages_are_its_organisations():
    languages = [
        {"id": "l1", "name": "English", "code": "en"},
        {"id": "l2", "code": "pl"},
        {"id": "l3", "name": "english"},
    ]
    data = read_service(service(languages=languages))
    assert data.organisation.languages == "English, pl"
    assert data.organisation.content_hash != read_service(service()).organisation.content_hash
    assert read_service(service()).organisation.languages == ""


def test_accessibility_named_as_the_directorys_features_is_those_features():
    features = {"step-free access": (1, "No steps."), "hearing loop": (2, "A loop.")}
    given = [
        ("Step-free access", "No steps."),
        ("Hearing loop", "At the front desk only."),
        ("Notes", "Ramp at the side door."),
        ("Quiet room", ""),
    ]
    assert venue_access(given, features) == (
        [1, 2],
        "Hearing loop At the front desk only.\nRamp at the side door.\nQuiet room",
    )
