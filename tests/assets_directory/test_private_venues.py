"""Private venues (a home, a refuge): the public sees only the outward code, everywhere; the
exact point stays stored, so searches by distance still find the activities held there."""

import re

import icalendar
import pytest
from django.urls import reverse

from assets_directory.geocoding import geocode
from assets_directory.models import Activity, Venue
from assets_directory.wagtail_hooks import VENUE_EDIT_HANDLER
from matching.suggestions import activity_where
from search.documents import documents_for
from search.query import DirectoryQuery, GeoPoint
from search.results import SearchHit
from search.selectors import measure_to_shown_points
from search.services import index_rebuild
from tests.factories import ActivityFactory, ActivityScheduleFactory, VenueFactory

pytestmark = pytest.mark.django_db

# The refuge's own point: about 2.3 km east of SW18's centre (so a search by distance that
# finds it near here is searching by this point, not by the outward code's).
REFUGE = (51.45231, -0.16407)
# What must never reach the public, written as it would appear in a page or in JSON.
SECRETS = ("Acacia House", "12 Acacia Avenue", "3XR", "51.4523", "0.1640")


def assert_nothing_given_away(text: str) -> None:
    found = [secret for secret in SECRETS if secret in text]
    assert not found, f"{found} given away"


@pytest.fixture
def refuge():
    return VenueFactory(
        name="Acacia House",
        address_1="12 Acacia Avenue",
        address_2="",
        town="London",
        postcode="SW18 3XR",
        latitude=REFUGE[0],
        longitude=REFUGE[1],
        is_private=True,
        accessibility_notes="Ring the bell at 12 Acacia Avenue.",
    )


@pytest.fixture
def group(organisation, refuge):
    activity = ActivityFactory(
        parent=organisation,
        title="Survivors' peer support group",
        summary="A safe, confidential group.",
        venue=refuge,
    )
    ActivityScheduleFactory(activity=activity, weekdays="wed")
    return Activity.objects.get(pk=activity.pk)


def sw18_centre():
    found = geocode("SW18")
    return found.latitude, found.longitude


# The rule --------------------------------------------------------------------------------------


def test_a_private_venue_shows_its_outward_code_and_that_codes_centre(refuge):
    where = refuge.public_location()
    assert where.private and where.approximate
    assert where.name == where.label == where.short_label == "Private address in SW18"
    assert where.postcode == "SW18"
    assert where.address_lines == ()
    assert where.address_1 == "Private address" and where.town == ""
    assert (where.latitude, where.longitude) == sw18_centre()
    assert where.accessibility_notes == ""
    assert "given on request" in where.note


def test_a_public_venue_shows_everything(refuge):
    refuge.is_private = False
    where = refuge.public_location()
    assert not where.private and not where.approximate and where.note == ""
    assert where.label == "Acacia House, 12 Acacia Avenue, London, SW18 3XR"
    assert where.short_label == "Acacia House, SW18 3XR"
    assert (where.latitude, where.longitude) == REFUGE
    assert where.accessibility_notes == "Ring the bell at 12 Acacia Avenue."


def test_a_private_venue_whose_outward_code_has_no_known_centre_has_no_point():
    venue = Venue(name="Home", postcode="ZY99 9ZZ", latitude=51.5, longitude=-0.1, is_private=True)
    where = venue.public_location()
    assert where.name == "Private address in ZY99"
    assert not where.has_point and not where.approximate


def test_the_exact_address_and_point_stay_stored(refuge):
    refuge.full_clean()
    refuge.refresh_from_db()
    assert (refuge.postcode, refuge.address_1) == ("SW18 3XR", "12 Acacia Avenue")
    assert (refuge.latitude, refuge.longitude) == REFUGE


def test_the_venue_form_offers_to_keep_the_address_private(moderator):
    form_class = VENUE_EDIT_HANDLER.bind_to_model(Venue).get_form_class()
    form = form_class(for_user=moderator)
    assert form.fields["is_private"].label == "Keep the address private"
    assert "SW15" in form.fields["is_private"].help_text


def test_a_moderator_makes_a_venue_private_in_the_admin(client, moderator):
    client.force_login(moderator)
    url = reverse("wagtailsnippets_assets_directory_venue:add")
    response = client.post(url, {"name": "Home", "postcode": "SW18 4DJ", "is_private": "on"})
    assert response.status_code == 302
    assert Venue.objects.get().is_private


# Pages, cards and calendar files ---------------------------------------------------------------


def test_the_activity_page_gives_only_the_outward_code_and_an_approximate_area(client, group):
    page = client.get(group.url).content.decode()
    assert "Private address in SW18" in page
    assert "given on request" in page
    assert_nothing_given_away(page)
    lat, lng = sw18_centre()
    assert f'data-lat="{lat:f}"' in page and f'data-lng="{lng:f}"' in page
    assert 'data-approximate="true"' in page
    assert "Approximate area: Private address in SW18" in page


def test_the_organisation_page_card_gives_only_the_outward_code(client, group, organisation):
    page = client.get(organisation.url).content.decode()
    assert "peer support group" in page
    assert "Private address in SW18" in page
    assert_nothing_given_away(page)


