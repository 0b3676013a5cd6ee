"""Tasks through a real broker and worker (CI's PostgreSQL + Redis pass)."""

import os
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone

from assets_directory.models import Activity, FreshnessReminder
from tests.conftest import make_editor
from tests.factories import ActivityFactory, ModeratorFactory, OrganisationFactory

needs_broker = pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"),
    reason="Needs a real Celery broker: runs in CI's PostgreSQL + Redis pass "
    "(set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/15).",
)


@contextmanager
def worker():
    """A worker thread consuming from the real broker, with eager execution switched off."""
    from celery.contrib.testing.worker import start_worker

    from cms.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        app.control.purge()  # messages left by an earlier run must not run against this database
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.task_always_eager = eager


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@needs_broker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_freshness_task_runs_on_a_worker_through_the_broker(directory):
    from assets_directory.tasks import send_freshness_reminders

    organisation = OrganisationFactory(parent=directory, title="Putney Ramblers")
    make_editor(organisation, username="rambler", email="rambler@example.org")
    activity = ActivityFactory(parent=organisation, title="Heath walk")
    Activity.objects.filter(pk=activity.pk).update(
        last_reviewed=timezone.localdate() - timedelta(days=400)
    )

    with worker():
        send_freshness_reminders.delay()
        assert wait_for(lambda: FreshnessReminder.objects.filter(activity=activity).exists())

    reminder = FreshnessReminder.objects.get(activity=activity)
    assert reminder.sent_to == "rambler@example.org"


@needs_broker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_reaches_the_index_through_the_broker(directory, settings, tmp_path):
    from search.query import DirectoryQuery
    from search.selectors import search_directory

    settings.DIRECTORY_SEARCH = {
        "BACKEND": "search.backends.embedded.EmbeddedSearchBackend",
        "OPTIONS": {"path": str(tmp_path / "index")},
    }
    moderator = ModeratorFactory(username="mod-broker")
    organisation = OrganisationFactory(parent=directory, title="Putney Ramblers")
    activity = ActivityFactory(parent=organisation, title="Riverside ramble")

    def found():
        return [h.title for h in search_directory(DirectoryQuery(text="riverside")).hits]

    with worker():
        activity.save_revision(user=moderator).publish(user=moderator)
        assert wait_for(lambda: found() == ["Riverside ramble"])
