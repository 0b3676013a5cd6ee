"""Issue 13's whole journey as a new volunteer, in a real browser, as tools/volunteer_journey.py
walks it (the same flow, so the counts in the closing note and this test cannot drift apart):
list the group, a moderator approves it, set a password from the e-mail, sign in, add an activity
with a new venue and a fortnightly term-time session, submit it, a moderator approves it from the
review queue, and it is on the public site and in search."""

import pytest
from django.core import mail

from tests.e2e.conftest import SCREENSHOT_DIR
from tests.factories import ModeratorFactory
from tools import volunteer_journey as journey

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
)

pytestmark = pytest.mark.e2e

# Before issue 13 the volunteer needed 8 page loads and 3 form submissions to sign in and list
# one activity at a new venue (11 page loads with the dead ends), and the moderator 4 and 2 to
# approve it: docs/screenshots/issue-13/before/README.md.
BEFORE_ADD_ACTIVITY_PAGE_LOADS = 8
BEFORE_APPROVE_PAGE_LOADS = 4


class OutboxMailbox:
    """The journey's mailbox, read from Django's test outbox (the server runs in this process)."""

    def texts(self, *, to: str, since: float) -> list[tuple[str, str]]:
        return [
            (message.subject, message.body)
            for message in mail.outbox
            if any(to.lower() in address.lower() for address in message.to)
        ]


def test_new_volunteer_lists_an_activity_and_it_goes_live(browser, live_site, settings):
    # E-mailed links point at the configured site address: here, the test server.
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = live_site.url
    ModeratorFactory(username="moderator", password="correct-horse-9")
    args = journey.build_parser().parse_args(
        ["--base-url", live_site.url, "--moderator", "moderator:correct-horse-9", "--flow", "after"]
    )
    recorder = journey.Recorder(live_site.url)
    shots = journey.Shooter(SCREENSHOT_DIR / "volunteer-journey")
    run = journey.Journey(live_site.url, recorder, shots, browser, args, OutboxMailbox())

    journey.flow_after(run)

    adding = recorder.totals("add-activity", needed_only=False)
    approving = recorder.totals("approve-activity", needed_only=False)
    assert adding["page_loads"] < BEFORE_ADD_ACTIVITY_PAGE_LOADS, recorder.step_list()
    assert approving["page_loads"] < BEFORE_APPROVE_PAGE_LOADS, recorder.step_list()
    # No step was a detour: the volunteer never had to leave the form or hit a refusal.
    assert all(step.needed for step in recorder.steps), recorder.step_list()
    assert "Every other Tuesday, 10:00 to 12:00" in run.public_text
    assert "term time only" in run.public_text.lower()
    assert args.venue_name in run.public_text
