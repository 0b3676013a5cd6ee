"""The report of searches that found nothing: counts by words, category, area and month or
quarter over a period; words used fewer than 3 times folded together; who may read it."""

from __future__ import annotations

import csv
import datetime
import io
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from search.demo import ensure_demo_zero_results
from search.forms import ZeroResultPeriodForm
from search.models import ZeroResultSearch
from search.selectors import (
    NO_CATEGORY,
    NO_PLACE,
    NO_WORDS,
    OTHER_WORDS,
    CountRow,
    zero_result_period,
    zero_result_report,
)
from tests.factories import CategoryFactory, UserFactory

URL = reverse("search:zero_results_report")
PHONE = "07700 900123"
TODAY = datetime.date(2026, 12, 7)


def searched(days_ago: int, terms="", categories="", outcode="", today=None):
    """A search with no results, `days_ago` days before today (noon, local time)."""
    day = (today or timezone.localdate()) - datetime.timedelta(days=days_ago)
    row = ZeroResultSearch.objects.create(terms=terms, categories=categories, outcode=outcode)
    when = datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())
    ZeroResultSearch.objects.filter(pk=row.pk).update(created_at=when)
    return row


@pytest.fixture
def commissioner(db):
    return UserFactory(username="commissioner", groups=[Group.objects.get(name="Commissioners")])


@pytest.fixture
def searches(db):
    """In the last 3 months: "chair yoga" 4 times (typed three ways), "anxiety" 3 times, a
    phone number once, "knitting" twice, and one search by category alone; one older search."""
    CategoryFactory(name="Yoga classes", slug="zr-yoga")
    CategoryFactory(name="Talking therapies", slug="zr-talking")
    searched(1, "chair yoga", "zr-yoga", "SW18")
    searched(2, "  Chair   Yoga ", "zr-yoga", "sw18")
    searched(3, "CHAIR YOGA", "zr-yoga,zr-talking", "SW17")
    searched(40, "chair yoga", "", "SW18")
    searched(1, "anxiety", "zr-talking", "SW11")
    searched(5, "anxiety", "zr-talking", "")
    searched(6, "anxiety", "", "SW11")
    searched(2, PHONE, "", "SW18")
    searched(3, "knitting", "", "SW18")
    searched(4, "knitting", "gone-category", "SW18")
    searched(7, "", "zr-yoga", "SW19")
    searched(400, "anxiety", "zr-talking", "SW11")


def rows(table) -> dict[str, int]:
    return {row.label: row.searches for row in table}


def test_counts_by_words_category_and_area_over_the_period(searches):
    report = zero_result_report(zero_result_period(months=3, grouping="month"))
    assert report.total == 11
    assert report.words[:2] == [CountRow("chair yoga", 4), CountRow("anxiety", 3)]
    assert rows(report.words) == {
        "chair yoga": 4,
        "anxiety": 3,
        NO_WORDS: 1,
        OTHER_WORDS: 3,
    }
    assert report.words[-1] == CountRow(OTHER_WORDS, 3)
    # Shown by name; a search in two categories counts in each; a deleted one by its slug.
    assert rows(report.categories) == {
        "Yoga classes": 4,
        "Talking therapies": 3,
        NO_CATEGORY: 4,
        "gone-category (no longer a category)": 1,
    }
    assert rows(report.areas) == {"SW18": 6, "SW11": 2, "SW17": 1, "SW19": 1, NO_PLACE: 1}
    assert [r.searches for r in report.areas] == sorted(
        (r.searches for r in report.areas), reverse=True
    )


def test_a_longer_period_counts_the_older_searches(searches):
    report = zero_result_report(zero_result_period(months=24, grouping="quarter"))
    assert report.total == 12
    assert rows(report.words)["anxiety"] == 4


def test_words_used_fewer_than_three_times_are_never_shown(client, commissioner, searches):
    client.force_login(commissioner)
    page = client.get(URL).content.decode()
    assert "chair yoga" in page and "anxiety" in page
    assert PHONE not in page and "knitting" not in page
    assert OTHER_WORDS in page
    for table in ("words", "trend"):
        download = client.get(URL, {"format": f"{table}-csv"})
        assert download.status_code == 200
        assert download["Content-Type"].startswith("text/csv")
        text = download.content.decode("utf-8-sig")
        assert PHONE not in text and "knitting" not in text
    words = list(
        csv.reader(
            io.StringIO(client.get(URL, {"format": "words-csv"}).content.decode("utf-8-sig"))
        )
    )
    assert words[0] == ["Words", "Searches"]
    assert ["chair yoga", "4"] in words
    assert [OTHER_WORDS, "3"] in words


