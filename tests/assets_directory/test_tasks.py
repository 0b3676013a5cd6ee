import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from assets_directory.models import Activity, FreshnessReminder
from tests.conftest import make_editor
from tests.factories import ActivityFactory, OrganisationFactory

needs_broker = pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"),
    reason="Needs a real Celery broker: runs in CI's PostgreSQL + Redis pass "
    "(set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/15).",
)


@needs_broker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_freshness_task_runs_on_a_worker_through_the_broker(directory):
    from celery.contrib.testing.worker import start_worker

    from assets_directory.tasks import send_freshness_reminders
    from cms.celery import app

    assert not app.conf.task_always_eager
    organisation = OrganisationFactory(parent=directory, title="Putney Ramblers")
    make_editor(organisation, username="rambler", email="rambler@example.org")
    activity = ActivityFactory(parent=organisation, title="Heath walk")
    Activity.objects.filter(pk=activity.pk).update(
        last_reviewed=timezone.localdate() - timedelta(days=400)
    )

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        send_freshness_reminders.delay()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if FreshnessReminder.objects.filter(activity=activity).exists():
                break
            time.sleep(0.2)

    reminder = FreshnessReminder.objects.get(activity=activity)
    assert reminder.sent_to == "rambler@example.org"
