"""Concepts: the words people use, mapped to what the directory holds; the seed, matching a
search's words, keeping the vocabulary fresh, and what the search page and API find with it."""

import html
import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import QueryDict

from assets_directory.models import AccessibilityFeature, Activity, Category
from common.vocabulary import AUDIENCES
from search import concepts
from search.backends import get_backend
from search.backends.embedded import EmbeddedSearchBackend
from search.models import Concept
from search.params import parse_search_params
from search.query import Expansions
from search.selectors import search_directory
from search.services import index_rebuild
from tests.factories import ActivityFactory, ConceptFactory, OrganisationFactory, VenueFactory

SEED = Path(concepts.__file__).parent / "data" / "concepts.json"

pytestmark = pytest.mark.django_db


def test_the_seed_has_at_least_150_concepts_and_names_only_what_exists():
    seeded = json.loads(SEED.read_text(encoding="utf-8"))["concepts"]
    assert len(seeded) >= 150
    categories = set(Category.objects.values_list("slug", flat=True))
    features = set(AccessibilityFeature.objects.values_list("slug", flat=True))
    for entry in seeded:
        assert entry["phrases"], entry
        assert set(entry.get("categories", ())) <= categories, entry
        assert set(entry.get("access", ())) <= features, entry
        assert set(entry.get("audiences", ())) <= set(AUDIENCES), entry
    # The migration made one concept of each, with every slug it names.
    assert Concept.objects.count() == len(seeded)
    assert sum(c.categories.count() for c in Concept.objects.all()) == sum(
        len(entry.get("categories", ())) for entry in seeded
    )


def test_no_phrase_means_two_things_in_the_seed():
    seeded = json.loads(SEED.read_text(encoding="utf-8"))["concepts"]
    phrases = [concepts.phrase_words(p) for entry in seeded for p in entry["phrases"]]
    repeated = {p for p in phrases if phrases.count(p) > 1}
    assert repeated == set()


@pytest.mark.parametrize(
    ("words", "categories", "access", "audience"),
    [
        ("lonely", {"befriending", "social-and-friendship"}, set(), set()),
        ("isolated", {"befriending", "social-and-friendship"}, set(), set()),
        ("on my own", {"befriending", "social-and-friendship"}, set(), set()),
        ("low mood", {"mental-wellbeing"}, set(), set()),
        ("depression", {"mental-wellbeing"}, set(), set()),
        ("anxiety", {"mental-wellbeing"}, set(), set()),
        ("counselling", {"peer-support"}, set(), set()),
        ("foodbank", {"food-banks-and-pantries"}, set(), set()),
        ("english class", {"english-for-speakers-of-other-languages"}, set(), set()),
        ("ESOL", {"english-for-speakers-of-other-languages"}, set(), set()),
        ("wheelchair", set(), {"step-free"}, set()),
        ("deaf", set(), {"bsl", "hearing-loop"}, set()),
        ("BSL", set(), {"bsl"}, set()),
        ("over 60s", set(), set(), {"older"}),
    ],
)
def test_the_seed_maps_peoples_words_as_social_prescribers_would(
    words, categories, access, audience
):
    found = concepts.expansions_for(words)
    assert categories <= set(found.categories)
    assert access <= set(found.access)
    assert audience <= set(found.audience)


def test_a_phrase_matches_whole_words_with_case_accents_and_punctuation_aside():
    ConceptFactory(phrases="moon gazing\nnight skies", categories=["conservation"])
    nature = Expansions(categories=("conservation",))
    assert concepts.expansions_for("Evening MOON-gazing!") == nature
    assert concepts.expansions_for("the níght skies, please") == nature
    assert concepts.expansions_for("feeling like some moon gazing") == nature
    assert concepts.expansions_for("moongazing") is None
    assert concepts.expansions_for("honeymoon gazing") is None


def test_the_longest_phrase_wins_and_several_concepts_merge():
    Concept.objects.all().delete()
    ConceptFactory(phrases="art", categories=["painting-and-drawing"])
    ConceptFactory(phrases="class", categories=["courses-and-talks"])
    ConceptFactory(phrases="art class", categories=["arts-and-crafts"])
    ConceptFactory(phrases="wheelchair", access=["step-free"], audiences="older")
    assert concepts.expansions_for("art class") == Expansions(categories=("arts-and-crafts",))
    assert concepts.expansions_for("class art") == Expansions(
        categories=("courses-and-talks", "painting-and-drawing")
    )
    assert concepts.expansions_for("art class wheelchair") == Expansions(
        categories=("arts-and-crafts",), access=("step-free",), audience=("older",)
    )


