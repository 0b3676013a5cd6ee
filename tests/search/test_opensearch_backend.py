"""The OpenSearch backend: the same requests as the Elasticsearch backend, through its own client.

The contract tests (tests/search/contract.py) run against a server: always against the emulator
(osmem-server, an OpenSearch-compatible server for tests, spoken to directly with no shim), and
against a real OpenSearch 2.x or 3.x cluster when one is given:
OPENSEARCH_URL=http://localhost:9200 pytest tests/search/test_opensearch_backend.py
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from search.backends import SearchBackendError, load_backend
from search.backends.elasticsearch import ElasticsearchSearchBackend
from search.backends.opensearch import OpenSearchSearchBackend
from search.query import BBox, DirectoryQuery, Expansions, GeoPoint, Sort, TimeWindow
from tests.search.cluster_contract import ClusterContract
from tests.search.contract import doc
from tests.search.es_stub import StubElasticsearch, closed_port_url, error

BACKEND_PATH = "search.backends.opensearch.OpenSearchSearchBackend"
CENTRE = GeoPoint(51.4489, -0.1971)
OPENSEARCH_INFO = {
    "name": "stub-node",
    "cluster_name": "stub",
    "version": {"distribution": "opensearch", "number": "2.19.1"},
    "tagline": "The OpenSearch Project: https://opensearch.org/",
}
ALIAS = "directory"
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def stub():
    """A loopback stand-in answering plain JSON, as OpenSearch does."""
    with StubElasticsearch(content_type="application/json") as server:
        server.route("GET", "/", 200, OPENSEARCH_INFO)
        yield server


# --- the same request bodies as Elasticsearch ------------------------------------------------

QUERIES = [
    DirectoryQuery(),
    DirectoryQuery(text="walking group", facets=("cost", "days")),
    DirectoryQuery(text="sin", prefix=True),
    DirectoryQuery(text="singign", fuzzy=True),
    DirectoryQuery(
        text="peer support",
        expansions=Expansions(categories=("mental-health",), words=("talking",)),
    ),
    DirectoryQuery(near=CENTRE, radius_m=3000, sort=Sort.DISTANCE, age=70, max_cost=Decimal(5)),
    DirectoryQuery(
        bbox=BBox(51.40, -0.25, 51.50, -0.15),
        days=(1,),
        time_window=TimeWindow(datetime.time(9, 0), datetime.time(12, 0)),
        access=("step_free",),
        sort=Sort.TITLE,
    ),
]


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_every_search_body_is_the_elasticsearch_backends(query):
    """One request builder for both engines: what differs is the client, never the body."""
    opensearch = OpenSearchSearchBackend(url="http://127.0.0.1:9", index=ALIAS)
    elasticsearch = ElasticsearchSearchBackend(url="http://127.0.0.1:9", index=ALIAS)
    try:
        assert opensearch.build_search_body(query) == elasticsearch.build_search_body(query)
    finally:
        opensearch.close()
        elasticsearch.close()


# --- settings ------------------------------------------------------------------------------


def test_loads_from_a_settings_path_with_credentials():
    backend = load_backend(
        BACKEND_PATH,
        {"url": "https://search.example:9200", "username": "directory", "password": "s3cret"},
    )
    try:
        assert isinstance(backend, OpenSearchSearchBackend)
        assert backend.alias == "common-ground-activities"
        assert "s3cret" not in repr(backend.options.get("url"))
    finally:
        backend.close()


def test_needs_a_url_and_says_which_setting():
    with pytest.raises(ImproperlyConfigured, match="OPENSEARCH_URL"):
        OpenSearchSearchBackend(url="")


def test_refuses_an_index_name_opensearch_would_refuse():
    with pytest.raises(ImproperlyConfigured, match="not a valid index name"):
        OpenSearchSearchBackend(url="http://127.0.0.1:9", index="Directory")


def test_a_password_in_the_url_never_reaches_a_message():
    url = closed_port_url().replace("http://", "http://directory:s3cret@")
    backend = OpenSearchSearchBackend(url=url, index=ALIAS, timeout=1)
    try:
        with pytest.raises(SearchBackendError) as raised:
            backend.search(DirectoryQuery())
        (problem,) = backend.check()
    finally:
        backend.close()
    for message in (str(raised.value), problem):
        assert "s3cret" not in message and "directory:***@" in message


# --- what differs between OpenSearch versions -------------------------------------------------


@pytest.mark.parametrize(
    ("version", "must_exist"),
    [((2, 11, 1), False), ((2, 12, 0), True), ((3, 0, 0), True)],
)
def test_the_alias_swap_asks_must_exist_only_of_versions_that_know_it(version, must_exist):
    backend = OpenSearchSearchBackend(url="http://127.0.0.1:9", index=ALIAS)
    backend._version = version
    try:
        (action,) = backend._alias_remove_action("directory-1").values()
    finally:
        backend.close()
    assert action["index"] == "directory-1" and action["alias"] == ALIAS
    assert ("must_exist" in action) is must_exist


def test_a_rebuild_on_opensearch_2_11_swaps_the_alias_without_must_exist(stub):
    stub.route(
        "GET",
        "/",
        200,
        {**OPENSEARCH_INFO, "version": {"distribution": "opensearch", "number": "2.11.1"}},
    )
    stub.route("GET", r"/directory-\*", 200, {})
    stub.route("PUT", r"/directory-\d+", 200, {"acknowledged": True})
    stub.route("POST", r"/directory-\d+/_refresh", 200, {})
    stub.route("GET", "/_alias/directory", 200, {"directory-1": {"aliases": {ALIAS: {}}}})
    stub.route("POST", "/_aliases", 200, {"acknowledged": True})
    stub.route("DELETE", "/directory-1", 200, {"acknowledged": True})
    backend = OpenSearchSearchBackend(url=stub.url, index=ALIAS, timeout=2)
    try:
        assert backend.rebuild([]) == 0
    finally:
        backend.close()
    (swap,) = [r for r in stub.requests if r.path == "/_aliases"]
    remove, add = swap.json["actions"]
    assert remove == {"remove": {"index": "directory-1", "alias": ALIAS}}
    assert add["add"]["alias"] == ALIAS and add["add"]["index"].startswith("directory-")


# --- check(): what is wrong, in words ----------------------------------------------------------


def test_check_says_an_unreachable_cluster_is_unreachable():
    backend = OpenSearchSearchBackend(url=closed_port_url(), index=ALIAS, timeout=1)
    try:
        (problem,) = backend.check()
    finally:
        backend.close()
    assert "is not reachable" in problem and "OPENSEARCH_URL" in problem


def test_check_says_the_credentials_given_were_refused(stub):
    stub.route("GET", "/", *error(401, "security_exception", "unable to authenticate user"))
    backend = OpenSearchSearchBackend(url=stub.url, index=ALIAS, username="me", password="wrong")
    try:
        (problem,) = backend.check()
    finally:
        backend.close()
    assert "refused the credentials given (HTTP 401" in problem
    assert "OPENSEARCH_USERNAME" in problem and "wrong" not in problem


def test_check_says_credentials_are_needed_when_none_were_given(stub):
    stub.route("GET", "/", *error(401, "security_exception", "missing authentication"))
    backend = OpenSearchSearchBackend(url=stub.url, index=ALIAS)
    try:
        (problem,) = backend.check()
    finally:
        backend.close()
    assert "needs credentials, and none were given" in problem


def test_check_says_what_rights_are_missing(stub):
    stub.route("HEAD", f"/_alias/{ALIAS}", *error(403, "security_exception", "no permissions"))
    backend = OpenSearchSearchBackend(url=stub.url, index=ALIAS, username="u", password="p")
    try:
        (problem,) = backend.check()
    finally:
        backend.close()
    assert "accepted the credentials but refused them the right" in problem
    assert f"'{ALIAS}*'" in problem


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ({"distribution": "opensearch", "number": "1.3.19"}, "works with OpenSearch 2.x and 3.x"),
        ({"number": "9.1.0", "build_flavor": "default"}, "SEARCH_BACKEND=elasticsearch"),
    ],
)
def test_check_says_which_servers_this_backend_is_not_for(stub, version, expected):
    stub.route("GET", "/", 200, {**OPENSEARCH_INFO, "version": version})
    backend = OpenSearchSearchBackend(url=stub.url, index=ALIAS)
    try:
        (problem,) = backend.check()
    finally:
        backend.close()
    assert expected in problem and version["number"] in problem


def test_check_against_the_emulator_passes_once_the_alias_exists(opensearch_emulator, tmp_path):
    name = ClusterContract.index_name(tmp_path)
    backend = OpenSearchSearchBackend(url=opensearch_emulator.url, index=name, replicas=0)
    try:
        (problem,) = backend.check()
        assert f"The search index alias {name!r} does not exist in OpenSearch" in problem
        assert "OPENSEARCH_INDEX" in problem and "rebuild_directory_index" in problem
        backend.rebuild([])
        assert backend.check() == []
        assert backend.server_version()[0] in (2, 3)
    finally:
        backend._delete_indices(backend._alias_targets())
        backend.close()


def test_check_on_the_elasticsearch_shim_says_it_is_not_opensearch(elasticsearch_emulator):
    backend = OpenSearchSearchBackend(url=elasticsearch_emulator.url, index=ALIAS)
    try:
        (problem,) = backend.check()
    finally:
        backend.close()
    assert "is not OpenSearch" in problem and "SEARCH_BACKEND=elasticsearch" in problem


def test_writing_before_the_first_rebuild_says_what_to_run(opensearch_emulator, tmp_path):
    backend = OpenSearchSearchBackend(
        url=opensearch_emulator.url, index=ClusterContract.index_name(tmp_path)
    )
    try:
        with pytest.raises(SearchBackendError, match="rebuild_directory_index"):
            backend.search(DirectoryQuery())
        with pytest.raises(SearchBackendError, match="OpenSearch at .* index documents"):
            backend.index_documents([doc(id=1, title="Walking group")])
    finally:
        backend.close()


# --- the contract, against a server ------------------------------------------------------

OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL", "")


class _ServerContract(ClusterContract):
    backend_class = OpenSearchSearchBackend


@pytest.mark.skipif(
    not OPENSEARCH_URL,
    reason="Needs a real OpenSearch 2.x or 3.x server: set OPENSEARCH_URL "
    "(e.g. http://localhost:9200); the emulator runs the same contract on every run",
)
class TestOpenSearchContract(_ServerContract):
    """The contract against a real OpenSearch cluster (OPENSEARCH_URL)."""

    server_url = OPENSEARCH_URL


class TestOpenSearchEmulatorContract(_ServerContract):
    """The contract against the emulator (osmem-server, spoken to directly): every query runs
    on a server, though not on OpenSearch itself, so scores, tie order, stemming, highlight
    fragments and suggestions are the emulator's own."""

    @pytest.fixture(autouse=True)
    def _emulator(self, opensearch_emulator):
        self.server_url = opensearch_emulator.url


