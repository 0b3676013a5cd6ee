"""The Elasticsearch backend: the requests it builds, without a server, and the contract with one.

The request-body tests pin down how each part of a DirectoryQuery becomes Elasticsearch query
DSL. The contract tests (tests/search/contract.py) run against a server: always against the
emulator (osmem-server behind a media-type shim, tests/search/emulator.py), and against a real
Elasticsearch 9 cluster when one is given:
ELASTICSEARCH_URL=http://localhost:9200 pytest tests/search/test_elasticsearch_backend.py
"""

from __future__ import annotations

import datetime
import os
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from search.backends import SearchBackendError, load_backend
from search.backends.cluster import (
    FACET_SIZE,
    PREFIX_FIELDS,
    SOURCE_FIELDS,
    TEXT_FIELDS,
    haversine_m,
    index_definition,
    to_source,
)
from search.backends.elasticsearch import ElasticsearchSearchBackend
from search.query import BBox, DirectoryQuery, GeoPoint, Sort, TimeWindow, title_key
from tests.search.cluster_contract import ClusterContract
from tests.search.contract import doc
from tests.search.es_spec import RequestChecker

BACKEND_PATH = "search.backends.elasticsearch.ElasticsearchSearchBackend"
CENTRE = GeoPoint(51.4489, -0.1971)
RUNNING = {"term": {"status": "running"}}


@pytest.fixture(scope="module")
def offline():
    """A backend never connected: building a request body talks to no server."""
    backend = ElasticsearchSearchBackend(url="http://127.0.0.1:9", index="directory")
    yield backend
    backend.close()


@pytest.fixture
def body(offline):
    def build(**query):
        return offline.build_search_body(DirectoryQuery(**query))

    return build


@pytest.fixture
def filters(body):
    """The bool.filter clauses other than the default status filter."""

    def build(**query):
        query.setdefault("include_not_running", True)
        built = body(**query)["query"]
        # Near a place, relevance wraps the filtered query in a proximity function_score.
        built = built.get("function_score", {}).get("query", built)
        return built["bool"]["filter"]

    return build


