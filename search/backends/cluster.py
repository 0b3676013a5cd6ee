"""What the Elasticsearch and OpenSearch backends share: the index, the requests, the rebuild.

Both engines speak the same query DSL, mappings, bulk and alias APIs for everything this
directory asks of them, so one class builds every request body and reads every response
(`ClusterSearchBackend`), and each engine's backend adds only what differs: its client, how
its errors read, and what `check()` says of a server it cannot use
(`search.backends.elasticsearch`, `search.backends.opensearch`). Request bodies go through
the client untouched; no search body depends on which engine is configured.

Searches, writes and checks go through an alias (`index`, by default
"common-ground-activities"). A rebuild loads a new concrete index `<alias>-<timestamp>` and then
moves the alias onto it in one `_aliases` request, so searches see the old index or the new one,
never a half-built one. A rebuild marks its new index as being written (`_meta.rebuild_alive`
in its mapping, renewed while it loads); each rebuild deletes the indices of its alias that are
neither live nor being written, such as those of rebuilds killed before they could clean up.

Everything the contract in `search.backends.base.BaseSearchBackend` asks for is done by the
engine itself: the text query, every filter, the sort, paging and facet counts. Only the
display distance of the (at most 100) hits on a page is worked out here, when the engine did not
already return it as a sort value.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import re
import time
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

# The mapping is written with Elasticsearch's DSL, which only builds the JSON: OpenSearch
# takes the same mapping, and no request goes through this package's client here.
from elasticsearch.dsl import (
    Boolean,
    Completion,
    Document,
    Double,
    GeoPoint,
    Index,
    Integer,
    Keyword,
    Long,
    MetaField,
    Object,
    Text,
    analyzer,
)

from common.geo import haversine_m

from .. import fields
from ..fields import STEMMED, UNSTEMMED, Kind
from ..query import FACETS, BBox, DirectoryQuery, Expansions, Sort, fuzzy_distance, title_key
from ..results import SearchHit, SearchResults
from .base import BaseSearchBackend, ProgressCallback, SearchBackendError

logger = logging.getLogger(__name__)

DEFAULT_INDEX = "common-ground-activities"
DEFAULT_TIMEOUT = 5
# Bulk loads and refreshes of a whole index take longer than a search may.
BULK_TIMEOUT = 60
CHUNK_SIZE = 500
# Facet values are category slugs (with ancestors), weekdays and a few fixed choices: this many
# buckets is every value a directory has, so the counts are complete rather than a top-N.
FACET_SIZE = 500
SNIPPET_CHARS = 160
# Relevance near the person: a document this far away keeps half of its proximity boost.
DEFAULT_DECAY_SCALE_M = 5_000
REBUILD_HINT = "run manage.py rebuild_directory_index"
# A loading rebuild renews the mark on its index at least this often; an index not behind the
# alias whose mark (or, without one, whose creation) is older than STALE_AFTER_S belongs to a
# rebuild that was killed, whatever the size of the directory.
HEARTBEAT_S = 60
STALE_AFTER_S = 15 * 60

# The fields, their kinds and weights are declared in search.fields; what follows is how this
# engine holds them.

# Lower-cased, accent-folded, unstemmed words: what type-ahead prefixes are compared with.
folded = analyzer("folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
ANALYZERS = {STEMMED: "english", UNSTEMMED: folded}
# The subfields a field searched by words has: its stemmed words (a keyword field's, beside
# its whole values) and its unstemmed words for type-ahead.
WORDS_SUBFIELD = "text"
PREFIX_SUBFIELD = "prefix"
# Where the point is, as the engine's own geo type (lat and lng also go in the payload, so
# a hit shows the coordinates as they were written).
LOCATION = "location"
(_AREA,) = fields.of_kind(Kind.GEO_BOX)
AREA_FIELDS = tuple(f"{_AREA.name}_{edge}" for edge in fields.BOX_EDGES)
# Stored for building a hit, never searched.
PAYLOAD_KEYS = (*(field.name for field in fields.of_kind(Kind.STORED)), *fields.POINT_KEYS)
SOURCE_FIELDS = [key for key in fields.HIT_KEYS if key not in PAYLOAD_KEYS] + ["payload"]
FACET_FIELDS = {name: name for name in FACETS}
# Expansions (concepts) weigh less than the words themselves, as in the embedded backend: an
# expanded category or audience counts EXPANDED_MATCH, an access feature EXPANDED_ACCESS, an
# expanded phrase and the query's own words half their score, all times EXPANSION_WEIGHT.
EXPANSION_WEIGHT = 0.5
EXPANDED_MATCH = 1.0
EXPANDED_ACCESS = 0.5
EXPANDED_WORDS = 0.5


def _weighted(path: str, boost: float) -> str:
    return path if boost == 1 else f"{path}^{boost:g}"


# The declared word fields and weights, heaviest first (the order has no effect on matching or
# scoring). Whole words are matched in the stemmed fields ("tags.text" for the tags' words);
# the last word of a type-ahead query as a prefix of unstemmed words ("singi" must find
# "singing", whose stem "sing" does not start with "singi"), in the same fields and with the
# same weights.
_HEAVIEST_FIRST = sorted(fields.WORD_FIELDS, key=lambda field: -field.boost)
TEXT_FIELDS = [
    _weighted(
        f"{field.name}.{WORDS_SUBFIELD}" if field.kind == Kind.KEYWORD else field.name,
        field.boost,
    )
    for field in _HEAVIEST_FIRST
]
PREFIX_FIELDS = [
    _weighted(f"{field.name}.{PREFIX_SUBFIELD}", field.boost) for field in _HEAVIEST_FIRST
]
# The engines' rules for index names, which the alias and the rebuilt indices share.
INDEX_NAME = re.compile(r"^[a-z0-9][a-z0-9_.+-]*$")


def _prefix_text() -> Text:
    # index_prefixes turns a prefix query into one term lookup, so a short prefix ("s") matches
    # every word it begins instead of the first 50 expansions that match_bool_prefix allows.
    return Text(analyzer=ANALYZERS[UNSTEMMED], index_prefixes={"min_chars": 1, "max_chars": 10})


def _mapped(field: fields.Field) -> dict:
    """The index fields that hold one declared field, by name."""
    kind = field.kind
    if kind == Kind.ID:
        return {field.name: Long()}
    if kind == Kind.TEXT:
        return {
            field.name: Text(analyzer=ANALYZERS[STEMMED], fields={PREFIX_SUBFIELD: _prefix_text()})
        }
    if kind == Kind.KEYWORD:
        if field.boost is None:
            return {field.name: Keyword(multi=field.many)}
        words = {WORDS_SUBFIELD: Text(analyzer=ANALYZERS[STEMMED]), PREFIX_SUBFIELD: _prefix_text()}
        return {field.name: Keyword(multi=field.many, fields=words)}
    if kind == Kind.INTEGER:
        return {field.name: Integer(multi=field.many)}
    if kind == Kind.FLOAT:
        # Double, not float: prices are compared exactly as the embedded backend compares them,
        # without rounding to 24 bits.
        return {field.name: Double()}
    if kind == Kind.BOOLEAN:
        return {field.name: Boolean()}
    if kind == Kind.DATE:
        # A day's ordinal, as the document holds it: only ever compared and sorted by.
        return {field.name: Integer()}
    if kind == Kind.GEO_POINT:
        return {LOCATION: GeoPoint()}
    if kind == Kind.GEO_BOX:
        # Double, as FLOAT: area edges are compared exactly.
        return {name: Double() for name in AREA_FIELDS}
    if kind == Kind.STORED:
        return {}  # in the payload
    raise ValueError(f"No search engine mapping for {kind!r} (field {field.name!r})")


def _document_class() -> type[Document]:
    """The mapping of one directory activity: every declared field (see `search.fields`), and
    what this engine derives from them (`suggest`, `title_key`, `payload`)."""
    namespace: dict = {
        "__doc__": "The mapping of one directory activity (see search.fields).",
        "__module__": __name__,
    }
    for field in fields.FIELDS:
        namespace.update(_mapped(field))
    # Type-ahead of whole titles; the status context keeps ended activities out.
    namespace["suggest"] = Completion(
        contexts=[{"name": "status", "type": "category", "path": "status"}]
    )
    # "A to Z" sorts by this (search.query.title_key), compared as bytes as the embedded
    # backend compares it.
    namespace["title_key"] = Keyword()
    namespace["payload"] = Object(enabled=False)

    class Meta:
        # Every field is written by `to_source`; an unknown one is a bug, not a new mapping.
        dynamic = MetaField("strict")

    namespace["Meta"] = Meta
    return type("ActivityDocument", (Document,), namespace)


ActivityDocument = _document_class()


def index_definition(name: str, *, replicas: int = 1) -> dict:
    """Settings and mappings for a new concrete index, as `indices.create` takes them."""
    index = Index(name)
    # One shard: a directory is small, and one shard makes scores and facet counts exact.
    index.settings(number_of_shards=1, number_of_replicas=replicas)
    index.document(ActivityDocument)
    return index.to_dict()


def to_source(document: dict) -> dict:
    """The `_source` indexed for one document from `search.documents.build_documents`."""
    has_point = (
        bool(document.get("has_point"))
        and document.get("lat") is not None
        and document.get("lng") is not None
    )
    title = document.get("title") or ""
    source = {
        "id": int(document["id"]),
        "title": title,
        "summary": document.get("summary") or "",
        "body": document.get("body") or "",
        "category_names": document.get("category_names") or "",
        "organisation": document.get("organisation") or "",
        "venue": document.get("venue") or "",
        # A keyword: the id as text, as a query's exclusions send it.
        "organisation_id": (
            str(document["organisation_id"])
            if document.get("organisation_id") is not None
            else None
        ),
        "categories": list(document.get("categories") or ()),
        "tags": list(document.get("tags") or ()),
        "delivery": document.get("delivery") or None,
        "days": list(document.get("days") or ()),
        "cost": document.get("cost") or None,
        "access": list(document.get("access") or ()),
        "audience": list(document.get("audience") or ()),
        "conditions": list(document.get("conditions") or ()),
        "booking": document.get("booking") or None,
        "capacity": document.get("capacity") or None,
        "carers_welcome": bool(document.get("carers_welcome")),
        "status": document.get("status") or None,
        "has_point": has_point,
        "anywhere": bool(document.get("anywhere")),
        "buckets": [int(b) for b in document.get("buckets") or ()],
        "age_min": int(document["age_min"]) if document.get("age_min") is not None else 0,
        "age_max": int(document["age_max"]) if document.get("age_max") is not None else 120,
        "last_reviewed": int(document.get("last_reviewed") or 0),
        "title_key": title_key(title, int(document["id"])),
        "payload": {key: document.get(key) for key in PAYLOAD_KEYS},
    }
    if title:
        source["suggest"] = {"input": [title]}
    if has_point:
        source[LOCATION] = {"lat": float(document["lat"]), "lon": float(document["lng"])}
    if document.get(_AREA.name):
        for name, value in zip(AREA_FIELDS, document[_AREA.name], strict=True):
            source[name] = float(value)
    if document.get("cost_amount") is not None:
        source["cost_amount"] = float(document["cost_amount"])
    if not has_point:
        # Only a document with a point has a position to show or measure from.
        source["payload"]["lat"] = source["payload"]["lng"] = None
    return source


def _alive() -> dict:
    """The mark of an index being written by a rebuild, as of now (seconds since the epoch)."""
    return {"rebuild_alive": int(time.time())}


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _redact(url: str) -> str:
    """The URL without a password, fit for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def api_reason(body, fallback: str) -> str:
    """The most useful sentence in an engine's error response `body` (else `fallback`)."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        causes = error.get("root_cause") or []
        cause = causes[0] if causes and isinstance(causes[0], dict) else error
        kind, reason = cause.get("type"), cause.get("reason")
        if kind or reason:
            return f"{kind}: {reason}" if kind and reason else str(kind or reason)
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return body["error"]
    if isinstance(body, str) and body.strip():
        return body.strip()[:200]
    return fallback


def bulk_reason(errors: list, fallback: str) -> str:
    """The first reason among a bulk request's failed items (`BulkIndexError.errors`)."""
    for item in errors:
        for result in item.values():
            error = result.get("error")
            if isinstance(error, dict):
                return f"{error.get('type')}: {error.get('reason')}"
            if error:
                return str(error)
    return fallback


