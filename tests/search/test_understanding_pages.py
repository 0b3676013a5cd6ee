"""The search page and the API read people's words (search.understanding), and a search with
no results offers wider ones with their counts (search.widening)."""

import html
from urllib.parse import parse_qs

import pytest

from assets_directory.models import Activity, Category
from search import widening
from search.models import Concept
from search.services import index_rebuild
from tests.factories import (
    ActivityFactory,
    ActivityScheduleFactory,
    OrganisationFactory,
    VenueFactory,
)

# SW18's outward-code centre in the shipped data.
SW18 = (51.4489, -0.1971)


@pytest.fixture
def borough(search_index, directory):
    """A free choir on Tuesdays at SW18's centre, a paid walk on Saturdays 2.3 km east."""
    organisation = OrganisationFactory(parent=directory, title="Wandsworth Singers")
    choir = ActivityFactory(
        parent=organisation,
        title="Community choir",
        summary="Sing pop and gospel together.",
        venue=VenueFactory(name="Southfields Library", latitude=SW18[0], longitude=SW18[1]),
        categories=[Category.objects.get(slug="choirs-and-singing")],
    )
    ActivityScheduleFactory(activity=choir, weekdays="tue")
    walk = ActivityFactory(
        parent=organisation,
        title="Health walk",
        summary="A gentle walk on the common.",
        venue=VenueFactory(name="Tooting Common Cafe", latitude=SW18[0], longitude=-0.1640),
        cost=Activity.Cost.PAID,
        cost_amount="3.00",
        categories=[Category.objects.get(slug="walking")],
    )
    ActivityScheduleFactory(activity=walk, weekdays="sat", start_time="10:00", end_time="11:00")
    index_rebuild()
    return search_index


def page(client, **params):
    response = client.get("/search/", params)
    return response, response.content.decode()


def chip_links(body):
    """The understood chips: (link's query, text), as a screen reader reads the text."""
    section = body.split('class="understood"', 1)[1].split("</section>", 1)[0]
    links = []
    for part in section.split('<a class="chip" href="?')[1:]:
        query, rest = part.split('">', 1)
        text = rest.split("</a>", 1)[0]
        text = text.replace('<span class="visually-hidden">', "").replace("</span>", "")
        text = text.replace('<span aria-hidden="true">✕', "").strip()
        links.append((parse_qs(html.unescape(query), keep_blank_values=True), text))
    return links


@pytest.mark.django_db
class TestThePage:
    def test_a_postcode_in_the_words_is_the_place_shown_as_a_chip_that_removes_it(
        self, client, borough
    ):
        response, body = page(client, q="choir SW18")
        assert response.status_code == 200
        assert "1 activity near SW18" in body and "Community choir" in body
        ((query, text),) = chip_links(body)
        assert text == "Remove Place: SW18"
        assert query["q"] == ["choir"]
        # The form keeps the words as typed: they are read afresh each time.
        assert 'name="q" value="choir SW18"' in body

    def test_the_map_asks_for_the_search_as_applied(self, client, borough):
        _, body = page(client, q="choir SW18")
        geojson = body.split('data-geojson="/api/search.geojson?', 1)[1].split('"', 1)[0]
        assert parse_qs(html.unescape(geojson))["near"] == ["SW18"]

    def test_free_and_a_day_become_filters_shown_above_the_results(self, client, borough):
        _, body = page(client, q="free choir on tuesday")
        assert "Community choir" in body
        assert [text for _, text in chip_links(body)] == ["Remove Free only", "Remove Tuesday"]
        assert "Searching for “choir” with" in body

    def test_the_words_can_be_searched_exactly_as_typed(self, client, borough):
        _, body = page(client, q="choir SW18", understand="false")
        assert 'class="understood"' not in body
        assert 'name="understand" value="false"' in body

    def test_a_category_named_is_offered_as_a_link(self, client, borough):
        _, body = page(client, q="walking")
        assert '<a class="chip chip--offer" href="?q=walking&amp;category=walking">' in body
        assert "Show only Walking</a>" in body

    def test_html_in_the_words_is_shown_as_text(self, client, borough):
        response, body = page(client, q="<script>alert(1)</script> SW18")
        assert response.status_code == 200
        assert "<script>alert(1)" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body

    def test_a_control_character_in_the_words_is_refused_not_a_server_error(self, client, borough):
        response, body = page(client, q="choir SW18\x1b")
        assert response.status_code == 400
        assert "control character" in body


