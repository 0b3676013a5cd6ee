"""The category tiles on the home and directory pages: counted by the engine, or the database."""

import pytest
from wagtail.models import PageViewRestriction

from assets_directory.models import Activity, Category
from assets_directory.selectors import category_tiles
from search.backends import SearchBackendError
from search.backends.embedded import EmbeddedSearchBackend
from search.selectors import category_counts
from search.services import index_rebuild
from tests.factories import ActivityFactory


def counts(tiles) -> dict[str, int]:
    return {tile.slug: tile.activity_count for tile in tiles if tile.activity_count}


@pytest.fixture
def borough(search_index, organisation):
    knitting = Category.objects.get(slug="knitting-and-sewing")  # under arts and crafts
    choirs = Category.objects.get(slug="choirs-and-singing")  # under music and singing
    ActivityFactory(parent=organisation, title="Knit", categories=[knitting])
    ActivityFactory(parent=organisation, title="Knit and sing", categories=[knitting, choirs])
    ActivityFactory(
        parent=organisation, title="Ended", categories=[choirs], status=Activity.Status.ENDED
    )
    ActivityFactory(parent=organisation, title="Draft", categories=[choirs], live=False)
    private = ActivityFactory(parent=organisation, title="Members only", categories=[choirs])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    index_rebuild()
    return search_index


@pytest.mark.django_db
def test_tiles_count_listed_public_activities_under_their_top_category(borough):
    tiles = category_tiles(counts=category_counts())
    assert counts(tiles) == {"arts-and-crafts": 2, "music-and-singing": 1}


@pytest.mark.django_db
def test_the_database_counts_the_same_when_the_engine_cannot(borough):
    assert counts(category_tiles()) == counts(category_tiles(counts=category_counts()))


@pytest.mark.django_db
def test_home_page_still_shows_counts_when_the_engine_fails(client, borough, monkeypatch):
    def unreachable(self, query):
        raise SearchBackendError("engine unreachable")

    monkeypatch.setattr(EmbeddedSearchBackend, "search", unreachable)
    assert category_counts() is None
    response = client.get("/")
    assert response.status_code == 200
    tiles = {tile.slug: tile.activity_count for tile in response.context["categories"]}
    assert tiles["arts-and-crafts"] == 2
    assert tiles["music-and-singing"] == 1


@pytest.fixture
def singing(search_index, organisation):
    """A running choir, one temporarily closed (listed, labelled) and one that ended (not)."""
    choirs = Category.objects.get(slug="choirs-and-singing")  # under music and singing
    ActivityFactory(parent=organisation, title="Choir", categories=[choirs])
    ActivityFactory(
        parent=organisation,
        title="Choir on a break",
        categories=[choirs],
        status=Activity.Status.TEMPORARILY_CLOSED,
    )
    ActivityFactory(
        parent=organisation,
        title="Choir that ended",
        categories=[choirs],
        status=Activity.Status.ENDED,
    )
    index_rebuild()
    return organisation


def listed_everywhere(client, organisation) -> dict[str, object]:
    home = client.get("/")
    tiles = {tile.slug: tile.activity_count for tile in home.context["categories"]}
    category = client.get("/directory/category/music-and-singing/")
    page = client.get(organisation.url)
    return {
        "home tile": tiles["music-and-singing"],
        "category page": category.context["results"].paginator.count,
        "category page says": "2 activities" in category.content.decode(),
        "organisation page": sorted(a.title for a in page.context["activities"]),
    }


@pytest.mark.django_db
def test_home_tile_counts_what_the_category_and_organisation_pages_list(client, singing):
    assert listed_everywhere(client, singing) == {
        "home tile": 2,
        "category page": 2,
        "category page says": True,
        "organisation page": ["Choir", "Choir on a break"],
    }


@pytest.mark.django_db
def test_the_database_counts_and_lists_the_same_when_the_engine_cannot(
    client, singing, monkeypatch
):
    def unreachable(self, query):
        raise SearchBackendError("engine unreachable")

    monkeypatch.setattr(EmbeddedSearchBackend, "search", unreachable)
    assert category_counts() is None
    assert listed_everywhere(client, singing) == {
        "home tile": 2,
        "category page": 2,
        "category page says": True,
        "organisation page": ["Choir", "Choir on a break"],
    }
