"""Service lines of coproduction as themes of the commissioners' figures: each gathers the
directory's kinds of activity that count as its supply, and its need is the searches, people
and referrals that ask for any of them, each once."""

import datetime
import itertools

import pytest
from django.urls import reverse

from assets_directory.models import Category
from assets_directory.selectors import category_themes
from coproduction.models import ServiceLine
from insights.arithmetic import Offer, offer_table, shown
from insights.forms import MapForm
from insights.selectors import (
    LINE_PREFIX,
    coproduce_first,
    district_gaps,
    district_gaps_cached,
    district_themes,
)
from matching.services import preferences_save
from search.models import ZeroResultSearch
from search.services import index_rebuild
from tests.factories import OrganisationFactory
from tests.factories.coproduction import AskFactory, ServiceLineFactory, ServiceTeamFactory
from tests.factories.matching import PersonFactory, TeamFactory, make_facilitator
from tests.factories.places import local_activity

pytestmark = pytest.mark.django_db

WANDSWORTH = "E09000032"
WELLBEING = LINE_PREFIX + "wellbeing-and-movement"


def row(found, area_code, theme):
    return next(r for r in found.rows if r.area.code == area_code and r.theme == theme)


@pytest.fixture
def line(db):
    """A service line gathering mental wellbeing (a top-level kind) and walking (a kind below
    physical activity)."""
    found = ServiceLineFactory(name="Wellbeing and movement", slug="wellbeing-and-movement")
    found.categories.set(Category.objects.filter(slug__in=["mental-wellbeing", "walking"]))
    return found


def test_each_category_counts_for_the_themes_that_gather_it_or_what_is_above_it(db):
    themes = category_themes({"a": ["physical-activity"], "b": ["walking", "mental-wellbeing"]})

    assert themes["walking"] == ("a", "b")  # below physical activity, and named by b
    assert themes["swimming"] == ("a",)
    assert themes["peer-support"] == ("b",)  # below mental wellbeing
    assert themes["mental-wellbeing"] == ("b",)
    assert "physical-activity" in themes and "advice" not in themes
    # Without themes, each top-level category is its own.
    default = category_themes()
    assert default["walking"] == ("physical-activity",)
    assert default["advice"] == ("advice",)


def test_an_offer_counts_once_for_a_theme_however_many_of_its_categories_lead_there():
    counts_for = {"walking": ("line", "physical"), "physical": ("physical",), "yoga": ("line",)}
    at_a_place = Offer(("physical", "walking", "yoga"), 2.0, 51.45, -0.19)
    remote = Offer(("yoga", "walking"), 3.0, anywhere=True)
    elsewhere = Offer(("advice",), 5.0, 51.45, -0.19)

    table = offer_table([at_a_place, remote, elsewhere], ["physical", "line"],
                        counts_for=counts_for)  # fmt: skip

    assert sorted(zip(table.theme.tolist(), table.hours.tolist(), strict=True)) == [
        (0, 2.0),
        (1, 2.0),
    ]
    assert [(o.themes, o.weekly_hours) for o in table.remote] == [(("physical", "line"), 3.0)]


def test_a_line_linked_to_kinds_of_activity_is_a_theme_and_one_linked_to_none_is_not(line):
    ServiceLineFactory(name="Not linked yet", slug="not-linked-yet")

    keys = [t.key for t in district_themes()]

    assert keys[-1] == WELLBEING
    assert LINE_PREFIX + "not-linked-yet" not in keys
    # The seed's lines have no kinds of activity until someone links them.
    assert ServiceLine.objects.filter(categories__isnull=True).count() >= 7


def test_a_lines_supply_is_its_kinds_of_activity_each_activity_once(line, near_sw18, directory):
    group = OrganisationFactory(parent=directory, title="Walkers")
    local_activity(group, "Wellbeing walk", "walking",
                   start=datetime.time(14), end=datetime.time(17))  # fmt: skip
    local_activity(group, "Bike club", "sport", start=datetime.time(9), end=datetime.time(13))
    index_rebuild()

    found = district_gaps(WANDSWORTH)

    assert found.themes == 16
    here = row(found, near_sw18.code, WELLBEING)
    # Anxiety peer support (2 h, mental wellbeing) and the wellbeing walk (3 h, walking); not
    # the health walk (physical activity, not walking) nor the bike club (sport).
    assert here.supply.walk_hours == 5
    assert here.theme_name == "Wellbeing and movement (service line)"
    assert "no wellbeing and movement activity" not in here.explanation
    # Physical activity as a kind of its own still counts all three of its own.
    assert row(found, near_sw18.code, "physical-activity").supply.walk_hours == 1 + 3 + 4


def test_a_lines_need_counts_each_search_and_person_once(line, near_sw18):
    ZeroResultSearch.objects.create(
        terms="calm walks", categories="mental-wellbeing,walking", outcode="SW18"
    )
    ZeroResultSearch.objects.create(terms="anxiety", categories="peer-support", outcode="SW18")
    ZeroResultSearch.objects.create(terms="swimming", categories="swimming", outcode="SW18")
    team = TeamFactory()
    worker = make_facilitator(team)
    for _ in range(5):
        person = PersonFactory(team=team, postcode="SW18 1AA")
        preferences_save(person=person, by=worker,
                         interests=["mental-wellbeing", "physical-activity"],
                         top_three=[])  # fmt: skip

    here = row(district_gaps(WANDSWORTH), near_sw18.code, WELLBEING)

    assert here.need.searches == 2  # not the swimming search; the first once, not twice
    # Interested in physical activity is not interested in walking: each person once, for
    # mental wellbeing.
    assert here.need.people == 5


