"""The search document's fields are declared once (search.fields), and every backend holds each
of them as declared: its kind, and for a field searched by words, its weight.

Each backend's schema or mapping and the text queries it really sends are built here, without
a server, and compared with the declaration: a backend that leaves a field out, holds it as
another kind or weighs its words differently fails.
"""

from __future__ import annotations

import re

import orjson
import pytest

from search import documents, fields
from search.backends.cluster import index_definition, to_source
from search.backends.elasticsearch import ElasticsearchSearchBackend
from search.backends.embedded import TEXT_FIELD_OF, EmbeddedSearchBackend, build_schema, to_tantivy
from search.fields import BOX_EDGES, FIELDS, Kind
from search.query import FACETS, DirectoryQuery
from search.results import SearchHit
from tests.factories import ActivityFactory

from .contract import doc

# A document with a word of its own in each field searched by words.
WORDY = doc(
    id=7,
    title="alphaword",
    summary="bravoword",
    body="charlieword",
    category_names="deltaword",
    tags=["echoword"],
    organisation="foxtrotword",
    venue="golfword",
)


# --- the declaration ------------------------------------------------------------------------


def test_every_document_key_is_declared_once():
    assert len(fields.DOCUMENT_KEYS) == len(set(fields.DOCUMENT_KEYS))
    assert set(doc()) == set(fields.DOCUMENT_KEYS)


@pytest.mark.django_db
def test_the_documents_built_from_pages_hold_exactly_the_declared_keys(organisation):
    activity = ActivityFactory(parent=organisation)
    (document,) = documents.documents_for([activity.pk])
    assert set(document) == set(fields.DOCUMENT_KEYS)


def test_every_field_searched_by_words_has_a_weight_and_no_other_does():
    for field in FIELDS:
        if field.kind == Kind.TEXT:
            assert field.boost is not None and field.boost > 0, field.name
        elif field.kind != Kind.KEYWORD:
            assert field.boost is None, field.name
    assert fields.BOOSTS == {
        "title": 3.0,
        "summary": 2.0,
        "body": 1.0,
        "category_names": 1.5,
        "tags": 1.5,
        "organisation": 1.0,
        "venue": 1.0,
    }


def test_the_facets_a_query_can_ask_for_are_declared_keyword_fields():
    for name in FACETS:
        assert fields.BY_NAME[name].kind == Kind.KEYWORD, name


def test_a_hit_needs_only_the_declared_hit_keys():
    full = doc(id=3, title="Choir", summary="Sing", organisation="Trust", venue="Hall")
    only = {key: full[key] for key in fields.HIT_KEYS}
    assert SearchHit.from_document(only) == SearchHit.from_document(full)


@pytest.mark.parametrize(
    ("text", "whole", "split"),
    [
        ("St Anne's Hall", ["st", "anne's", "hall"], ["st", "anne", "s", "hall"]),
        ("Knit, natter!", ["knit", "natter"], ["knit", "natter"]),
        ("CAFÉ  don't", ["café", "don't"], ["café", "don", "t"]),
        (" -- ' ", ["'"], []),
        ("", [], []),
    ],
)
def test_query_words(text, whole, split):
    assert fields.query_words(text) == whole
    assert fields.query_words(text, split_at_apostrophes=True) == split


def test_words_split_at_apostrophes_are_the_runs_of_word_characters():
    # What the embedded backend split with r"\w+" before the word pattern was shared.
    for text in ("a'b'c", "'quoted' words", "rock'n'roll_2 o''clock", "İstanbul's"):
        expected = [w.lower() for w in re.findall(r"\w+", text)]
        assert fields.query_words(text, split_at_apostrophes=True) == expected


# --- the embedded backend -------------------------------------------------------------------


def tantivy_fields() -> dict[str, dict]:
    # tantivy-py exposes a built schema only through its pickle form: the JSON tantivy itself
    # writes to meta.json, one entry per field, in field-id order.
    return {entry["name"]: entry for entry in build_schema().__reduce__()[1][0]["inner"]}


def tokenizer(entry: dict) -> str | None:
    return (entry["options"].get("indexing") or {}).get("tokenizer")


