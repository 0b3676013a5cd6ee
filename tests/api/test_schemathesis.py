"""The API does what its OpenAPI document says, checked by schemathesis.

Every operation in /api/schema/ is called with cases generated from the document itself, both
valid ones (which must be answered as documented) and invalid ones (which must be refused with
a documented 4xx), and every response is checked against the document: status codes, content
types, headers and body schemas, and never a server error. A fixed seed keeps the cases the
same from run to run.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from referrals.services import api_key_issue
from tests.factories import ActivityFactory, ActivityScheduleFactory, OrganisationFactory
from tests.factories.matching import PersonFactory, TeamFactory

# What an OpenAPI document cannot say about a well-formed request: whether a place or a slug
# exists (they are looked up), and how parameters depend on each other (a radius or sorting by
# distance needs a place, an end time comes after its start, page × page_size stays within
# 10,000). The descriptions say these in words. A schema-valid request may be refused for these
# reasons only, and the error's `field` must say which.
NOT_IN_THE_SCHEMA = {
    "near", "radius_km", "sort", "page", "category", "access", "bbox", "time_to",
    "top_three", "interests", "needs", "access_needs", "network", "conditions",
    "cared_for_conditions",
    # The referral API: whether the person is the key's team's and the activity takes
    # referrals, plain text without control characters, and which reasons go with a status.
    "person", "activity_id", "first_name", "contact", "help_with", "note", "status_reason",
    # The commissioners' open data: which district the site serves, and which themes exist.
    "district", "theme",
}  # fmt: skip


def valid_data_is_refused_only_for_what_the_schema_cannot_say(ctx, response, case):
    """positive_data_acceptance, less the refusals the document cannot foresee."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code < 400:
        return None
    if response.status_code == 404 and "{id}" in case.path:
        return None  # a referral id that is not the team's (ids are looked up)
    if response.status_code == 409:
        return None  # a status change the referral's current status does not allow
    if response.status_code == 400:
        field = (response.json().get("field") or "").split(".")[0].split("[")[0]
        if field in NOT_IN_THE_SCHEMA or (
            field == "free_times" and ".to" in response.json()["field"]
        ):
            return None
    raise AssertionError(
        f"A schema-valid request was refused with {response.status_code}: {response.text}"
    )


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    valid_data_is_refused_only_for_what_the_schema_cannot_say,
]
EXAMPLES_PER_OPERATION = 100


# The document itself is read once, at collection (serving it touches no database).
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/",
    get_wsgi_application(),
    config=SchemathesisConfig.from_dict(
        {
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES_PER_OPERATION,
                "deterministic": True,
            },
        }
    ),
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI application closes the database connection after each request, as it should
    when served; inside a test's transaction (on PostgreSQL) that would end the test's data.
    Django's own test client holds these signals off in the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def directory_with_activities(db, directory, search_index, settings):
    settings.MATCH_API_RATE_LIMIT = 100_000
    organisation = OrganisationFactory(parent=directory, title="Schema Test Group")
    for title in ("Walking group", "Community choir", "Knit and natter"):
        ActivityScheduleFactory(activity=ActivityFactory(parent=organisation, title=title))


@schema.auth()
class TeamKey:
    """A team's key for the referral API, given to schemathesis as the configured auth, so
    that it sends it with valid cases and leaves it out to test the refusal (401)."""

    raw = ""

    def get(self, case, context):
        return TeamKey.raw

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture(autouse=True)
def api_key(db):
    team = TeamFactory()
    PersonFactory(team=team)
    TeamKey.raw = api_key_issue(team=team, by=None, name="Schema test")[1]


@schema.parametrize()
@settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_does_what_its_document_says(case):
    case.call_and_validate(checks=CHECKS)