def test_where_to_coproduce_first_offers_a_line_only_its_own_asks(line, near_sw18):
    found = district_gaps(WANDSWORTH)
    ranked = coproduce_first(found, limit=len(found.rows))
    place = next(p for p in ranked if p.theme == WELLBEING)
    own = AskFactory(
        title="Walk and talk", areas=[place.outcode], team=ServiceTeamFactory(service_line=line)
    )
    other = AskFactory(title="Cooking", areas=[place.outcode])

    ranked = coproduce_first(found, limit=len(found.rows))

    for_line = next(p for p in ranked if p.theme == WELLBEING and p.outcode == place.outcode)
    assert [a.pk for a in for_line.asks] == [own.pk]
    # For a kind of activity, every ask that reaches it: those of the lines counting that
    # kind (or a kind below it) first, though the other is newer.
    for kind in ("mental-wellbeing", "physical-activity"):
        for_kind = next(p for p in ranked if p.theme == kind and p.outcode == place.outcode)
        assert [a.pk for a in for_kind.asks] == [own.pk, other.pk]
    for_advice = next(p for p in ranked if p.theme == "advice" and p.outcode == place.outcode)
    assert [a.pk for a in for_advice.asks] == [other.pk, own.pk]


def test_the_map_and_trends_offer_lines_as_a_group_of_their_own(
    client, line, near_sw18, commissioner
):
    choices = dict(MapForm().fields["theme"].choices)
    assert choices["Service lines"] == [(WELLBEING, "Wellbeing and movement")]
    client.force_login(commissioner)

    page = client.get(reverse("insights:map"), {"measure": "supply", "theme": WELLBEING})
    trends = client.get(reverse("insights:trends"), {"theme": WELLBEING})

    assert page.status_code == 200 and trends.status_code == 200
    body = page.content.decode()
    assert '<optgroup label="Service lines">' in body
    assert f'<option value="{WELLBEING}" selected>' in body
    assert "wellbeing and movement (service line)" in trends.content.decode()


def test_the_open_data_api_answers_for_a_line(client, line, near_sw18):
    answer = client.get(reverse("insights:api_gaps"), {"theme": WELLBEING}).json()

    assert answer["count"] == 186
    assert {r["theme"] for r in answer["results"]} == {WELLBEING}
    for bad in ("line:", "line:nope", "Line:wellbeing-and-movement"):
        refused = client.get(reverse("insights:api_gaps"), {"theme": bad})
        assert refused.status_code == 400 and refused.json()["field"] == "theme"


def test_a_moderator_links_a_line_to_kinds_of_activity_in_the_admin(client, moderator):
    line = ServiceLine.objects.get(slug="health-checks")
    heart = Category.objects.get(slug="heart-health")
    client.force_login(moderator)
    url = reverse("wagtailsnippets_coproduction_serviceline:edit", args=[line.pk])

    form = client.get(url)
    saved = client.post(url, {"name": line.name, "slug": line.slug, "description": "",
                              "sort_order": 3, "categories": [heart.pk]})  # fmt: skip

    assert form.status_code == 200 and 'name="categories"' in form.content.decode()
    assert saved.status_code == 302
    assert list(line.categories.all()) == [heart]


def test_kept_figures_are_worked_out_again_when_a_line_is_linked(near_sw18, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "service-lines"}}  # fmt: skip
    before = district_gaps_cached(WANDSWORTH)
    line = ServiceLine.objects.get(slug="health-checks")
    line.categories.set(Category.objects.filter(slug="mental-wellbeing"))

    after = district_gaps_cached(WANDSWORTH)

    assert before.themes == 15 and after.themes == 16
    assert row(after, near_sw18.code, LINE_PREFIX + "health-checks").supply.walk_hours == 2


def test_a_lines_people_and_its_kinds_people_together_give_no_suppressed_count_away(
    near_sw18,
):
    """Differencing: a line is a total over its kinds with each person once, so the line and
    its kinds shown together must leave a suppressed kind more than one possible value."""
    line = ServiceLineFactory(name="Arts on prescription", slug="arts-on-prescription")
    line.categories.set(Category.objects.filter(slug__in=["arts-and-crafts", "music-and-singing"]))
    team = TeamFactory()
    worker = make_facilitator(team)
    for interests, n in ((["arts-and-crafts"], 3), (["music-and-singing"], 6),
                         (["arts-and-crafts", "music-and-singing"], 1)):  # fmt: skip
        for _ in range(n):
            person = PersonFactory(team=team, postcode="SW18 1AA")
            preferences_save(person=person, by=worker, interests=interests, top_three=[])

    found = district_gaps(WANDSWORTH)
    arts = row(found, near_sw18.code, "arts-and-crafts").need.people
    music = row(found, near_sw18.code, "music-and-singing").need.people
    both = row(found, near_sw18.code, LINE_PREFIX + "arts-on-prescription").need.people

    assert (arts, music, both) == (4, 7, 10)
    seen = (shown(arts), shown(music), shown(both))
    assert seen == ("fewer than 5", 5, 10)
    possible = {
        a + ab
        for a, m, ab in itertools.product(range(13), repeat=3)
        if (shown(a + ab), shown(m + ab), shown(a + m + ab)) == seen
    }
    assert len(possible) > 1 and 4 in possible
