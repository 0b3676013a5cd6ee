"""Trends: need and supply by month or quarter, counts from people suppressed and rounded in
each month and in the whole period alike, none recoverable from the others; and the report."""

import datetime
import io
import itertools

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from common.periods import last_months
from insights.arithmetic import published, shown
from insights.models import SupplySnapshot
from insights.selectors import district_gaps, district_trends
from insights.services import supply_snapshot_take
from matching.models import Consent
from search.models import ZeroResultSearch
from tests.factories.matching import PersonFactory, TeamFactory, make_facilitator

pytestmark = pytest.mark.django_db

WANDSWORTH = "E09000032"
TODAY = datetime.date(2026, 12, 7)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def searched(day, outcode="SW18", n=1):
    for _ in range(n):
        search = ZeroResultSearch.objects.create(terms="anxiety", outcode=outcode)
        ZeroResultSearch.objects.filter(pk=search.pk).update(created_at=at(day))


def counted(day, n, postcode="SW18 1AA"):
    team = TeamFactory()
    for _ in range(n):
        person = PersonFactory(team=team, postcode=postcode)
        Consent.objects.filter(person=person).update(recorded_at=at(day))


def test_searches_are_counted_by_month_in_the_district_only():
    searched(datetime.date(2026, 10, 3), n=2)
    searched(datetime.date(2026, 12, 1))
    searched(datetime.date(2026, 12, 1), outcode="N1")
    searched(datetime.date(2025, 1, 1))  # before the period

    found = district_trends(WANDSWORTH, period=last_months(months=3, grouping="month", today=TODAY))

    assert [(r.label, r.searches) for r in found.rows] == [
        ("October 2026", 2), ("November 2026", 0), ("December 2026", 1),
    ]  # fmt: skip
    assert found.searches == 3


def test_quarters_are_counted_whole():
    searched(datetime.date(2026, 7, 2))
    searched(datetime.date(2026, 9, 30))
    period = last_months(months=3, grouping="quarter", today=TODAY)
    found = district_trends(WANDSWORTH, period=period)
    assert [(r.label, r.searches) for r in found.rows] == [
        ("October to December 2026", 0)
    ] and period.start == datetime.date(2026, 10, 1)
    longer = district_trends(
        WANDSWORTH, period=last_months(months=6, grouping="quarter", today=TODAY)
    )
    assert [r.searches for r in longer.rows] == [2, 0]


def test_people_counted_are_suppressed_below_5_and_rounded_and_totals_are_not_added_up():
    counted(datetime.date(2026, 10, 10), 3)
    counted(datetime.date(2026, 11, 10), 4)
    counted(datetime.date(2026, 12, 2), 7)
    found = district_trends(WANDSWORTH, period=last_months(months=3, grouping="month", today=TODAY))

    assert [r.people_counted for r in found.rows] == ["fewer than 5", "fewer than 5", 5]
    # The total is the whole period's count (14) rounded: not 5, what the rows add up to.
    assert found.people_counted == 15


def test_a_withdrawn_consent_or_one_not_to_be_counted_is_not_counted():
    counted(datetime.date(2026, 12, 2), 6)
    first, *_, last = Consent.objects.order_by("pk")
    Consent.objects.filter(pk=first.pk).update(withdrawn_at=at(TODAY))
    Consent.objects.filter(pk=last.pk).update(count_in_statistics=False)
    found = district_trends(WANDSWORTH, period=last_months(months=1, grouping="month", today=TODAY))
    assert found.rows[-1].people_counted == "fewer than 5"


@pytest.mark.parametrize("parts", [(3, 4), (1, 6), (2, 2, 2), (4, 0, 1), (5, 2)])
def test_no_suppressed_count_can_be_worked_out_from_the_rows_and_the_total(parts):
    """Differencing: every split of counts that shows the same rows and total must leave each
    suppressed row more than one possible value."""
    rows = [shown(n) for n in parts]
    total = shown(sum(parts))
    possible = [
        split
        for split in itertools.product(range(0, 12), repeat=len(parts))
        if [shown(n) for n in split] == rows and shown(sum(split)) == total
    ]
    for i, row in enumerate(rows):
        if row == "fewer than 5":
            assert len({split[i] for split in possible}) > 1, (parts, i)


