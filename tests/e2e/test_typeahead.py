"""Type-ahead in the "What" box: an ARIA 1.2 combobox a visitor can use with the keyboard and
the mouse, that passes axe with its list open, and that leaves the plain form working without
JavaScript."""

import pytest

from assets_directory.models import Category
from search.services import index_rebuild
from tests.e2e.test_accessibility import axe_source, violations  # noqa: F401 (a fixture)
from tests.factories import ActivityFactory, ActivityScheduleFactory, OrganisationFactory

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def singers(live_site):
    organisation = OrganisationFactory(title="Wandsworth Singers")
    choirs = Category.objects.get(slug="choirs-and-singing")
    clubs = Category.objects.get(slug="social-clubs")
    for title in ("Singing for the brain", "Sing and sign", "Community singing", "Chess club"):
        category = clubs if title == "Chess club" else choirs
        activity = ActivityFactory(parent=organisation, title=title, categories=[category])
        ActivityScheduleFactory(activity=activity)
    index_rebuild()


def combobox(page):
    return page.get_by_role("combobox", name="What")


def test_typing_offers_suggestions_chosen_with_arrow_keys_and_enter(
    page,
    screenshot,
    traffic,
    singers,
    axe_source,  # noqa: F811
):
    page.goto("/search/")
    box = combobox(page)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    box.press_sequentially("sin", delay=30)

    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    options = listbox.get_by_role("option")
    expect(options).to_have_text(
        [
            "Choirs and singing Category",
            "Music and singing Category",
            # An everyday phrase; "singing" is not offered, as its category is.
            "single dad Topic",
            "Sing and sign Activity",
            "Singing for the brain Activity",
            "Community singing Activity",
        ]
    )
    expect(page.get_by_role("status").filter(has_text="suggestions")).to_have_text(
        "6 suggestions. Use the up and down arrows to choose one."
    )
    # Focus never leaves the box; the option pointed at is named by aria-activedescendant.
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("ArrowUp")
    second = options.nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    expect(box).to_be_focused()
    screenshot(page, "open")
    assert violations(page, axe_source) == []

    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/search/?*")
    expect(combobox(page)).to_have_value("Singing for the brain")
    expect(page.get_by_role("link", name="Singing for the brain")).to_be_visible()


def test_escape_closes_the_list_and_enter_then_searches_for_the_words(page, traffic, singers):
    page.goto("/search/")
    box = combobox(page)
    box.press_sequentially("sin", delay=30)
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("ArrowDown")
    box.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", "")
    expect(box).to_have_value("sin")
    box.press("Enter")
    page.wait_for_url("**/search/?q=sin*")


def test_clicking_a_category_filters_by_it(page, traffic, singers):
    page.goto("/search/")
    combobox(page).press_sequentially("choir", delay=30)
    page.get_by_role("option", name="Choirs and singing Category").click()
    page.wait_for_url("**/search/?*category=choirs-and-singing*")
    expect(combobox(page)).to_have_value("")
    expect(page.get_by_label("Category")).to_have_value("choirs-and-singing")
    expect(page.get_by_role("link", name="Sing and sign")).to_be_visible()
    expect(page.get_by_role("link", name="Chess club")).to_have_count(0)


def test_without_javascript_the_what_box_is_a_plain_search(new_context, traffic, singers):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/search/")
    box = page.get_by_role("searchbox", name="What")
    expect(box).not_to_have_attribute("role", "combobox")
    expect(page.get_by_role("listbox")).to_have_count(0)
    box.fill("sing")
    box.press("Enter")
    page.wait_for_url("**/search/?q=sing*")
    expect(page.get_by_role("link", name="Singing for the brain")).to_be_visible()
    expect(page.get_by_role("link", name="Chess club")).to_have_count(0)
