"""The public search API, the search page and the shortlist."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets_directory.models import AccessibilityFeature, Activity, Category
from search.models import ZeroResultSearch
from search.openapi import openapi_document
from search.params import PARAMETERS
from search.services import index_rebuild
from tests.factories import (
    ActivityFactory,
    ActivityScheduleFactory,
    OrganisationFactory,
    VenueFactory,
)

# SW18's outward-code centre in the shipped data, and a point about 2.3 km east of it.
SW18 = (51.4489, -0.1971)


@pytest.fixture
def borough(search_index, directory):
    """A small indexed borough: a choir in SW18, a walk 2.3 km away, a phone line, a far one."""
    organisation = OrganisationFactory(parent=directory, title="Wandsworth Singers")
    near_venue = VenueFactory(name="Southfields Library", latitude=SW18[0], longitude=SW18[1])
    near_venue.accessibility.set([AccessibilityFeature.objects.get(slug="step-free")])
    choir = ActivityFactory(
        parent=organisation,
        title="Community choir",
        summary="Sing pop and gospel together.",
        venue=near_venue,
        categories=[Category.objects.get(slug="choirs-and-singing")],
    )
    ActivityScheduleFactory(activity=choir, weekdays="tue")
    walk = ActivityFactory(
        parent=organisation,
        title="Health walk",
        summary="A gentle walk on the common.",
        venue=VenueFactory(name="Tooting Common Cafe", latitude=51.4489, longitude=-0.1640),
        cost=Activity.Cost.PAID,
        cost_amount="3.00",
        categories=[Category.objects.get(slug="walking")],
    )
    ActivityScheduleFactory(activity=walk, weekdays="sat", start_time="10:00", end_time="11:00")
    ActivityFactory(
        parent=organisation,
        title="Friendly phone calls",
        summary="A weekly call from a volunteer.",
        delivery=Activity.Delivery.PHONE,
        venue=None,
        area_served="SW17, SW18",
        categories=[Category.objects.get(slug="befriending")],
    )
    ActivityFactory(
        parent=organisation,
        title="Manchester choir",
        summary="Sing in Manchester.",
        venue=VenueFactory(
            name="Manchester Hall", postcode="M1 1AA", latitude=53.48, longitude=-2.24
        ),
        categories=[Category.objects.get(slug="choirs-and-singing")],
    )
    index_rebuild()
    return search_index


def api(client, **params):
    return client.get("/api/search", params)


@pytest.mark.django_db
class TestSearchApi:
    def test_results_have_the_documented_shape(self, client, borough):
        response = api(client, q="choir", near="SW18 4DJ", radius_km="5", facets="all")
        assert response.status_code == 200
        data = response.json()
        assert set(data) == {"total", "page", "page_size", "results", "facets"}
        assert data["total"] == 1
        (hit,) = data["results"]
        required = openapi_document()["components"]["schemas"]["Hit"]["required"]
        assert set(required) <= set(hit)
        assert hit["title"] == "Community choir"
        assert hit["organisation"] == "Wandsworth Singers"
        assert hit["distance_m"] == 0
        assert hit["access"] == ["step-free"]
        # ISO 8601 with the UTC offset, as the OpenAPI document's date-time says.
        next_session = datetime.datetime.fromisoformat(hit["next_session"])
        assert next_session.utcoffset() is not None
        assert next_session > timezone.now()
        assert data["facets"]["categories"]["music-and-singing"] == 1

    def test_hits_carry_an_escaped_snippet_with_the_words_marked(self, client, borough, directory):
        # The factory's description is "<p>A friendly local group.</p>".
        ActivityFactory(
            parent=OrganisationFactory(parent=directory, title="Tooting Tea"),
            title="Tea afternoon",
            description="<p>Tea &amp; cake for friendly neighbours &lt;all welcome&gt;.</p>",
        )
        index_rebuild()
        data = api(client, q="friendly", sort="relevance").json()
        snippets = {r["title"]: r["snippet"] for r in data["results"]}
        # Escaped once: the index holds the plain text "Tea & cake ... <all welcome>".
        assert snippets["Tea afternoon"].startswith(
            "Tea &amp; cake for <b>friendly</b> neighbours &lt;all welcome"
        )
        assert api(client, near="SW18").json()["results"][0]["snippet"] == ""

    def test_radius_keeps_nearby_and_area_services_and_drops_far_ones(self, client, borough):
        data = api(client, near="SW18", radius_km="5", sort="distance").json()
        titles = [r["title"] for r in data["results"]]
        assert titles == ["Community choir", "Health walk", "Friendly phone calls"]
        assert data["results"][1]["distance_m"] == pytest.approx(2300, abs=100)
        assert data["results"][2]["area_wide"] is True
        assert data["results"][2]["distance_m"] is None

    def test_sort_by_title_lists_a_to_z(self, client, borough):
        data = api(client, sort="title").json()
        assert [r["title"] for r in data["results"]] == [
            "Community choir",
            "Friendly phone calls",
            "Health walk",
            "Manchester choir",
        ]
        assert "title" in next(
            p["schema"]["enum"]
            for p in openapi_document()["paths"]["/api/search"]["get"]["parameters"]
            if p["name"] == "sort"
        )

    def test_near_accepts_a_point(self, client, borough):
        data = api(client, near=f"{SW18[0]},{SW18[1]}", radius_km="1").json()
        assert [r["title"] for r in data["results"]] == ["Community choir", "Friendly phone calls"]

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"near": "SW18", "radius_km": "abc"}, "radius_km"),
            ({"near": "SW18", "radius_km": "-1"}, "radius_km"),
            ({"radius_km": "5"}, "radius_km"),
            ({"near": "SW99"}, "near"),
            ({"near": "not a place"}, "near"),
            ({"near": "91,0"}, "near"),
            ({"page": "0"}, "page"),
            ({"page": "two"}, "page"),
            ({"page_size": "101"}, "page_size"),
            ({"day": "funday"}, "day"),
            ({"time_from": "25:00"}, "time_from"),
            ({"time_from": "12:00", "time_to": "09:00"}, "time_to"),
            ({"bbox": "1,2,3"}, "bbox"),
            ({"bbox": "a,b,c,d"}, "bbox"),
            ({"category": "no-such-category"}, "category"),
            ({"access": "jetpack"}, "access"),
            ({"sort": "random"}, "sort"),
            ({"sort": "distance"}, "sort"),
            ({"max_cost": "lots"}, "max_cost"),
            ({"free": "maybe"}, "free"),
            ({"age": "old"}, "age"),
            ({"delivery": "pigeon"}, "delivery"),
            ({"facets": "colour"}, "facets"),
            ({"q": "x" * 201}, "q"),
        ],
    )
    def test_bad_parameter_is_a_400_naming_the_field(self, client, borough, params, field):
        response = client.get("/api/search", params)
        assert response.status_code == 400
        body = response.json()
        assert body["field"] == field
        assert body["error"]
        geo = client.get("/api/search.geojson", params)
        assert geo.status_code == 400 and geo.json()["field"] == field

    def test_only_get_is_allowed(self, client, borough):
        assert client.post("/api/search").status_code == 405

    def test_geojson_has_a_feature_per_located_hit(self, client, borough):
        response = client.get("/api/search.geojson", {"near": "SW18", "radius_km": "5"})
        assert response["Content-Type"] == "application/geo+json"
        data = response.json()
        assert data["type"] == "FeatureCollection"
        assert data["total"] == 3
        names = sorted(f["properties"]["title"] for f in data["features"])
        assert names == ["Community choir", "Health walk"]
        choir = next(f for f in data["features"] if f["properties"]["title"] == "Community choir")
        assert choir["geometry"] == {"type": "Point", "coordinates": [SW18[1], SW18[0]]}

    def test_schema_documents_every_parameter_the_api_reads(self, client):
        schema = client.get("/api/schema/").json()
        assert schema["openapi"].startswith("3.1")
        for path in ("/api/search", "/api/search.geojson"):
            documented = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
            assert documented == set(PARAMETERS)

    def test_zero_result_search_is_recorded_without_personal_detail(self, client, borough):
        api(client, q="Underwater  Basket", near="SW18 4DJ", radius_km="2", free="1")
        record = ZeroResultSearch.objects.get()
        assert record.terms == "underwater basket"
        assert record.outcode == "SW18"
        assert "free" in record.filters and "radius_km=2" in record.filters
        api(client, q="choir")
        api(client, q="underwater", page="2")
        client.get("/api/search.geojson", {"q": "underwater"})
        assert ZeroResultSearch.objects.count() == 1


@pytest.mark.django_db
class TestSearchPage:
    def test_page_lists_results_without_javascript(self, client, borough):
        response = client.get("/search/", {"q": "walk", "near": "SW18", "radius_km": "5"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "1 activity near SW18" in body
        assert "Health walk" in body and "2.3 km away" in body
        assert 'data-geojson="/api/search.geojson?' in body

    def test_filters_keep_their_state(self, client, borough):
        body = client.get("/search/", {"near": "SW18", "day": "tue", "free": "1"}).content.decode()
        assert 'id="day-tue" name="day" value="tue" checked' in body
        assert 'id="free" name="free" value="1" checked' in body
        assert "Community choir" in body and "Health walk" not in body

    def test_no_results_says_so_and_offers_to_widen(self, client, borough):
        body = client.get(
            "/search/", {"q": "choir", "near": "SW18", "radius_km": "1", "day": "sat"}
        ).content.decode()
        assert "We could not find anything" in body
        assert "Search within 2 km" in body
        assert "Remove the days" in body

    def test_unknown_postcode_is_a_field_error(self, client, borough):
        response = client.get("/search/", {"near": "SW99"})
        assert response.status_code == 400
        body = response.content.decode()
        assert 'aria-invalid="true"' in body
        assert "could not find SW99" in body


@pytest.mark.django_db
class TestShortlist:
    def test_add_remove_and_list(self, client, borough):
        choir = Activity.objects.get(title="Community choir")
        response = client.post(
            reverse("search:shortlist_add"), {"activity": choir.pk, "next": "/search/?q=choir"}
        )
        assert response.status_code == 302 and response["Location"] == "/search/?q=choir"
        body = client.get("/shortlist/").content.decode()
        assert "Community choir" in body and "Every Tuesday, 10:00 to 12:00" in body
        client.post(reverse("search:shortlist_remove"), {"activity": choir.pk})
        assert "Your list is empty" in client.get("/shortlist/").content.decode()

    def test_unknown_or_unpublished_activity_cannot_be_added(self, client, borough):
        draft = Activity.objects.get(title="Health walk")
        draft.unpublish()
        assert (
            client.post(reverse("search:shortlist_add"), {"activity": draft.pk}).status_code == 404
        )
        assert client.post(reverse("search:shortlist_add"), {"activity": "x"}).status_code == 404

    def test_next_cannot_send_people_off_site(self, client, borough):
        choir = Activity.objects.get(title="Community choir")
        response = client.post(
            reverse("search:shortlist_add"),
            {"activity": choir.pk, "next": "https://evil.example/"},
        )
        assert response["Location"] == reverse("search:shortlist")

    def test_adding_needs_a_csrf_token(self, borough):
        client = Client(enforce_csrf_checks=True)
        choir = Activity.objects.get(title="Community choir")
        assert (
            client.post(reverse("search:shortlist_add"), {"activity": choir.pk}).status_code == 403
        )

    def test_list_is_emailed_once_and_address_is_checked(self, client, borough, mailoutbox):
        choir = Activity.objects.get(title="Community choir")
        client.post(reverse("search:shortlist_add"), {"activity": choir.pk})
        response = client.post("/shortlist/", {"email": "not-an-address"})
        assert response.status_code == 400
        assert mailoutbox == []
        response = client.post("/shortlist/", {"email": "person@example.org"})
        assert response.status_code == 302
        (email,) = mailoutbox
        assert email.to == ["person@example.org"]
        assert "Community choir" in email.body and "Every Tuesday, 10:00 to 12:00" in email.body

    def test_empty_list_cannot_be_emailed(self, client, borough, mailoutbox):
        response = client.post("/shortlist/", {"email": "person@example.org"})
        assert response.status_code == 400
        assert mailoutbox == []


@pytest.mark.django_db
def test_moderators_see_searches_with_no_results_and_editors_do_not(client, moderator, editor):
    ZeroResultSearch.objects.create(terms="underwater basket", outcode="SW18")
    url = reverse("wagtailsnippets_search_zeroresultsearch:list")
    client.force_login(moderator)
    response = client.get(url)
    assert response.status_code == 200
    assert "underwater basket" in response.content.decode()
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code in (302, 403)
