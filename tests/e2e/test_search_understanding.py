"""The search page understands people's words, in a browser: a concept finds what the words
never say, a misspelling is corrected with "did you mean", a place and "free" in the words become
removable chips, the "Who it's for" filter narrows, and no results offers wider searches. Every
state passes axe."""

import re

import pytest

from assets_directory.models import Activity, Category
from search.services import index_rebuild
from tests.factories import ActivityFactory, ActivityScheduleFactory, OrganisationFactory

from .test_accessibility import axe_source, violations  # noqa: F401 (the fixture is used)

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def borough(live_site):
    organisation = OrganisationFactory(title="Wandsworth Friends")
    befriending = ActivityFactory(
        parent=organisation,
        title="Friendly phone calls",
        summary="A volunteer rings you each week for a chat.",
        categories=[Category.objects.get(slug="befriending")],
    )
    ActivityScheduleFactory(activity=befriending, weekdays="mon")
    yoga = ActivityFactory(
        parent=organisation,
        title="Chair yoga",
        summary="Gentle stretching, seated.",
        categories=[Category.objects.get(slug="yoga-and-tai-chi")],
    )
    ActivityScheduleFactory(activity=yoga, weekdays="wed")
    older = ActivityFactory(
        parent=organisation,
        title="Tea dance",
        summary="Dancing and cake every Friday afternoon.",
        audience="older",
        cost=Activity.Cost.PAID,
        cost_amount="3.00",
        categories=[Category.objects.get(slug="dance")],
    )
    ActivityScheduleFactory(activity=older, weekdays="fri")
    index_rebuild()


def search(page, words):
    page.goto("/search/")
    page.get_by_label("What").fill(words)
    page.get_by_role("button", name="Search", exact=True).click()


def titles(page):
    return page.locator(".results .result .result__title").all_inner_texts()


def test_words_people_use_find_what_they_mean(page, axe_source, screenshot, borough):  # noqa: F811
    search(page, "feeling lonely")
    expect(page.locator(".results .result").first).to_be_visible()
    assert any("Friendly phone calls" in t for t in titles(page))
    assert violations(page, axe_source) == []

    search(page, "yogga")
    expect(page.locator("#did-you-mean")).to_contain_text("Did you mean")
    assert any("Chair yoga" in t for t in titles(page))
    screenshot(page, "search-did-you-mean")
    assert violations(page, axe_source) == []


def test_a_place_and_free_in_the_words_are_chips_that_remove(page, axe_source, borough):  # noqa: F811
    search(page, "free yoga SW18")
    chips = page.locator(".understood .chips:not(.chips--offers) .chip")
    expect(chips).to_have_count(2)
    expect(chips.filter(has_text="Free only")).to_be_visible()
    assert violations(page, axe_source) == []
    chips.filter(has_text=re.compile("SW18")).click()
    expect(page.locator(".understood .chips:not(.chips--offers) .chip")).to_have_count(1)
    expect(page.get_by_label("What")).to_have_value(re.compile("yoga"))


def test_who_its_for_narrows_and_nothing_found_offers_wider(page, axe_source, borough):  # noqa: F811
    page.goto("/search/")
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label(re.compile(r"^Older people")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".results .result")).to_have_count(1)
    assert "Tea dance" in titles(page)[0]
    assert violations(page, axe_source) == []

    page.goto("/search/?q=dance&free=1")
    wider = page.locator(".wider-searches li")
    expect(wider.first).to_be_visible()
    expect(wider.filter(has_text=re.compile("free only", re.I)).first).to_contain_text("1 result")
    assert violations(page, axe_source) == []
