"""Likely duplicates across sources are listed for a moderator, never merged silently."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from assets_directory.models import Activity, Organisation
from harvest import services
from harvest.models import DuplicatePair, HarvestRun
from tests.factories import ActivityFactory, OrganisationFactory, VenueFactory

from .conftest import service

pytestmark = pytest.mark.django_db

BALHAM_LIBRARY = (51.4433, -0.1525)


def pairs_after(harvest, records, source="Neighbours"):
    harvest(records, source=source)
    run = HarvestRun.objects.latest()
    services.harvest_duplicates_find(run=run)
    return list(DuplicatePair.objects.all())


def test_the_same_charity_number_pairs_organisations_from_two_sources(harvest, directory):
    local = OrganisationFactory(
        parent=directory, title="Balham Movers CIO", charity_number="1100001"
    )
    (pair,) = pairs_after(harvest, [service()])
    harvested = Organisation.objects.get(title="Balham Movers")
    assert {pair.first_id, pair.second_id} == {local.pk, harvested.pk}
    assert pair.reasons == "the same charity number"
    assert pair.decision == DuplicatePair.Decision.PENDING
    assert Organisation.objects.get(pk=local.pk).live  # nothing merged by itself


def test_much_the_same_title_within_100_metres_pairs_activities(harvest, organisation):
    venue = VenueFactory(name="Library hall", latitude=BALHAM_LIBRARY[0] + 0.0003,
                         longitude=BALHAM_LIBRARY[1])  # fmt: skip
    local = ActivityFactory(parent=organisation, title="Chair Yoga!", venue=venue)
    ActivityFactory(parent=organisation, title="Chess club", venue=venue)
    pairs = pairs_after(harvest, [service()])
    harvested = Activity.objects.get(title="Chair yoga")
    assert [(p.first_id, p.second_id) for p in pairs] == [
        (min(local.pk, harvested.pk), max(local.pk, harvested.pk))
    ]
    assert "much the same title" in pairs[0].reasons


def test_a_similar_title_far_away_is_not_a_duplicate(harvest, organisation):
    far = VenueFactory(name="Manchester Hall", postcode="M1 1AA", latitude=53.48, longitude=-2.24)
    ActivityFactory(parent=organisation, title="Chair yoga", venue=far)
    assert pairs_after(harvest, [service()]) == []


def test_repeats_within_one_source_are_not_listed(harvest):
    twin = service(id="0d9f5f53-0d3a-4b8e-9a43-6a5a7c1b0009")
    assert pairs_after(harvest, [service(), twin]) == []


def test_a_pair_is_listed_once_however_often_it_is_seen(harvest, organisation):
    ActivityFactory(parent=organisation, title="Chair yoga", venue=VenueFactory(
        latitude=BALHAM_LIBRARY[0], longitude=BALHAM_LIBRARY[1]))  # fmt: skip
    pairs_after(harvest, [service()])
    pairs_after(harvest, [service(name="Chair yoga ")])
    assert DuplicatePair.objects.count() == 1


def test_merging_keeps_one_listing_and_sends_the_others_address_to_it(
    harvest, organisation, moderator, client
):
    local = ActivityFactory(parent=organisation, title="Chair yoga", venue=VenueFactory(
        latitude=BALHAM_LIBRARY[0], longitude=BALHAM_LIBRARY[1]))  # fmt: skip
    (pair,) = pairs_after(harvest, [service()])
    harvested = Activity.objects.get(title="Chair yoga", harvested_record__isnull=False)
    old_url = harvested.url
    services.duplicate_merge(pair=pair, keep=local, user=moderator)
    harvested.refresh_from_db()
    assert not harvested.live
    assert Redirect.objects.get(old_path=Redirect.normalise_path(old_url)).redirect_page_id == (
        local.pk
    )
    assert client.get(old_url).status_code == 301
    # The next harvest updates it but does not publish it again.
    harvest([service(description="Now on Tuesdays.")])
    harvested.refresh_from_db()
    assert not harvested.live


def test_keeping_apart_is_remembered(harvest, organisation, moderator):
    ActivityFactory(parent=organisation, title="Chair yoga", venue=VenueFactory(
        latitude=BALHAM_LIBRARY[0], longitude=BALHAM_LIBRARY[1]))  # fmt: skip
    (pair,) = pairs_after(harvest, [service()])
    services.duplicate_keep_apart(pair=pair, user=moderator)
    pairs_after(harvest, [service(name="Chair yoga, again")])
    pair.refresh_from_db()
    assert pair.decision == DuplicatePair.Decision.APART
    assert DuplicatePair.objects.filter(decision="pending").count() == 0


def test_the_kept_listing_must_be_one_of_the_pair(harvest, organisation, moderator, activity):
    ActivityFactory(parent=organisation, title="Chair yoga", venue=VenueFactory(
        latitude=BALHAM_LIBRARY[0], longitude=BALHAM_LIBRARY[1]))  # fmt: skip
    (pair,) = pairs_after(harvest, [service()])
    with pytest.raises(ValueError):
        services.duplicate_merge(pair=pair, keep=activity, user=moderator)


def test_a_moderator_sees_the_pair_side_by_side_and_keeps_one(
    harvest, organisation, moderator, client
):
    local = ActivityFactory(parent=organisation, title="Chair yoga", venue=VenueFactory(
        latitude=BALHAM_LIBRARY[0], longitude=BALHAM_LIBRARY[1]))  # fmt: skip
    (pair,) = pairs_after(harvest, [service()], source="Merton directory")
    client.force_login(moderator)
    page = client.get("/admin/harvest/duplicates/").content.decode()
    assert "Merton directory" in page and "This directory" in page
    assert "much the same title" in page
    response = client.post(
        f"/admin/harvest/duplicates/{pair.pk}/decide/", {"keep": str(local.pk)}, follow=True
    )
    assert "Merged" in response.content.decode()
    pair.refresh_from_db()
    assert (pair.decision, pair.kept_id) == (DuplicatePair.Decision.MERGED, local.pk)


def test_a_decision_naming_neither_listing_changes_nothing(
    harvest, organisation, moderator, client
):
    ActivityFactory(parent=organisation, title="Chair yoga", venue=VenueFactory(
        latitude=BALHAM_LIBRARY[0], longitude=BALHAM_LIBRARY[1]))  # fmt: skip
    (pair,) = pairs_after(harvest, [service()])
    client.force_login(moderator)
    response = client.post(
        f"/admin/harvest/duplicates/{pair.pk}/decide/", {"keep": "99999"}, follow=True
    )
    assert "Choose which listing to keep" in response.content.decode()
    pair.refresh_from_db()
    assert pair.decision == DuplicatePair.Decision.PENDING


def test_each_decision_names_the_listing_it_keeps_for_screen_readers(
    harvest, organisation, moderator, client
):
    ActivityFactory(parent=organisation, title="Chair yoga", venue=VenueFactory(
        latitude=BALHAM_LIBRARY[0], longitude=BALHAM_LIBRARY[1]))  # fmt: skip
    pairs_after(harvest, [service()], source="Merton directory")
    client.force_login(moderator)
    page = client.get("/admin/harvest/duplicates/").content.decode()
    assert 'keep this one<span class="w-sr-only"> (Chair yoga, from This directory)</span>' in page
    assert (
        'keep this one<span class="w-sr-only"> (Chair yoga, from Merton directory)</span>' in page
    )
    assert (
        'keep both<span class="w-sr-only"> (Chair yoga — in Merton directory and on this site)'
        in page
    )
    assert '<caption class="w-sr-only">' in page


def test_a_pairs_heading_says_a_shared_title_once_with_where_each_comes_from(
    harvest, organisation, moderator, client
):
    ActivityFactory(parent=organisation, title="Chair yoga", venue=VenueFactory(
        latitude=BALHAM_LIBRARY[0], longitude=BALHAM_LIBRARY[1]))  # fmt: skip
    pairs_after(harvest, [service()], source="Merton directory")
    client.force_login(moderator)
    page = client.get("/admin/harvest/duplicates/").content.decode()
    assert ">Chair yoga — in Merton directory and on this site</h2>" in page
    assert "Chair yoga and Chair yoga" not in page


def test_a_pairs_heading_names_both_titles_when_they_differ(
    harvest, organisation, moderator, client
):
    ActivityFactory(parent=organisation, title="Chair yoga club", venue=VenueFactory(
        latitude=BALHAM_LIBRARY[0], longitude=BALHAM_LIBRARY[1]))  # fmt: skip
    (pair,) = pairs_after(harvest, [service()], source="Merton directory")
    client.force_login(moderator)
    page = client.get("/admin/harvest/duplicates/").content.decode()
    assert ">“Chair yoga” in Merton directory and “Chair yoga club” on this site</h2>" in page
