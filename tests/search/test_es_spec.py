"""The specification check (tests/search/es_spec.py) itself: it passes what Elasticsearch's
specification declares and the backend builds, and fails each kind of mistake."""

from __future__ import annotations

import pytest

from search.backends.cluster import index_definition, to_source
from search.backends.elasticsearch import ElasticsearchSearchBackend
from search.query import BBox, DirectoryQuery, GeoPoint, Sort
from tests.search.contract import doc
from tests.search.emulator import ShimRequest
from tests.search.es_spec import RequestChecker, field_name, mapped_fields, specification

INDEX = "directory-1"
ALIAS = "directory"


@pytest.fixture(scope="module")
def spec():
    return specification()


@pytest.fixture(scope="module")
def offline():
    backend = ElasticsearchSearchBackend(url="http://127.0.0.1:9", index=ALIAS)
    yield backend
    backend.close()


@pytest.fixture
def checker():
    """A checker that has seen the directory's index created and its alias added."""
    checker = RequestChecker()
    assert checker.check("PUT", f"/{INDEX}", {}, [index_definition(INDEX, replicas=0)]) == []
    actions = {"actions": [{"add": {"index": INDEX, "alias": ALIAS}}]}
    assert checker.check("POST", "/_aliases", {}, [actions]) == []
    return checker


def search(checker, body) -> list[str]:
    return checker.check("POST", f"/{ALIAS}/_search", {}, [body])


QUERIES = [
    DirectoryQuery(),
    DirectoryQuery(text="choir", facets=("categories", "days", "cost")),
    DirectoryQuery(
        text="sing wal", prefix=True, near=GeoPoint(51.45, -0.2), radius_m=3000, sort=Sort.DISTANCE
    ),
    DirectoryQuery(text="choir", fuzzy=True, near=GeoPoint(51.45, -0.2)),
    DirectoryQuery(
        bbox=BBox(51.4, -0.3, 51.5, -0.1),
        max_cost=5,
        age=7,
        access=("step-free",),
        exclude_organisations=(3,),
        sort=Sort.TITLE,
    ),
    DirectoryQuery(free_only=True, days=(1, 3), sort=Sort.CHECKED, include_not_running=True),
]


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_the_backends_search_bodies_pass(checker, offline, query):
    assert search(checker, offline.build_search_body(query)) == []


def test_the_backends_other_bodies_pass(checker):
    bulk = [
        {"index": {"_index": ALIAS, "_id": "1"}},
        to_source(doc(id=1, title="Choir")),
        {"delete": {"_index": ALIAS, "_id": "2"}},
    ]
    assert checker.check("PUT", f"/{ALIAS}/_bulk", {"refresh": ["wait_for"]}, bulk) == []
    mark = {"_meta": {"rebuild_alive": 1}}
    assert checker.check("PUT", f"/{INDEX}/_mapping", {}, [mark]) == []
    swap = {
        "actions": [
            {"remove": {"index": INDEX, "alias": ALIAS, "must_exist": True}},
            {"add": {"index": "directory-2", "alias": ALIAS}},
        ]
    }
    assert checker.check("POST", "/_aliases", {}, [swap]) == []
    assert checker.check("HEAD", f"/_alias/{ALIAS}", {}, []) == []
    assert checker.check("GET", "/", {}, []) == []


