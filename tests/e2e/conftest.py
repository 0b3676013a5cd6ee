"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

One browser for the whole e2e run, a fresh browser context (cookies, cache, viewport) per test.
Each test asks for `page` (or `new_context` for a different viewport or with JavaScript off) and
saves screenshots under test-artifacts/screenshots/ with `screenshot`. A failing test also leaves a
`<test-name>-failure.png` of every page it had open.

The live server runs in a thread of this process against the in-memory SQLite test database, so
every test here is transactional: data made by a fixture is committed and the server can see it.
A transactional test ends by flushing the database, which would also remove the rows the data
migrations created (Wagtail's root and home page, the directory page, the categories, the
Moderators group); `django_db_serialized_rollback` puts them back before each test.
"""

import datetime
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.utils import timezone
from wagtail.models import Site

from assets_directory.models import AccessibilityFeature, Activity, Category
from tests.factories import (
    ActivityFactory,
    ActivityScheduleFactory,
    OrganisationFactory,
    VenueFactory,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
# Playwright's default is 30 s; a local page that takes this long is a failure, not a wait.
TIMEOUT_MS = 10_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item so that fixtures can tell whether it failed.
    report = yield
    setattr(item, f"_e2e_report_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def chromium():
    """Debian's chromium, or skip. Autouse and defined first, so that it runs before the test
    database is set up: a machine without chromium skips the browser tests at once."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(
            f"{CHROMIUM} is missing: the browser tests use Debian's chromium and never download "
            "a browser. `make test` installs it (apt-get install chromium)."
        )
    return CHROMIUM


# Package scope: one browser for all the tests in tests/e2e/, closed as soon as the last of them
# has run. While Playwright runs, this thread has a running asyncio loop (see below), which later
# tests elsewhere in the suite must not inherit.
@pytest.fixture(scope="package")
def browser(chromium, django_db_setup):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    # Playwright's sync API keeps an asyncio event loop running in this thread. Two effects:
    # 1. Django refuses the ORM calls that fixtures and tests make in this thread
    #    (SynchronousOnlyOperation). They never run *inside* the loop, only between Playwright
    #    calls, so the check is a false alarm here: turn it off, for as long as the browser runs.
    # 2. Django (through asgiref's thread-critical Local) hands out *new* database connection
    #    objects in this thread. They reach the same shared in-memory database, but they are not
    #    the connection the test database was set up on, which holds the rows that
    #    `django_db_serialized_rollback` restores and which the live server uses. Keep using
    #    that one.
    django_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as env, sync_api.sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in django_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def live_site(live_server, django_db_serialized_rollback):
    """The migrations' site data, with the default Wagtail Site pointing at the live server."""
    url = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=url.hostname, port=url.port)
    return live_server


@dataclass
class Traffic:
    """What the browser did during a test: every request URL, failed responses, script errors."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def record(self, context):
        context.on("request", lambda r: self.requests.append(r.url))
        context.on("requestfailed", self._request_failed)
        context.on(
            "response",
            lambda r: self.failed.append(f"{r.url} ({r.status})") if r.status >= 400 else None,
        )
        context.on("weberror", lambda e: self.errors.append(str(e.error)))

    def _request_failed(self, request):
        # A request the browser cancels because the page navigated away (a favicon still
        # loading when a button is pressed) is not a failure; an error status is caught by the
        # response handler above.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.failed.append(f"{request.url} ({request.failure})")

    def external(self, base_url):
        """Requests that went anywhere but the live server (data: and blob: URLs are local)."""
        origin = urlsplit(base_url).netloc
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != origin
        ]


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files (images and their renditions) kept in this test's own directory and
    served by the live server (tests/e2e/media_urls.py)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ROOT_URLCONF = "tests.e2e.media_urls"
    return settings.MEDIA_ROOT


@pytest.fixture
def traffic():
    return Traffic()


@pytest.fixture
def new_context(request, browser, live_site, traffic):
    """Make a browser context on the live server; extra keyword arguments go to new_context()."""
    contexts = []

    def make(**kwargs):
        context = browser.new_context(base_url=live_site.url, locale="en-GB", **kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        traffic.record(context)
        contexts.append(context)
        return context

    yield make

    report = getattr(request.node, "_e2e_report_call", None)
    if report is not None and report.failed:
        pages = [p for c in contexts for p in c.pages]
        for number, open_page in enumerate(pages):
            suffix = f"-{number}" if len(pages) > 1 else ""
            _save_screenshot(open_page, f"{request.node.name}-failure{suffix}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context(viewport={"width": 1280, "height": 900}).new_page()


def _save_screenshot(page, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session", autouse=True)
def _fresh_screenshot_dir():
    # Start each run with an empty folder so that stale pictures are not mistaken for new ones.
    # Only the e2e run uses it, and this fixture is only seen by tests under tests/e2e/.
    shutil.rmtree(SCREENSHOT_DIR, ignore_errors=True)


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot: `<test-name>.png`, or `<test-name>-<step>.png` for a step."""

    def save(page, step=""):
        return _save_screenshot(page, f"{request.node.name}-{step}" if step else request.node.name)

    return save


# Data. Factories commit straight away here (the tests are transactional).


@pytest.fixture
def listing(live_site):
    """A group with one weekly, pay-what-you-can activity at a venue with a map point and every
    access feature."""
    organisation = OrganisationFactory(title="Tooting Knit and Natter")
    venue = VenueFactory(
        name="St Anne's Church Hall",
        address_1="Bellevue Road",
        town="London",
        postcode="SW18 4DJ",
        latitude=51.4489,
        longitude=-0.1971,
        accessibility=AccessibilityFeature.objects.all(),
    )
    activity = ActivityFactory(
        parent=organisation,
        title="Knit and natter",
        summary="Bring your knitting, or learn, over tea and biscuits.",
        venue=venue,
        cost=Activity.Cost.PAY_WHAT_YOU_CAN,
        cost_details="about £2 a session",
        last_reviewed=timezone.localdate() - datetime.timedelta(days=3),
        categories=[Category.objects.get(slug="knitting-and-sewing")],
    )
    ActivityScheduleFactory(
        activity=activity,
        weekdays="tue",
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 0),
    )
    return activity


@pytest.fixture
def other_listing(live_site):
    """An activity in another group that a search for "knit" must not find."""
    return ActivityFactory(
        parent=OrganisationFactory(title="Balham Community Choir"),
        title="Community choir",
        summary="Sing together, no experience needed.",
        categories=[Category.objects.get(slug="choirs-and-singing")],
    )
