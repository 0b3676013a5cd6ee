"""Who it's for, through the search API and the search page: the filter, its facet, what hits
say, and bad values refused with the field named."""

import pytest

from assets_directory.models import Condition
from search.services import index_rebuild
from tests.factories import ActivityFactory


@pytest.fixture
def groups(search_index, organisation):
    everyone = ActivityFactory(parent=organisation, title="Community choir")
    dementia = ActivityFactory(
        parent=organisation,
        title="Singing for the brain",
        audience="condition",
        booking="booking",
        age_min=50,
    )
    dementia.conditions.set([Condition.objects.get(slug="dementia")])
    dementia.save()
    women = ActivityFactory(parent=organisation, title="Women's walking", audience="women,older")
    index_rebuild()
    return {"everyone": everyone, "dementia": dementia, "women": women}


def titles(response) -> set[str]:
    return {hit["title"] for hit in response.json()["results"]}


@pytest.mark.django_db
def test_audience_filter_keeps_only_what_is_for_them(client, groups):
    assert titles(client.get("/api/search", {"audience": "older"})) == {"Women's walking"}
    assert titles(client.get("/api/search", {"audience": "everyone"})) == {"Community choir"}
    both = client.get("/api/search", {"audience": ["condition", "women"]})
    assert titles(both) == {"Singing for the brain", "Women's walking"}


@pytest.mark.django_db
def test_hits_carry_whom_each_activity_is_for(client, groups):
    (hit,) = client.get("/api/search", {"q": "brain"}).json()["results"]
    assert hit["audience"] == ["condition"]
    assert hit["conditions"] == ["dementia"]
    assert hit["booking"] == "booking"
    assert (hit["age_min"], hit["age_max"], hit["carers_welcome"]) == (50, 120, True)


@pytest.mark.django_db
def test_audience_facet_counts_each_audience(client, groups):
    facets = client.get("/api/search", {"facets": "audience"}).json()["facets"]["audience"]
    assert {k: v for k, v in facets.items() if v} == {
        "everyone": 1,
        "condition": 1,
        "women": 1,
        "older": 1,
    }


@pytest.mark.django_db
def test_an_unknown_audience_is_refused_naming_the_field(client, groups):
    response = client.get("/api/search", {"audience": "<b>vip</b>"})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "audience"
    assert "everyone" in body["error"]


@pytest.mark.django_db
def test_search_page_offers_whom_it_is_for_with_counts(client, groups):
    page = client.get("/search/", {"q": "walking", "audience": "women"}).content.decode()
    assert "Who it&#x27;s for" in page or "Who it's for" in page
    assert 'id="audience-women" name="audience" value="women" checked' in page
    assert "Women&#x27;s walking" in page or "Women's walking" in page
