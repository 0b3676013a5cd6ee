"""POST /api/match and its vocabulary: anonymous (kiosk), nothing stored, 400s name the field."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets_directory.models import Activity
from search.services import index_rebuild
from tests.factories import (
    OrganisationFactory,
)
from tests.factories.places import local_activity, phone_befriender


@pytest.fixture
def borough(search_index, directory):
    organisation = OrganisationFactory(parent=directory, title="Wandsworth Community")

    def make(title, slug, *, step=True, **kwargs):
        return local_activity(organisation, title, slug, step_free=step, **kwargs)

    make("Community choir", "choirs-and-singing")
    make("Saturday choir", "choirs-and-singing", day="sat")
    make("Upstairs choir", "choirs-and-singing", step=False)
    make("Far choir", "choirs-and-singing", lat=51.60, lng=-0.10)
    make("Pricey choir", "choirs-and-singing", cost=Activity.Cost.PAID, cost_amount="12.00")
    make("Lunch club", "lunch-clubs")
    phone_befriender(organisation)
    index_rebuild()


def post(client, body):
    return client.post("/api/match", json.dumps(body), content_type="application/json")


@pytest.mark.django_db
class TestMatchApi:
    def test_suggestions_respect_limits_and_explain_themselves(self, client, borough):
        response = post(
            client,
            {
                "near": "SW18 4DJ",
                "top_three": ["choirs-and-singing"],
                "needs": ["lonely"],
                "free_times": [{"day": "tue", "from": "09:00", "to": "13:00"}],
                "max_travel_km": 5,
                "max_cost": 5,
                "access_needs": ["step-free"],
                "network": {"members": [{"circle": 1, "kind": "family", "support": ["emotional"]}]},
            },
        )
        assert response.status_code == 200, response.content
        data = response.json()
        titles = [s["title"] for s in data["suggestions"]]
        assert titles[0] == "Community choir"
        for excluded in ("Saturday choir", "Upstairs choir", "Far choir", "Pricey choir"):
            assert excluded not in titles
        first = data["suggestions"][0]
        assert first["reasons"] and all(isinstance(r, str) for r in first["reasons"])
        assert first["distance_m"] == 0
        assert data["network"]["size"] == 1
        assert data["network"]["wants_groups"] is True

    def test_distances_are_as_precise_as_the_place_given(self, client, borough):
        def reasons(near):
            body = {"near": near, "top_three": ["choirs-and-singing"]}
            by_title = {s["title"]: s for s in post(client, body).json()["suggestions"]}
            return by_title["Community choir"]["reasons"]

        # An outward code is only its centre: the choir there is somewhere in SW18.
        assert "in or near SW18" in reasons("SW18")
        assert not any(r.endswith("m away") for r in reasons("SW18"))
        # The same spot given as a point is exact.
        assert "under 50 m away" in reasons("51.4489,-0.1971")

    def test_next_session_is_one_when_they_are_free(self, client, borough, directory):
        local_activity(
            OrganisationFactory(parent=directory, title="Twice Weekly"),
            "Twice weekly choir",
            "choirs-and-singing",
            day="tue,sat",
        )
        index_rebuild()
        for day, weekday in (("tue", 1), ("sat", 5)):
            body = {
                "near": "SW18",
                "top_three": ["choirs-and-singing"],
                "free_times": [{"day": day, "from": "09:00", "to": "13:00"}],
            }
            by_title = {s["title"]: s for s in post(client, body).json()["suggestions"]}
            start = datetime.datetime.fromisoformat(by_title["Twice weekly choir"]["next_session"])
            assert start.weekday() == weekday, day

    def test_an_activity_without_times_is_offered_with_ask_about_times(self, client, borough):
        response = post(
            client,
            {
                "near": "SW18 4DJ",
                "needs": ["lonely"],
                "free_times": [{"day": "tue", "from": "09:00", "to": "13:00"}],
            },
        )
        by_title = {s["title"]: s for s in response.json()["suggestions"]}
        assert "Ask about times" in by_title["Friendly phone calls"]["reasons"]
        assert "Saturday choir" not in by_title

    def test_kiosk_use_is_anonymous_and_stores_nothing(self, client, borough):
        body = {"near": "SW18", "top_three": ["choirs-and-singing"]}
        with CaptureQueriesContext(connection) as queries:
            response = post(client, body)
        assert response.status_code == 200
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]
        assert writes == []
        assert "sessionid" not in response.cookies

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "near"),
            ({"near": "SW99"}, "near"),
            ({"near": "SW18", "top_three": ["a", "b", "c", "d"]}, "top_three"),
            ({"near": "SW18", "top_three": ["no-such-category"]}, "top_three"),
            ({"near": "SW18", "needs": ["telepathy"]}, "needs"),
            ({"near": "SW18", "access_needs": "step-free"}, "access_needs"),
            ({"near": "SW18", "max_travel_km": "far"}, "max_travel_km"),
            ({"near": "SW18", "max_cost": -1}, "max_cost"),
            ({"near": "SW18", "free_times": [{"day": "someday"}]}, "free_times[0].day"),
            ({"near": "SW18", "free_times": [{"day": "tue", "from": "9am", "to": "12:00"}]},
             "free_times[0].from"),
            ({"near": "SW18", "free_times": [{"day": "tue", "from": "12:00", "to": "09:00"}]},
             "free_times[0].to"),
            ({"near": "SW18", "network": {"members": [{"circle": 4, "kind": "family"}]}},
             "network.members[0].circle"),
            ({"near": "SW18", "delivery": ["carrier-pigeon"]}, "delivery"),
        ],
    )  # fmt: skip
    def test_bad_input_is_a_400_naming_the_field(self, client, borough, body, field):
        response = post(client, body)
        assert response.status_code == 400
        assert response.json()["field"] == field

    def test_body_that_is_not_json_is_a_400(self, client, borough):
        response = client.post("/api/match", "not json", content_type="application/json")
        assert response.status_code == 400
        assert "JSON" in response.json()["error"]

    def test_get_is_not_allowed(self, client):
        assert client.get("/api/match").status_code == 405

    def test_too_many_requests_from_one_address(self, client, borough, settings):
        settings.MATCH_API_RATE_LIMIT = 2
        for _ in range(2):
            assert post(client, {"near": "SW18"}).status_code == 200
        assert post(client, {"near": "SW18"}).status_code == 429


@pytest.mark.django_db
def test_vocabulary_lists_the_valid_slugs(client):
    data = client.get("/api/match/vocabulary").json()
    assert {k["slug"] for k in data["kinds"]} >= {"family", "group", "pet", "place"}
    assert [c["circle"] for c in data["circles"]] == [1, 2, 3]
    assert "lonely" in {n["slug"] for n in data["needs"]}
    assert "choirs-and-singing" in {c["slug"] for c in data["categories"]}
    assert "step-free" in {a["slug"] for a in data["access"]}


@pytest.mark.django_db
def test_schema_documents_search_and_match(client):
    schema = client.get("/api/schema/").json()
    assert {"/api/search", "/api/search.geojson", "/api/match", "/api/match/vocabulary"} <= set(
        schema["paths"]
    )
    assert "MatchRequest" in schema["components"]["schemas"]
