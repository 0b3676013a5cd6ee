"""The district's gaps from what the platform holds: supply through search, need from searches
that found nothing, counted people and declined referrals; the page and its CSV."""

import datetime

import pytest
from django.urls import reverse

from common import deprivation
from insights.selectors import district_gaps
from matching.models import Consent
from matching.services import preferences_save
from referrals.services import referral_status_change
from referrals.status import Party
from search.models import ZeroResultSearch
from tests.factories import OrganisationFactory
from tests.factories.matching import PersonFactory, TeamFactory, make_facilitator
from tests.factories.places import local_activity
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db

WANDSWORTH = "E09000032"


def row(found, area_code, theme):
    return next(r for r in found.rows if r.area.code == area_code and r.theme == theme)


def test_supply_within_reach_is_counted_for_the_areas_near_it(near_sw18):
    found = district_gaps(WANDSWORTH)

    assert found.areas == len(deprivation.in_district(WANDSWORTH)) == 186
    assert found.themes == 15 and len(found.rows) == 186 * 15
    here = row(found, near_sw18.code, "mental-wellbeing")
    assert here.supply.walk_hours == 2 and here.supply.nearest_m < 500
    assert row(found, near_sw18.code, "physical-activity").supply.walk_hours == 1
    nothing = row(found, near_sw18.code, "digital-skills")
    assert nothing.supply.walk_hours == 0 and nothing.supply.nearest_m is None
    # The same area's need, with more within reach: a smaller gap.
    assert here.score < nothing.score
    assert [r.score for r in found.rows] == sorted((r.score for r in found.rows), reverse=True)


def test_searches_that_found_nothing_count_as_need_with_their_words(near_sw18):
    for terms in ("anxiety", "anxiety", "Anxiety ", "panic"):
        ZeroResultSearch.objects.create(terms=terms, categories="digital-skills", outcode="SW18")
    ZeroResultSearch.objects.create(terms="coding", categories="digital-skills", outcode="SW11")
    ZeroResultSearch.objects.create(terms="no theme", categories="", outcode="SW18")

    here = row(district_gaps(WANDSWORTH), near_sw18.code, "digital-skills")

    assert here.outcode == "SW18"
    assert here.need.searches == 4
    assert "4 searches for 'anxiety' found nothing in SW18 in the last 90 days" in (
        here.explanation
    )


def test_a_search_without_a_category_counts_for_what_its_words_mean(near_sw18):
    for terms in ("Feeling lonely", "feeling  LONELY", "xyzzy"):
        ZeroResultSearch.objects.create(terms=terms, categories="", outcode="SW18")

    found = district_gaps(WANDSWORTH)

    social = row(found, near_sw18.code, "social-and-friendship")
    assert social.need.searches == 2
    assert social.need.search_words == (("feeling lonely", 2),)
    # Words no concept names are not given a theme.
    assert sum(r.need.searches for r in found.rows if r.area.code == near_sw18.code) == 2


def test_old_searches_are_not_counted(near_sw18):
    old = ZeroResultSearch.objects.create(terms="yoga", categories="advice", outcode="SW18")
    ZeroResultSearch.objects.filter(pk=old.pk).update(
        created_at=old.created_at - datetime.timedelta(days=91)
    )
    assert row(district_gaps(WANDSWORTH), near_sw18.code, "advice").need.searches == 0