def test_understood_says_whether_concepts_cover_every_word():
    Concept.objects.all().delete()
    ConceptFactory(phrases="lonely", categories=["befriending"])
    assert concepts.understood("Lonely!")
    assert not concepts.understood("feeling lonely")
    assert not concepts.understood("")


def test_a_change_is_seen_by_the_next_search():
    assert concepts.expansions_for("stargazing") is None
    concept = ConceptFactory(phrases="stargazing", words="astronomy")
    assert concepts.expansions_for("stargazing") == Expansions(words=("astronomy",))
    concept.categories.set([Category.objects.get(slug="conservation")])
    assert concepts.expansions_for("stargazing").categories == ("conservation",)
    concept.delete()
    assert concepts.expansions_for("stargazing") is None


def test_another_process_sees_a_change_once_it_checks_the_shared_version(monkeypatch):
    assert concepts.expansions_for("stargazing") is None
    # Written elsewhere: no signal in this process, only the shared version moves.
    Concept.objects.bulk_create([Concept(phrases="stargazing", words="astronomy")])
    cache.set(concepts.VERSION_KEY, "changed elsewhere")
    assert concepts.expansions_for("stargazing") is None  # checked a moment ago
    clock = concepts.time.monotonic() + concepts.VERSION_CHECK_S + 1
    monkeypatch.setattr(concepts.time, "monotonic", lambda: clock)
    assert concepts.expansions_for("stargazing") == Expansions(words=("astronomy",))


def test_a_concept_needs_a_phrase_and_known_audiences():
    with pytest.raises(ValidationError) as caught:
        Concept(phrases=" \n ", audiences="older").full_clean()
    assert "phrases" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        Concept(phrases="elders", audiences="older,ancients").full_clean()
    assert "audiences" in caught.value.message_dict
    Concept(phrases="elders", audiences="older").full_clean()


# What the search page and the API find with concepts and close spellings -----------------


@pytest.fixture
def neighbourhood(search_index, directory):
    """A befriending service that never says "lonely", a walk that does, a step-free pottery
    class and one up some steps, and a choir."""
    organisation = OrganisationFactory(parent=directory, title="Good Neighbours")
    step_free = VenueFactory(name="Southfields Library", latitude=51.4489, longitude=-0.1971)
    step_free.accessibility.set([AccessibilityFeature.objects.get(slug="step-free")])
    steps = VenueFactory(name="Old Chapel", latitude=51.4489, longitude=-0.1971)
    made = {
        "calls": ActivityFactory(
            parent=organisation,
            title="Friendly phone calls",
            summary="A weekly call from a volunteer.",
            categories=[Category.objects.get(slug="befriending")],
        ),
        "walk": ActivityFactory(
            parent=organisation,
            title="Riverside stroll",
            summary="For anyone feeling lonely: a gentle hour by the river.",
            categories=[Category.objects.get(slug="walking")],
        ),
        "pottery": ActivityFactory(
            parent=organisation,
            title="Pottery",
            summary="Throw pots on the wheel.",
            venue=step_free,
            categories=[Category.objects.get(slug="pottery-and-making")],
        ),
        "painting": ActivityFactory(
            parent=organisation,
            title="Painting",
            summary="Watercolours for beginners.",
            venue=steps,
            categories=[Category.objects.get(slug="painting-and-drawing")],
        ),
        "choir": ActivityFactory(
            parent=organisation,
            title="Community choir",
            summary="Sing pop and gospel together.",
            venue=steps,
            cost=Activity.Cost.FREE,
            categories=[Category.objects.get(slug="choirs-and-singing")],
        ),
    }
    index_rebuild()
    return made


def found(client, **params):
    response = client.get("/api/search", params)
    assert response.status_code == 200, response.content
    return response.json()


def titles(data) -> list[str]:
    return [hit["title"] for hit in data["results"]]


def test_lonely_finds_befriending_after_what_says_lonely(client, neighbourhood):
    assert titles(found(client, q="lonely")) == ["Riverside stroll", "Friendly phone calls"]
    assert titles(found(client, q="feeling lonely")) == [
        "Riverside stroll",
        "Friendly phone calls",
    ]


def test_wheelchair_finds_activities_at_step_free_venues(client, neighbourhood):
    assert titles(found(client, q="wheelchair")) == ["Pottery"]


