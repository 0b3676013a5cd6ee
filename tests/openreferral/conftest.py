import datetime

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from assets_directory.models import AccessibilityFeature, Activity, Category, DirectoryIndexPage
from search.services import index_rebuild
from tests.factories import (
    ActivityFactory,
    ActivityScheduleFactory,
    OrganisationFactory,
    VenueFactory,
)

SW18 = (51.4489, -0.1971)
# About 2.3 km east of SW18's centre.
TOOTING_COMMON = (51.4489, -0.1640)


@pytest.fixture(scope="module")
def borough(django_db_setup, django_db_blocker, tmp_path_factory):
    """The borough below, built once for the module in a transaction rolled back after its
    last test (each test runs in a savepoint inside it), indexed in a directory of its own."""
    search = {
        "BACKEND": "search.backends.embedded.EmbeddedSearchBackend",
        "OPTIONS": {"path": str(tmp_path_factory.mktemp("search-index"))},
    }
    with (
        override_settings(DIRECTORY_SEARCH=search),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_borough(DirectoryIndexPage.objects.get())
        transaction.set_rollback(True)


def build_borough(directory):
    """A small indexed borough of 25 listed activities in three organisations, each kind of
    delivery, session pattern and audience among them; plus what must never be published:
    a draft, an ended activity."""
    choirs = OrganisationFactory(
        parent=directory,
        title="Wandsworth Singers",
        charity_number="1123456",
        company_number="01234567",
        website="https://wandsworth-singers.example.org",
        languages="English, Polish",
    )
    walkers = OrganisationFactory(parent=directory, title="Tooting Walkers", website="")
    helpers = OrganisationFactory(parent=directory, title="Café Helpers ★", email="")
    library = VenueFactory(
        name="Southfields Library",
        latitude=SW18[0],
        longitude=SW18[1],
        accessibility_notes="Ramp at the side door.",
    )
    library.accessibility.set([AccessibilityFeature.objects.get(slug="step-free")])
    common = VenueFactory(
        name="Tooting Common Café", latitude=TOOTING_COMMON[0], longitude=TOOTING_COMMON[1]
    )
    far = VenueFactory(name="Manchester Hall", postcode="M1 1AA", latitude=53.48, longitude=-2.24)
    singing = Category.objects.get(slug="choirs-and-singing")
    walking = Category.objects.get(slug="walking")
    befriending = Category.objects.get(slug="befriending")
    made = []
    for n in range(8):
        choir = ActivityFactory(
            parent=choirs,
            title=f"Community choir {n}",
            summary="Sing pop and gospel together.",
            description="<p>Bring <b>water</b> &amp; a smile.</p><ul><li>No auditions</li></ul>",
            venue=library,
            categories=[singing],
            contact_name="Jean",
            contact_email="jean@example.org",
            contact_phone="020 8123 4567",
            age_min=18 if n % 2 else None,
            age_max=65 if n % 4 == 1 else None,
            audience="older" if n == 3 else "",
        )
        ActivityScheduleFactory(activity=choir, weekdays="tue,thu")
        made.append(choir)
    for n in range(8):
        walk = ActivityFactory(
            parent=walkers,
            title=f"Health walk {n}",
            summary="A gentle walk on the common.",
            venue=common,
            cost=Activity.Cost.PAID,
            cost_amount="3.00",
            cost_details="£3, first walk free",
            categories=[walking],
            status=Activity.Status.TEMPORARILY_CLOSED if n == 7 else Activity.Status.RUNNING,
        )
        ActivityScheduleFactory(
            activity=walk,
            frequency="fortnightly",
            weekdays="sat",
            start_time="10:00",
            end_time="11:00",
            starts_on=datetime.date(2026, 1, 3),
            term_time_only=True,
        )
        ActivityScheduleFactory(
            activity=walk,
            frequency="monthly",
            weekdays="wed",
            nth=-1,
            start_time="18:00",
            end_time="19:30",
        )
        made.append(walk)
    for n in range(6):
        made.append(
            ActivityFactory(
                parent=helpers,
                title=f"Friendly phone calls {n}",
                summary="A weekly call from a volunteer.",
                delivery=Activity.Delivery.PHONE if n % 2 else Activity.Delivery.ONLINE,
                venue=None,
                area_served="SW17, SW18" if n % 3 else "",
                categories=[befriending],
            )
        )
    once = ActivityFactory(
        parent=helpers,
        title="Manchester choir",
        summary="Sing in Manchester.",
        venue=far,
        categories=[singing],
    )
    ActivityScheduleFactory(
        activity=once,
        frequency="once",
        weekdays="",
        on_date=timezone.localdate() + datetime.timedelta(days=10),
        start_time="19:00",
        end_time="21:00",
    )
    made.append(once)
    made.append(
        ActivityFactory(
            parent=helpers,
            title="Ukulele ünd friends",
            slug="ukulele-und-friends-ü",
            summary="Strum along.",
            venue=common,
            categories=[singing],
            cost=Activity.Cost.PAY_WHAT_YOU_CAN,
        )
    )
    made.append(
        ActivityFactory(
            parent=helpers,
            title="Chess club",
            summary="Play chess.",
            venue=library,
            categories=[Category.objects.order_by("pk").first()],
        )
    )
    draft = ActivityFactory(parent=choirs, title="Secret draft choir", live=False, venue=library)
    ended = ActivityFactory(
        parent=choirs, title="Old choir", status=Activity.Status.ENDED, venue=library
    )
    # A first publication date, for modified_after: the choirs were published in 2025.
    Activity.objects.filter(pk__in=[a.pk for a in made]).update(
        last_published_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    )
    Activity.objects.filter(parent_path_filter(choirs)).update(
        last_published_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    )
    index_rebuild()
    return {
        "activities": made,
        "choirs": choirs,
        "walkers": walkers,
        "helpers": helpers,
        "draft": draft,
        "ended": ended,
        "library": library,
    }


def parent_path_filter(organisation):
    from django.db.models import Q

    return Q(path__startswith=organisation.path, depth=organisation.depth + 1)
