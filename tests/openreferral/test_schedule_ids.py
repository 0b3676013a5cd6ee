"""A schedule's id is its session's stored uuid: the same after the activity is edited and
published again, however often; a session added, or copied with its activity, gets its own."""

import pytest
from django.urls import reverse

from assets_directory.models import Activity
from tests.assets_directory.test_permissions import edit_post_data

pytestmark = pytest.mark.django_db


def feed_schedule_ids(client, activity) -> list[str]:
    data = client.get(f"/openreferral/services/{activity.uuid}").json()
    return [s["id"] for s in data["schedules"]]


def publish_with_a_saturday_session(client, activity, session):
    """The editor's form for `activity`, its session as it is, a Saturday session added."""
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[activity.pk]),
        edit_post_data(
            activity,
            **{
                "schedules-TOTAL_FORMS": "2",
                "schedules-INITIAL_FORMS": "1",
                "schedules-0-id": str(session.pk),
                "schedules-0-ORDER": "1",
                "schedules-0-frequency": session.frequency,
                "schedules-0-weekdays": session.weekdays.split(","),
                "schedules-0-start_time": session.start_time.strftime("%H:%M"),
                "schedules-0-end_time": session.end_time.strftime("%H:%M"),
                "schedules-1-ORDER": "2",
                "schedules-1-frequency": "weekly",
                "schedules-1-weekdays": ["sat"],
                "schedules-1-start_time": "14:00",
                "action-publish": "1",
            },
        ),
    )


def test_a_schedule_id_is_the_sessions_stored_uuid_and_edits_keep_it(client, moderator, activity):
    activity.save_revision().publish()
    session = activity.schedules.get()
    assert feed_schedule_ids(client, activity) == [str(session.uuid)]

    client.force_login(moderator)
    response = publish_with_a_saturday_session(client, activity, session)
    assert response.status_code == 302, response.content.decode()[:2000]
    first = activity.schedules.get(pk=session.pk)
    added = activity.schedules.exclude(pk=session.pk).get()
    assert (first.pk, first.uuid) == (session.pk, session.uuid)
    assert added.uuid != session.uuid

    # Published again from its latest revision, twice: nothing changes.
    for _ in range(2):
        page = Activity.objects.get(pk=activity.pk).get_latest_revision_as_object()
        page.summary += " Again."
        page.save_revision().publish()
    assert feed_schedule_ids(client, activity) == [str(session.uuid), str(added.uuid)]


def test_a_copy_of_an_activity_gives_its_sessions_ids_of_their_own_that_publishing_keeps(
    activity,
):
    activity.save_revision().publish()
    original = set(activity.schedules.values_list("uuid", flat=True))

    copy = activity.copy(update_attrs={"title": "Knit and natter too", "slug": "knit-too"})
    copied = set(copy.schedules.values_list("uuid", flat=True))
    # Its revision still holds the first one's ids, as Wagtail copies revisions as they are.
    copy.get_latest_revision().publish()

    assert len(copied) == len(original) == 1
    assert copied.isdisjoint(original)
    assert set(copy.schedules.values_list("uuid", flat=True)) == copied
    assert set(activity.schedules.values_list("uuid", flat=True)) == original