def test_a_misspelt_word_finds_its_close_spelling_and_says_did_you_mean(client, neighbourhood):
    data = found(client, q="chior")
    assert titles(data) == ["Community choir"]
    assert data["did_you_mean"] == "choir"
    data = found(client, q="potery wheel")
    assert titles(data) == ["Pottery"]
    assert data["did_you_mean"] == "pottery wheel"


def test_words_spelt_right_are_not_corrected(client, neighbourhood):
    data = found(client, q="choir")
    assert titles(data) == ["Community choir"]
    assert data["did_you_mean"] is None
    assert found(client, q="harpsichord")["did_you_mean"] is None


def test_the_search_page_links_did_you_mean_with_the_filters_kept(client, neighbourhood):
    response = client.get("/search/", {"q": "chior", "free": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    link = re.search(r'Did you mean <a href="\?([^"]+)">choir</a>\?', page)
    assert link, page
    assert QueryDict(html.unescape(link.group(1))).dict() == {"q": "choir", "free": "1"}
    assert "Community choir" in page
    assert "Did you mean" not in client.get("/search/", {"q": "choir"}).content.decode()


def test_a_backend_without_close_spellings_is_not_asked_for_them(
    client, neighbourhood, monkeypatch
):
    monkeypatch.setattr(EmbeddedSearchBackend, "supports_fuzzy", False)
    data = found(client, q="chior")
    assert data["total"] == 0 and data["did_you_mean"] is None


def test_a_backend_without_expansions_gets_the_words_alone(neighbourhood, monkeypatch):
    assert parse_search_params(QueryDict("q=lonely")).query.expansions is not None
    monkeypatch.setattr(EmbeddedSearchBackend, "supports_expansions", False)
    assert parse_search_params(QueryDict("q=lonely")).query.expansions is None


def search_calls(text: str) -> list[str]:
    calls = []
    backend = get_backend()
    with backend.trace(calls.append):
        results = search_directory(parse_search_params(QueryDict(urlencode({"q": text}))).query)
    return [call.name for call in calls if call.name == "search"], results


def test_words_that_find_enough_cost_one_search_and_typos_a_few(neighbourhood, directory):
    organisation = OrganisationFactory(parent=directory, title="Chess Society")
    for n in range(3):
        ActivityFactory(parent=organisation, title=f"Chess club {n}", summary="Casual games.")
    index_rebuild()
    calls, results = search_calls("chess")
    assert calls == ["search"] and results.total == 3
    # Two found: close spellings are tried, find no more, and the two stand.
    calls, results = search_calls("lonely")
    assert len(calls) == 2 and results.total == 2 and results.did_you_mean == ""
    calls, results = search_calls("chesss")
    assert results.did_you_mean == "chess" and results.total == 3
    assert len(calls) <= 4


@pytest.mark.django_db
def test_type_ahead_offers_the_everyday_phrases_people_use(client):
    answer = client.get("/api/suggest", {"q": "lone"}).json()["suggestions"]
    assert {"kind": "concept", "text": "lonely"} in answer
    # A later word of a phrase counts too: "on my own" for "own".
    later = client.get("/api/suggest", {"q": "my own"}).json()["suggestions"]
    assert any(s["kind"] == "concept" and s["text"].endswith("my own") for s in later)
    assert client.get("/api/suggest", {"q": "zzzq"}).json()["suggestions"] == []


@pytest.mark.django_db
def test_type_ahead_offers_one_phrase_per_meaning(client):
    # "sing", "singing", "singers", "sing along" and "singalong" all mean the singing concept.
    found = concepts.phrases_starting("sing", size=8)
    phrases = [phrase for phrase, _ in found]
    assert "sing" in phrases and not {"singing", "singers", "sing along"} & set(phrases)
    assert len({meaning for _, meaning in found}) == len(found)
    answer = client.get("/api/suggest", {"q": "karaok"}).json()["suggestions"]
    assert [s["text"] for s in answer if s["kind"] == "concept"] == ["karaoke"]


@pytest.mark.django_db
def test_type_ahead_leaves_a_phrase_to_the_category_it_means_when_that_is_offered(client):
    answer = client.get("/api/suggest", {"q": "sin"}).json()["suggestions"]
    texts = [(s["kind"], s["text"]) for s in answer]
    assert ("category", "Choirs and singing") in texts
    assert ("concept", "single dad") in texts
    assert not [text for kind, text in texts if kind == "concept" and "sing " in f"{text} "]
    # "karaoke" means the same category, but "karaok" offers no category: it stays (above).
