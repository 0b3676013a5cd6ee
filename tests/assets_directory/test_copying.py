"""Copying pages in the admin: an activity makes a new listing; an organisation cannot be copied."""

import pytest
from django.urls import reverse

from assets_directory.models import Activity, Organisation
from tests.factories import ActivityScheduleFactory


def copy(client, page, parent, **data):
    return client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": f"{page.title} (copy)",
            "new_slug": f"{page.slug}-copy",
            "new_parent_page": parent.pk,
            **data,
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_copying_an_activity_makes_a_new_listing_with_its_own_uuid(
    client, request, role, organisation, activity
):
    user = request.getfixturevalue(role)
    activity.save_revision().publish()
    ActivityScheduleFactory(activity=activity, weekdays="sat")
    client.force_login(user)

    response = copy(client, activity, organisation)

    assert response.status_code == 302, response.content.decode()[:1000]
    new = Activity.objects.get(slug=f"{activity.slug}-copy")
    activity.refresh_from_db()
    assert new.uuid != activity.uuid
    assert new.get_latest_revision().as_object().uuid == new.uuid
    assert new.get_parent().pk == organisation.pk
    assert new.schedules.count() == activity.schedules.count() == 2
    # Its sessions are new sessions too: the Open Referral feed names them apart.
    copied = set(new.schedules.values_list("uuid", flat=True))
    assert copied.isdisjoint(activity.schedules.values_list("uuid", flat=True))
    assert len(copied) == 2
    assert list(new.categories.all()) == list(activity.categories.all())
    assert new.venue == activity.venue
    assert not new.live  # a copy waits for moderation like any new listing
    assert Activity.objects.get(pk=activity.pk).uuid == activity.uuid


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_organisation_cannot_be_copied(client, request, role, directory, organisation, activity):
    user = request.getfixturevalue(role)
    client.force_login(user)
    explore = reverse("wagtailadmin_explore", args=[organisation.pk])
    copy_url = reverse("wagtailadmin_pages:copy", args=[organisation.pk])

    assert copy_url not in client.get(explore).content.decode()
    response = client.get(copy_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    response = copy(client, organisation, directory, copy_subpages="on")
    assert response.status_code == 302
    assert Organisation.objects.count() == 1
    assert Activity.objects.count() == 1


@pytest.mark.django_db
def test_organisation_copied_in_code_gets_no_ones_rights(directory, organisation, editor):
    organisation.refresh_from_db()
    new = organisation.copy(update_attrs={"title": "Copy", "slug": "copy"})
    assert new.uuid != organisation.uuid
    assert new.editors_group is None
    assert new.collection is None
