"""An activity at a venue keeps one service_at_location id (`Activity.location_uuid`, its id in
the Open Referral feed) through edits, publishing and revisions; a new venue, or a copy, takes
a new one, and an activity without a venue has none. Bulk writes (imports, the demo) keep the
same rules."""

import uuid

import pytest
from django.urls import reverse

from assets_directory.models import Activity
from assets_directory.services.bulk import page_fields_update, pages_bulk_create
from tests.factories import ActivityFactory, VenueFactory

from .test_permissions import edit_post_data

pytestmark = pytest.mark.django_db


def stored(activity) -> uuid.UUID | None:
    return Activity.objects.values_list("location_uuid", flat=True).get(pk=activity.pk)


def latest(activity) -> Activity:
    return Activity.objects.get(pk=activity.pk).get_latest_revision_as_object()


def test_an_activity_at_a_venue_has_one_and_re_saves_and_publishing_keep_it(activity):
    first = stored(activity)
    assert first is not None and first != activity.uuid

    activity.summary = "Knitting, and tea."
    activity.save()
    activity.save_revision().publish()
    for _ in range(2):
        page = latest(activity)
        page.summary += " Again."
        page.save_revision().publish()

    assert stored(activity) == first


def test_publishing_through_the_editor_keeps_it(client, moderator, activity):
    first = stored(activity)
    client.force_login(moderator)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[activity.pk]),
        edit_post_data(activity, summary="Knitting and chat.", **{"action-publish": "1"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Activity.objects.get(pk=activity.pk).summary == "Knitting and chat."
    assert stored(activity) == first


def test_a_new_venue_gives_a_new_one_that_publishing_again_keeps(client, moderator, activity):
    first = stored(activity)
    elsewhere = VenueFactory(name="Tooting Library")
    client.force_login(moderator)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[activity.pk]),
        edit_post_data(activity, venue=elsewhere.pk, **{"action-publish": "1"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    moved = stored(activity)
    assert Activity.objects.get(pk=activity.pk).venue_id == elsewhere.pk
    assert moved not in (None, first)
    latest(activity).save_revision().publish()
    assert stored(activity) == moved


def test_a_revision_holding_an_old_id_never_brings_it_back(activity):
    home, elsewhere = activity.venue, VenueFactory(name="Tooting Library")
    old_revision = activity.save_revision()  # at home, holding the first id
    first = stored(activity)

    page = latest(activity)
    page.venue = elsewhere
    page.save_revision().publish()
    second = stored(activity)
    page = latest(activity)
    page.venue = home
    page.save_revision().publish()
    third = stored(activity)
    # The old revision is at the same venue as the page now: the stored id wins.
    assert old_revision.as_object().location_uuid == first
    old_revision.publish()

    assert len({first, second, third}) == 3
    assert stored(activity) == third


def test_an_activity_without_a_venue_has_none_and_gets_one_with_a_venue(organisation):
    online = ActivityFactory(
        parent=organisation, title="Online chat", venue=None, delivery=Activity.Delivery.ONLINE
    )
    assert stored(online) is None

    online.venue = VenueFactory()
    online.delivery = Activity.Delivery.IN_PERSON
    online.save()
    given = stored(online)
    assert given is not None

    online.venue = None
    online.delivery = Activity.Delivery.ONLINE
    online.save_revision().publish()
    assert stored(online) is None


def test_a_save_of_a_few_fields_with_the_venue_keeps_the_id_with_it(activity):
    first = stored(activity)
    activity.title = "Knit"
    activity.save(update_fields=["title"])
    assert stored(activity) == first

    activity.venue = VenueFactory()
    activity.save(update_fields=["venue"])
    assert stored(activity) not in (None, first)


def test_a_copy_gets_its_own_that_publishing_its_revisions_keeps(activity):
    activity.save_revision().publish()
    first = stored(activity)

    copy = activity.copy(update_attrs={"title": "Knit and natter too", "slug": "knit-too"})
    copied = stored(copy)
    assert copied not in (None, first)
    assert copy.venue_id == activity.venue_id  # the same venue: another service there
    copy.get_latest_revision().publish()
    # A revision that still holds the first one's id (as one copied before the field was
    # excluded from copies would) changes nothing either.
    revision = copy.get_latest_revision()
    revision.content["location_uuid"] = str(first)
    revision.save()
    revision.publish()

    assert stored(copy) == copied
    assert stored(activity) == first


def test_a_new_activity_given_an_id_another_holds_gets_its_own(activity, organisation):
    taken = stored(activity)
    page = Activity(
        title="Another", summary="Another one.", venue=activity.venue, location_uuid=taken
    )
    organisation.add_child(instance=page)

    assert stored(page) not in (None, taken)


def test_bulk_pages_get_one_at_a_venue_keep_one_given_and_have_none_without(organisation):
    venue = VenueFactory()
    kept = uuid.uuid4()
    at_venue, given, online = pages_bulk_create(
        parent=organisation,
        model=Activity,
        rows=[
            {"title": "At the hall", "summary": "x", "venue_id": venue.pk},
            {"title": "Kept", "summary": "x", "venue_id": venue.pk, "location_uuid": kept},
            {"title": "Online", "summary": "x", "delivery": "online"},
        ],
    )

    assert Activity.objects.get(pk=at_venue).location_uuid is not None
    assert Activity.objects.get(pk=given).location_uuid == kept
    assert Activity.objects.get(pk=online).location_uuid is None


def test_a_bulk_update_keeps_it_at_the_same_venue_and_changes_it_at_another(activity):
    first = stored(activity)

    page_fields_update(
        model=Activity, page_id=activity.pk, fields={"title": "Knit", "venue_id": activity.venue_id}
    )
    assert stored(activity) == first
    page_fields_update(model=Activity, page_id=activity.pk, fields={"summary": "Just the words."})
    assert stored(activity) == first

    page_fields_update(model=Activity, page_id=activity.pk, fields={"venue_id": VenueFactory().pk})
    moved = stored(activity)
    assert moved not in (None, first)

    page_fields_update(model=Activity, page_id=activity.pk, fields={"venue_id": None})
    assert stored(activity) is None
