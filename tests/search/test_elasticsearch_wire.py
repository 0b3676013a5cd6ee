"""The Elasticsearch backend on the wire: the real client against a loopback stub node.

These check the HTTP requests the backend makes (method, path, query string, body) and how it
reads the answers, including Elasticsearch's errors, without an Elasticsearch server.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from search.backends import SearchBackendError, cluster
from search.backends import elasticsearch as es_backend
from search.backends.cluster import index_definition, to_source
from search.backends.elasticsearch import ElasticsearchSearchBackend
from search.query import DirectoryQuery, Expansions, GeoPoint, Sort
from tests.search.contract import doc
from tests.search.es_stub import (
    INFO,
    StubElasticsearch,
    bulk_items,
    bulk_ok,
    closed_port_url,
    error,
)

ALIAS = "directory"
BULK = "PUT|POST"
OLD = "directory-20240101000000000000"
NEW = re.compile(r"directory-\d{20}")
CENTRE = GeoPoint(51.4489, -0.1971)
ACKNOWLEDGED = (200, {"acknowledged": True})
ALIAS_MISSING = (404, {"error": f"alias [{ALIAS}] missing", "status": 404})


@pytest.fixture
def stub():
    with StubElasticsearch() as stub:
        yield stub


@pytest.fixture
def backend(stub):
    backend = ElasticsearchSearchBackend(url=stub.url, index=ALIAS, timeout=2)
    yield backend
    backend.close()


def documents(*ids):
    return [doc(id=i, title=f"Group {i}", lat=51.45 + i / 1000) for i in ids]


def route_rebuild(stub, *, old=(OLD,)):
    """The answers a healthy cluster gives to a rebuild, with `old` behind the alias."""
    new = r"/directory-\d{20}"
    stub.route("PUT", new, lambda r: (200, {"acknowledged": True, "index": r.path[1:]}))
    # The client sends _bulk as PUT; Elasticsearch takes POST too.
    stub.route(BULK, new + "/_bulk", bulk_ok)
    stub.route("POST", new + "/_refresh", 200, {"_shards": {"total": 1, "successful": 1}})
    if old:
        stub.route("GET", f"/_alias/{ALIAS}", 200, {o: {"aliases": {ALIAS: {}}} for o in old})
    else:
        stub.route("GET", f"/_alias/{ALIAS}", *ALIAS_MISSING)
    stub.route("POST", "/_aliases", *ACKNOWLEDGED)
    stub.route("DELETE", "/directory-.*", *ACKNOWLEDGED)
    stub.route("GET", r"/directory-\*", 200, {o: listed(o, alias=True) for o in old})


def listed(name, *, alias=False, created_s_ago=86_400, marked_s_ago=None) -> dict:
    """An index as `GET /<alias>-*` shows it: its aliases, mapping _meta and creation date."""
    now = time.time()
    mappings = {"dynamic": "strict", "properties": {}}
    if marked_s_ago is not None:
        mappings["_meta"] = {"rebuild_alive": int(now - marked_s_ago)}
    return {
        "aliases": {ALIAS: {}} if alias else {},
        "mappings": mappings,
        "settings": {"index": {"creation_date": str(int((now - created_s_ago) * 1000))}},
    }


def new_index_name(stub) -> str:
    (put,) = [r for r in stub.requests if r.method == "PUT" and r.path.count("/") == 1]
    assert NEW.fullmatch(put.path[1:]), put.path
    return put.path[1:]


# --- rebuild --------------------------------------------------------------------------------


def test_rebuild_loads_a_new_index_then_swaps_the_alias_in_one_request(stub, backend, monkeypatch):
    monkeypatch.setattr(cluster, "CHUNK_SIZE", 2)
    route_rebuild(stub)
    progress = []

    count = backend.rebuild(
        iter(documents(1, 2, 3)),
        total=3,
        progress=lambda done, total: progress.append((done, total)),
    )

    assert count == 3
    assert progress == [(2, 3), (3, 3)]
    new = new_index_name(stub)
    assert stub.calls() == [
        ("GET", "/directory-*"),
        ("PUT", f"/{new}"),
        ("PUT", f"/{new}/_bulk"),
        ("PUT", f"/{new}/_bulk"),
        ("POST", f"/{new}/_refresh"),
        ("GET", f"/_alias/{ALIAS}"),
        ("POST", "/_aliases"),
        ("DELETE", f"/{OLD}"),
    ]
    _list, put, bulk1, bulk2, _refresh, _get, aliases, delete = stub.requests
    # The new index is marked as being written from the start (see the tests further down).
    created = put.json
    mark = created["mappings"].pop("_meta")
    assert abs(mark["rebuild_alive"] - time.time()) < 60
    assert created == index_definition(new, replicas=1)
    lines = bulk1.ndjson + bulk2.ndjson
    assert lines == [
        {"index": {"_id": "1"}},
        to_source(documents(1)[0]),
        {"index": {"_id": "2"}},
        to_source(documents(2)[0]),
        {"index": {"_id": "3"}},
        to_source(documents(3)[0]),
    ]
    assert aliases.json == {
        "actions": [
            {"remove": {"index": OLD, "alias": ALIAS, "must_exist": True}},
            {"add": {"index": new, "alias": ALIAS}},
        ]
    }
    assert delete.param("ignore_unavailable") == "true"


def test_first_rebuild_adds_the_alias_and_deletes_nothing(stub, backend):
    route_rebuild(stub, old=())
    assert backend.rebuild(documents(1)) == 1
    new = new_index_name(stub)
    assert [c for c in stub.calls() if c[0] == "DELETE"] == []
    (aliases,) = [r for r in stub.requests if r.path == "/_aliases"]
    assert aliases.json == {"actions": [{"add": {"index": new, "alias": ALIAS}}]}


def test_rebuild_of_nothing_still_swaps_and_reports_progress(stub, backend):
    route_rebuild(stub)
    progress = []
    assert backend.rebuild([], total=0, progress=lambda *a: progress.append(a)) == 0
    assert progress == [(0, 0)]
    assert not any(path.endswith("/_bulk") for _, path in stub.calls())
    assert ("POST", "/_aliases") in stub.calls()


def test_rebuild_removes_every_index_behind_the_alias(stub, backend):
    route_rebuild(stub, old=(OLD, "directory-20230101000000000000"))
    backend.rebuild(documents(1))
    (aliases,) = [r for r in stub.requests if r.path == "/_aliases"]
    removed = [a["remove"]["index"] for a in aliases.json["actions"] if "remove" in a]
    assert removed == ["directory-20230101000000000000", OLD]
    (delete,) = [r for r in stub.requests if r.method == "DELETE"]
    assert delete.path == f"/directory-20230101000000000000,{OLD}"


def test_rebuild_deletes_indices_killed_rebuilds_left_but_not_one_being_written(stub, backend):
    # Rebuilds killed long ago (one marked, one from before marks), one still loading, and
    # another alias's index whose name starts the same way.
    killed = "directory-20240301000000000000"
    killed_unmarked = "directory-20240201000000000000"
    loading = "directory-20240401000000000000"
    other = "directory-staging-20240101000000000000"
    route_rebuild(stub)
    listing = {
        OLD: listed(OLD, alias=True),
        killed: listed(killed, marked_s_ago=cluster.STALE_AFTER_S + 60),
        killed_unmarked: listed(killed_unmarked),
        loading: listed(loading, created_s_ago=3_600, marked_s_ago=30),
        other: listed(other),
    }
    stub.route("GET", r"/directory-\*", 200, listing)

    backend.rebuild(documents(1))

    (listing_request, *_) = stub.requests
    assert listing_request.param("expand_wildcards") == "open,closed"
    deletes = [r.path for r in stub.requests if r.method == "DELETE"]
    # The abandoned ones before the new index is made, the old live one after the swap.
    assert deletes == [f"/{killed_unmarked},{killed}", f"/{OLD}"]
    assert stub.calls().index(("DELETE", deletes[0])) < stub.calls().index(
        ("PUT", f"/{new_index_name(stub)}")
    )


def test_a_loading_rebuild_renews_the_mark_on_its_index(stub, backend, monkeypatch):
    monkeypatch.setattr(cluster, "CHUNK_SIZE", 2)
    monkeypatch.setattr(cluster, "HEARTBEAT_S", 0)
    route_rebuild(stub)
    stub.route("PUT", r"/directory-\d{20}/_mapping", *ACKNOWLEDGED)

    backend.rebuild(documents(1, 2, 3))

    new = new_index_name(stub)
    marks = [r for r in stub.requests if r.path == f"/{new}/_mapping"]
    assert len(marks) == 2  # after each chunk
    for mark in marks:
        assert mark.method == "PUT"
        assert set(mark.json) == {"_meta"}
        assert abs(mark.json["_meta"]["rebuild_alive"] - time.time()) < 60


def test_a_rebuild_goes_on_when_old_indices_cannot_be_listed(stub, backend):
    route_rebuild(stub)
    stub.route("GET", r"/directory-\*", *error(403, "security_exception", "no monitor rights"))
    assert backend.rebuild(documents(1)) == 1
    assert ("POST", "/_aliases") in stub.calls()


def assert_dropped_without_swap(stub):
    new = new_index_name(stub)
    assert ("DELETE", f"/{new}") in stub.calls()
    assert ("POST", "/_aliases") not in stub.calls()
    assert ("DELETE", f"/{OLD}") not in stub.calls()


def test_a_rejected_document_drops_the_new_index_and_leaves_the_alias(stub, backend):
    route_rebuild(stub)
    failure = error(400, "document_parsing_exception", "[1:10] failed to parse field [age_min]")
    stub.route(
        BULK,
        r"/directory-\d{20}/_bulk",
        lambda r: (200, {"errors": True, "items": bulk_items(r, {"2": failure})}),
    )
    with pytest.raises(SearchBackendError, match="document_parsing_exception") as raised:
        backend.rebuild(documents(1, 2))
    assert "rejected 1 document(s)" in str(raised.value)
    assert_dropped_without_swap(stub)


def test_a_failed_bulk_request_drops_the_new_index(stub, backend):
    route_rebuild(stub)
    stub.route(BULK, r"/directory-\d{20}/_bulk", *error(500, "internal_error", "node died"))
    with pytest.raises(SearchBackendError, match="HTTP 500"):
        backend.rebuild(documents(1))
    assert_dropped_without_swap(stub)


def test_a_failed_refresh_drops_the_new_index(stub, backend):
    route_rebuild(stub)
    stub.route("POST", r"/directory-\d{20}/_refresh", *error(500, "refresh_failed", "disk full"))
    with pytest.raises(SearchBackendError, match="disk full"):
        backend.rebuild(documents(1))
    assert_dropped_without_swap(stub)


def test_an_interrupted_source_drops_the_new_index_and_raises_its_own_error(stub, backend):
    route_rebuild(stub)

    def interrupted():
        yield from documents(1)
        raise LookupError("the database went away")

    with pytest.raises(LookupError, match="database"):
        backend.rebuild(interrupted())
    assert_dropped_without_swap(stub)


def test_a_refused_swap_drops_the_new_index(stub, backend):
    route_rebuild(stub)
    # Another rebuild moved the alias between our look and our swap.
    stub.route("POST", "/_aliases", *error(404, "aliases_not_found_exception", "aliases missing"))
    with pytest.raises(SearchBackendError, match="aliases_not_found_exception"):
        backend.rebuild(documents(1))
    new = new_index_name(stub)
    assert stub.calls()[-2:] == [("GET", f"/_alias/{ALIAS}"), ("DELETE", f"/{new}")]


def test_a_swap_that_timed_out_but_happened_keeps_the_new_index(stub, monkeypatch):
    monkeypatch.setattr(es_backend, "BULK_TIMEOUT", 0.5)
    backend = ElasticsearchSearchBackend(url=stub.url, index=ALIAS, timeout=0.5)
    route_rebuild(stub)
    swapped = {}

    def slow_swap(request):
        swapped["to"] = request.json["actions"][-1]["add"]["index"]
        time.sleep(1.5)
        return ACKNOWLEDGED

    def aliases(_request):
        return 200, {swapped.get("to", OLD): {"aliases": {ALIAS: {}}}}

    stub.route("POST", "/_aliases", slow_swap)
    stub.route("GET", f"/_alias/{ALIAS}", aliases)
    try:
        with pytest.raises(SearchBackendError, match="could not be reached"):
            backend.rebuild(documents(1))
    finally:
        backend.close()
    # The alias is on the new index now: deleting it would take search down.
    assert not any(method == "DELETE" for method, _ in stub.calls())


# --- live updates ---------------------------------------------------------------------------


def test_index_documents_bulk_indexes_into_the_alias(stub, backend):
    stub.route(BULK, f"/{ALIAS}/_bulk", bulk_ok)
    assert backend.index_documents(iter(documents(4, 5))) == 2
    (bulk,) = stub.requests
    assert (bulk.method, bulk.path) == ("PUT", f"/{ALIAS}/_bulk")
    assert bulk.param("refresh") == "wait_for"
    assert bulk.param("require_alias") == "true"
    assert bulk.ndjson == [
        {"index": {"_id": "4"}},
        to_source(documents(4)[0]),
        {"index": {"_id": "5"}},
        to_source(documents(5)[0]),
    ]


def test_index_documents_of_nothing_sends_nothing(stub, backend):
    assert backend.index_documents([]) == 0
    assert stub.requests == []


def test_index_documents_before_any_rebuild_says_to_rebuild(stub, backend):
    missing = error(
        404,
        "index_not_found_exception",
        "no such index [directory] and [require_alias] request flag is [true]",
    )
    stub.route(
        BULK,
        f"/{ALIAS}/_bulk",
        lambda r: (200, {"errors": True, "items": bulk_items(r, {"4": missing})}),
    )
    with pytest.raises(SearchBackendError, match="rebuild_directory_index"):
        backend.index_documents(documents(4))


def test_delete_documents_bulk_deletes_ignoring_unknown_ids(stub, backend):
    not_found = (404, None)

    def reply(request):
        items = bulk_items(request, {"9999": not_found})
        items[-1]["delete"]["result"] = "not_found"
        return 200, {"errors": False, "items": items}

    stub.route(BULK, f"/{ALIAS}/_bulk", reply)
    backend.delete_documents(iter([3, 9999]))
    (bulk,) = stub.requests
    assert bulk.param("refresh") == "wait_for"
    assert bulk.ndjson == [{"delete": {"_id": "3"}}, {"delete": {"_id": "9999"}}]


def test_delete_documents_of_nothing_sends_nothing(stub, backend):
    backend.delete_documents([])
    assert stub.requests == []


# --- search ---------------------------------------------------------------------------------

CANNED = {
    "took": 3,
    "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {
        "total": {"value": 2, "relation": "eq"},
        "max_score": None,
        "hits": [
            {
                "_index": OLD,
                "_id": "1",
                "_score": None,
                "_source": {
                    "id": 1,
                    "title": "Wandsworth Community Choir",
                    "summary": "Sing together.",
                    "organisation": "Wandsworth Arts Trust",
                    "venue": "St Anne's Hall",
                    "cost": "paid",
                    "cost_amount": 3.0,
                    "delivery": "in_person",
                    "categories": ["music-and-singing"],
                    "access": ["step-free"],
                    "has_point": True,
                    "payload": {
                        "url": "/choir/",
                        "lat": 51.4489,
                        "lng": -0.1971,
                        "schedule": [{"freq": "WEEKLY", "byday": "TU"}],
                    },
                },
                "highlight": {"summary": ["<b>Sing</b> together."]},
                "sort": [0.0, 1],
            },
            {
                "_index": OLD,
                "_id": "3",
                "_score": None,
                "_source": {
                    "id": 3,
                    "title": "Online peer support",
                    "summary": "Video calls.",
                    "organisation": "Carers Together",
                    "venue": "",
                    "cost": "free",
                    "cost_amount": 0.0,
                    "delivery": "online",
                    "categories": ["peer-support"],
                    "access": [],
                    "has_point": False,
                    "payload": {"url": "/online/", "lat": None, "lng": None, "schedule": []},
                },
                "sort": ["Infinity", 3],
            },
        ],
    },
    "aggregations": {
        "cost": {
            "doc_count_error_upper_bound": 0,
            "sum_other_doc_count": 0,
            "buckets": [{"key": "free", "doc_count": 1}, {"key": "paid", "doc_count": 1}],
        }
    },
}


def test_search_posts_the_built_body_and_reads_the_answer(stub, backend):
    stub.route("POST", f"/{ALIAS}/_search", 200, CANNED)
    query = DirectoryQuery(text="sing", near=CENTRE, sort=Sort.DISTANCE, facets=("cost",))

    results = backend.search(query)

    (request,) = stub.requests
    assert (request.method, request.path) == ("POST", f"/{ALIAS}/_search")
    assert request.json == backend.build_search_body(query)
    assert request.headers["accept"] == "application/vnd.elasticsearch+json; compatible-with=9"
    assert results.total == 2 and results.page == 1
    assert [hit.id for hit in results.hits] == [1, 3]
    choir, online = results.hits
    assert choir.title == "Wandsworth Community Choir" and choir.url == "/choir/"
    assert choir.snippet == "<b>Sing</b> together."
    assert choir.distance_m == 0.0 and (choir.lat, choir.lng) == (51.4489, -0.1971)
    assert choir.schedule == [{"freq": "WEEKLY", "byday": "TU"}]
    assert online.distance_m is None and online.area_wide is True and online.lat is None
    assert results.facets == {"cost": {"free": 1, "paid": 1}}


def test_a_search_with_expansions_sends_the_words_or_the_concepts_weighed_lower(stub, backend):
    stub.route("POST", f"/{ALIAS}/_search", 200, CANNED)
    expansions = Expansions(
        categories=("befriending", "social-clubs"),
        access=("step-free",),
        audience=("older",),
        words=("peer",),
    )
    backend.search(DirectoryQuery(text="feeling lonely", expansions=expansions))

    (request,) = stub.requests
    text = request.json["query"]["bool"]["must"][0]["bool"]
    words, widened = text["should"]
    assert text["minimum_should_match"] == 1
    assert words["multi_match"]["query"] == "feeling lonely"
    assert words["multi_match"]["operator"] == "and"
    assert widened["bool"]["boost"] == cluster.EXPANSION_WEIGHT < 1
    (alternatives,) = widened["bool"]["must"]
    assert alternatives["bool"]["should"] == [
        {"constant_score": {"filter": {"term": {"categories": "befriending"}}, "boost": 1.0}},
        {"constant_score": {"filter": {"term": {"categories": "social-clubs"}}, "boost": 1.0}},
        {"constant_score": {"filter": {"term": {"audience": "older"}}, "boost": 1.0}},
        {"constant_score": {"filter": {"term": {"access": "step-free"}}, "boost": 0.5}},
        {
            "multi_match": {
                **es_backend.ElasticsearchSearchBackend._whole_words("peer", zero_terms="none")[
                    "multi_match"
                ],
                "boost": 0.5,
            }
        },
    ]
    assert [c["multi_match"]["query"] for c in widened["bool"]["should"]] == ["feeling", "lonely"]


def test_a_fuzzy_search_sends_each_word_with_its_edit_distance(stub, backend):
    stub.route("POST", f"/{ALIAS}/_search", 200, CANNED)
    backend.search(DirectoryQuery(text="the chior rehersels", fuzzy=True))

    (request,) = stub.requests
    the, choir, rehearsals = request.json["query"]["bool"]["must"][0]["bool"]["must"]
    # Three letters: the word alone, no close spellings.
    assert the["multi_match"]["query"] == "the"
    exact, close = choir["bool"]["should"]
    assert exact["multi_match"]["query"] == "chior"
    assert close["multi_match"]["fuzziness"] == 1
    assert close["multi_match"]["fuzzy_transpositions"] is True
    assert close["multi_match"]["fields"] == cluster.PREFIX_FIELDS
    assert rehearsals["bool"]["should"][1]["multi_match"]["fuzziness"] == 2


def test_api_key_is_sent(stub):
    backend = ElasticsearchSearchBackend(url=stub.url, index=ALIAS, api_key="c2VjcmV0")
    stub.route("POST", f"/{ALIAS}/_search", 200, CANNED)
    try:
        backend.search(DirectoryQuery())
    finally:
        backend.close()
    assert stub.requests[0].headers["authorization"] == "ApiKey c2VjcmV0"


def test_a_server_error_is_a_search_backend_error(stub, backend):
    stub.route(
        "POST",
        f"/{ALIAS}/_search",
        *error(500, "search_phase_execution_exception", "all shards failed"),
    )
    with pytest.raises(SearchBackendError) as raised:
        backend.search(DirectoryQuery(text="choir"))
    message = str(raised.value)
    assert "HTTP 500" in message and "all shards failed" in message
    assert stub.url in message


def test_a_missing_index_says_to_rebuild(stub, backend):
    stub.route(
        "POST",
        f"/{ALIAS}/_search",
        *error(404, "index_not_found_exception", "no such index [directory]"),
    )
    with pytest.raises(SearchBackendError, match="run manage.py rebuild_directory_index"):
        backend.search(DirectoryQuery())


def test_an_unreachable_server_is_a_search_backend_error():
    backend = ElasticsearchSearchBackend(url=closed_port_url(), index=ALIAS, timeout=1)
    try:
        with pytest.raises(SearchBackendError, match="could not be reached to search"):
            backend.search(DirectoryQuery())
        with pytest.raises(SearchBackendError, match="could not be reached"):
            backend.index_documents(documents(1))
    finally:
        backend.close()


def test_a_proxy_error_is_a_search_backend_error(stub, backend):
    # A proxy in front of the cluster answers in its own words, not Elasticsearch's.
    stub.route("POST", f"/{ALIAS}/_search", 502, {"message": "Bad gateway"})
    with pytest.raises(SearchBackendError, match="HTTP 502"):
        backend.search(DirectoryQuery())


def test_suggest_titles(stub, backend):
    stub.route(
        "POST",
        f"/{ALIAS}/_search",
        200,
        {
            "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
            "suggest": {
                "titles": [
                    {
                        "text": "cho",
                        "offset": 0,
                        "length": 3,
                        "options": [
                            {"text": "Chess club", "_id": "10", "_score": 1.0},
                            {"text": "Gospel choir", "_id": "19", "_score": 1.0},
                        ],
                    }
                ]
            },
        },
    )
    assert backend.suggest_titles(" cho ", size=5) == ["Chess club", "Gospel choir"]
    assert stub.requests[0].json == {
        "_source": False,
        "suggest": {
            "titles": {
                "prefix": "cho",
                "completion": {
                    "field": "suggest",
                    "size": 5,
                    "skip_duplicates": True,
                    "contexts": {"status": ["running"]},
                },
            }
        },
    }
    assert backend.suggest_titles("  ") == []
    assert len(stub.requests) == 1


# --- check ----------------------------------------------------------------------------------


def test_check_passes_when_the_alias_exists(stub, backend):
    stub.route("HEAD", f"/_alias/{ALIAS}", 200, None)
    assert backend.check() == []
    assert stub.calls() == [("GET", "/"), ("HEAD", f"/_alias/{ALIAS}")]


def test_check_says_to_rebuild_when_the_alias_is_missing(stub, backend):
    stub.route("HEAD", f"/_alias/{ALIAS}", 404, None)
    (problem,) = backend.check()
    assert "'directory' does not exist" in problem
    assert "run manage.py rebuild_directory_index" in problem


def test_check_with_the_server_down():
    backend = ElasticsearchSearchBackend(url=closed_port_url(), index=ALIAS, timeout=1)
    try:
        (problem,) = backend.check()
    finally:
        backend.close()
    assert "is not reachable" in problem and "127.0.0.1" in problem


def test_check_reports_a_refusal(stub, backend):
    stub.route("GET", "/", *error(401, "security_exception", "missing authentication credentials"))
    (problem,) = backend.check()
    assert "HTTP 401" in problem and "missing authentication credentials" in problem
    assert "needs credentials, and none were given" in problem
    assert "ELASTICSEARCH_API_KEY" in problem


def test_check_says_the_credentials_given_were_refused(stub):
    stub.route("GET", "/", *error(401, "security_exception", "unable to authenticate user"))
    backend = ElasticsearchSearchBackend(url=stub.url, index=ALIAS, timeout=2, api_key="wrong")
    try:
        (problem,) = backend.check()
    finally:
        backend.close()
    assert "refused the credentials given (HTTP 401" in problem
    assert "wrong" not in problem


def test_check_says_what_rights_are_missing(stub, backend):
    stub.route("GET", "/", 200, INFO)
    stub.route("HEAD", f"/_alias/{ALIAS}", *error(403, "security_exception", "action denied"))
    (problem,) = backend.check()
    assert "accepted the credentials but refused them the right" in problem
    assert "(HTTP 403)" in problem  # a HEAD request's refusal has no body
    assert f"'{ALIAS}*'" in problem


def test_check_reports_an_old_server(stub, backend):
    stub.route("GET", "/", 200, {"version": {"number": "8.17.0"}, "tagline": "You Know"})
    (problem,) = backend.check()
    assert "version 8.17.0" in problem and "Elasticsearch 9" in problem


def test_check_explains_an_elasticsearch_8_refusing_the_9_client(stub, backend):
    # What an 8.x server answers every request that carries compatible-with=9.
    reason = (
        "Accept version must be either version 8 or 7, but found 9. "
        "Accept=application/vnd.elasticsearch+json; compatible-with=9"
    )
    status, body = error(
        400,
        "media_type_header_exception",
        "Invalid media-type value on headers [Accept, Content-Type]",
        caused_by={"type": "status_exception", "reason": reason},
    )
    stub.route("GET", "/", status, body)
    stub.route("POST", f"/{ALIAS}/_search", status, body)
    (problem,) = backend.check()
    assert "refused the Elasticsearch 9 client's requests (HTTP 400" in problem
    assert "older than Elasticsearch 9" in problem and "upgrade the cluster" in problem
    with pytest.raises(SearchBackendError, match="older than Elasticsearch 9"):
        backend.search(DirectoryQuery())


def test_check_on_a_server_that_is_not_elasticsearch():
    class Plain(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the base class's naming
            data = json.dumps({"version": {"number": "9.1.0"}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002
            """Say nothing: the test's assertions are its output."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Plain)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    backend = ElasticsearchSearchBackend(url=f"http://127.0.0.1:{server.server_port}", timeout=2)
    try:
        (problem,) = backend.check()
    finally:
        backend.close()
        server.shutdown()
        server.server_close()
    assert "answers, but not as Elasticsearch" in problem


