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
def test_tiles_count_running_public_activities_under_their_top_category(borough):
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