def test_the_embedded_schema_holds_every_declared_field_as_its_kind():
    schema = tantivy_fields()
    held = to_tantivy(WORDY, build_schema()).to_dict()
    payload = orjson.loads(bytes(held["payload"][0]))
    expected_types = {Kind.ID: "u64", Kind.INTEGER: "i64", Kind.FLOAT: "f64", Kind.BOOLEAN: "u64"}
    for field in FIELDS:
        name = field.name
        if field.kind in expected_types:
            assert schema[name]["type"] == expected_types[field.kind], name
            assert schema[name]["options"]["indexed"] is True, name
        elif field.kind == Kind.TEXT:
            assert schema[name]["type"] == "text" and tokenizer(schema[name]) == "en_stem", name
        elif field.kind == Kind.KEYWORD:
            assert schema[name]["type"] == "text" and tokenizer(schema[name]) == "raw", name
            if field.boost is not None:
                words = schema[TEXT_FIELD_OF[name]]
                assert words["type"] == "text" and tokenizer(words) == "en_stem", name
        elif field.kind == Kind.DATE:
            # Only ever sorted by ("recently checked"), in a key that breaks ties by id.
            assert (
                schema["checked_key"]["type"] == "i64" and schema["checked_key"]["options"]["fast"]
            )
        elif field.kind == Kind.GEO_POINT:
            assert schema["lat"]["type"] == schema["lng"]["type"] == "f64"
            assert tokenizer(schema["point"]) == "raw"
        elif field.kind == Kind.GEO_BOX:
            for edge in BOX_EDGES:
                assert schema[f"{name}_{edge}"]["type"] == "f64", edge
        elif field.kind == Kind.STORED:
            assert schema["payload"]["type"] == "bytes"
        else:
            pytest.fail(f"a kind this test does not know: {field.kind}")
        if field.in_hits:
            for key in field.keys:
                assert key in payload, key
    # Every word of every field searched by words is there for type-ahead prefixes.
    prefix_words = held["prefix_text"][0].split()
    for field in fields.WORD_FIELDS:
        value = WORDY[field.name]
        word = value[0] if isinstance(value, list) else value
        assert word in prefix_words, field.name


def test_the_embedded_schema_has_no_field_the_declaration_does_not_explain():
    declared = set()
    for field in FIELDS:
        if field.kind == Kind.GEO_BOX:
            declared |= {f"{field.name}_{edge}" for edge in BOX_EDGES}
        elif field.kind not in (Kind.STORED, Kind.DATE):
            declared |= set(field.keys)
        if field.boost is not None:
            declared.add(TEXT_FIELD_OF[field.name])
    # What the engine derives: one field of every word for prefixes, facet combinations, a
    # point as one keyword, sort keys, and the stored payload a hit is made from.
    derived = {"prefix_text", "categories_set", "days_set", "access_set", "audience_set", "point"}
    derived |= {"checked_key", "title_rank", "title_fold", "payload"}
    assert set(tantivy_fields()) - declared == derived
    assert declared <= set(tantivy_fields())


def engine_weights(query_repr: str, word: str) -> dict[str, float]:
    """{engine field id: weight} of each term query on `word` in a tantivy query's repr."""
    found = {}
    pattern = (
        r'(Boost\(query=)?TermQuery\(Term\(field=(\d+), type=Str, "' + re.escape(word) + r'"\)\)'
        r"(?:, boost=([\d.]+)\))?"
    )
    for boosted, field_id, boost in re.findall(pattern, query_repr):
        found[int(field_id)] = float(boost) if boosted else 1.0
    return found


def test_the_embedded_backend_weighs_words_as_declared(tmp_path):
    backend = EmbeddedSearchBackend(path=str(tmp_path / "index"))
    backend.index_documents([WORDY])
    calls = []
    try:
        with backend.trace(calls.append):
            backend.search(DirectoryQuery(text="walk"))
    finally:
        backend.close()
    (search,) = [call for call in calls if call.name == "search"]
    by_id = {i: name for i, name in enumerate(tantivy_fields())}
    weights = {by_id[i]: w for i, w in engine_weights(repr(search.args[0]), "walk").items()}
    assert weights == {TEXT_FIELD_OF[name]: boost for name, boost in fields.BOOSTS.items()}


