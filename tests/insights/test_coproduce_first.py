"""Where to coproduce first: outward codes × kinds of activity by their gaps added up, each with
the open asks that reach it."""

import csv
import io

import pytest
from django.urls import reverse

from coproduction.models import Ask
from coproduction.selectors import open_asks_by_area
from insights.selectors import coproduce_first, district_gaps
from tests.factories.coproduction import AskFactory

pytestmark = pytest.mark.django_db

WANDSWORTH = "E09000032"


def test_open_asks_reach_the_areas_they_name_or_every_area():
    sw18 = AskFactory(title="Cooking in SW18", areas=["SW18"])
    everywhere = AskFactory(title="Anywhere in the borough", areas=[])
    AskFactory(title="Closed", areas=["SW18"], status=Ask.Status.CLOSED)
    AskFactory(title="Elsewhere", areas=["SW11"])

    found = open_asks_by_area(["SW18", "SW17"])

    assert {a.title for a in found["SW18"]} == {"Cooking in SW18", "Anywhere in the borough"}
    assert [a.pk for a in found["SW17"]] == [everywhere.pk]
    assert found["SW18"][0].pk in {sw18.pk, everywhere.pk}


def test_places_are_ranked_by_their_areas_gaps_added_up(near_sw18):
    found = district_gaps(WANDSWORTH)
    first = coproduce_first(found, limit=5)

    assert len(first) == 5
    totals = [p.total_gap for p in first]
    assert totals == sorted(totals, reverse=True)
    top = first[0]
    rows = [r for r in found.rows if r.outcode == top.outcode and r.theme == top.theme]
    assert top.total_gap == pytest.approx(sum(r.score for r in rows))
    assert top.areas == len(rows)
    assert top.residents_without == sum(r.area.population for r in rows if r.supply.walk_hours == 0)
    # Nothing ranks above it: no other place and kind adds up to more.
    others = {}
    for r in found.rows:
        others[r.outcode, r.theme] = others.get((r.outcode, r.theme), 0) + r.score
    assert max(others.values()) == pytest.approx(top.total_gap)


def test_the_gaps_page_lists_where_to_start_with_the_asks_that_reach_it(
    client, near_sw18, commissioner
):
    top = coproduce_first(district_gaps(WANDSWORTH), limit=1)[0]
    ask = AskFactory(title="Start <b>here</b>", areas=[top.outcode])
    client.force_login(commissioner)

    body = client.get(reverse("insights:gaps")).content.decode()

    assert "Where to coproduce first" in body
    assert f"{top.outcode}: {top.theme_name}" in body
    assert reverse("coproduction:ask", args=[ask.pk]) in body
    assert "Start &lt;b&gt;here&lt;/b&gt;" in body


def test_every_place_and_kind_is_ranked_in_a_csv_with_its_asks(client, near_sw18, commissioner):
    found = district_gaps(WANDSWORTH)
    top = coproduce_first(found, limit=1)[0]
    AskFactory(title='=HYPERLINK("http://evil")', areas=[top.outcode])
    client.force_login(commissioner)

    response = client.get(reverse("insights:gaps"), {"format": "first-csv"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Rank", "Outward code", "Theme", "Gap added up"]
    places = {(r.outcode, r.theme) for r in found.rows if r.outcode}
    assert len(rows) - 1 == len(places)
    assert rows[1][:3] == ["1", top.outcode, top.theme_name]
    gaps = [float(r[3]) for r in rows[1:]]
    assert gaps == sorted(gaps, reverse=True)
    # An ask's title reaches the spreadsheet as text, never as a formula.
    assert "'=HYPERLINK" in rows[1][-1]


def test_the_gaps_page_refuses_a_download_it_does_not_have(client, commissioner):
    client.force_login(commissioner)

    response = client.get(reverse("insights:gaps"), {"format": "<xlsx>"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
