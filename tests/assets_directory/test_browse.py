"""Browsing the directory page, its category pages and organisation pages, a page at a time.

The directory and category pages list A to Z from the search index (the search app answers the
directory's listing hook); when the engine cannot answer, from the database. Each test runs
both ways.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets_directory.models import Activity, Category
from assets_directory.selectors import PAGE_SIZE
from search.backends import SearchBackendError
from search.backends.embedded import EmbeddedSearchBackend
from search.query import Sort
from search.services import index_rebuild
from tests.factories import ActivityFactory


@pytest.fixture(params=["engine", "database"])
def lists_from(request, search_index, monkeypatch):
    """Which lists: "engine" (and every A to Z query it answers is kept) or "database"."""
    asked = []
    real = EmbeddedSearchBackend.search

    def search(self, query):
        if request.param == "database":
            raise SearchBackendError("engine unreachable")
        asked.append(query)
        return real(self, query)

    monkeypatch.setattr(EmbeddedSearchBackend, "search", search)
    yield request.param
    if request.param == "engine":
        assert any(query.sort == Sort.TITLE for query in asked), "the engine was never asked"


def titles(response, name="results"):
    return [activity.title for activity in response.context[name]]


@pytest.mark.django_db
def test_directory_lists_activities_a_to_z_a_page_at_a_time(client, organisation, lists_from):
    for n in range(PAGE_SIZE):
        ActivityFactory(parent=organisation, title=f"Group {n:02d}")
    ActivityFactory(parent=organisation, title="allotment club")  # A to Z whatever the case
    ActivityFactory(
        parent=organisation, title="Group on a break", status=Activity.Status.TEMPORARILY_CLOSED
    )
    ActivityFactory(parent=organisation, title="Group ended", status=Activity.Status.ENDED)
    ActivityFactory(parent=organisation, title="Group draft", live=False)
    index_rebuild()

    first = client.get("/directory/")
    second = client.get("/directory/", {"page": 2})

    assert first.status_code == second.status_code == 200
    everything = ["allotment club", *[f"Group {n:02d}" for n in range(PAGE_SIZE)]]
    assert titles(first) == everything[:PAGE_SIZE]
    assert titles(second) == [everything[PAGE_SIZE], "Group on a break"]
    assert first.context["results"].paginator.num_pages == 2
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert "Temporarily closed" in second.content.decode()
    assert "Arts and crafts" in first.content.decode()


@pytest.mark.django_db
def test_a_page_past_the_end_is_the_last_and_a_bad_one_the_first(client, organisation, lists_from):
    for n in range(PAGE_SIZE + 3):
        ActivityFactory(parent=organisation, title=f"Group {n:02d}")
    index_rebuild()

    for page, number, first in (("99", 2, "Group 20"), ("abc", 1, "Group 00"), ("²", 1, None)):
        response = client.get("/directory/", {"page": page})
        assert response.status_code == 200
        assert response.context["results"].number == number
        assert titles(response)[0] == (first or "Group 00")


@pytest.mark.django_db
def test_category_page_includes_its_subcategories(client, organisation, lists_from):
    ActivityFactory(
        parent=organisation,
        title="Knit",
        categories=[Category.objects.get(slug="knitting-and-sewing")],
    )
    ActivityFactory(
        parent=organisation,
        title="Knit and paint",
        categories=list(
            Category.objects.filter(slug__in=["knitting-and-sewing", "arts-and-crafts"])
        ),
    )
    ActivityFactory(
        parent=organisation,
        title="Choir",
        categories=[Category.objects.get(slug="choirs-and-singing")],
    )
    index_rebuild()

    response = client.get("/directory/category/arts-and-crafts/")

    # Once each, however many of the category's branches an activity is in.
    assert titles(response) == ["Knit", "Knit and paint"]
    assert response.context["results"].total == 2
    assert "2 activities" in response.content.decode()


@pytest.mark.django_db
def test_category_pages_count_everything_and_page_as_deep_as_the_engine_goes(
    client, organisation, search_index, monkeypatch
):
    # An engine pages only so deep (10,000 results): past that, the count still says all.
    from search import selectors

    monkeypatch.setattr(selectors, "MAX_RESULT_WINDOW", 2 * PAGE_SIZE)
    walking = Category.objects.get(slug="walking")
    for n in range(2 * PAGE_SIZE + 5):
        ActivityFactory(parent=organisation, title=f"Walk {n:02d}", categories=[walking])
    index_rebuild()

    last = client.get("/directory/category/walking/", {"page": 3})

    results = last.context["results"]
    assert results.total == 2 * PAGE_SIZE + 5
    assert f"{2 * PAGE_SIZE + 5} activities" in last.content.decode()
    assert results.paginator.num_pages == 2 and results.number == 2
    assert titles(last) == [f"Walk {n:02d}" for n in range(PAGE_SIZE, 2 * PAGE_SIZE)]


@pytest.mark.django_db
def test_organisation_page_lists_its_activities_a_page_at_a_time(client, organisation):
    for n in range(PAGE_SIZE + 2):
        ActivityFactory(parent=organisation, title=f"Group {n:02d}")
    ActivityFactory(parent=organisation, title="Group ended", status=Activity.Status.ENDED)

    first = client.get(organisation.url)
    second = client.get(organisation.url, {"page": 2})

    assert titles(first, "activities") == [f"Group {n:02d}" for n in range(PAGE_SIZE)]
    assert titles(second, "activities") == [f"Group {n:02d}" for n in (PAGE_SIZE, PAGE_SIZE + 1)]
    page = first.content.decode()
    assert f"{PAGE_SIZE + 2} activities" in page
    assert 'rel="next" href="?page=2"' in page and "Page 1 of 2" in page


@pytest.mark.django_db
def test_words_typed_on_the_directory_page_go_to_the_search_page(client, directory):
    page = client.get("/directory/").content.decode()
    assert 'action="/search/"' in page

    # Links made when the directory page searched by itself still work.
    response = client.get("/directory/", {"q": "knit & natter"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=knit+%26+natter"


@pytest.mark.django_db
def test_lists_say_which_group_runs_each_activity(
    client, organisation, other_organisation, lists_from
):
    choirs = Category.objects.get(slug="choirs-and-singing")
    for parent in (organisation, other_organisation):
        ActivityFactory(parent=parent, title="Community choir", categories=[choirs])
    index_rebuild()
    for path in ("/directory/", "/directory/category/choirs-and-singing/"):
        body = client.get(path).content.decode()
        cards = body.split('<li class="card">')[1:]
        assert len(cards) == 2, path
        organisations = sorted(card.split('class="card__org">')[1].split("<")[0] for card in cards)
        assert organisations == ["Balham Community Choir", "Tooting Knit and Natter"], path

    # One query names every card's group, however many there are on the page.
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/directory/category/choirs-and-singing/")
        return [q["sql"] for q in captured.captured_queries]

    two = queries()
    for n in range(10):
        ActivityFactory(parent=other_organisation, title=f"Choir {n}", categories=[choirs])
    index_rebuild()
    twelve = queries()
    assert len(twelve) == len(two)
    assert sum('"title" FROM "wagtailcore_page"' in q for q in twelve) == 1


@pytest.mark.parametrize("path", ["/directory/", "/directory/category/arts-and-crafts/", None])
def test_listing_pages_make_as_many_queries_for_twenty_cards_as_for_one(
    client, organisation, search_index, path
):
    # A query per card (its organisation, its venue, its link) would not scale.
    crafts = Category.objects.get(slug="arts-and-crafts")
    path = path or organisation.url

    def queries() -> int:
        index_rebuild()
        client.get(path)  # caches warmed: the site, its settings
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    ActivityFactory(parent=organisation, title="Group", categories=[crafts])
    one = queries()
    for n in range(PAGE_SIZE - 1):
        ActivityFactory(parent=organisation, title=f"Group {n:02d}", categories=[crafts])
    assert queries() == one
