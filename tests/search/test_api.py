"""The public search API, the search page and the shortlist."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets_directory.models import AccessibilityFeature, Activity, Category
from search import shortlist
from search.models import ZeroResultSearch
from search.openapi import openapi_document
from search.params import PARAMETERS
from search.results import SearchResults
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
        assert set(data) == {
            "total",
            "page",
            "page_size",
            "results",
            "facets",
            "understood",
            "offers",
            "did_you_mean",
        }
        assert set(data) == set(
            openapi_document()["components"]["schemas"]["SearchResults"]["required"]
        )
        assert data["did_you_mean"] is None
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

    def test_next_session_fits_the_day_asked_for(self, client, borough):
        twice = ActivityFactory(
            parent=OrganisationFactory(title="Twice Weekly"),
            title="Twice weekly choir",
            venue=VenueFactory(name="Twice hall", latitude=SW18[0], longitude=SW18[1]),
            categories=[Category.objects.get(slug="choirs-and-singing")],
        )
        ActivityScheduleFactory(activity=twice, weekdays="tue,sat")
        index_rebuild()
        for day, weekday in (("tue", 1), ("sat", 5)):
            for path in ("/api/search", "/api/search.geojson"):
                data = client.get(path, {"q": "twice", "day": day}).json()
                (found,) = data.get("results") or [f["properties"] for f in data["features"]]
                start = datetime.datetime.fromisoformat(found["next_session"])
                assert start.weekday() == weekday, (path, day)
        body = client.get("/search/", {"q": "twice", "day": "tue"}).content.decode()
        assert "<dt>Next</dt><dd>Tue " in body

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

    @pytest.mark.parametrize(
        ("last_allowed", "page_size"), [({"page": "500"}, None), ({"page": "100"}, "100")]
    )
    def test_paging_reaches_the_10000th_result_and_stops_there(
        self, client, borough, last_allowed, page_size
    ):
        # The limit is arithmetic (page x page size), so four activities are enough to sit on it.
        sizing = {"page_size": page_size} if page_size else {}
        data = api(client, **last_allowed, **sizing).json()
        assert (data["total"], data["page"], data["results"]) == (4, int(last_allowed["page"]), [])
        beyond = api(client, page=str(int(last_allowed["page"]) + 1), **sizing)
        assert beyond.status_code == 400
        assert beyond.json() == {
            "error": "Only the first 10,000 results can be paged through.",
            "field": "page",
        }

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


def titles(data):
    return [r["title"] for r in data["results"]]


@pytest.mark.django_db
class TestEachParameterChangesTheResults:
    """Each parameter, sent with a good value, narrows or orders what the borough returns."""

    def test_bbox_keeps_venues_inside_it_and_services_for_the_area(self, client, borough):
        # A box around SW18's venue that stops short of the walk (0.03 degrees east of it).
        data = api(client, bbox="-0.21,51.44,-0.18,51.46", sort="title").json()
        assert titles(data) == ["Community choir", "Friendly phone calls"]
        data = api(client, bbox="-2.3,53.4,-2.2,53.5").json()
        assert titles(data) == ["Manchester choir"]

    def test_category_keeps_only_activities_in_it(self, client, borough):
        assert titles(api(client, category="walking").json()) == ["Health walk"]
        data = api(client, category="choirs-and-singing", sort="title").json()
        assert titles(data) == ["Community choir", "Manchester choir"]

    def test_access_keeps_only_venues_with_the_feature(self, client, borough):
        assert titles(api(client, access="step-free").json()) == ["Community choir"]

    def test_time_of_day_keeps_sessions_in_that_part_of_the_day(self, client, borough):
        quiz = ActivityFactory(parent=OrganisationFactory(title="Quizzers"), title="Quiz night")
        ActivityScheduleFactory(activity=quiz, weekdays="thu", start_time="19:00", end_time="21:00")
        index_rebuild()
        data = api(client, time_of_day="morning", sort="title").json()
        assert titles(data) == ["Community choir", "Health walk"]
        assert titles(api(client, time_of_day="evening").json()) == ["Quiz night"]

    def test_time_from_reads_the_minutes(self, client, borough):
        # Coffee ends at 10:30: a search from 10:30 misses it, one from 10:15 finds it. Were
        # the minutes dropped, both would search from 10:00 and find it.
        coffee = ActivityFactory(parent=OrganisationFactory(title="Cafe"), title="Coffee morning")
        ActivityScheduleFactory(
            activity=coffee, weekdays="wed", start_time="09:00", end_time="10:30"
        )
        index_rebuild()
        data = api(client, time_from="10:30", sort="title").json()
        assert titles(data) == ["Community choir", "Health walk"]
        data = api(client, time_from="10:15", sort="title").json()
        assert titles(data) == ["Coffee morning", "Community choir", "Health walk"]
        # And time_to: a session from 10:00 overlaps a window to 10:15, not one to 10:00.
        data = api(client, time_from="09:45", time_to="10:00").json()
        assert titles(data) == ["Coffee morning"]

    def test_prefix_reads_the_last_word_as_the_start_of_a_word(self, client, borough):
        assert api(client, q="cho").json()["total"] == 0
        data = api(client, q="cho", prefix="true", sort="title").json()
        assert titles(data) == ["Community choir", "Manchester choir"]
        data = api(client, q="community cho", prefix="1").json()
        assert titles(data) == ["Community choir"]

    def test_a_place_without_words_sorts_nearest_first(self, client, borough):
        # From Manchester: the far choir first, then London's nearest first, then the service
        # without a venue. By title (or as indexed) Manchester would come last.
        data = api(client, near="53.48,-2.24").json()
        assert titles(data) == [
            "Manchester choir",
            "Community choir",
            "Health walk",
            "Friendly phone calls",
        ]
        distances = [r["distance_m"] for r in data["results"][:3]]
        assert distances == sorted(distances)
        # With words, relevance decides, as documented; asking for distance still works.
        assert titles(api(client, near="53.48,-2.24", q="choir", sort="distance").json()) == [
            "Manchester choir",
            "Community choir",
        ]


@pytest.mark.django_db
class TestSearchPage:
    def test_page_lists_results_without_javascript(self, client, borough):
        response = client.get("/search/", {"q": "walk", "near": "SW18", "radius_km": "5"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "1 activity near SW18" in body
        assert "Health walk" in body and "about 2 km away" in body
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
        # The choir meets on Tuesdays: a wider distance on a Saturday would find nothing too.
        assert "Search within 2 km" not in body
        assert "Remove the days</a> (1 result)" in body

    def test_a_place_without_a_distance_is_searched_within_the_distance_the_form_shows(
        self, client, borough
    ):
        # 5.7 km east of SW18's centre: outside the 5 km the form offers by default.
        ActivityFactory(
            parent=OrganisationFactory(title="Far singers"),
            title="Far choir",
            venue=VenueFactory(name="Far hall", latitude=SW18[0], longitude=SW18[1] + 0.082),
            categories=[Category.objects.get(slug="choirs-and-singing")],
        )
        index_rebuild()
        first = client.get("/search/", {"q": "choir", "near": "SW18"})
        body = first.content.decode()
        assert "Community choir" in body and "Far choir" not in body
        assert '<option value="5" selected>Within 5 km</option>' in body
        assert '<option value="" selected>' not in body
        # The map asks for exactly the same search.
        assert "radius_km=5" in body.split('data-geojson="')[1].split('"')[0]
        # Pressing Search again sends what the form shows, and finds the same.
        again = client.get("/search/", {"q": "choir", "near": "SW18", "radius_km": "5"})
        titles = [hit.title for hit in first.context["results"].hits]
        assert titles == [hit.title for hit in again.context["results"].hits]

    def test_any_distance_is_kept_and_shown(self, client, borough):
        ActivityFactory(
            parent=OrganisationFactory(title="Far singers"),
            title="Far choir",
            venue=VenueFactory(name="Far hall", latitude=SW18[0], longitude=SW18[1] + 0.082),
            categories=[Category.objects.get(slug="choirs-and-singing")],
        )
        index_rebuild()
        body = client.get("/search/", {"q": "choir", "near": "SW18", "radius_km": ""}).content
        body = body.decode()
        assert "Far choir" in body
        assert '<option value="" selected>Any distance</option>' in body
        assert '<option value="5" selected>' not in body

    def test_a_distance_not_in_the_list_is_shown_as_applied(self, client, borough):
        body = client.get("/search/", {"near": "SW18", "radius_km": "3"}).content.decode()
        assert '<option value="3" selected>Within 3 km</option>' in body
        assert "Health walk" in body  # 2.3 km away

    def test_a_distance_without_a_place_is_not_an_error(self, client, borough):
        response = client.get("/search/", {"q": "choir", "radius_km": "5"})
        assert response.status_code == 200
        assert response.context["results"].total == 2  # Manchester too: no place, no radius

    def test_my_location_shows_as_words_and_keeps_the_point_out_of_sight(self, client, borough):
        point = f"{SW18[0]},{SW18[1]}"
        response = client.get(
            "/search/", {"near": "Your location", "near_point": point, "radius_km": "5"}
        )
        body = response.content.decode()
        assert 'id="near" name="near" value="Your location"' in body
        assert f'id="near_point" name="near_point" value="{point}"' in body
        assert "near your location" in body
        # A located point is exact, so a venue there is close, not somewhere in an area.
        assert "Southfields Library · under 50 m away" in body
        assert "Distances are from the middle of" not in body
        # The page's own links and the map carry the point.
        assert "near=51.4489%2C-0.1971" in body.split('data-geojson="')[1].split('"')[0]
        # A place typed over "Your location" wins over the point left in the hidden field.
        body = client.get("/search/", {"near": "M1", "near_point": point}).content.decode()
        assert "near M1" in body and 'id="near_point" name="near_point" value=""' in body

    def test_distances_from_an_outward_code_are_no_more_precise_than_it(self, client, borough):
        body = client.get("/search/", {"near": "SW18", "radius_km": "5"}).content.decode()
        assert "Southfields Library · in or near SW18" in body
        assert "Tooting Common Cafe · about 2 km away" in body
        assert "under 50 m" not in body
        assert "Distances are from the middle of SW18, so they are rough." in body

    def test_the_map_draws_the_search_and_is_left_out_when_nothing_has_a_venue(
        self, client, borough
    ):
        body = client.get("/search/", {"q": "choir", "near": "SW18"}).content.decode()
        assert 'id="results-map"' in body
        assert 'data-place="SW18" data-radius="5000"' in body
        assert "a dashed line 5 km around it" in body
        assert "No background map is set up on this site" in body
        body = client.get("/search/", {"q": "phone calls"}).content.decode()
        assert "Friendly phone calls" in body
        assert 'id="results-map"' not in body

    def test_paging_offers_no_page_past_the_10000th_result(self, client, borough, monkeypatch):
        # Twenty thousand matches (a stand-in for the search, to avoid making them): pages of 20
        # can go as far as page 500, so page 500 is the last one shown and linked to.
        def many_results(query):
            return SearchResults(hits=[], total=20_000, page=query.page, page_size=query.page_size)

        monkeypatch.setattr("search.api.search_directory", many_results)
        body = client.get("/search/", {"q": "choir", "page": "499"}).content.decode()
        assert "Page 499 of 500" in body
        assert '<a rel="next" href="?q=choir&amp;page=500">' in body
        body = client.get("/search/", {"q": "choir", "page": "500"}).content.decode()
        assert "Page 500 of 500" in body
        assert '<a rel="prev" href="?q=choir&amp;page=499">' in body
        assert 'rel="next"' not in body

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

    def test_list_links_each_activity_names_its_group_and_makes_contacts_tappable(
        self, client, borough
    ):
        choir = Activity.objects.get(title="Community choir")
        choir.contact_phone = "020 7946 0000"
        choir.contact_email = "choir@example.org"
        choir.save()
        client.post(reverse("search:shortlist_add"), {"activity": choir.pk})
        body = client.get("/shortlist/").content.decode()
        assert f'<h2><a href="{choir.url}">Community choir</a></h2>' in body
        assert '<p class="card__org">Wandsworth Singers</p>' in body
        assert '<a href="tel:02079460000">020 7946 0000</a>' in body
        assert '<a href="mailto:choir@example.org">choir@example.org</a>' in body

    def test_adding_from_a_result_comes_back_to_it_and_says_so_beside_it(self, client, borough):
        choir = Activity.objects.get(title="Community choir")
        results = client.get("/search/", {"q": "choir"}).content.decode()
        back = f"/search/?q=choir#result-{choir.pk}-note"
        assert f'name="next" value="{back}"' in results
        response = client.post(
            reverse("search:shortlist_add"), {"activity": choir.pk, "next": back}
        )
        assert response["Location"] == back
        body = client.get("/search/", {"q": "choir"}).content.decode()
        item = body.split(f'id="result-{choir.pk}"')[1].split("</li>")[0]
        # The note is where the address points: the browser scrolls to it and focuses it.
        assert f'id="result-{choir.pk}-note" role="status" tabindex="-1"' in item
        assert "Added to your list." in item
        assert body.count("Added to your list.") == 1
        # Elsewhere the message is at the top as before.
        client.post(reverse("search:shortlist_remove"), {"activity": choir.pk})
        assert "Removed from your list." in client.get("/shortlist/").content.decode()

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

    @pytest.mark.parametrize(
        "target",
        ["foo", "search:search", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"],
    )
    def test_next_that_is_not_a_path_on_this_site_goes_to_the_list(self, client, borough, target):
        choir = Activity.objects.get(title="Community choir")
        for name in ("shortlist_add", "shortlist_remove"):
            response = client.post(
                reverse(f"search:{name}"), {"activity": choir.pk, "next": target}
            )
            assert response.status_code == 302, name
            assert response["Location"] == reverse("search:shortlist"), name

    @pytest.mark.parametrize("value", ["²", "٣", "1" * 23, "9" * 19, "0", "-1", "1.0", " ", ""])
    def test_an_id_that_is_not_a_plain_number_is_not_found(self, client, borough, value):
        for name in ("shortlist_add", "shortlist_remove"):
            response = client.post(reverse(f"search:{name}"), {"activity": value, "next": "/"})
            assert response.status_code == 404, name
        assert "Your list is empty" in client.get("/shortlist/").content.decode()

    def test_a_list_with_unreadable_ids_in_the_session_keeps_the_readable_ones(self):
        session = {shortlist.SESSION_KEY: [3, "²", "4", "1" * 23, None, 3]}
        assert shortlist.shortlist_ids(session) == [3, 4]
        assert shortlist.shortlist_ids({shortlist.SESSION_KEY: "12"}) == []

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
        assert "Run by: Wandsworth Singers" in email.body

    def test_list_emails_are_limited_per_recipient_and_per_address(
        self, client, borough, mailoutbox, settings
    ):
        settings.PUBLIC_FORM_TARGET_RATE_LIMIT = 2
        settings.PUBLIC_FORM_RATE_LIMIT = 3
        choir = Activity.objects.get(title="Community choir")
        client.post(reverse("search:shortlist_add"), {"activity": choir.pk})
        for _ in range(5):  # mistakes cost nothing
            assert client.post("/shortlist/", {"email": "oops"}).status_code == 400
        for _ in range(2):
            assert client.post("/shortlist/", {"email": "jo@example.org"}).status_code == 302
        response = client.post("/shortlist/", {"email": "Jo@Example.org"})
        assert response.status_code == 429
        assert "Too many lists have been e-mailed" in response.content.decode()
        assert client.post("/shortlist/", {"email": "sam@example.org"}).status_code == 302
        # The address has now sent three: the fourth person waits.
        assert client.post("/shortlist/", {"email": "kim@example.org"}).status_code == 429
        assert len(mailoutbox) == 3

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