# --- settings from the environment -----------------------------------------------------------


def test_search_backend_opensearch_in_the_environment_chooses_this_backend():
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "SEARCH_BACKEND": "opensearch",
        "OPENSEARCH_URL": "https://search.example:9200",
        "OPENSEARCH_INDEX": "cg",
        "OPENSEARCH_USERNAME": "directory",
        "OPENSEARCH_PASSWORD": "s3cret",
        "OPENSEARCH_VERIFY_CERTS": "false",
        "OPENSEARCH_TIMEOUT": "2.5",
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DIRECTORY_SEARCH))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=environ, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "BACKEND": BACKEND_PATH,
        "OPTIONS": {
            "url": "https://search.example:9200",
            "index": "cg",
            "username": "directory",
            "password": "s3cret",
            "timeout": 2.5,
            "verify_certs": False,
            "replicas": 1,
        },
    }


def test_an_unreachable_opensearch_is_a_check_warning(settings):
    from search.checks import check_search_backend

    settings.DIRECTORY_SEARCH = {
        "BACKEND": BACKEND_PATH,
        "OPTIONS": {"url": closed_port_url(), "timeout": 1},
    }
    (warning,) = check_search_backend()
    assert warning.id == "search.W002" and "OpenSearch at" in warning.msg
    assert "not reachable" in warning.msg