def served_area(min_lat, min_lng, max_lat, max_lng):
    return {
        "bool": {
            "filter": [{"term": {"has_point": False}}],
            "should": [
                {"term": {"anywhere": True}},
                {
                    "bool": {
                        "filter": [
                            {"range": {"area_min_lat": {"lte": max_lat}}},
                            {"range": {"area_max_lat": {"gte": min_lat}}},
                            {"range": {"area_min_lng": {"lte": max_lng}}},
                            {"range": {"area_max_lng": {"gte": min_lng}}},
                        ]
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }


def radius_filter(radius_m):
    box = BBox.around(CENTRE, radius_m)
    return {
        "bool": {
            "should": [
                {
                    "geo_distance": {
                        "distance": f"{float(radius_m)}m",
                        "location": {"lat": 51.4489, "lon": -0.1971},
                    }
                },
                served_area(box.min_lat, box.min_lng, box.max_lat, box.max_lng),
            ],
            "minimum_should_match": 1,
        }
    }


# --- options --------------------------------------------------------------------------------


def test_options_come_from_settings():
    backend = load_backend(
        BACKEND_PATH,
        {"url": "http://es.example:9200", "index": "cg-live", "timeout": 2, "api_key": "k"},
    )
    try:
        assert backend.alias == "cg-live"
        assert backend.timeout == 2.0
        assert backend.options["api_key"] == "k"
        assert type(backend).name == "elasticsearch"
    finally:
        backend.close()


def test_default_index_and_timeout():
    backend = ElasticsearchSearchBackend(url="http://es.example:9200")
    try:
        assert backend.alias == "common-ground-activities"
        assert backend.timeout == 5.0
    finally:
        backend.close()


@pytest.mark.parametrize("options", [{}, {"url": ""}])
def test_a_url_is_required(options):
    with pytest.raises(ImproperlyConfigured, match="url"):
        load_backend(BACKEND_PATH, options)


def test_unknown_options_are_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="path"):
        load_backend(BACKEND_PATH, {"url": "http://localhost:9200", "path": "/tmp/index"})


@pytest.mark.parametrize("name", ["Directory", "-directory", "dir ectory", "dir*", ""])
def test_index_must_be_a_valid_index_name(name):
    with pytest.raises(ImproperlyConfigured, match="not a valid index name"):
        ElasticsearchSearchBackend(url="http://localhost:9200", index=name)


def test_password_in_the_url_is_kept_out_of_messages():
    backend = ElasticsearchSearchBackend(url="https://elastic:s3cret@es.example:9243")
    try:
        assert backend.display_url == "https://elastic:***@es.example:9243"
    finally:
        backend.close()


def test_capabilities_are_all_claimed():
    for flag in (
        "supports_text",
        "supports_prefix",
        "supports_geo",
        "supports_distance_sort",
        "supports_facets",
        "supports_highlight",
        "supports_atomic_rebuild",
    ):
        assert getattr(ElasticsearchSearchBackend, flag) is True, flag


def test_optional_methods_are_all_claimed():
    for flag in ("supports_title_suggestions", "supports_trace"):
        assert getattr(ElasticsearchSearchBackend, flag) is True, flag


# --- mappings and documents -----------------------------------------------------------------


def test_index_definition_maps_every_field():
    definition = index_definition("directory-1", replicas=0)
    settings, mappings = definition["settings"], definition["mappings"]
    assert settings["number_of_shards"] == 1 and settings["number_of_replicas"] == 0
    assert settings["analysis"]["analyzer"]["folded"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "asciifolding"],
    }
    assert mappings["dynamic"] == "strict"
    fields = mappings["properties"]
    prefix = {
        "type": "text",
        "analyzer": "folded",
        "index_prefixes": {"min_chars": 1, "max_chars": 10},
    }
    for name in ("title", "summary", "body", "category_names", "organisation", "venue"):
        assert fields[name] == {"type": "text", "analyzer": "english", "fields": {"prefix": prefix}}
    assert fields["tags"] == {
        "type": "keyword",
        "fields": {"text": {"type": "text", "analyzer": "english"}, "prefix": prefix},
    }
    for name in ("categories", "delivery", "days", "cost", "access", "status", "title_key"):
        assert fields[name] == {"type": "keyword"}, name
    assert fields["location"] == {"type": "geo_point"}
    assert fields["has_point"] == fields["anywhere"] == {"type": "boolean"}
    for name in ("area_min_lat", "area_min_lng", "area_max_lat", "area_max_lng", "cost_amount"):
        assert fields[name] == {"type": "double"}, name
    for name in ("buckets", "age_min", "age_max", "last_reviewed"):
        assert fields[name] == {"type": "integer"}, name
    assert fields["id"] == {"type": "long"}
    assert fields["payload"] == {"type": "object", "enabled": False}
    assert fields["suggest"] == {
        "type": "completion",
        "contexts": [{"name": "status", "type": "category", "path": "status"}],
    }


def test_text_fields_searched_all_exist_in_the_mapping():
    properties = index_definition("x")["mappings"]["properties"]
    for field in TEXT_FIELDS + PREFIX_FIELDS:
        path = field.split("^")[0].split(".")
        mapping = properties[path[0]]
        if len(path) == 2:
            mapping = mapping["fields"][path[1]]
        assert mapping["type"] == "text", field


def test_source_of_a_document_with_a_point():
    source = to_source(
        doc(id=7, title="Choir", lat=51.5, lng=-0.1, cost="paid", cost_amount=3, tags=["x"])
    )
    assert source["id"] == 7
    assert source["location"] == {"lat": 51.5, "lon": -0.1}
    assert source["has_point"] is True and source["anywhere"] is False
    assert source["cost_amount"] == 3.0
    assert source["suggest"] == {"input": ["Choir"]}
    assert source["title_key"] == title_key("Choir", 7)
    assert source["tags"] == ["x"]
    assert "area_min_lat" not in source
    assert source["payload"] == {
        "url": "/activity-7/",
        "uuid": "00000000-0000-0000-0000-000000000007",
        "lat": 51.5,
        "lng": -0.1,
        "schedule": [],
        "postcode": "",
        "approximate_point": None,
    }
    # A keyword, so that a query can leave organisations out.
    assert source["organisation_id"] == "0"
    # Everything indexed is mapped: the index is strict about unknown fields.
    mapped = set(index_definition("x")["mappings"]["properties"])
    assert set(source) <= mapped


def test_source_of_a_document_without_a_point():
    source = to_source(
        doc(
            id=8,
            has_point=False,
            lat=None,
            lng=None,
            delivery="area_wide",
            area=(51.41, -0.23, 51.47, -0.14),
            cost="paid",
        )
    )
    assert "location" not in source
    assert source["has_point"] is False
    assert (
        source["area_min_lat"],
        source["area_min_lng"],
        source["area_max_lat"],
        source["area_max_lng"],
    ) == (51.41, -0.23, 51.47, -0.14)
    # Paid without a price: no cost_amount, so no max_cost ever matches it.
    assert "cost_amount" not in source
    assert source["payload"]["lat"] is None and source["payload"]["lng"] is None


def test_a_point_flag_without_coordinates_is_no_point():
    source = to_source(doc(id=9, has_point=True, lat=None, lng=None))
    assert source["has_point"] is False and "location" not in source


# --- request bodies: the whole shape --------------------------------------------------------


def test_empty_query_body(body):
    assert body() == {
        "query": {"bool": {"filter": [RUNNING]}},
        "sort": [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}],
        "from": 0,
        "size": 20,
        "track_total_hits": True,
        "_source": SOURCE_FIELDS,
    }


def test_nothing_to_filter_matches_all(body):
    assert body(include_not_running=True)["query"] == {"match_all": {}}


# --- text -----------------------------------------------------------------------------------


def test_text_is_one_cross_fields_query_needing_every_word(body):
    built = body(text="Community  Choir!")
    assert built["query"] == {
        "bool": {
            "must": [
                {
                    "multi_match": {
                        "query": "community choir",
                        "type": "cross_fields",
                        "operator": "and",
                        "fields": [
                            "title^3",
                            "summary^2",
                            "category_names^1.5",
                            "tags.text^1.5",
                            "body",
                            "organisation",
                            "venue",
                        ],
                        "zero_terms_query": "all",
                    }
                }
            ],
            "filter": [RUNNING],
        }
    }
    assert built["highlight"] == {
        "encoder": "html",
        "pre_tags": ["<b>"],
        "post_tags": ["</b>"],
        "fields": [
            {"body": {"fragment_size": 160, "number_of_fragments": 1}},
            {"summary": {"fragment_size": 160, "number_of_fragments": 1}},
        ],
    }


def test_text_without_words_is_no_text(body):
    built = body(text=" -- ! ")
    assert built["query"] == {"bool": {"filter": [RUNNING]}}
    assert "highlight" not in built


def whole_words(text, zero_terms):
    return {
        "multi_match": {
            "query": text,
            "type": "cross_fields",
            "operator": "and",
            "fields": TEXT_FIELDS,
            "zero_terms_query": zero_terms,
        }
    }


def last_word(word):
    """A word begun, or a whole word (so prefix never finds less than whole words do)."""
    return {
        "bool": {
            "should": [
                {
                    "multi_match": {
                        "query": word,
                        "type": "bool_prefix",
                        "operator": "and",
                        "fields": [
                            "title.prefix^3",
                            "summary.prefix^2",
                            "category_names.prefix^1.5",
                            "tags.prefix^1.5",
                            "body.prefix",
                            "organisation.prefix",
                            "venue.prefix",
                        ],
                    }
                },
                whole_words(word, "none"),
            ],
            "minimum_should_match": 1,
        }
    }


def test_prefix_matches_the_last_word_as_a_prefix(body):
    query = body(text="Community cho", prefix=True)["query"]
    assert query["bool"]["must"] == [
        {"bool": {"must": [whole_words("community", "all"), last_word("cho")]}}
    ]


def test_prefix_of_one_word(body):
    query = body(text="Sing", prefix=True)["query"]
    assert query["bool"]["must"] == [last_word("sing")]


def test_prefix_keeps_apostrophes_in_a_word(body):
    query = body(text="st Anne's", prefix=True)["query"]
    assert query["bool"]["must"] == [
        {"bool": {"must": [whole_words("st", "all"), last_word("anne's")]}}
    ]


def test_prefix_fields_are_the_whole_word_fields():
    assert [f.replace(".prefix", "") for f in PREFIX_FIELDS] == [
        f.replace(".text", "") for f in TEXT_FIELDS
    ]


# --- filters --------------------------------------------------------------------------------


def test_status_running_by_default(body):
    assert body()["query"]["bool"]["filter"] == [RUNNING]
    assert body(include_not_running=True)["query"] == {"match_all": {}}


def test_several_statuses_are_one_terms_filter(body):
    listed = ("running", "temporarily_closed")
    assert body(statuses=listed)["query"]["bool"]["filter"] == [
        {"terms": {"status": ["running", "temporarily_closed"]}}
    ]


def test_categories_and_tags_any_of(filters):
    assert filters(categories=("music", "yoga"), tags=("carers",)) == [
        {"terms": {"categories": ["music", "yoga"]}},
        {"terms": {"tags": ["carers"]}},
    ]


def test_delivery_any_of(filters):
    assert filters(delivery=("online", "phone")) == [{"terms": {"delivery": ["online", "phone"]}}]


def test_access_needs_every_feature(filters):
    assert filters(access=("step-free", "hearing-loop")) == [
        {"term": {"access": "step-free"}},
        {"term": {"access": "hearing-loop"}},
    ]


def test_free_only(filters):
    assert filters(free_only=True) == [{"term": {"cost": "free"}}]


def test_max_cost(filters):
    assert filters(max_cost=Decimal("3.50")) == [{"range": {"cost_amount": {"lte": 3.5}}}]
    assert filters(max_cost=Decimal("0")) == [{"range": {"cost_amount": {"lte": 0.0}}}]


def test_age_in_range(filters):
    assert filters(age=8) == [
        {"range": {"age_min": {"lte": 8}}},
        {"range": {"age_max": {"gte": 8}}},
    ]


def test_days_without_a_time_match_day_slugs(filters):
    assert filters(days=(1, 6)) == [{"terms": {"days": ["tue", "sun"]}}]


def test_time_window_matches_buckets_on_the_days(filters):
    window = TimeWindow(datetime.time(9, 0), datetime.time(10, 0))
    # Tuesday (day 1) 09:00-10:00: quarter hours 36-39 of that day, 96 a day.
    assert filters(days=(1,), time_window=window) == [{"terms": {"buckets": [132, 133, 134, 135]}}]


def test_time_window_without_days_means_every_day(filters):
    window = TimeWindow(datetime.time(23, 30), datetime.time(0, 0))
    expected = [d * 96 + b for d in range(7) for b in (94, 95)]
    assert filters(time_window=window) == [{"terms": {"buckets": expected}}]


def test_open_at_matches_one_bucket(filters):
    when = datetime.datetime(2025, 1, 14, 10, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    # A Tuesday, 10:30: bucket 96 + 42.
    assert filters(open_at=when) == [{"terms": {"buckets": [138]}}]


def test_radius_points_in_the_circle_or_areas_meeting_its_box(filters):
    box = BBox.around(CENTRE, 5000)
    assert filters(near=CENTRE, radius_m=5000) == [
        {
            "bool": {
                "should": [
                    {
                        "geo_distance": {
                            "distance": "5000.0m",
                            "location": {"lat": 51.4489, "lon": -0.1971},
                        }
                    },
                    served_area(box.min_lat, box.min_lng, box.max_lat, box.max_lng),
                ],
                "minimum_should_match": 1,
            }
        }
    ]
    assert filters(near=CENTRE, radius_m=5000) == [radius_filter(5000)]


def test_near_without_radius_filters_nothing(body):
    assert body(near=CENTRE)["query"]["function_score"]["query"]["bool"]["filter"] == [RUNNING]


def test_bbox_points_inside_or_areas_meeting_it(filters):
    box = BBox(min_lng=-0.25, min_lat=51.42, max_lng=-0.15, max_lat=51.47)
    assert filters(bbox=box) == [
        {
            "bool": {
                "should": [
                    {
                        "geo_bounding_box": {
                            "location": {
                                "top_left": {"lat": 51.47, "lon": -0.25},
                                "bottom_right": {"lat": 51.42, "lon": -0.15},
                            }
                        }
                    },
                    served_area(51.42, -0.25, 51.47, -0.15),
                ],
                "minimum_should_match": 1,
            }
        }
    ]


def test_filters_combine_in_one_bool_filter(body):
    built = body(categories=("music",), free_only=True, age=30, text="choir")
    clauses = built["query"]["bool"]
    assert clauses["filter"] == [
        RUNNING,
        {"terms": {"categories": ["music"]}},
        {"term": {"cost": "free"}},
        {"range": {"age_min": {"lte": 30}}},
        {"range": {"age_max": {"gte": 30}}},
    ]
    assert len(clauses["must"]) == 1


# --- sorting, proximity and paging ----------------------------------------------------------


def test_sort_by_relevance(body):
    assert body(text="choir")["sort"] == [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}]


def test_sort_by_distance_puts_documents_without_a_point_last(body):
    built = body(near=CENTRE, sort=Sort.DISTANCE)
    assert built["sort"] == [
        {
            "_geo_distance": {
                "location": {"lat": 51.4489, "lon": -0.1971},
                "order": "asc",
                "unit": "m",
                "distance_type": "arc",
            }
        },
        {"id": {"order": "asc"}},
    ]
    # Order is by distance alone: no proximity scoring.
    assert "function_score" not in built["query"]


def test_sort_by_checked(body):
    assert body(sort=Sort.CHECKED)["sort"] == [
        {"last_reviewed": {"order": "desc"}},
        {"id": {"order": "asc"}},
    ]


def test_sort_by_title(body):
    built = body(sort=Sort.TITLE, text="choir", near=CENTRE)
    assert built["sort"] == [{"title_key": {"order": "asc"}}, {"id": {"order": "asc"}}]
    # A to Z alone: no proximity scoring.
    assert "function_score" not in built["query"]


def test_relevance_near_a_place_decays_with_distance(body):
    query = body(text="choir", near=CENTRE, radius_m=3000)["query"]
    assert query["function_score"] == {
        "query": {
            "bool": {
                "must": [
                    {
                        "multi_match": {
                            "query": "choir",
                            "type": "cross_fields",
                            "operator": "and",
                            "fields": TEXT_FIELDS,
                            "zero_terms_query": "all",
                        }
                    }
                ],
                "filter": [RUNNING, radius_filter(3000)],
            }
        },
        "functions": [
            {
                # Documents without a point get no proximity boost.
                "filter": {"term": {"has_point": True}},
                "gauss": {
                    "location": {
                        "origin": {"lat": 51.4489, "lon": -0.1971},
                        "scale": "3000.0m",
                        "decay": 0.5,
                    }
                },
            },
            {"weight": 1},
        ],
        "score_mode": "sum",
        "boost_mode": "multiply",
    }


def test_relevance_near_a_place_without_words_scores_by_distance(body):
    query = body(near=CENTRE)["query"]["function_score"]
    # A filter-only bool scores 0, which no boost could lift: match_all gives every hit 1.
    assert query["query"] == {"bool": {"must": [{"match_all": {}}], "filter": [RUNNING]}}
    assert query["functions"][0]["gauss"]["location"]["scale"] == "5000.0m"
    assert body(near=CENTRE, include_not_running=True)["query"]["function_score"]["query"] == {
        "match_all": {}
    }


def test_no_proximity_scoring_without_near_or_when_sorting_by_checked(body):
    assert "function_score" not in body(text="choir")["query"]
    assert "function_score" not in body(text="choir", near=CENTRE, sort=Sort.CHECKED)["query"]


def test_paging(body):
    built = body(page=3, page_size=25)
    assert (built["from"], built["size"], built["track_total_hits"]) == (50, 25, True)


def test_facets_are_terms_aggregations(body):
    built = body(facets=("categories", "days", "cost", "access", "delivery"))
    assert built["aggs"] == {
        name: {"terms": {"field": name, "size": FACET_SIZE}}
        for name in ("categories", "days", "cost", "access", "delivery")
    }
    assert FACET_SIZE >= 100
    assert "aggs" not in body()


# --- responses ------------------------------------------------------------------------------


def raw_hit(ident, *, has_point=True, lat=51.45, lng=-0.19, score=1.5, sort=None, **extra):
    hit = {
        "_index": "directory-1",
        "_id": str(ident),
        "_score": score,
        "_source": {
            "id": ident,
            "title": f"Activity {ident}",
            "summary": "A summary.",
            "organisation": "Org",
            "venue": "Hall" if has_point else "",
            "cost": "paid",
            "cost_amount": 3.0,
            "delivery": "in_person" if has_point else "online",
            "categories": ["music"],
            "access": ["step-free"],
            "has_point": has_point,
            "payload": {
                "url": f"/a-{ident}/",
                "lat": lat if has_point else None,
                "lng": lng if has_point else None,
                "schedule": [{"freq": "WEEKLY", "byday": "TU"}],
            },
        },
        **extra,
    }
    if sort is not None:
        hit["sort"] = sort
    return hit


def response(*hits, total=None, aggregations=None):
    body = {
        "took": 1,
        "timed_out": False,
        "hits": {"total": {"value": total or len(hits), "relation": "eq"}, "hits": list(hits)},
    }
    if aggregations is not None:
        body["aggregations"] = aggregations
    return body


def test_parse_hits(offline):
    query = DirectoryQuery(text="choir")
    results = offline.parse_response(
        query,
        response(
            raw_hit(1, highlight={"body": ["No <b>choir</b> needed"], "summary": ["x"]}),
            raw_hit(2, has_point=False, highlight={"summary": ["A <b>choir</b>."]}),
            raw_hit(3, has_point=False),
            total=42,
        ),
    )
    assert results.total == 42 and results.page == 1 and results.page_size == 20
    first, second, third = results.hits
    assert first.id == 1 and first.title == "Activity 1" and first.url == "/a-1/"
    assert first.score == 1.5
    assert first.snippet == "No <b>choir</b> needed"
    assert (first.lat, first.lng, first.area_wide) == (51.45, -0.19, False)
    assert first.cost == "paid" and first.cost_amount == 3.0 and first.delivery == "in_person"
    assert first.categories == ["music"] and first.access == ["step-free"]
    assert first.venue == "Hall" and first.organisation == "Org"
    assert first.schedule == [{"freq": "WEEKLY", "byday": "TU"}]
    assert first.distance_m is None  # no near
    assert second.snippet == "A <b>choir</b>."
    assert (second.lat, second.lng, second.area_wide) == (None, None, True)
    assert third.snippet == ""


def test_distance_from_the_sort_value_when_sorting_by_distance(offline):
    query = DirectoryQuery(near=CENTRE, sort=Sort.DISTANCE)
    results = offline.parse_response(
        query,
        response(
            raw_hit(1, score=None, sort=[1234.5, 1]),
            raw_hit(2, has_point=False, score=None, sort=["Infinity", 2]),
        ),
    )
    assert [h.distance_m for h in results.hits] == [1234.5, None]
    assert [h.score for h in results.hits] == [0.0, 0.0]


def test_distance_worked_out_for_display_otherwise(offline):
    query = DirectoryQuery(near=CENTRE, radius_m=5000)
    results = offline.parse_response(query, response(raw_hit(1), raw_hit(2, has_point=False)))
    expected = haversine_m(CENTRE.lat, CENTRE.lng, 51.45, -0.19)
    assert results.hits[0].distance_m == pytest.approx(expected)
    assert results.hits[1].distance_m is None


def test_parse_facets(offline):
    query = DirectoryQuery(facets=("cost", "days"))
    results = offline.parse_response(
        query,
        response(
            aggregations={
                "cost": {
                    "doc_count_error_upper_bound": 0,
                    "sum_other_doc_count": 0,
                    "buckets": [{"key": "free", "doc_count": 11}, {"key": "paid", "doc_count": 5}],
                },
                "days": {"buckets": []},
            }
        ),
    )
    assert results.facets == {"cost": {"free": 11, "paid": 5}, "days": {}}
    assert results.hits == [] and results.total == 0


def test_haversine():
    # One degree of latitude on the mean-radius sphere.
    assert haversine_m(0, 0, 1, 0) == pytest.approx(111_195.08, abs=0.1)


# --- the contract, against a server ------------------------------------------------------

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


class _ServerContract(ClusterContract):
    """The contract against the Elasticsearch at `self.server_url`, one alias per test."""

    backend_class = ElasticsearchSearchBackend


@pytest.mark.skipif(
    not ELASTICSEARCH_URL,
    reason="Needs a real Elasticsearch server: set ELASTICSEARCH_URL (e.g. http://localhost:9200)",
)
class TestElasticsearchContract(_ServerContract):
    """The contract against a real Elasticsearch 9 cluster (ELASTICSEARCH_URL), directly."""

    server_url = ELASTICSEARCH_URL


class TestElasticsearchEmulatorContract(_ServerContract):
    """The contract against the emulator (osmem-server behind the media-type shim, see
    tests/search/emulator.py): every query runs on a server, though not on Elasticsearch
    itself, so scores, tie order, stemming, highlight fragments and suggestions are the
    emulator's own."""

    @pytest.fixture(autouse=True)
    def _emulator(self, elasticsearch_emulator):
        """The emulator, and every request body the backend sends to it checked against
        Elasticsearch's specification (tests/search/es_spec.py): a violation fails the test."""
        self.server_url = elasticsearch_emulator.url
        checker = RequestChecker()
        stop = elasticsearch_emulator.shim.add_observer(checker)
        try:
            yield
        finally:
            stop()
        if not checker.checked:
            pytest.fail("no request body reached the specification check")
        if checker.violations:
            pytest.fail(
                "Requests Elasticsearch's specification refuses:\n" + "\n".join(checker.violations),
                pytrace=False,
            )


# --- check(), against the emulator ----------------------------------------------------------


def test_check_against_the_emulator_passes_once_the_alias_exists(elasticsearch_emulator, tmp_path):
    name = _ServerContract.index_name(tmp_path)
    backend = ElasticsearchSearchBackend(url=elasticsearch_emulator.url, index=name, replicas=0)
    try:
        (problem,) = backend.check()
        assert f"The search index alias {name!r} does not exist" in problem
        assert "run manage.py rebuild_directory_index" in problem
        backend.rebuild([])
        assert backend.check() == []
    finally:
        for index in backend._alias_targets():
            backend.client.indices.delete(index=index)
        backend.close()


def test_check_says_an_opensearch_server_is_not_elasticsearch(elasticsearch_emulator):
    """The emulator's own address, without the media-type shim: it reports itself as the
    OpenSearch-compatible server it is, and refuses the 9 client's media type on bodies."""
    backend = ElasticsearchSearchBackend(url=elasticsearch_emulator.server_url, timeout=5)
    try:
        (problem,) = backend.check()
        assert "is OpenSearch" in problem and "needs Elasticsearch 9" in problem
        with pytest.raises(SearchBackendError, match="HTTP 406.*not Elasticsearch"):
            backend.rebuild([])
    finally:
        backend.close()
