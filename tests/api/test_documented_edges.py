"""The edges where the API and its document used to disagree, each pinned by a plain test."""

import json

import pytest
from django.urls import reverse

from cms.api import api_document

MATCH = "/api/match"


def _match(client, **answers):
    body = {"near": "SW18 4DJ", **answers}
    return client.post(MATCH, data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_the_documented_minimum_travel_distance_is_accepted(client, search_index):
    minimum = api_document()["components"]["schemas"]["MatchRequest"]["properties"][
        "max_travel_km"
    ]["minimum"]
    assert _match(client, max_travel_km=minimum).status_code == 200
    assert _match(client, max_travel_km=0.09).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["max_travel_km", "max_cost", "network", "top_three"])
def test_null_is_not_a_value(client, search_index, name):
    response = _match(client, **{name: None})
    assert response.status_code == 400
    assert response.json()["field"] == name


@pytest.mark.django_db
def test_a_body_over_the_limit_is_413_and_documented(client):
    response = client.post(MATCH, data=b"{" + b" " * 70_000 + b"}", content_type="application/json")
    assert response.status_code == 413
    assert "error" in response.json()
    assert "413" in api_document()["paths"][MATCH]["post"]["responses"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["time_to", "time_from", "radius_km", "bbox", "page", "free"])
def test_the_api_refuses_typed_parameters_sent_empty(client, search_index, name):
    for path in (reverse("search:api_search"), reverse("search:api_search_geojson")):
        response = client.get(path, {"q": "walk", name: ""})
        assert response.status_code == 400, path
        assert response.json()["field"] == name


@pytest.mark.django_db
def test_the_search_page_treats_its_empty_fields_as_not_given(client, search_index):
    response = client.get(
        reverse("search:search"), {"q": "walk", "time_to": "", "radius_km": "", "near": ""}
    )
    assert response.status_code == 200
    # ...and the map's request leaves them out, so the API answers it.
    assert "time_to=" not in response.context["geojson_query"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["q", "category", "near", "tag", "access"])
def test_control_characters_in_a_search_are_refused_not_a_server_error(client, search_index, name):
    # PostgreSQL refuses NUL in any text, so a NUL that reached a query (or the record of a
    # search that found nothing) was a 500 there.
    for path in (reverse("search:api_search"), reverse("search:search")):
        response = client.get(path, {name: "choir\x00\x1b[2J"})
        assert response.status_code == 400, path
    assert "control character" in response.content.decode()


@pytest.mark.django_db
def test_the_people_search_box_drops_control_characters(client, facilitator, person):
    client.force_login(facilitator)
    response = client.get(reverse("matching:people"), {"q": "Jo\x00 B\u202e"})
    assert response.status_code == 200
    assert person in response.context["page_obj"].object_list