def test_check_says_when_the_server_is_too_slow(stub):
    def slow(_request):
        time.sleep(0.6)
        return 200, INFO

    stub.route("GET", "/", slow)
    backend = ElasticsearchSearchBackend(url=stub.url, index=ALIAS, timeout=0.3)
    try:
        (problem,) = backend.check()
    finally:
        backend.close()
    assert "is not reachable: it did not answer within 0.3s" in problem


# --- tracing (the benchmark's floor) --------------------------------------------------------


def test_a_trace_reports_the_search_request_and_its_replay_sends_it_again(stub, backend):
    stub.route("POST", f"/{ALIAS}/_search", 200, CANNED)
    query = DirectoryQuery(text="sing", near=CENTRE, sort=Sort.DISTANCE, facets=("cost",))
    calls = []
    with backend.trace(calls.append):
        results = backend.search(query)
    (call,) = calls
    assert call.name == "search"
    assert call.kwargs == {"index": ALIAS, "body": backend.build_search_body(query)}
    replayed = call.replay()
    assert replayed.body["hits"]["total"]["value"] == results.total
    first, again = stub.requests
    assert (again.method, again.path, again.json) == (first.method, first.path, first.json)


def test_a_trace_reports_title_suggestions_but_not_writes(stub, backend):
    stub.route("POST", f"/{ALIAS}/_search", 200, {"suggest": {"titles": [{"options": []}]}})
    stub.route(BULK, f"/{ALIAS}/_bulk", bulk_ok)
    calls = []
    with backend.trace(calls.append):
        backend.index_documents(documents(4))
        backend.delete_documents([4])
        assert backend.suggest_titles("cho") == []
    assert [call.name for call in calls] == ["search"]
    assert calls[0].kwargs["body"]["suggest"]["titles"]["prefix"] == "cho"