def test_people_counted_and_declined_referrals_add_need_only_from_5(near_sw18, directory):
    choirs = OrganisationFactory(parent=directory, title="Choir", email="choir@example.org")
    choir = local_activity(choirs, "Community choir", "music-and-singing",
                           referral_route="takes_referrals")  # fmt: skip
    team = TeamFactory()
    worker = make_facilitator(team)
    people = [PersonFactory(team=team, postcode="SW18 1AA") for _ in range(6)]
    for person in people[:4]:
        preferences_save(person=person, by=worker, interests=["nature-and-gardening"],
                         top_three=[])  # fmt: skip
    # One more, in SW1 (a prefix of SW18, but another place), and one not to be counted.
    elsewhere = PersonFactory(team=team, postcode="SW1A 1AA")
    preferences_save(person=elsewhere, by=worker, interests=["nature-and-gardening"], top_three=[])
    Consent.objects.filter(person=people[5]).update(count_in_statistics=False)
    preferences_save(person=people[5], by=worker, interests=["nature-and-gardening"], top_three=[])

    four = row(district_gaps(WANDSWORTH), near_sw18.code, "nature-and-gardening")
    assert four.need.people == 4
    assert "fewer than 5 people counted who want it" in four.explanation

    preferences_save(person=people[4], by=worker, interests=["nature-and-gardening"], top_three=[])
    five = row(district_gaps(WANDSWORTH), near_sw18.code, "nature-and-gardening")
    assert five.need.people == 5 and five.score > four.score

    # Referrals declined for lack of space, by the person's area and the activity's theme.
    referral = refer(people[0], choir, worker)
    referral_status_change(referral=referral, party=Party.GROUP, status="rejected",
                           reason="no_capacity")  # fmt: skip
    music = row(district_gaps(WANDSWORTH), near_sw18.code, "music-and-singing")
    assert music.need.declined_no_space == 1


def test_commissioners_see_the_ranked_gaps_and_download_them(client, near_sw18, commissioner):
    client.force_login(commissioner)
    page = client.get(reverse("insights:gaps"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Where the gaps are in Wandsworth" in body
    assert "The 50 biggest gaps" in body
    biggest = body[body.index('id="gaps-caption"') :]
    assert biggest[: biggest.index("</table>")].count("<tr>") == 51
    assert "Open Government Licence" in body

    csv = client.get(reverse("insights:gaps"), {"format": "csv"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert csv["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("Rank,Area code,Area,Outward code,Theme")
    assert len(lines) == 1 + 186 * 15


def test_only_commissioners_see_the_gaps(client, near_sw18):
    url = reverse("insights:gaps")
    assert client.get(url).status_code == 302
    client.force_login(make_facilitator(TeamFactory()))
    assert client.get(url).status_code == 403


def test_the_insights_page_links_to_the_gaps(client, commissioner):
    client.force_login(commissioner)
    page = client.get(reverse("matching:insights")).content.decode()
    assert f'href="{reverse("insights:gaps")}"' in page


def test_the_open_data_gives_supply_and_gaps_by_area_and_theme(client, near_sw18):
    url = reverse("insights:api_gaps")
    everything = client.get(url).json()
    assert everything["district"] == {"code": WANDSWORTH, "name": "Wandsworth"}
    assert everything["count"] == 186 * 15 and everything["pages"] == 6
    assert [r["rank"] for r in everything["results"]] == list(range(1, 501))
    assert "Open Government Licence" in everything["attribution"]

    mental = client.get(url, {"theme": "mental-wellbeing"})
    assert mental["Cache-Control"] == "public, max-age=3600"
    rows = mental.json()["results"]
    assert len(rows) == 186 and {r["theme"] for r in rows} == {"mental-wellbeing"}
    here = next(r for r in rows if r["area"] == near_sw18.code)
    assert here["walk_hours_per_1000"] == round(2000 / near_sw18.population, 3)
    assert here["nearest_m"] < 500 and here["imd_decile"] == near_sw18.imd_decile
    assert client.get(url, {"page": "7"}).json()["results"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"district": "E09000001"}, "district"),
        ({"district": ""}, "district"),
        ({"theme": "Mental Wellbeing"}, "theme"),
        ({"theme": "knitting-on-mars"}, "theme"),
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"page": "1001"}, "page"),
    ],
)
def test_bad_open_data_parameters_are_refused_naming_them(client, params, field):
    response = client.get(reverse("insights:api_gaps"), params)
    assert response.status_code == 400
    assert response.json()["field"] == field