class ClusterSearchBackend(BaseSearchBackend):
    """The directory in a search cluster (Elasticsearch or OpenSearch) through the alias `index`.

    Subclasses give the client: they make `self.client` in `__init__` and implement the engine
    calls below (each names what it does; none builds a request body) and `check()`. The
    options every cluster backend takes: url (required; user:password@ in it is used for basic
    auth), index (the alias, default "common-ground-activities"), timeout (seconds per request,
    default 5), verify_certs (https only; the client's default when not given) and replicas (for
    new indices, default 1).
    """

    #: The engine's name in messages ("Elasticsearch").
    product = ""
    #: The prefix of this backend's settings in messages ("ELASTICSEARCH" for ELASTICSEARCH_URL).
    setting_prefix = ""
    # Every capability `search` can have (the base's defaults stand), and every optional method.
    supports_title_suggestions = True
    supports_trace = True
    supports_expansions = True
    supports_fuzzy = True

    def __init__(
        self,
        *,
        url: str,
        index: str = DEFAULT_INDEX,
        timeout: float = DEFAULT_TIMEOUT,
        verify_certs: bool | None = None,
        replicas: int = 1,
        **options,
    ):
        super().__init__(
            url=url,
            index=index,
            timeout=timeout,
            verify_certs=verify_certs,
            replicas=replicas,
            **options,
        )
        if not url:
            raise ImproperlyConfigured(
                f"The {self.product} search backend needs a url ({self.setting('URL')}), "
                "for example http://localhost:9200."
            )
        if not INDEX_NAME.match(index or ""):
            raise ImproperlyConfigured(
                f"The {self.product} index {index!r} is not a valid index name: use lower-case "
                "letters, digits, '-', '_' or '.', not starting with '-', '_' or '+'."
            )
        self.url = url
        self.display_url = _redact(url)
        self.alias = index
        self.timeout = float(timeout)
        self.replicas = int(replicas)
        self.verify_certs = verify_certs

    @classmethod
    def setting(cls, name: str) -> str:
        """The name of one of this backend's settings, as an operator sets it."""
        return f"{cls.setting_prefix}_{name}"

    # What each engine does its own way ---------------------------------------------------

    def _engine_method_missing(self, what: str):
        return NotImplementedError(
            f"{type(self).__name__} must implement {what} to be a cluster search backend."
        )

    @contextlib.contextmanager
    def _errors(self, doing: str):
        """Turn the client's exceptions into a SearchBackendError saying what failed, in
        words (see `_refused`, `_unreachable`, `_rejected`)."""
        raise self._engine_method_missing("_errors(doing), turning client errors into words")
        yield  # a generator, as contextmanager needs

    def _search_call(self, body: dict) -> dict:
        """The engine's `_search` response to `body` on the alias, as a dict, through
        `_engine_call("search", ...)` so a trace sees it."""
        raise self._engine_method_missing("_search_call(body)")

    def _bulk(self, actions: list[dict], *, index: str, **params) -> None:
        """One bulk request of `actions` (the client helpers' action dicts) on `index`, with
        `params` (refresh, require_alias, ignore_status) as the bulk helpers take them."""
        raise self._engine_method_missing("_bulk(actions, index=..., **params)")

    def _create_index(self, name: str, definition: dict) -> None:
        """Create the concrete index `name` with `index_definition`'s settings and mappings."""
        raise self._engine_method_missing("_create_index(name, definition)")

    def _put_meta(self, name: str, meta: dict) -> None:
        """Set the `_meta` of the index `name`'s mapping."""
        raise self._engine_method_missing("_put_meta(name, meta)")

    def _refresh(self, name: str) -> None:
        raise self._engine_method_missing("_refresh(name)")

    def _alias_targets(self) -> list[str]:
        """The concrete indices behind the alias now ([] when it does not exist)."""
        raise self._engine_method_missing("_alias_targets()")

    def _update_aliases(self, actions: list[dict]) -> None:
        """One `_aliases` request of `actions`, applied together or not at all."""
        raise self._engine_method_missing("_update_aliases(actions)")

    def _delete_indices(self, names: list[str]) -> None:
        """Delete the indices `names`, ignoring any already gone."""
        raise self._engine_method_missing("_delete_indices(names)")

    def _list_indices(self, pattern: str) -> dict:
        """`GET <pattern>` (open and closed indices): name -> aliases, mappings, settings."""
        raise self._engine_method_missing("_list_indices(pattern)")

    def _alias_remove_action(self, name: str) -> dict:
        """The `_aliases` action that takes the alias off the index `name` during a swap.

        must_exist: if another rebuild moved the alias meanwhile, the swap fails rather than
        leaving the alias on two indices. An engine that does not know the key overrides this.
        """
        return {"remove": {"index": name, "alias": self.alias, "must_exist": True}}

    def close(self) -> None:
        """Close the client's connections."""
        raise self._engine_method_missing("close()")

    # Errors, in words ---------------------------------------------------------------------

    def _rejected(self, count: int, reason: str, doing: str) -> str:
        reason = reason.rstrip(".")
        return (
            f"{self.product} at {self.display_url} rejected {count} document(s) while trying "
            f"to {doing}: {reason}.{self._hint(reason)}"
        )

    def _refused(self, status, reason: str, doing: str) -> str:
        reason = reason.rstrip(".")
        return (
            f"{self.product} at {self.display_url} refused to {doing} (HTTP {status}): "
            f"{reason}.{self._hint(reason)}"
        )

    def _unreachable(self, message: str, doing: str) -> str:
        # Connection refused, timeouts, TLS failures, unreadable responses.
        return f"{self.product} at {self.display_url} could not be reached to {doing}: {message}"

    def _hint(self, reason: str) -> str:
        """A sentence on what to do about an error `reason`, or ""."""
        if "index_not_found" in reason:
            return f" The index {self.alias!r} does not exist: {REBUILD_HINT}."
        return ""

    def _missing_alias(self) -> str:
        """check()'s words for a cluster without the alias yet."""
        return (
            f"The search index alias {self.alias!r} does not exist in {self.product} at "
            f"{self.display_url}: {REBUILD_HINT} to create the index and the alias "
            f"({self.setting('INDEX')} names the alias)."
        )

    def _credentials_problem(
        self, code: int, status: str, *, given: bool, how: str, who: str = "user"
    ) -> str | None:
        """check()'s words for a 401 or 403; `how` says how to give credentials, `who` whom
        the cluster grants rights to."""
        where = f"{self.product} at {self.display_url}"
        if code == 401:
            what = (
                "refused the credentials given"
                if given
                else "needs credentials, and none were given"
            )
            return f"{where} {what} ({status}). {how}"
        if code == 403:
            return (
                f"{where} accepted the credentials but refused them the right to read the "
                f"cluster or the index {self.alias!r} ({status}). Give the {who} the "
                f"'monitor' cluster privilege and all privileges on '{self.alias}*'."
            )
        return None

    # Search ------------------------------------------------------------------------------

    def search(self, query: DirectoryQuery) -> SearchResults:
        """Run a query on the engine: one request for the page, the total and the facets."""
        body = self.build_search_body(query)
        with self._errors("search"):
            response = self._search_call(body)
        return self.parse_response(query, response)

    def build_search_body(self, query: DirectoryQuery) -> dict:
        """The `_search` request body for a query (public so tests can read it)."""
        body: dict = {
            "query": self._query(query),
            "sort": self._sort(query),
            "from": query.offset,
            "size": query.page_size,
            "track_total_hits": True,
            "_source": SOURCE_FIELDS,
        }
        if self._words(query):
            body["highlight"] = {
                "encoder": "html",
                "pre_tags": ["<b>"],
                "post_tags": ["</b>"],
                # A list of single-field objects, as Elasticsearch's specification declares
                # `fields` (servers also take one object with several fields; this form
                # satisfies both).
                "fields": [
                    {"body": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1}},
                    {"summary": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1}},
                ],
            }
        if query.facets:
            body["aggs"] = {
                name: {"terms": {"field": FACET_FIELDS[name], "size": FACET_SIZE}}
                for name in query.facets
            }
        return body

    @staticmethod
    def _words(query: DirectoryQuery) -> list[str]:
        # Apostrophes kept: the standard tokenizer keeps "anne's" whole, so a type-ahead
        # prefix runs on to the end of the word.
        return fields.query_words(query.text)

    def _text_query(self, query: DirectoryQuery) -> dict | None:
        words = self._words(query)
        if not words:
            return None
        if query.fuzzy and not query.prefix:
            matched = self._fuzzy_words(words)
        else:
            matched = self._exact_words(query, words)
        if query.expansions:
            return self._expanded(matched, words, query.expansions)
        return matched

    def _fuzzy_words(self, words: list[str]) -> dict:
        """Every word, as a whole stemmed word or a close spelling of a word as written (the
        unstemmed prefix fields), at search.query.fuzzy_distance edits."""
        clauses = []
        for word in words:
            exact = self._whole_words(word, zero_terms="all")
            distance = fuzzy_distance(word)
            if distance:
                close = {
                    "multi_match": {
                        "query": word,
                        "type": "best_fields",
                        "fields": PREFIX_FIELDS,
                        "fuzziness": distance,
                        "fuzzy_transpositions": True,
                        "prefix_length": 0,
                    }
                }
                exact = {"bool": {"should": [exact, close], "minimum_should_match": 1}}
            clauses.append(exact)
        return clauses[0] if len(clauses) == 1 else {"bool": {"must": clauses}}

    def _expanded(self, matched: dict, words: list[str], expansions: Expansions) -> dict:
        """The words, or what their concepts expand to, scored lower (EXPANSION_WEIGHT)."""
        alternatives = []
        for name, values, weight in (
            ("categories", expansions.categories, EXPANDED_MATCH),
            ("audience", expansions.audience, EXPANDED_MATCH),
            ("access", expansions.access, EXPANDED_ACCESS),
        ):
            # A clause each: an activity in several of the concept's categories (a child and
            # its parent, as documents hold both) ranks above one in a single one.
            alternatives += [
                {"constant_score": {"filter": {"term": {name: value}}, "boost": weight}}
                for value in values
            ]
        for phrase in expansions.words:
            if fields.query_words(phrase):
                alternatives.append(self._boosted_words(phrase, EXPANDED_WORDS))
        if not alternatives:
            return matched
        widened = {
            "bool": {
                "must": [{"bool": {"should": alternatives, "minimum_should_match": 1}}],
                # The query's own words only add to an expanded match's score.
                "should": [self._boosted_words(word, EXPANDED_WORDS) for word in words],
                "boost": EXPANSION_WEIGHT,
            }
        }
        return {"bool": {"should": [matched, widened], "minimum_should_match": 1}}

    @classmethod
    def _boosted_words(cls, text: str, boost: float) -> dict:
        clause = cls._whole_words(text, zero_terms="none")
        clause["multi_match"]["boost"] = boost
        return clause

    def _exact_words(self, query: DirectoryQuery, words: list[str]) -> dict:
        last = words.pop() if query.prefix else None
        clauses = []
        if words:
            # cross_fields + and: every word must be somewhere in the document, not all in one
            # field; stemmed English (title most weight) as the contract asks.
            clauses.append(self._whole_words(" ".join(words), zero_terms="all"))
        if last is not None:
            # The last word of a type-ahead query begins a word, or is one: "sin" must find
            # "singing", and a finished "walks" must still find "walking" as it does without
            # prefix, so a prefix result is never smaller than the whole-word result.
            clauses.append(
                {
                    "bool": {
                        "should": [
                            {
                                "multi_match": {
                                    "query": last,
                                    "type": "bool_prefix",
                                    "operator": "and",
                                    "fields": PREFIX_FIELDS,
                                }
                            },
                            # A stop word as the last word ("the") is then only a prefix.
                            self._whole_words(last, zero_terms="none"),
                        ],
                        "minimum_should_match": 1,
                    }
                }
            )
        if len(clauses) == 1:
            return clauses[0]
        return {"bool": {"must": clauses}}

    @staticmethod
    def _whole_words(text: str, *, zero_terms: str) -> dict:
        return {
            "multi_match": {
                "query": text,
                "type": "cross_fields",
                "operator": "and",
                "fields": TEXT_FIELDS,
                # "all": a query of only stop words ("the") finds everything, like no words.
                "zero_terms_query": zero_terms,
            }
        }

    def _query(self, query: DirectoryQuery) -> dict:
        text = self._text_query(query)
        filters = self.build_filters(query)
        boost = query.near is not None and query.sort == Sort.RELEVANCE
        if text is None and not filters:
            base: dict = {"match_all": {}}
        else:
            clauses: dict = {}
            if text is not None:
                clauses["must"] = [text]
            elif boost:
                # A bool of only filters scores 0, and 0 times any boost is still 0.
                clauses["must"] = [{"match_all": {}}]
            if filters:
                # Filters decide what matches, never how well it matches.
                clauses["filter"] = filters
            base = {"bool": clauses}
        return self._near_boost(query, base) if boost else base

    def _near_boost(self, query: DirectoryQuery, base: dict) -> dict:
        """Relevance near the person: the text score times 1 + a gauss decay of the distance.

        The constant 1 keeps far but well-matching activities in play (the factor never drops
        below 1). A document without a point gets no proximity boost, as if far away, which is
        where sorting by distance puts it too (a decay function would otherwise treat a missing
        location as distance 0). Without words every document scores alike, so the nearest
        come first.
        """
        scale = query.radius_m or DEFAULT_DECAY_SCALE_M
        return {
            "function_score": {
                "query": base,
                "functions": [
                    {
                        "filter": {"term": {"has_point": True}},
                        "gauss": {
                            LOCATION: {
                                "origin": {"lat": query.near.lat, "lon": query.near.lng},
                                "scale": f"{float(scale)}m",
                                "decay": 0.5,
                            }
                        },
                    },
                    {"weight": 1},
                ],
                "score_mode": "sum",
                "boost_mode": "multiply",
            }
        }

    def build_filters(self, query: DirectoryQuery) -> list[dict]:
        """The `bool.filter` clauses for a query, in a fixed order (public for tests)."""
        filters: list[dict] = []
        if not query.include_not_running:
            if len(query.statuses) == 1:
                filters.append({"term": {"status": query.statuses[0]}})
            else:
                filters.append({"terms": {"status": list(query.statuses)}})
        if query.categories:
            filters.append({"terms": {"categories": list(query.categories)}})
        if query.tags:
            filters.append({"terms": {"tags": list(query.tags)}})
        if query.delivery:
            filters.append({"terms": {"delivery": list(query.delivery)}})
        if query.audience:
            filters.append({"terms": {"audience": list(query.audience)}})
        if query.exclude_organisations:
            # Keywords: the ids as the strings they were indexed as.
            excluded = [str(o) for o in query.exclude_organisations]
            filters.append({"bool": {"must_not": [{"terms": {"organisation_id": excluded}}]}})
        # Every feature asked for must be there: one clause each.
        for feature in query.access:
            filters.append({"term": {"access": feature}})
        if query.free_only:
            filters.append({"term": {"cost": "free"}})
        if query.max_cost is not None:
            # A paid activity without a price has no cost_amount, so never matches.
            filters.append({"range": {"cost_amount": {"lte": float(query.max_cost)}}})
        if query.age is not None:
            filters.append({"range": {"age_min": {"lte": query.age}}})
            filters.append({"range": {"age_max": {"gte": query.age}}})
        buckets = query.time_buckets()
        if buckets is not None:
            filters.append({"terms": {"buckets": buckets}})
        elif query.days:
            filters.append({"terms": {"days": list(query.day_slugs)}})
        if query.near is not None and query.radius_m is not None:
            filters.append(self._radius_filter(query))
        if query.bbox is not None:
            filters.append(self._bbox_filter(query.bbox))
        return filters

    @staticmethod
    def _served_area(box: BBox) -> dict:
        """No point of its own, and serves anywhere or an area overlapping the box."""
        overlaps = {
            "bool": {
                "filter": [
                    {"range": {"area_min_lat": {"lte": box.max_lat}}},
                    {"range": {"area_max_lat": {"gte": box.min_lat}}},
                    {"range": {"area_min_lng": {"lte": box.max_lng}}},
                    {"range": {"area_max_lng": {"gte": box.min_lng}}},
                ]
            }
        }
        return {
            "bool": {
                "filter": [{"term": {"has_point": False}}],
                "should": [{"term": {"anywhere": True}}, overlaps],
                "minimum_should_match": 1,
            }
        }

    def _radius_filter(self, query: DirectoryQuery) -> dict:
        near = query.near
        return {
            "bool": {
                "should": [
                    {
                        "geo_distance": {
                            "distance": f"{float(query.radius_m)}m",
                            LOCATION: {"lat": near.lat, "lon": near.lng},
                        }
                    },
                    self._served_area(BBox.around(near, query.radius_m)),
                ],
                "minimum_should_match": 1,
            }
        }

    def _bbox_filter(self, box: BBox) -> dict:
        return {
            "bool": {
                "should": [
                    {
                        "geo_bounding_box": {
                            LOCATION: {
                                "top_left": {"lat": box.max_lat, "lon": box.min_lng},
                                "bottom_right": {"lat": box.min_lat, "lon": box.max_lng},
                            }
                        }
                    },
                    self._served_area(box),
                ],
                "minimum_should_match": 1,
            }
        }

    @staticmethod
    def _sort(query: DirectoryQuery) -> list[dict]:
        by_id = {"id": {"order": "asc"}}
        if query.sort == Sort.DISTANCE:
            # A document without a location sorts as infinitely far: after all the others,
            # then in id order.
            return [
                {
                    "_geo_distance": {
                        LOCATION: {"lat": query.near.lat, "lon": query.near.lng},
                        "order": "asc",
                        "unit": "m",
                        "distance_type": "arc",
                    }
                },
                by_id,
            ]
        if query.sort == Sort.CHECKED:
            return [{"last_reviewed": {"order": "desc"}}, by_id]
        if query.sort == Sort.TITLE:
            return [{"title_key": {"order": "asc"}}, by_id]
        return [{"_score": {"order": "desc"}}, by_id]

    def parse_response(self, query: DirectoryQuery, response: dict) -> SearchResults:
        """SearchResults from a `_search` response to `build_search_body(query)`."""
        hits = [self._hit(query, raw) for raw in response["hits"]["hits"]]
        total = response["hits"]["total"]
        total = total["value"] if isinstance(total, dict) else int(total)
        aggregations = response.get("aggregations") or {}
        facets = {
            name: {
                str(bucket["key"]): bucket["doc_count"]
                for bucket in aggregations.get(name, {}).get("buckets", [])
            }
            for name in query.facets
        }
        return SearchResults(
            hits=hits, total=total, page=query.page, page_size=query.page_size, facets=facets
        )

    def _hit(self, query: DirectoryQuery, raw: dict) -> SearchHit:
        source = raw.get("_source") or {}
        payload = source.get("payload") or {}
        has_point = bool(source.get("has_point")) and payload.get("lat") is not None
        lat = payload.get("lat") if has_point else None
        lng = payload.get("lng") if has_point else None
        distance = None
        if query.near is not None and has_point:
            sort_values = raw.get("sort") or []
            if query.sort == Sort.DISTANCE and sort_values:
                distance = float(sort_values[0])
            else:
                distance = haversine_m(query.near.lat, query.near.lng, lat, lng)
        highlight = raw.get("highlight") or {}
        fragments = highlight.get("body") or highlight.get("summary") or [""]
        score = raw.get("_score") if query.sort == Sort.RELEVANCE else None
        data = {
            **source,
            "id": source.get("id", raw.get("_id")),
            "url": payload.get("url"),
            "schedule": payload.get("schedule"),
            "approximate_point": payload.get("approximate_point"),
            "has_point": has_point,
            "lat": lat,
            "lng": lng,
        }
        return SearchHit.from_document(
            data, score=float(score or 0.0), snippet=fragments[0], distance_m=distance
        )

    def suggest_titles(self, prefix: str, *, size: int = 8) -> list[str]:
        """Titles of running activities starting with `prefix`, for type-ahead menus."""
        prefix = prefix.strip()
        if not prefix:
            return []
        body = {
            "_source": False,
            "suggest": {
                "titles": {
                    "prefix": prefix,
                    "completion": {
                        "field": "suggest",
                        "size": size,
                        "skip_duplicates": True,
                        "contexts": {"status": ["running"]},
                    },
                }
            },
        }
        with self._errors("suggest titles"):
            response = self._search_call(body)
        options = response.get("suggest", {}).get("titles", [{}])[0].get("options", [])
        return [option["text"] for option in options]

    # Writes ------------------------------------------------------------------------------

    @staticmethod
    def _index_action(document: dict) -> dict:
        source = to_source(document)
        return {"_op_type": "index", "_id": str(source["id"]), "_source": source}

    def index_documents(self, documents: Iterable[dict]) -> int:
        """Add or replace documents in the live index (through the alias); return how many.

        The request must name an existing alias, so writing before the first rebuild fails
        clearly instead of creating an index with guessed mappings under the alias's name.
        """
        count = 0
        with self._errors("index documents"):
            for chunk in _chunks(documents, CHUNK_SIZE):
                self._bulk(
                    [self._index_action(d) for d in chunk],
                    index=self.alias,
                    # Visible to the next search, as with the embedded backend.
                    refresh="wait_for",
                    require_alias=True,
                )
                count += len(chunk)
        return count

    def delete_documents(self, ids: Iterable[int]) -> None:
        """Remove documents from the live index; ids it does not hold are ignored."""
        with self._errors("delete documents"):
            for chunk in _chunks((int(i) for i in ids), CHUNK_SIZE):
                self._bulk(
                    [{"_op_type": "delete", "_id": str(pk)} for pk in chunk],
                    index=self.alias,
                    refresh="wait_for",
                    # Deleting what is not there is not an error.
                    ignore_status=(404,),
                )

    def _new_index_name(self) -> str:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias}-{stamp}"

    def _drop_index(self, name: str) -> None:
        """Delete a half-built index; a failure here must not hide the error that caused it."""
        try:
            with self._errors(f"delete the unfinished index {name}"):
                self._delete_indices([name])
        except SearchBackendError as exc:
            logger.warning("Could not delete the unfinished search index %s: %s", name, exc)

    def rebuild(
        self,
        documents: Iterable[dict],
        *,
        total: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> int:
        """Load every document into a new index, then move the alias onto it in one request.

        Until the swap, searches and writes keep using the old index. If anything fails
        before the swap, the new index is deleted and the alias is left as it was. Old
        indices behind the alias are deleted after the swap; those of earlier rebuilds that
        were killed before they could clean up, before this one starts.
        """
        self._delete_abandoned()
        new = self._new_index_name()
        definition = index_definition(new, replicas=self.replicas)
        definition["mappings"]["_meta"] = _alive()
        with self._errors(f"create the index {new}"):
            self._create_index(new, definition)
        count = 0
        swapping = False
        try:
            with self._errors(f"load documents into the index {new}"):
                marked = time.monotonic()
                for chunk in _chunks(documents, CHUNK_SIZE):
                    self._bulk([self._index_action(d) for d in chunk], index=new)
                    count += len(chunk)
                    if progress:
                        progress(count, total)
                    if time.monotonic() - marked >= HEARTBEAT_S:
                        self._put_meta(new, _alive())
                        marked = time.monotonic()
                self._refresh(new)
            with self._errors(f"move the alias {self.alias} to {new}"):
                old = self._alias_targets()
                actions = [self._alias_remove_action(name) for name in old]
                actions.append({"add": {"index": new, "alias": self.alias}})
                swapping = True
                self._update_aliases(actions)
        except BaseException:
            if not swapping or not self._alias_points_to(new):
                self._drop_index(new)
            raise
        if progress and count == 0:
            progress(0, total)
        stale = [name for name in old if name != new]
        if stale:
            try:
                with self._errors("delete the old indices"):
                    self._delete_indices(stale)
            except SearchBackendError as exc:
                # The new index is live; the old ones only take space until deleted by hand.
                logger.warning("Could not delete old search indices %s: %s", stale, exc)
        return count

    def _delete_abandoned(self) -> None:
        """Delete the indices earlier rebuilds of this alias left: not behind the alias and not
        marked as being written for STALE_AFTER_S. Best effort: a rebuild goes on without it."""
        own = re.compile(rf"{re.escape(self.alias)}-\d{{20}}")
        try:
            with self._errors(f"list the indices of {self.alias}"):
                found = self._list_indices(f"{self.alias}-*")
        except SearchBackendError as exc:
            logger.warning("Could not list the search indices of %s: %s", self.alias, exc)
            return
        now = time.time()
        abandoned = []
        for name, info in sorted(found.items()):
            if not own.fullmatch(name) or self.alias in (info.get("aliases") or {}):
                continue
            created = int(info.get("settings", {}).get("index", {}).get("creation_date", 0))
            mark = ((info.get("mappings") or {}).get("_meta") or {}).get("rebuild_alive") or 0
            if now - max(created / 1000, float(mark)) > STALE_AFTER_S:
                abandoned.append(name)
        if not abandoned:
            return
        try:
            with self._errors("delete abandoned indices"):
                self._delete_indices(abandoned)
        except SearchBackendError as exc:
            logger.warning("Could not delete abandoned search indices %s: %s", abandoned, exc)

    def _alias_points_to(self, name: str) -> bool:
        """Whether the alias is on `name`; True when that cannot be known, so as to keep it.

        A timeout on the alias swap may hide a swap that did happen: the index is then live
        and must not be deleted.
        """
        try:
            with self._errors(f"read the alias {self.alias}"):
                return name in self._alias_targets()
        except SearchBackendError:
            return True