def test_the_old_highlight_form_is_refused(checker):
    """One object with several fields: servers take it, the specification does not."""
    fields = {"body": {}, "summary": {}}
    assert search(checker, {"highlight": {"fields": fields}}) == [
        "search.highlight.fields: expected an object with one key, got 2"
    ]
    assert search(checker, {"highlight": {"fields": [{"body": {}}, {"summary": {}}]}}) == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"size": 10, "bogus": 1}, "search.bogus: unknown key"),
        ({"query": {"match_all": {"boots": 1}}}, "search.query.match_all.boots: unknown key"),
        ({"size": "10"}, "search.size: expected an integer (integer), got string"),
        ({"from": 1.5}, "search.from: expected an integer (integer), got number"),
        ({"track_total_hits": "yes"}, "search.track_total_hits: no alternative takes a string"),
        (
            {"sort": [{"id": {"order": "up"}}]},
            "search.sort[0].id.order: 'up' is not one of ['asc', 'desc']",
        ),
        (
            {"query": {"multi_match": {"query": "x", "type": "cross"}}},
            "search.query.multi_match.type: 'cross' is not one of",
        ),
        (
            {"query": {"geo_distance": {"location": {"lat": 51, "lon": 0}}}},
            "search.query.geo_distance.distance: missing (required)",
        ),
        (
            {"query": {"term": {"status": "running"}, "match_all": {}}},
            "search.query: a QueryContainer holds exactly one of its variants",
        ),
        ({"query": {}}, "search.query: a QueryContainer holds exactly one of its variants"),
        (
            {"aggs": {"x": {"terms": {"field": "tags"}, "avg": {"field": "age_min"}}}},
            "search.aggs.x: a AggregationContainer holds exactly one",
        ),
        (
            {"query": {"bool": {"filter": [{"term": {"title_kye": "a"}}]}}},
            "search.query.bool.filter[0].term.title_kye: the field 'title_kye' is not in the "
            "index definition",
        ),
        (
            {"query": {"multi_match": {"query": "x", "fields": ["title^3", "sumary^2"]}}},
            "the field 'sumary' is not in the index definition",
        ),
        ({"_source": ["id", "paylod"]}, "the field 'paylod' is not in the index definition"),
        (
            {"suggest": {"t": {"prefix": "a", "completion": {"field": "sugest"}}}},
            "the field 'sugest' is not in the index definition",
        ),
    ],
)
def test_mistakes_in_a_search_body_fail(checker, body, problem):
    problems = search(checker, body)
    assert any(problem in p for p in problems), problems


def test_mistakes_in_an_index_definition_fail(spec):
    definition = index_definition(INDEX, replicas=0)
    definition["mappings"]["properties"]["title"]["analyser"] = "english"
    definition["mappings"]["properties"]["tags"]["type"] = "keywrd"
    definition["mappings"]["dynamic"] = "sometimes"
    definition["settings"]["analysis"]["analyzer"]["folded"]["tokenizer"] = ["standard"]
    problems = [str(p) for p in spec.check_request("PUT", f"/{INDEX}", {}, [definition]).problems]
    assert "indices.create.mappings.properties.title.analyser: unknown key" in problems
    assert any("properties.tags.type: unknown Property 'keywrd'" in p for p in problems)
    assert any("mappings.dynamic: 'sometimes' is not one of" in p for p in problems)
    assert any("analyzer.folded.tokenizer: expected a string, got array" in p for p in problems), (
        problems
    )


def test_mistakes_in_alias_updates_and_bulk_lines_fail(checker):
    swap = {"actions": [{"add": {"index": INDEX, "alias": ALIAS}, "remove": {"index": "x"}}]}
    problems = checker.check("POST", "/_aliases", {}, [swap])
    assert any("holds exactly one of its variants" in p for p in problems), problems
    problems = checker.check("POST", "/_aliases", {}, [{"actions": [{"add": {"idx": "a"}}]}])
    assert "indices.update_aliases.actions[0].add.idx: unknown key" in problems
    bulk = [{"index": {"_id": 1}}, {"title": "x", "colour": "red"}, {"upsert": {"_id": "2"}}]
    problems = checker.check("POST", f"/{ALIAS}/_bulk", {}, bulk)
    assert "bulk line 0.index._id: expected a string, got number" in problems
    assert any("bulk line 1: the document's field 'colour'" in p for p in problems), problems
    assert any(p.startswith("bulk line 2") for p in problems), problems


def test_unknown_endpoints_and_query_parameters_fail(checker):
    assert checker.check("POST", f"/{ALIAS}/_serch", {}, [{}]) != []
    assert checker.check("POST", f"/{ALIAS}/_search", {"sise": ["1"]}, []) == [
        "search ?sise: unknown query parameter"
    ]


def test_a_search_of_an_index_never_seen_created_fails():
    problems = RequestChecker().check("POST", "/elsewhere/_search", {}, [{"_source": ["id"]}])
    assert problems == ["search: names fields of 'elsewhere', whose definition is unknown"]


def test_the_checker_reads_shim_requests():
    checker = RequestChecker()
    checker(ShimRequest("POST", "/_aliases", {}, "application/json", b"{not json"))
    assert checker.violations and "not JSON" in checker.violations[0]


def test_mapped_fields_and_boosts():
    fields = mapped_fields(index_definition(INDEX)["mappings"])
    assert {"title", "title.prefix", "tags.text", "location", "payload"} <= fields
    assert field_name("title^3") == "title"
