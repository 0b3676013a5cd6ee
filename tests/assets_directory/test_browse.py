"""Browsing the directory page and its category pages (the database alone, no search engine)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets_directory.models import Activity, Category
from assets_directory.selectors import PAGE_SIZE
from tests.factories import ActivityFactory


@pytest.mark.django_db
def test_directory_lists_running_activities_by_title_a_page_at_a_time(client, organisation):
    for n in range(PAGE_SIZE + 1):
        ActivityFactory(parent=organisation, title=f"Group {n:02d}")
    ActivityFactory(parent=organisation, title="Group ended", status=Activity.Status.ENDED)
    ActivityFactory(parent=organisation, title="Group draft", live=False)

    first = client.get("/directory/")
    second = client.get("/directory/", {"page": 2})

    assert first.status_code == second.status_code == 200
    assert [a.title for a in first.context["results"]] == [
        f"Group {n:02d}" for n in range(PAGE_SIZE)
    ]
    assert [a.title for a in second.context["results"]] == [f"Group {PAGE_SIZE:02d}"]
    assert "Arts and crafts" in first.content.decode()


@pytest.mark.django_db
def test_category_page_includes_its_subcategories(client, organisation):
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

    response = client.get("/directory/category/arts-and-crafts/")

    # Once each, however many of the category's branches an activity is in.
    assert [a.title for a in response.context["results"]] == ["Knit", "Knit and paint"]
    assert response.context["results"].paginator.count == 2


@pytest.mark.django_db
def test_words_typed_on_the_directory_page_go_to_the_search_page(client, directory):
    page = client.get("/directory/").content.decode()
    assert 'action="/search/"' in page

    # Links made when the directory page searched by itself still work.
    response = client.get("/directory/", {"q": "knit & natter"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=knit+%26+natter"


@pytest.mark.django_db
def test_lists_say_which_group_runs_each_activity(client, organisation, other_organisation):
    choirs = Category.objects.get(slug="choirs-and-singing")
    for parent in (organisation, other_organisation):
        ActivityFactory(parent=parent, title="Community choir", categories=[choirs])
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
    twelve = queries()
    assert len(twelve) == len(two)
    assert sum('"title" FROM "wagtailcore_page"' in q for q in twelve) == 1