def test_the_same_count_by_area_and_by_category_gives_nothing_away():
    """A count of 7 shown by area (5) and by category (5): neither view nor both together can
    say whether one area or kind held fewer than 5."""
    by_area = {"SW18": 4, "SW17": 3}
    by_category = {"music": 6, "advice": 1}
    assert published(sum(by_area.values())) == published(sum(by_category.values())) == 5
    assert [shown(n) for n in by_area.values()] == ["fewer than 5"] * 2
    assert shown(by_category["advice"]) == "fewer than 5"


def test_supply_is_charted_from_the_last_snapshot_of_each_month(near_sw18):
    found = district_gaps(WANDSWORTH)
    supply_snapshot_take(found=found, on=datetime.date(2026, 11, 3))
    SupplySnapshot.objects.filter(theme="mental-wellbeing").update(walk_hours=1)
    supply_snapshot_take(found=found, on=datetime.date(2026, 11, 20))

    trends = district_trends(
        WANDSWORTH,
        period=last_months(months=2, grouping="month", today=TODAY),
        theme="mental-wellbeing",
    )

    november, december = trends.rows
    residents = sum(n.population for n in {r.area for r in found.rows})
    # November's last day: the hours as found (2 a week near SW18), not the changed ones.
    assert november.walk_per_1000 == pytest.approx(
        sum(r.supply.walk_hours for r in found.rows if r.theme == "mental-wellbeing")
        * 1000
        / residents
    )
    assert november.residents_without < residents
    assert december.walk_per_1000 is None
    assert trends.supply_since == datetime.date(2026, 11, 3)


def test_commissioners_see_the_trends_and_download_them(client, commissioner):
    searched(timezone.localdate(), n=2)
    client.force_login(commissioner)
    page = client.get(reverse("insights:trends"), {"months": "6", "by": "quarter"})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert "Trends in Wandsworth" in body and 'id="insights-charts"' in body
    assert page.context["charts"]["need"]["series"][0]["data"][-1] == 2

    download = client.get(reverse("insights:trends"), {"months": "3", "format": "csv"})
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Month or quarter,Searches that found nothing")
    assert len(lines) == 1 + 3
    assert client.get(reverse("insights:trends"), {"format": "pdf"}).status_code == 400
    bad = client.get(reverse("insights:trends"), {"months": "<b>", "by": "decade", "theme": "x"})
    assert bad.status_code == 200 and bad.context["form"].cleaned_data["months"] == 12


def test_the_printed_report_has_every_part_and_the_attribution(client, near_sw18, commissioner):
    client.force_login(commissioner)
    page = client.get(reverse("insights:report"))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    body = page.content.decode()
    for part in ("The district", "Supply by theme", "Where to coproduce first",
                 "The 20 biggest gaps", "Trends", "Open Government Licence"):  # fmt: skip
        assert part in body, part
    assert "186 small areas" in body
    # Each table downloads as CSV: supply by theme from the report itself.
    for link in ("?format=csv", "/insights/gaps/?format=first-csv", "/insights/gaps/?format=csv"):
        assert f'href="{link}"' in body, link
    table = client.get(reverse("insights:report"), {"format": "csv"})
    rows = table.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith('Theme,"Hours a week within walking distance per 1,000 residents"')
    assert len(rows) == 1 + 15
    wellbeing = next(r for r in rows if r.startswith("Mental wellbeing,"))
    assert float(wellbeing.split(",")[1]) > 0
    assert client.get(reverse("insights:report"), {"format": "pdf"}).status_code == 400


@pytest.mark.parametrize("name", ["insights:trends", "insights:report"])
def test_only_commissioners_see_trends_and_the_report(client, name):
    url = reverse(name)
    assert client.get(url).status_code == 302
    client.force_login(make_facilitator(TeamFactory()))
    assert client.get(url).status_code == 403


def test_refreshing_records_todays_supply_once_a_day(near_sw18):
    out = io.StringIO()
    call_command("refresh_insights", stdout=out)
    call_command("refresh_insights", stdout=out)

    today = SupplySnapshot.objects.filter(taken_on=timezone.localdate())
    assert today.count() == 15 and "supply of 15 kinds recorded" in out.getvalue()
    assert today.get(theme="mental-wellbeing").walk_hours >= 2
