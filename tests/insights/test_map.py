"""The commissioners' map: areas coloured by a measure, in bands, with the same figures as a
table and as CSV; grouped by outward code without changing the totals; bad choices fall back."""

import csv
import io

import pytest
from django.urls import reverse

from common import deprivation
from insights.legend import band_of, decile_bands, quantile_bands
from insights.selectors import district_gaps, district_map
from tests.factories.matching import TeamFactory, make_facilitator

WANDSWORTH = "E09000032"


def test_decile_bands_put_the_most_deprived_darkest_and_largest():
    bands = decile_bands()
    assert [band_of(d, bands) for d in (1, 2, 3, 8, 10)] == [0, 0, 1, 3, 4]
    assert bands[0].radius > bands[-1].radius and "most deprived" in bands[0].label
    # A group's decile is an average: 2.5 is between the first two bands' deciles.
    assert band_of(2.5, bands) == 0 and band_of(3.0, bands) == 1


def test_quantile_bands_split_values_in_fifths_with_the_highest_largest():
    bands = quantile_bands([float(v) for v in range(10)])
    assert len(bands) == 5
    assert [band_of(v, bands) for v in (0, 1, 2, 5, 9)] == [0, 0, 1, 2, 4]
    assert bands[-1].label == "8.0 to 9.0" and bands[0].label == "0.0 to under 2.0"
    assert bands[-1].radius > bands[0].radius


def test_quantile_bands_of_values_all_alike_are_one_band():
    [only] = quantile_bands([0.0] * 186)
    assert only.label == "0.0" and band_of(0.0, [only]) == 0
    assert quantile_bands([]) == []


@pytest.mark.django_db
def test_outward_codes_add_up_to_their_small_areas(near_sw18):
    areas = district_map(WANDSWORTH, measure="supply", theme="mental-wellbeing").areas
    grouped = district_map(
        WANDSWORTH, measure="supply", theme="mental-wellbeing", group="outcode"
    ).areas

    assert len(areas) == 186 and 5 < len(grouped) < 186
    assert sum(g.areas for g in grouped) == 186
    assert sum(g.population for g in grouped) == sum(a.population for a in areas)
    # Supply per 1,000 of a group is its areas' hours over its residents.
    hours = {
        r.area.code: r.supply.walk_hours
        for r in district_gaps(WANDSWORTH).rows
        if r.theme == "mental-wellbeing"
    }
    assert sum(g.walk_per_1000 * g.population / 1000 for g in grouped) == pytest.approx(
        sum(hours.values())
    )
    assert min(g.nearest_m for g in grouped if g.nearest_m) == min(
        a.nearest_m for a in areas if a.nearest_m
    )


@pytest.mark.django_db
def test_a_domain_colours_areas_by_its_own_decile(near_sw18):
    crime = district_map(WANDSWORTH, measure="crime").areas
    here = next(a for a in crime if a.code == near_sw18.code)
    assert here.decile == deprivation.neighbourhood(near_sw18.code).decile("crime")
    assert here.value("crime") == here.decile


@pytest.mark.django_db
def test_commissioners_see_the_map_with_its_table(client, near_sw18, commissioner):
    client.force_login(commissioner)
    page = client.get(
        reverse("insights:map"),
        {"measure": "supply", "theme": "mental-wellbeing", "category": "mental-wellbeing"},
    )
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert "186 small areas: hours a week within walking distance" in body
    assert body.count('<th scope="row">') == 186
    assert 'id="insights-map-data"' in body and "Open Government Licence" in body
    assert page.context["map_data"]["search"] == {"category": "mental-wellbeing"}
    # The activities can be listed without the map, in the directory's own search.
    assert "/search/?category=mental-wellbeing" in body


@pytest.mark.django_db
def test_the_map_table_downloads_as_csv(client, near_sw18, commissioner):
    client.force_login(commissioner)
    response = client.get(
        reverse("insights:map"), {"measure": "gap", "theme": "advice", "group": "outcode"}
    )
    assert response.status_code == 200
    download = client.get(
        reverse("insights:map"),
        {"measure": "gap", "theme": "advice", "group": "outcode", "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Outward code", "Name", "Small areas"] and rows[0][6] == "Gap"
    assert len(rows) - 1 == len(response.context["rows"])
    assert sum(int(r[2]) for r in rows[1:]) == 186


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"measure": "<script>alert(1)</script>"},
        {"measure": "gap", "theme": "knitting-on-mars"},
        {"group": "'; DROP TABLE insights;--", "day": "someday", "audience": "\x00"},
        {"measure": ["imd", "gap"], "free": "perhaps"},
    ],
)
def test_bad_choices_fall_back_to_the_defaults(client, commissioner, params):
    client.force_login(commissioner)
    response = client.get(reverse("insights:map"), params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    form = response.context["form"]
    assert form.cleaned_data["measure"] in {"imd", "gap"}
    assert response.context["map_data"]["search"].keys() <= {"free", "category"}


@pytest.mark.django_db
def test_an_unknown_download_format_is_refused(client, commissioner):
    client.force_login(commissioner)
    response = client.get(reverse("insights:map"), {"format": "xlsx"})
    assert response.status_code == 400
    assert "format=csv" in response.content.decode()


@pytest.mark.django_db
def test_only_commissioners_see_the_map(client):
    url = reverse("insights:map")
    assert client.get(url).status_code == 302
    client.force_login(make_facilitator(TeamFactory()))
    assert client.get(url).status_code == 403