# --- the Elasticsearch backend --------------------------------------------------------------


@pytest.fixture(scope="module")
def offline():
    backend = ElasticsearchSearchBackend(url="http://127.0.0.1:9", index="directory")
    yield backend
    backend.close()


PREFIX = {"type": "text", "analyzer": "folded", "index_prefixes": {"min_chars": 1, "max_chars": 10}}


def test_the_elasticsearch_mapping_holds_every_declared_field_as_its_kind():
    properties = index_definition("x")["mappings"]["properties"]
    source = to_source(WORDY)
    expected_types = {
        Kind.ID: "long",
        Kind.INTEGER: "integer",
        Kind.FLOAT: "double",
        Kind.BOOLEAN: "boolean",
        Kind.DATE: "integer",
    }
    for field in FIELDS:
        name = field.name
        if field.kind in expected_types:
            assert properties[name] == {"type": expected_types[field.kind]}, name
        elif field.kind == Kind.TEXT:
            assert properties[name] == {
                "type": "text",
                "analyzer": "english",
                "fields": {"prefix": PREFIX},
            }, name
        elif field.kind == Kind.KEYWORD:
            assert properties[name]["type"] == "keyword", name
            if field.boost is not None:
                assert properties[name]["fields"] == {
                    "text": {"type": "text", "analyzer": "english"},
                    "prefix": PREFIX,
                }, name
            else:
                assert "fields" not in properties[name], name
        elif field.kind == Kind.GEO_POINT:
            assert properties["location"] == {"type": "geo_point"}
        elif field.kind == Kind.GEO_BOX:
            for edge in BOX_EDGES:
                assert properties[f"{name}_{edge}"] == {"type": "double"}, edge
        elif field.kind == Kind.STORED:
            assert name in source["payload"], name
        else:
            pytest.fail(f"a kind this test does not know: {field.kind}")
        if field.kind != Kind.STORED and field.kind != Kind.GEO_BOX:
            # What the strict mapping holds is what the document's source gives it.
            held = "location" if field.kind == Kind.GEO_POINT else name
            assert held in source, name


def test_the_elasticsearch_mapping_has_no_field_the_declaration_does_not_explain():
    properties = set(index_definition("x")["mappings"]["properties"])
    declared = {field.name for field in FIELDS if field.kind not in (Kind.STORED, Kind.GEO_POINT)}
    declared -= {box.name for box in fields.of_kind(Kind.GEO_BOX)}
    declared |= {f"{box.name}_{edge}" for box in fields.of_kind(Kind.GEO_BOX) for edge in BOX_EDGES}
    # What the engine derives: the point as a geo_point, whole-title suggestions, the A to Z
    # sort key and the stored payload a hit is made from.
    assert properties - declared == {"location", "suggest", "title_key", "payload"}


def weights_of(field_paths: list[str], subfield: str) -> dict[str, float]:
    """{document field: weight} from multi_match fields such as "tags.text^1.5"."""
    weights = {}
    for entry in field_paths:
        path, _, boost = entry.partition("^")
        name = path.removesuffix(f".{subfield}")
        assert name not in weights, f"{name} searched twice"
        weights[name] = float(boost or 1)
    return weights


def multi_matches(node, kind: str) -> list[dict]:
    """Every multi_match clause of this type in a query."""
    found = []
    if isinstance(node, dict):
        match = node.get("multi_match")
        if match and match.get("type") == kind:
            found.append(match)
        for value in node.values():
            found += multi_matches(value, kind)
    elif isinstance(node, list):
        for value in node:
            found += multi_matches(value, kind)
    return found


def test_the_elasticsearch_backend_weighs_words_as_declared(offline):
    (whole,) = multi_matches(offline.build_search_body(DirectoryQuery(text="walk")), "cross_fields")
    assert weights_of(whole["fields"], "text") == fields.BOOSTS
    typed = offline.build_search_body(DirectoryQuery(text="walk", prefix=True))
    (prefix,) = multi_matches(typed, "bool_prefix")
    assert weights_of(prefix["fields"], "prefix") == fields.BOOSTS
    (last_whole,) = multi_matches(typed, "cross_fields")
    assert weights_of(last_whole["fields"], "text") == fields.BOOSTS
