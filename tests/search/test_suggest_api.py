"""Type-ahead for the "What" box through GET /api/suggest: categories, then titles of running
activities; each text once; bad input refused with the field named, never a server error."""

import pytest

from assets_directory.models import Activity, Category
from search import concepts, suggestions
from search.backends import SearchBackendError
from search.models import Concept
from search.services import index_rebuild
from tests.factories import ActivityFactory


@pytest.fixture(autouse=True)
def fresh_category_names():
    # The names are held in memory for the process; a test's categories vanish with its
    # transaction, without a post_delete to say so.
    suggestions.forget_categories()
    yield
    suggestions.forget_categories()


@pytest.fixture(autouse=True)
def without_concepts(request):
    """These tests are of categories and titles: the concept vocabulary's phrases (seeded by a
    migration) would come between them. tests/search/test_concepts.py has the concepts'."""
    if "django_db" not in request.keywords and "db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("db")
    Concept.objects.all().delete()
    concepts.forget()
    yield
    concepts.forget()


@pytest.fixture
def activities(search_index, organisation, other_organisation):
    # A second group with the same title, elsewhere: suggested once.
    ActivityFactory(parent=other_organisation, title="Singing for the brain")
    for title in (
        "Singing for the brain",
        "Sing and sign",
        "Community singing",
        "Singles' walking club",
        "Knit and natter",
        "Chess club",
    ):
        ActivityFactory(parent=organisation, title=title)
    ActivityFactory(parent=organisation, title="Singalong (ended)", status=Activity.Status.ENDED)
    ActivityFactory(
        parent=organisation,
        title="Singalong (closed)",
        status=Activity.Status.TEMPORARILY_CLOSED,
    )
    index_rebuild()


def suggested(client, q, **params):
    response = client.get("/api/suggest", {"q": q, **params})
    assert response.status_code == 200, response.content
    return [(s["kind"], s["text"]) for s in response.json()["suggestions"]]


@pytest.mark.django_db
def test_titles_beginning_with_the_text_come_after_categories_with_a_word_beginning_so(
    client, activities
):
    assert suggested(client, "sin") == [
        ("category", "Choirs and singing"),
        ("category", "Music and singing"),
        ("title", "Sing and sign"),
        ("title", "Singing for the brain"),
        ("title", "Singles' walking club"),
        # Three letters or more: a later word of a title beginning with them counts too.
        ("title", "Community singing"),
    ]


@pytest.mark.django_db
def test_case_and_accents_are_set_aside(client, activities):
    expected = [("category", "Knitting and sewing"), ("title", "Knit and natter")]
    assert suggested(client, "KNÏT") == expected


@pytest.mark.django_db
def test_ended_and_closed_activities_are_not_suggested(client, activities):
    assert suggested(client, "singal") == []


@pytest.mark.django_db
def test_a_category_suggestion_carries_its_slug_for_the_filter(client, activities):
    (walking,) = [
        s
        for s in client.get("/api/suggest", {"q": "walk"}).json()["suggestions"]
        if s["kind"] == "category"
    ]
    assert walking == {"kind": "category", "text": "Walking", "slug": "walking"}
    titles = client.get("/api/suggest", {"q": "chess"}).json()["suggestions"]
    assert titles == [{"kind": "title", "text": "Chess club"}]


@pytest.mark.django_db
def test_at_most_eight_and_limit_asks_for_fewer(client, search_index, organisation):
    for n in range(12):
        ActivityFactory(parent=organisation, title=f"Yoga class {n:02d}")
    index_rebuild()
    assert len(suggested(client, "yoga")) == 8
    assert suggested(client, "yoga cl", limit=2) == [
        ("title", "Yoga class 00"),
        ("title", "Yoga class 01"),
    ]


@pytest.mark.django_db
def test_blank_text_suggests_nothing(client, activities):
    assert suggested(client, "  ") == []
    response = client.get("/api/suggest")
    assert response.json() == {"q": "", "suggestions": []}


