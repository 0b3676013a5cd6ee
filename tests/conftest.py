import pytest
from django.core.cache import cache

import common.mail
from assets_directory.models import DirectoryIndexPage
from assets_directory.services import organisation_grant_editors
from search import concepts
from tests.factories import (
    ActivityFactory,
    ActivityScheduleFactory,
    ModeratorFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits live in the cache; each test starts with a clean slate. So do the search
    # concepts each process keeps (a test's own concepts are rolled back without a signal).
    cache.clear()
    concepts.forget()
    yield
    cache.clear()
    concepts.forget()


@pytest.fixture(autouse=True)
def _mail_goes_out_at_once(request, monkeypatch):
    # Mail is delivered when the transaction that sent it commits, and a test's transaction
    # never does: here it goes at once. Tests marked mail_after_commit keep the real rule.
    if "mail_after_commit" not in request.keywords:
        monkeypatch.setattr(common.mail, "on_commit", lambda callback: callback())


@pytest.fixture
def directory(db):
    """The directory page the migrations create under the home page."""
    return DirectoryIndexPage.objects.get()


@pytest.fixture
def moderator(db):
    return ModeratorFactory(username="moderator", email="moderator@example.org")


@pytest.fixture
def organisation(directory):
    return OrganisationFactory(parent=directory, title="Tooting Knit and Natter")


@pytest.fixture
def other_organisation(directory):
    return OrganisationFactory(parent=directory, title="Balham Community Choir")


def make_editor(organisation, **kwargs):
    """An active account in the organisation's editors group, as approval creates."""
    group = organisation_grant_editors(organisation=organisation)
    return UserFactory(groups=[group], **kwargs)


@pytest.fixture
def editor(organisation):
    return make_editor(organisation, username="knitter", email="knitter@example.org")


@pytest.fixture
def activity(organisation):
    activity = ActivityFactory(parent=organisation, title="Knit and natter")
    ActivityScheduleFactory(activity=activity)
    return activity


@pytest.fixture
def other_activity(other_organisation):
    return ActivityFactory(parent=other_organisation, title="Community choir")


@pytest.fixture
def search_index(settings, tmp_path):
    """A fresh embedded search index for this test only."""
    from search.backends import get_backend

    settings.DIRECTORY_SEARCH = {
        "BACKEND": "search.backends.embedded.EmbeddedSearchBackend",
        "OPTIONS": {"path": str(tmp_path / "search-index")},
    }
    return get_backend()


# Matching: two teams, each with a facilitator, and a consented person in the first.


@pytest.fixture
def team(db):
    from tests.factories import TeamFactory

    return TeamFactory(name="Battersea PCN", slug="battersea-pcn")


@pytest.fixture
def other_team(db):
    from tests.factories import TeamFactory

    return TeamFactory(name="Tooting Library Hub", slug="tooting-library-hub")


@pytest.fixture
def facilitator(team):
    from tests.factories import make_facilitator

    return make_facilitator(team, username="facilitator")


@pytest.fixture
def team_lead(team):
    from tests.factories import make_facilitator

    return make_facilitator(team, username="lead", role="lead")


@pytest.fixture
def other_facilitator(other_team):
    from tests.factories import make_facilitator

    return make_facilitator(other_team, username="other-facilitator")


@pytest.fixture
def person(team):
    from tests.factories import PersonFactory

    return PersonFactory(team=team, display_name="Jo B", postcode="SW18 1AA")


# The search emulators (tests/search/emulator.py), for the search backends' tests and the bench's.
@pytest.fixture(scope="session")
def elasticsearch_emulator():
    """osmem-server (an emulator, not Elasticsearch) behind the media-type shim, for the
    session; see tests/search/emulator.py. Skips only when the package is not installed."""
    pytest.importorskip(
        "osmem_server", reason="osmem-server (requirements-dev.txt) is not installed"
    )
    from tests.search.emulator import ElasticsearchEmulator

    with ElasticsearchEmulator() as emulator:
        yield emulator


@pytest.fixture(scope="session")
def opensearch_emulator():
    """osmem-server (an emulator, not OpenSearch) for the session, without a shim; see
    tests/search/emulator.py. Skips only when the package is not installed."""
    pytest.importorskip(
        "osmem_server", reason="osmem-server (requirements-dev.txt) is not installed"
    )
    from tests.search.emulator import OpenSearchEmulator

    with OpenSearchEmulator() as emulator:
        yield emulator


# Fixtures through which a test reaches the database (pytest-django's own names;
# django_db_setup for module fixtures that unblock the database themselves).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "django_db_setup",
}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help=(
            "Run only the tests that reach the database (CI's second pass on PostgreSQL): "
            "pytest-django refuses database access to the others, so a second database "
            "cannot change their result."
        ),
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-tests-only"):
        return
    keep, drop = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (keep if uses_database else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
