"""Harvested listings say where they come from, and are not edited here until taken over."""

import pytest
from django.utils import timezone

from assets_directory.models import Activity
from harvest.models import FeedSource, HarvestedRecord

from .conftest import service

pytestmark = pytest.mark.django_db


@pytest.fixture
def harvested(harvest):
    harvest([service()], source="Merton directory")
    FeedSource.objects.filter(name="Merton directory").update(website="https://merton.example/")
    return Activity.objects.get(title="Chair yoga")


def test_a_harvested_activity_names_its_source_on_its_public_page(client, harvested):
    page = client.get(harvested.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Listed by" in text
    assert '<a href="https://merton.example/">Merton directory</a>, another directory' in text


def test_a_harvested_activity_says_when_it_was_fetched_not_that_it_was_checked(client, harvested):
    # The feed gave no assured or last-modified date: nobody here checked it, and its page says
    # only what is known, when it was last fetched from its source.
    record = HarvestedRecord.objects.get(page_id=harvested.pk)
    text = client.get(harvested.url).content.decode()
    assert "<dt>Last checked</dt>" not in text and "may be out of date" not in text
    fetched = f"{record.fetched_at:%Y-%m-%dT%H:%M:%S}"
    assert "<dt>Last fetched</dt><dd>From Merton directory on <time datetime=" in text
    assert fetched in text
    assert f"{record.fetched_at.day} {record.fetched_at:%B %Y}</time></dd>" in text
    # Said once: the "Listed by" line does not say it again.
    assert text.count("Last fetched") == 1


def test_a_taken_over_activity_is_checked_here_again(client, harvested):
    HarvestedRecord.objects.filter(page_id=harvested.pk).update(taken_over_at=timezone.now())
    text = client.get(harvested.url).content.decode()
    assert "<dt>Last checked</dt>" in text and "Last fetched" not in text


def test_a_harvested_organisation_says_when_it_was_fetched(client, harvested):
    text = client.get(harvested.get_parent().url).content.decode()
    assert "which keeps it up to date. Last fetched <time" in text


def test_a_harvested_activity_whose_terms_are_not_mapped_yet_shows_no_empty_categories(
    client, harvested
):
    # Its feed's term ("Keeping active") waits in the crosswalk: the activity has no category
    # of ours yet, and its page says nothing rather than "Categories" and a blank.
    assert not harvested.categories.exists()
    text = client.get(harvested.url).content.decode()
    assert "<dt>Categories</dt>" not in text


def test_a_harvested_organisation_names_its_source_and_cannot_be_claimed_here(client, harvested):
    organisation = harvested.get_parent().specific
    text = client.get(organisation.url).content.decode()
    assert "Merton directory" in text
    assert "Ask to look after it" not in text


def test_a_local_listing_says_nothing_of_a_source(client, activity):
    text = client.get(activity.url).content.decode()
    assert "Listed by" not in text


def test_a_moderator_cannot_edit_a_harvested_page_until_it_is_taken_over(
    client, moderator, harvested
):
    client.force_login(moderator)
    response = client.get(f"/admin/pages/{harvested.pk}/edit/", follow=True)
    assert response.redirect_chain
    assert "comes from Merton directory" in response.content.decode()
    HarvestedRecord.objects.filter(page_id=harvested.pk).update(taken_over_at=timezone.now())
    response = client.get(f"/admin/pages/{harvested.pk}/edit/")
    assert response.status_code == 200


def test_a_taken_over_listing_says_it_is_now_kept_here(client, harvested):
    HarvestedRecord.objects.filter(page_id=harvested.pk).update(taken_over_at=timezone.now())
    text = client.get(harvested.url).content.decode()
    assert "this copy is now kept here" in text


def test_a_harvested_venue_is_not_edited_here_until_taken_over(client, moderator, harvested):
    venue = harvested.venue
    client.force_login(moderator)
    response = client.get(f"/admin/snippets/assets_directory/venue/edit/{venue.pk}/", follow=True)
    assert "comes from Merton directory" in response.content.decode()
    HarvestedRecord.objects.filter(venue=venue).update(taken_over_at=timezone.now())
    response = client.get(f"/admin/snippets/assets_directory/venue/edit/{venue.pk}/")
    assert response.status_code == 200


def test_access_given_only_in_words_is_not_called_untold(client, harvest):
    record = service()
    record["service_at_locations"][0]["location"]["accessibility"] = [
        {"id": "a1", "description": "Step-free entrance"}
    ]
    harvest([record])
    text = client.get(Activity.objects.get(title="Chair yoga").url).content.decode()
    assert "Step-free entrance" in text
    assert "has not told us about access" not in text
