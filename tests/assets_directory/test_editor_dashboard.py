"""The group editor's dashboard: their organisations, each activity's state in plain words,
problem reports, and one obvious "Add an activity"; nothing of other organisations."""

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from assets_directory.models import Activity, ListingReport
from assets_directory.selectors import editor_organisations, listing_state
from cms.services import site_update_address
from tests.assets_directory.test_permissions import edit_post_data
from tests.factories import ActivityFactory


@pytest.mark.parametrize(
    ("facts", "words", "attention"),
    [
        ({}, "On the site", False),
        ({"live": False}, "Draft: not on the site yet", True),
        ({"workflow_status": "in_progress"}, "Waiting for approval", False),
        ({"workflow_status": "needs_changes"}, "Changes requested by a moderator", True),
        (
            {"status": "temporarily_closed"},
            "On the site, shown as temporarily closed",
            False,
        ),
        ({"status": "ended", "stale_days": 400}, "Ended: no longer listed", False),
        (
            {"has_unpublished_changes": True},
            "On the site, with changes not sent for approval",
            True,
        ),
        ({"stale_days": 200}, "On the site: please check it (not confirmed for 7 months)", True),
        ({"stale_days": 20}, "On the site: please check it (not confirmed for 1 month)", True),
    ],
)
def test_each_state_is_said_in_plain_words(facts, words, attention):
    given = {
        "live": True,
        "has_unpublished_changes": False,
        "workflow_status": "",
        "status": "running",
        "stale_days": None,
        **facts,
    }
    assert listing_state(**given) == (words, attention)


@pytest.mark.django_db
def test_editor_sees_each_activity_of_their_group_with_its_state_and_reports(
    client, editor, organisation, activity, other_activity
):
    draft = ActivityFactory(parent=organisation, title="Crochet club", live=False)
    stale = ActivityFactory(
        parent=organisation,
        title="Sewing bee",
        last_reviewed=timezone.localdate() - timedelta(days=240),
    )
    ListingReport.objects.create(activity=activity, kind=ListingReport.Kind.WRONG_DETAILS)
    client.force_login(editor)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Your group&#x27;s listings" in page or "Your group's listings" in page
    add = reverse("wagtailadmin_pages:add", args=("assets_directory", "activity", organisation.pk))
    assert f'href="{add}">Add an activity</a>' in page
    for listed in (activity, draft, stale):
        assert reverse("wagtailadmin_pages:edit", args=(listed.pk,)) in page
    assert "Draft: not on the site yet" in page
    assert "not confirmed for 8 months" in page
    assert "1 to look at" in page
    # Nothing of another organisation, and no site-wide page counts.
    assert other_activity.title not in page
    assert reverse("wagtailadmin_pages:edit", args=(other_activity.pk,)) not in page
    assert "w-summary__list" not in page or "created in" not in page


@pytest.mark.django_db
def test_a_submitted_change_shows_as_waiting_for_approval(
    client, editor, moderator, organisation, activity
):
    activity.save_revision(user=moderator).publish()
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[activity.pk]),
        edit_post_data(activity, title="Knit, natter and crochet", **{"action-submit": "1"}),
    )
    (edited,) = editor_organisations(user=editor)
    (listing,) = edited.listings
    assert listing.state == "Waiting for approval"
    # Said once, in those words: not again in Wagtail's workflow jargon.
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Waiting for approval" in page
    assert "Awaiting Moderators approval" not in page
    assert "Your pages and snippets in a workflow" not in page


@pytest.mark.django_db
def test_moderators_keep_wagtails_dashboard_without_a_group_panel(client, moderator, activity):
    client.force_login(moderator)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Add an activity" not in page
    assert 'Pages <span class="w-sr-only">created in' in page


@pytest.mark.django_db
def test_the_dashboard_reads_the_same_few_queries_for_many_activities(
    editor, organisation, activity, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5) as one:
        editor_organisations(user=editor)
    for n in range(6):
        ActivityFactory(parent=organisation, title=f"Activity {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        (edited,) = editor_organisations(user=editor)
    assert len(edited.listings) == 7
    assert all(isinstance(listing.activity, Activity) for listing in edited.listings)


@pytest.mark.django_db
def test_a_user_who_edits_no_organisation_gets_no_panel(django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    assert editor_organisations(user=user) == []


@pytest.mark.django_db
@override_settings(WAGTAIL_SITE_NAME="Common Ground")
def test_the_dashboard_is_titled_with_the_site_name_not_the_host(client, editor):
    site = Site.objects.get(is_default_site=True)
    site.site_name = ""
    site.save()
    site_update_address()
    assert Site.objects.get(pk=site.pk).site_name == "Common Ground"
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert re.search(r"<h1[^>]*>\s*Common Ground\s*</h1>", page)