@pytest.mark.django_db
class TestTheApi:
    def test_the_api_searches_the_words_as_given_by_default(self, client, borough):
        data = client.get("/api/search", {"q": "choir SW18"}).json()
        assert data["understood"] == [] and data["offers"] == []
        assert "words" not in data

    def test_with_understand_the_api_reads_the_words(self, client, borough):
        data = client.get("/api/search", {"q": "choir SW18", "understand": "true"}).json()
        assert data["total"] == 1 and data["words"] == "choir"
        assert data["understood"] == [
            {"kind": "place", "label": "Place: SW18", "words": "SW18",
             "parameters": {"near": ["SW18"]}},
        ]  # fmt: skip
        assert data["results"][0]["distance_m"] == 0

    def test_with_understand_a_place_given_wins(self, client, borough):
        data = client.get(
            "/api/search", {"q": "choir SW17", "near": "SW18", "understand": "true"}
        ).json()
        assert data["understood"] == [] and data["words"] == "choir SW17"

    def test_the_api_offers_what_the_words_name(self, client, borough):
        data = client.get("/api/search", {"q": "walking", "understand": "true"}).json()
        assert data["offers"] == [
            {"kind": "category", "label": "Show only Walking", "parameter": "category",
             "value": "walking"},
        ]  # fmt: skip

    @pytest.mark.parametrize("value", ["maybe", ""])
    def test_understand_must_be_true_or_false(self, client, borough, value):
        response = client.get("/api/search", {"q": "choir", "understand": value})
        assert response.status_code == 400
        assert response.json()["field"] == "understand"


def wider(body):
    """The no-results block's offers, as (label, count text)."""
    if 'class="wider-searches"' not in body:
        return []
    block = body.split('class="wider-searches"', 1)[1].split("</ul>", 1)[0]
    found = []
    for item in block.split("<li>")[1:]:
        label = item.split('">', 1)[1].split("</a>", 1)[0]
        count = item.split("</a> (", 1)[1].split(")", 1)[0]
        found.append((label, count))
    return found


@pytest.mark.django_db
class TestWiderSearches:
    def test_each_wider_search_says_how_many_it_finds_most_first(self, client, borough):
        # The walk is 2.3 km away, paid and on Saturdays.
        _, body = page(client, q="walk", near="SW18", radius_km="1", free="1", day="sun")
        assert "We could not find anything" in body
        # Wider, without "free", without the day: each alone still finds nothing.
        assert wider(body) == []
        _, body = page(client, q="walk", near="SW18", radius_km="2", day="sat")
        assert wider(body) == [("Search within 5 km", "1 result")]

    def test_wider_searches_are_ordered_by_count(self, client, borough):
        ActivityFactory(
            parent=OrganisationFactory(title="Evening singers"),
            title="Evening choir",
            venue=VenueFactory(name="Hall", latitude=SW18[0], longitude=SW18[1]),
        )
        index_rebuild()
        _, body = page(client, near="SW18", radius_km="2", day="sat")
        # Offered first, within 5 km finds the walk; without the day, both choirs come first.
        # At any distance finds only the walk too, and the nearer offer stands for it.
        assert wider(body) == [("Remove the days", "2 results"),
                               ("Search within 5 km", "1 result")]  # fmt: skip

    def test_the_other_sub_categories_and_the_one_above_are_offered(self, client, borough):
        _, body = page(client, near="SW18", category="swimming")
        assert ("Any of Physical activity", "1 result") in wider(body)
        assert ("Try Walking", "1 result") in wider(body)

    def test_a_category_the_words_name_is_offered_instead_of_the_words(self, client, borough):
        # Concepts would widen "walking" to the category themselves: without them, the words
        # find nothing, and the category they name is offered.
        Concept.objects.all().delete()
        _, body = page(client, q="walking club")
        assert ("Everything in Walking, whatever the words", "1 result") in wider(body)

    def test_a_wider_search_link_gives_what_it_counted(self, client, borough):
        _, body = page(client, q="walk", near="SW18", radius_km="2")
        link = body.split('class="wider-searches"', 1)[1].split('href="?', 1)[1].split('"')[0]
        _, again = page(client, **{k: v[-1] for k, v in parse_qs(html.unescape(link)).items()})
        assert "1 activity near SW18" in again

    def test_at_most_a_few_searches_are_run_to_count(self, client, borough, monkeypatch):
        counted = []
        real = widening.search_directory

        def counting(query):
            counted.append(query)
            return real(query)

        monkeypatch.setattr(widening, "search_directory", counting)
        page(client, q="nothing like it", near="SW18", radius_km="1", day="sun", free="1",
             time_of_day="evening", audience="women", delivery="online", age="30",
             category="walking")  # fmt: skip
        assert len(counted) == widening.MAX_SEARCHES
        assert all(q.page_size == 1 and q.facets in ((), ("categories",)) for q in counted)