def test_every_category_and_area_is_in_its_download(client, commissioner, searches):
    client.force_login(commissioner)
    areas = client.get(URL, {"format": "areas-csv"}).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(areas)))[1] == ["SW18", "6"]
    categories = client.get(URL, {"format": "categories-csv"}).content.decode("utf-8-sig")
    assert "Talking therapies,3" in categories


def test_grouped_by_month_with_the_top_words_of_each(db):
    # "anxiety" 3 times in October and twice in November: shown for October only, though 5
    # times in the period.
    for day in (40, 41, 42):
        searched(day, "anxiety", today=TODAY)
    for day in (1, 2):
        searched(day, "anxiety", today=TODAY)
    period = zero_result_period(months=3, grouping="month", today=TODAY)
    assert period.start == datetime.date(2026, 10, 1)
    report = zero_result_report(period)
    assert [(row.label, row.searches) for row in report.trend] == [
        ("October 2026", 3),
        ("November 2026", 0),
        ("December 2026", 2),
    ]
    assert report.trend[0].top_words == [CountRow("anxiety", 3)]
    assert report.trend[2].top_words == []


def test_grouped_by_quarter_whole_quarters():
    period = zero_result_period(months=3, grouping="quarter", today=TODAY)
    assert period.start == datetime.date(2026, 10, 1)
    assert [period.label(b) for b in period.buckets()] == ["October to December 2026"]
    period = zero_result_period(months=12, grouping="quarter", today=TODAY)
    assert period.start == datetime.date(2026, 1, 1)
    assert len(period.buckets()) == 4
    # September to November, counted from the start of July to count the third quarter whole.
    period = zero_result_period(months=3, grouping="quarter", today=datetime.date(2026, 11, 7))
    assert period.start == datetime.date(2026, 7, 1)
    assert [period.label(b) for b in period.buckets()] == [
        "July to September 2026",
        "October to December 2026",
    ]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"months": "7", "by": "fortnight"},
        {"months": "-1"},
        {"months": "abc", "by": ""},
        {"months": "9" * 30},
        {"by": ["month", "quarter"]},
    ],
)
def test_bad_period_parameters_fall_back_to_the_defaults(client, commissioner, query):
    form = ZeroResultPeriodForm.from_query(QueryDict(urlencode(query, doseq=True)))
    assert form.cleaned_data["months"] == 3
    # Of two groupings the last one given is read, as Django reads any repeated parameter.
    assert form.cleaned_data["by"] == ("quarter" if isinstance(query.get("by"), list) else "month")
    client.force_login(commissioner)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert "From " in response.content.decode()


def test_a_chosen_period_is_kept(client, commissioner):
    client.force_login(commissioner)
    response = client.get(URL, {"months": "12", "by": "quarter"})
    assert response.status_code == 200
    assert response.context["form"].cleaned_data == {"months": 12, "by": "quarter"}
    assert "format=trend-csv" in response.content.decode()
    assert "months=12&amp;by=quarter&amp;format=words-csv" in response.content.decode()


def test_an_unknown_download_is_a_bad_request(client, commissioner):
    client.force_login(commissioner)
    assert client.get(URL, {"format": "xlsx"}).status_code == 400


def test_who_may_read_it(client, commissioner, moderator, editor):
    response = client.get(URL)
    assert response.status_code == 302 and "sign-in" in response["Location"]
    client.force_login(editor)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "words-csv"}).status_code == 403
    for user in (moderator, commissioner):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_linked_from_the_insights_page_and_the_admin_menu(client, commissioner, moderator):
    client.force_login(commissioner)
    assert URL in client.get(reverse("matching:insights")).content.decode()
    client.force_login(moderator)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()


def test_user_text_is_shown_as_text(client, commissioner):
    for day in (1, 2, 3):
        searched(day, "<script>alert(1)</script>", outcode="SW18")
    client.force_login(commissioner)
    page = client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.django_db
def test_the_demo_searches_spread_over_a_year_and_are_made_once():
    made = ensure_demo_zero_results(seed=2026, today=TODAY)

    assert made == ZeroResultSearch.objects.count() > 100
    days = {s.created_at.date() for s in ZeroResultSearch.objects.all()}
    assert min(days) >= TODAY - datetime.timedelta(days=365) and max(days) <= TODAY
    assert len({(d.year, d.month) for d in days}) >= 10
    assert ensure_demo_zero_results(seed=2026, today=TODAY) == 0
