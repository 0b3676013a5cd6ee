"""A directory with nothing in it still publishes a valid feed (apart from the borough of
test_feed.py, which lives for its module)."""

import pytest

from .test_feed import LISTS, get
from .validation import assert_valid


@pytest.mark.django_db
def test_an_empty_feed_is_valid(client, db):
    for path in LISTS:
        data = get(client, path).json()
        assert_valid(path, data)
    data = get(client, "/services").json()
    assert data["empty"] and data["total_items"] == 0 and data["total_pages"] == 1