def test_the_calendar_file_gives_only_the_outward_code_and_no_point(client, group):
    response = client.get(reverse("assets_directory:activity_calendar", args=[group.uuid]))
    body = response.content.decode()
    assert_nothing_given_away(body)
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["location"]) == "Private address in SW18"
    assert "GEO" not in event


def test_a_public_venues_calendar_file_keeps_its_address_and_point(client, group, refuge):
    Venue.objects.filter(pk=refuge.pk).update(is_private=False)
    response = client.get(reverse("assets_directory:activity_calendar", args=[group.uuid]))
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert "12 Acacia Avenue" in str(event["location"])
    assert "GEO" in event


def test_suggestions_give_only_the_outward_code(group):
    assert activity_where(group) == "Private address in SW18"


# Search: found by distance, shown by area ------------------------------------------------------


@pytest.fixture
def indexed(group, search_index):
    index_rebuild()
    return group


def test_a_search_by_postcode_and_radius_still_finds_it(client, indexed):
    response = client.get("/api/search", {"near": "SW18 4DJ", "radius_km": "5"})
    assert [hit["title"] for hit in response.json()["results"]] == [indexed.title]


def test_a_search_by_distance_uses_its_own_point_but_shows_and_measures_the_area(client, indexed):
    # 300 m around the refuge's own point: SW18's centre, 2.3 km away, is well outside.
    near = f"{REFUGE[0]},{REFUGE[1]}"
    response = client.get("/api/search", {"near": near, "radius_km": "0.3"})
    body = response.content.decode()
    (hit,) = response.json()["results"]
    assert hit["title"] == indexed.title
    assert hit["approximate"] is True
    assert (hit["lat"], hit["lng"]) == pytest.approx(sw18_centre())
    assert hit["venue"] == "Private address in SW18"
    # Measured to the point shown: a distance to the refuge's own would locate it.
    assert hit["distance_m"] > 2000
    assert_nothing_given_away(body.replace(near, ""))


def test_the_map_pins_it_at_the_outward_codes_centre(client, indexed):
    response = client.get("/api/search.geojson", {"near": "SW18", "radius_km": "5"})
    (feature,) = response.json()["features"]
    lat, lng = sw18_centre()
    assert feature["geometry"]["coordinates"] == pytest.approx([lng, lat])
    assert feature["properties"]["approximate"] is True
    assert_nothing_given_away(response.content.decode())


def test_the_search_page_gives_only_the_outward_code(client, indexed):
    response = client.get(reverse("search:search"), {"near": "SW18", "radius_km": "5"})
    page = response.content.decode()
    assert "peer support group" in page
    assert "Private address in SW18" in page and "(approximate area)" in page
    assert_nothing_given_away(page)


def test_searching_for_the_venues_name_does_not_find_it(client, indexed):
    response = client.get("/api/search", {"q": "Acacia"})
    assert response.json()["results"] == []


def test_making_a_venue_private_reaches_the_index_when_it_is_saved(
    client, organisation, search_index, django_capture_on_commit_callbacks
):
    venue = VenueFactory(name="Acacia House", latitude=REFUGE[0], longitude=REFUGE[1])
    ActivityFactory(parent=organisation, title="Peer group", venue=venue)
    index_rebuild()
    assert client.get("/api/search", {"q": "peer"}).json()["results"][0]["venue"] == (
        "Acacia House"
    )
    with django_capture_on_commit_callbacks(execute=True):
        venue.is_private = True
        venue.save()
    (hit,) = client.get("/api/search", {"q": "peer"}).json()["results"]
    assert hit["venue"] == "Private address in SW18" and hit["approximate"] is True


def test_the_exact_point_never_leaves_the_index_for_a_hit(indexed):
    # The search document keeps the venue's own point, for distance; only the payload a hit
    # is made from says which point to show.
    (document,) = documents_for([indexed.pk])
    assert (document["lat"], document["lng"]) == REFUGE
    assert document["venue"] == "Private address in SW18" and document["postcode"] == "SW18"
    assert document["approximate_point"] == list(sw18_centre())
    assert not re.search(r"Acacia", str({k: v for k, v in document.items() if k != "id"}))


def test_a_hit_shown_without_a_point_has_no_distance_and_an_approximate_one_is_measured_to_it():
    query = DirectoryQuery(near=GeoPoint(*REFUGE), radius_m=1000)
    common = {"title": "Group", "organisation": "", "url": "/", "summary": ""}
    hits = [
        SearchHit(id=1, lat=None, lng=None, distance_m=12.0, **common),
        SearchHit(id=2, lat=51.4489, lng=-0.1971, approximate=True, distance_m=12.0, **common),
        SearchHit(id=3, lat=REFUGE[0], lng=REFUGE[1], distance_m=12.0, **common),
    ]
    measure_to_shown_points(hits, query=query)
    assert hits[0].distance_m is None
    assert hits[1].distance_m == pytest.approx(2300, rel=0.05)
    assert hits[2].distance_m == 12.0
