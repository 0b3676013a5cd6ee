"""The activity form as a volunteer meets it: grouped tabs in plain English, no search-engine
fields, one "Submit for approval" button, and a confirmation that says what happens next."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from assets_directory.models import Activity, Category
from tests.assets_directory.test_permissions import edit_post_data

TABS = ["What", "When", "Where", "Who it&#x27;s for", "Cost", "How to join", "Contact"]


def add_url(organisation):
    return reverse("wagtailadmin_pages:add", args=["assets_directory", "activity", organisation.pk])


def footer(html: str) -> str:
    return html[html.index('aria-label="Actions (footer)"') :]


def primary_button(html: str) -> str:
    """The footer's first button: the one Wagtail shows in full, the rest behind a caret."""
    match = re.search(r"<button[^>]*type=\"submit\"[^>]*>.*?</button>", footer(html), re.S)
    assert match, "no button in the footer"
    return match.group(0)


@pytest.fixture
def add_page(client, editor, organisation):
    client.force_login(editor)
    response = client.get(add_url(organisation))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_form_is_in_tabs_from_what_to_contact_without_promote_or_settings(add_page):
    labels = re.findall(r'id="tab-label-[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+?)\s*<', add_page)
    assert [label.strip() for label in labels] == TABS
    for wagtail_only in ('name="slug"', 'name="seo_title"', 'name="search_description"'):
        assert wagtail_only not in add_page
    assert "Promote" not in add_page


@pytest.mark.django_db
def test_no_two_fields_share_a_label(add_page):
    found = re.findall(r'<label[^>]*\bfor="id_([a-z_]+)"[^>]*>(.*?)</label>', add_page, re.S)
    labels = [re.sub(r"<[^>]+>|\*", "", text).strip() for _, text in found]
    assert "Name of the activity" in labels
    assert "Do people need to book?" in labels
    repeated = [label for label, n in Counter(labels).items() if n > 1]
    assert repeated == []


@pytest.mark.django_db
def test_fields_are_in_plain_words_with_examples(add_page):
    for words in (
        "Name of the activity",
        "e.g. &#x27;Knit and natter&#x27;",
        "Do people need to book?",
        "What to do the first time",
        "Needed for an activity held in person",
    ):
        assert words in add_page, words


@pytest.mark.django_db
def test_categories_are_grouped_under_their_top_level_category(add_page):
    top = Category.objects.get(name="Arts and crafts", parent=None)
    child = top.children.order_by("sort_order").first()
    group = add_page.index("<label>Arts and crafts</label>")
    assert group < add_page.index("Arts and crafts (any kind)", group)
    assert add_page.index("Arts and crafts (any kind)", group) < add_page.index(child.name, group)
    assert add_page.index(child.name, group) < add_page.index("<label>", group + 1)


@pytest.mark.django_db
def test_new_activity_takes_its_address_from_its_name(client, editor, organisation, activity):
    client.force_login(editor)
    data = edit_post_data(activity, title="Crochet club")
    del data["slug"]
    response = client.post(add_url(organisation), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Activity.objects.get(title="Crochet club").slug == "crochet-club"


@pytest.mark.django_db
def test_editor_sees_submit_for_approval_as_the_main_button(add_page):
    button = primary_button(add_page)
    assert 'name="action-submit"' in button
    assert "Submit for approval" in button
    assert "Moderators approval" not in add_page


@pytest.mark.django_db
def test_moderator_is_not_pushed_to_submit_what_they_can_publish(client, moderator, activity):
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[activity.pk])).content.decode()
    assert 'name="action-submit"' not in primary_button(html)
    assert 'name="action-publish"' in footer(html)


@pytest.mark.django_db
def test_no_autosave_to_claim_errors_on_a_half_filled_form(add_page):
    assert "data-w-autosave-interval-value" not in add_page
    assert "There are validation errors" not in add_page


@pytest.mark.django_db
def test_submitting_lands_on_the_dashboard_with_one_message_saying_what_next(
    client, editor, organisation, activity, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    data = edit_post_data(activity, title="Crochet club", **{"action-submit": "1"})
    del data["slug"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add_url(organisation), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    dashboard = client.get(response["Location"]).content.decode()
    assert "Thank you: &quot;Crochet club&quot; is sent for approval." in dashboard
    assert "A moderator will check it before it goes on the site" in dashboard
    assert "submitted for moderation" not in dashboard
    assert "Waiting for approval" in dashboard
