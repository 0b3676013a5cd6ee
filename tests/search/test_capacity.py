"""Whether an activity has places, a waiting list or is full: in its hits and on its card."""

import pytest

from search.services import index_rebuild
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(search_index, organisation):
    made = {
        capacity: ActivityFactory(parent=organisation, title=f"Choir {capacity}", capacity=capacity)
        for capacity in ("open", "waiting_list", "full")
    }
    index_rebuild()
    return made


def test_hits_say_whether_there_are_places(client, groups):
    hits = client.get("/api/search", {"q": "choir"}).json()["results"]
    assert {hit["title"]: hit["capacity"] for hit in hits} == {
        "Choir open": "open",
        "Choir waiting_list": "waiting_list",
        "Choir full": "full",
    }


def test_the_search_page_shows_full_and_waiting_lists(client, groups):
    page = client.get("/search/", {"q": "choir"}).content.decode()
    assert page.count("Full at the moment") == 1
    assert page.count("Waiting list") == 1