@pytest.mark.django_db
def test_a_renamed_category_is_suggested_by_its_new_name_at_once(client, activities):
    assert ("category", "Walking") in suggested(client, "walk")
    category = Category.objects.get(slug="walking")
    category.name = "Rambling"
    category.save()
    assert ("category", "Walking") not in suggested(client, "walk")
    assert ("category", "Rambling") in suggested(client, "ramb")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "s" * 101}, "q"),
        ({"q": "sing\x00"}, "q"),
        ({"q": "sing\x1b[2J"}, "q"),
        ({"q": "sin", "limit": "9"}, "limit"),
        ({"q": "sin", "limit": "0"}, "limit"),
        ({"q": "sin", "limit": ""}, "limit"),
        ({"q": "sin", "limit": "two"}, "limit"),
        ({"q": "sin", "limit": "٣"}, "limit"),  # an Arabic-Indic digit is still a digit to str
    ],
)
def test_bad_input_is_refused_with_the_field_named(client, search_index, params, field):
    response = client.get("/api/suggest", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["field"] == field


@pytest.mark.django_db
def test_text_of_any_other_kind_is_answered_not_refused(client, activities):
    for q in ("(sing", "sing.*", "[a-z]+", "\\", "sing\u202e", "🎵 sing", "a" * 100, "c++ club"):
        response = client.get("/api/suggest", {"q": q})
        assert response.status_code == 200, q


@pytest.mark.django_db
def test_regular_expression_characters_are_matched_as_written(client, search_index, organisation):
    ActivityFactory(parent=organisation, title="C++ (beginners) club")
    ActivityFactory(parent=organisation, title="Cooking club")
    index_rebuild()
    assert suggested(client, "c++ (") == [("title", "C++ (beginners) club")]
    assert suggested(client, "c.") == []


@pytest.mark.django_db
def test_an_engine_failure_is_a_503_in_json(client, activities, monkeypatch):
    def fail(*args, **kwargs):
        raise SearchBackendError("down")

    monkeypatch.setattr(suggestions, "title_suggestions", fail)
    response = client.get("/api/suggest", {"q": "sin"})
    assert response.status_code == 503
    assert response.json()["field"] is None


@pytest.mark.django_db
def test_only_get_is_allowed(client, search_index):
    assert client.post("/api/suggest", {"q": "sin"}).status_code == 405


@pytest.mark.django_db
def test_answers_may_be_cached_for_visitors_and_never_for_the_signed_in(
    client, activities, facilitator
):
    anonymous = client.get("/api/suggest", {"q": "sin"})
    assert "no-store" not in anonymous.get("Cache-Control", "")
    assert anonymous["Content-Security-Policy"].startswith("default-src 'self'")
    client.force_login(facilitator)
    signed_in = client.get("/api/suggest", {"q": "sin"})
    assert "no-store" in signed_in["Cache-Control"]
    assert "private" in signed_in["Cache-Control"]


def test_providers_share_the_places_and_each_text_is_suggested_once(monkeypatch):
    class Fixed:
        def __init__(self, kind, share, texts):
            self.kind, self.share, self.texts = kind, share, texts

        def suggest(self, text, size):
            return [suggestions.Suggestion(self.kind, t) for t in self.texts][:size]

    monkeypatch.setattr(
        suggestions,
        "PROVIDERS",
        [
            Fixed("category", 2, ["Walking", "Walks", "Walkers"]),
            Fixed("concept", 1, ["walking", "Wellbeing walks"]),
            Fixed("title", 8, [f"Walk {n}" for n in range(10)]),
        ],
    )
    found = [(s.kind, s.text) for s in suggestions.suggest("wal", size=6)]
    assert found == [
        ("category", "Walking"),
        ("category", "Walks"),
        # "walking" is "Walking" again, case aside.
        ("concept", "Wellbeing walks"),
        ("title", "Walk 0"),
        ("title", "Walk 1"),
        ("title", "Walk 2"),
    ]
