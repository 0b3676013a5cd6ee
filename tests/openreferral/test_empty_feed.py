"""A directory with nothing in it still publishes a valid feed (apart from the borough of
test_feed.py, which lives for its module)."""

import pytest

from tests.factories import ActivityFactory, OrganisationFactory

from .test_feed import LISTS, get
from .validation import assert_valid


@pytest.mark.django_db
def test_an_empty_feed_is_valid(client, db):
    for path in LISTS:
        data = get(client, path).json()
        assert_valid(path, data)
    data = get(client, "/services").json()
    assert data["empty"] and data["total_items"] == 0 and data["total_pages"] == 1


@pytest.mark.django_db
def test_publishing_and_unpublishing_reach_the_lists_at_once(client, directory):
    organisation = OrganisationFactory(parent=directory)
    ActivityFactory(parent=organisation)
    assert get(client, "/services").json()["total_items"] == 1
    second = ActivityFactory(parent=organisation)
    second.save_revision().publish()
    assert get(client, "/services").json()["total_items"] == 2
    second.unpublish()
    assert get(client, "/services").json()["total_items"] == 1
    assert get(client, f"/services/{second.uuid}").status_code == 404
