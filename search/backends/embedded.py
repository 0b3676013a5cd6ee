"""The embedded backend: a tantivy index in a local directory, no server.

Layout of `path`:
    current           the name of the live generation (replaced atomically by a rebuild)
    gen-<stamp>/      one tantivy index per generation
    writer.lock       held (flock) by the one process writing at a time

Only the live generation and, during a rebuild, the one being written are kept. A rebuild
killed before it could clean up (a process kill skips every `finally`) leaves its generation
behind; each rebuild removes every generation that is neither live nor its own, under the
writer lock, before it starts and once it has swapped the pointer.

tantivy has no geo queries, but every document with a point also holds that point as one
keyword (`point`), and documents share few points (one per venue). Each searcher is kept with
the distinct points of its index (read from the term dictionary, never from the documents),
sorted by latitude, and both are replaced together when a commit is seen. A radius or a map box
is resolved against that list (exact haversine for a radius) to the keys inside it once per
search, and one filter on those keys serves the hits, the counts and the facets. Distance
sorting ranks the distinct points nearest first; one aggregation counts the matching documents
at each point (with the facets), and only the points on the requested page are read, in id
order. All filtering, counting, ordering and paging is done by the engine.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import itertools
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import orjson
import tantivy
from django.conf import settings

from common.geo import haversine_m

from .. import fields
from ..caching import remember
from ..fields import STEMMED, UNSTEMMED, Kind
from ..query import (
    FACETS,
    BBox,
    DirectoryQuery,
    Expansions,
    GeoPoint,
    Sort,
    fold_title,
    fuzzy_distance,
)
from ..results import SearchHit, SearchResults
from .base import BaseSearchBackend, ProgressCallback, SearchBackendError

# The fields, their kinds and weights are declared in search.fields; what follows is how this
# engine holds them.
TOKENIZERS = {STEMMED: "en_stem", UNSTEMMED: "default"}
# The text field holding each field searched by words: a keyword field's words (tags) go to a
# text field of their own beside it.
TEXT_FIELD_OF = {
    field.name: f"{field.name}_text" if field.kind == Kind.KEYWORD else field.name
    for field in fields.WORD_FIELDS
}
TEXT_FIELDS = tuple(TEXT_FIELD_OF.values())
FIELD_BOOSTS = {TEXT_FIELD_OF[name]: boost for name, boost in fields.BOOSTS.items()}
# Kept as written as well as indexed: snippets are made from the body.
STORED_TEXTS = ("title", "summary", "body")
# Every word of every text field, unstemmed, for type-ahead prefixes ("sing" must find
# "singers"): one field, matched with one regular expression.
PREFIX_FIELD = "prefix_text"
KEYWORD_FIELDS = tuple(field.name for field in fields.of_kind(Kind.KEYWORD))
# Facets over fields that hold several values (a category and its parents, days, access
# features) are counted per combination: each document also holds its sorted values joined
# into one keyword. Activities share few combinations, and the engine counts a single-valued
# column many times faster than a multi-valued one; a value's count is then the sum over the
# combinations holding it.
SET_FIELDS = {name: f"{name}_set" for name in FACETS if fields.BY_NAME[name].many}
SET_SEPARATOR = "\x1f"
FACET_FIELDS = {name: SET_FIELDS.get(name, name) for name in FACETS}
(_AREA,) = fields.of_kind(Kind.GEO_BOX)
AREA_FIELDS = tuple(f"{_AREA.name}_{edge}" for edge in fields.BOX_EDGES)
# A point is held as its two coordinates and as one keyword (see the module's docstring).
POINT_FIELD = "point"
FACET_SIZE = 500
SET_FACET_SIZE = 10_000
WRITER_HEAP = 64_000_000
# Sort key for "recently checked": newest first, then lowest id, in one fast field.
ID_SPAN = 10**10
# tantivy's tokenizers drop longer tokens, so such a word can never match anything.
MAX_WORD = 40
SNIPPET_CHARS = 160
# Aggregations the distance sort adds next to any facets (facet names never start with "_").
HAS_POINT_AGG = "_has_point"
POINT_AGG = "_point"
# Past this many points, a filter on points is one term-set query rather than a union of terms.
MAX_POINT_TERMS = 256
# Decoded hits kept with each searcher, by document address: the first pages of popular
# searches decode their stored documents once, not on every request. A few MB at most.
MAX_CACHED_HITS = 5_000
# Parsed word queries kept with each index generation.
MAX_CACHED_QUERIES = 1_000
# "A to Z" (Sort.TITLE). tantivy orders by a string column at a cost that grows with the
# offset (each of offset + limit values is looked up in the term dictionary: 0.24 s for page
# 250 of 100,000 activities), so a page is found by a number instead: `title_rank` is made of
# a folded title's first TITLE_RANK_CHARS characters. It never orders two documents against
# their title keys (search.query.title_key), only ties some; the page's tied ones are then
# ordered by folded title (`title_fold`, one aggregation over the page's span of ranks) and
# id, as distance sorting groups documents by point.
TITLE_RANK_CHARS = 10
TITLE_RANK_BASE = 73
TITLE_AGG = "_title"
# More distinct titles than this sharing their first TITLE_RANK_CHARS characters on one page
# would be left out of it: far more than any directory has.
MAX_SPAN_TITLES = 10_000
# Type-ahead on later words of titles (suggest_title_words): a word's stems are taken to be at
# least this long, and at most this many distinct candidate titles are checked.
MIN_STEM = 3
MAX_WORD_CANDIDATES = 500
GENERATION_PREFIX = "gen-"
# A generation on its way out is renamed first, so it disappears at once for readers (a
# half-deleted one could be opened, and tantivy would start a new index in it); a removal
# that was itself interrupted leaves only such names, removed by the next rebuild.
REMOVING_PREFIX = ".removing-"
POINTER_TEMP_PREFIX = ".current-"
# Expansions (concepts) weigh less than the words themselves: a document in an expanded
# category scores EXPANDED_MATCH, plus half of what any of the query's words score in it,
# all times EXPANSION_WEIGHT; an access feature counts for less than a category, as it says
# where, not what. A document matching the words scores that as well (see _expanded).
EXPANSION_WEIGHT = 0.5
EXPANDED_MATCH = 1.0
EXPANDED_ACCESS = 0.5
EXPANDED_WORDS = 0.5


def _buckets(aggregated: dict, name: str) -> list[dict]:
    return aggregated.get(name, {}).get("buckets", [])


def point_key(lat, lng) -> str:
    return f"{float(lat)!r},{float(lng)!r}"


def parse_point_key(key: str) -> tuple[float, float]:
    lat, _, lng = key.partition(",")
    return float(lat), float(lng)


def _char_code(c: str) -> tuple[int, bool]:
    """1 to 72 in the order of the characters (0 stands for the end of a title), and whether
    the character is the only one with its code. Each ASCII character a folded title can
    hold has a code of its own; the rest share one with their neighbours."""
    o = ord(c)
    if o < 0x20:
        return 1, False
    if o <= 0x40:  # space, punctuation and digits
        return 2 + o - 0x20, True
    if o < 0x5B:  # capitals, which folding removes
        return 35, False
    if o <= 0x7E:  # lower-case letters and the rest of ASCII
        return 36 + o - 0x5B, True
    return 72, False


def title_rank(folded: str) -> int:
    """A number that orders folded titles as their first TITLE_RANK_CHARS characters do,
    never against their order: titles alike so far share it, and so do titles from the
    first character without a code of its own (those differ there or later)."""
    rank, stopped = 0, False
    for i in range(TITLE_RANK_CHARS):
        code = 0
        if not stopped and i < len(folded):
            code, exact = _char_code(folded[i])
            stopped = not exact
        rank = rank * TITLE_RANK_BASE + code
    return rank


def build_schema() -> tantivy.Schema:
    """The index's fields, from the declaration in search.fields (and the few this engine
    derives from them). The order is part of the index format: an index written with other
    fields, or the same in another order, does not open without a rebuild."""
    sb = tantivy.SchemaBuilder()
    for field in fields.of_kind(Kind.ID):
        sb.add_unsigned_field(field.name, stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        sb.add_text_field(name, stored=name in STORED_TEXTS, tokenizer_name=TOKENIZERS[STEMMED])
    sb.add_text_field(PREFIX_FIELD, tokenizer_name=TOKENIZERS[UNSTEMMED])
    # Keywords are only ever matched whole, never scored or phrased: no frequencies or
    # positions to write.
    for name in (*KEYWORD_FIELDS, *SET_FIELDS.values()):
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in (*fields.POINT_KEYS, *AREA_FIELDS):
        sb.add_float_field(name, indexed=True, fast=True)
    # The exact point as one keyword: geo work groups documents by point (many activities
    # share a venue), so it costs per venue, not per activity.
    sb.add_text_field(POINT_FIELD, fast=True, tokenizer_name="raw", index_option="basic")
    for field in fields.of_kind(Kind.FLOAT):
        sb.add_float_field(field.name, indexed=True, fast=True)
    for field in fields.of_kind(Kind.BOOLEAN):
        sb.add_unsigned_field(field.name, indexed=True, fast=True)
    for field in fields.of_kind(Kind.INTEGER):
        sb.add_integer_field(field.name, indexed=True, fast=True)
    # The date (last_reviewed) is only ever sorted by, as part of this key.
    sb.add_integer_field("checked_key", indexed=False, fast=True)
    # "A to Z": see TITLE_RANK_CHARS.
    sb.add_unsigned_field("title_rank", indexed=True, fast=True)
    sb.add_text_field("title_fold", fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_bytes_field("payload", stored=True)
    return sb.build()


# What a hit is made from, stored as one value: decoded once per hit instead of field by field.
PAYLOAD_KEYS = fields.HIT_KEYS


# The text fields a document holds as they are; a keyword field's words (tags_text) are
# built from its list of values.
SEARCHED_TEXTS = tuple(field.name for field in fields.of_kind(Kind.TEXT))
KEYWORD_TEXTS = tuple(field.name for field in fields.WORD_FIELDS if field.kind == Kind.KEYWORD)
BOOLEAN_FIELDS = tuple(field.name for field in fields.of_kind(Kind.BOOLEAN))


def to_tantivy(document: dict, schema: tantivy.Schema) -> tantivy.Document:
    """The tantivy document for one search document (see `search.documents`).

    Built as one dict handed to tantivy in a single call: a call per value cost a rebuild more
    than tantivy's own indexing, which runs on its own thread.
    """
    texts = [str(document.get(name) or "") for name in SEARCHED_TEXTS]
    held: dict = dict(zip(SEARCHED_TEXTS, texts, strict=True))
    held["id"] = int(document["id"])
    for name in KEYWORD_TEXTS:
        words = " ".join(document.get(name) or ())
        held[TEXT_FIELD_OF[name]] = words
        texts.append(words)
    held[PREFIX_FIELD] = " ".join(texts)
    for name in KEYWORD_FIELDS:
        value = document.get(name)
        values = [
            str(v)
            for v in (value if isinstance(value, list | tuple) else (value,))
            if v is not None and v != ""
        ]
        if values:
            held[name] = values
            if name in SET_FIELDS:
                held[SET_FIELDS[name]] = SET_SEPARATOR.join(sorted(set(values)))
    for name in BOOLEAN_FIELDS:
        held[name] = int(bool(document.get(name)))
    # A point is had only with its coordinates.
    has_point = bool(document.get("has_point")) and document.get("lat") is not None
    held["has_point"] = int(has_point)
    if has_point:
        held["lat"] = float(document["lat"])
        held["lng"] = float(document["lng"])
        held[POINT_FIELD] = point_key(document["lat"], document["lng"])
    area = document.get(_AREA.name)
    if area:
        held.update(zip(AREA_FIELDS, map(float, area), strict=True))
    if document.get("cost_amount") is not None:
        held["cost_amount"] = float(document["cost_amount"])
    if document.get("buckets"):
        held["buckets"] = [int(bucket) for bucket in document["buckets"]]
    held["age_min"] = int(document.get("age_min") or 0)
    age_max = document.get("age_max")
    held["age_max"] = int(age_max if age_max is not None else 120)
    held["checked_key"] = int(document.get("last_reviewed") or 0) * ID_SPAN + (
        ID_SPAN - 1 - int(document["id"])
    )
    folded = fold_title(str(document.get("title") or ""))
    held["title_fold"] = folded
    held["title_rank"] = title_rank(folded)
    held["payload"] = orjson.dumps({k: document.get(k) for k in PAYLOAD_KEYS}, default=str)
    return tantivy.Document.from_dict(held, schema)


class _Points:
    """The distinct points of one searcher's index, sorted by latitude."""

    def __init__(self, terms):
        # `terms` are the term dictionary's (key, document count) for the point field: each
        # point once, however many documents it has. A point whose documents were all deleted
        # may linger until a merge, and then matches nothing.
        entries = sorted((*parse_point_key(key), key) for key, _ in terms)
        self.lats = [lat for lat, _, _ in entries]
        self.entries = entries
        # within()'s answers by (centre, radius): a match asks the same circle for each group
        # of categories, and a busy postcode is asked about again and again.
        self._circles: dict[tuple[float, float, float], list[tuple[float, str]]] = {}

    def _band(self, min_lat: float, max_lat: float):
        lo = bisect.bisect_left(self.lats, min_lat)
        hi = bisect.bisect_right(self.lats, max_lat)
        return self.entries[lo:hi]

    CIRCLES_KEPT = 256

    def within(self, centre: GeoPoint, radius_m: float) -> list[tuple[float, str]]:
        """(distance, key) of the points at most radius_m from centre, nearest first (the
        list is shared: callers must not change it)."""
        circle = (centre.lat, centre.lng, radius_m)
        found = self._circles.get(circle)
        if found is None:
            found = remember(
                self._circles, circle, self._within(centre, radius_m), limit=self.CIRCLES_KEPT
            )
        return found

    def _within(self, centre: GeoPoint, radius_m: float) -> list[tuple[float, str]]:
        box = BBox.around(centre, radius_m)
        found = []
        for lat, lng, key in self._band(box.min_lat, box.max_lat):
            distance = haversine_m(centre.lat, centre.lng, lat, lng)
            if distance <= radius_m:
                found.append((distance, key))
        found.sort()
        return found

    def nearest(self, centre: GeoPoint) -> list[tuple[float, str]]:
        """(distance, key) of every point, nearest first."""
        return sorted(
            (haversine_m(centre.lat, centre.lng, lat, lng), key) for lat, lng, key in self.entries
        )

    def inside(self, box: BBox) -> list[str]:
        """Keys of the points inside the box (edges included)."""
        return [
            key
            for _, lng, key in self._band(box.min_lat, box.max_lat)
            if box.min_lng <= lng <= box.max_lng
        ]


class _View:
    """One searcher and what is derived from it, replaced together so they always agree.

    `call` is the backend's `_engine_call`, through which it reads the searcher (so a trace
    sees those reads too).
    """

    def __init__(self, stamp, searcher, call):
        self.stamp = stamp
        self.searcher = searcher
        self._call = call
        self._points: _Points | None = None
        # Stored documents never change under one searcher, so neither do their hits.
        self._hits: dict[tuple[int, int], SearchHit] = {}

    def hit(self, address, stored=None) -> SearchHit:
        """The decoded hit stored at address: shared, so copy it before changing anything."""
        key = (address.segment_ord, address.doc)
        hit = self._hits.get(key)
        if hit is None:
            if stored is None:
                stored = self._call("doc", self.searcher.doc, address)
            hit = SearchHit.from_document(orjson.loads(stored.get_first("payload")))
            remember(self._hits, key, hit, limit=MAX_CACHED_HITS)
        return hit

    @property
    def points(self) -> _Points:
        if self._points is None:
            self._points = _Points(
                self._call("terms_with_prefix", self.searcher.terms_with_prefix, POINT_FIELD, "")
            )
        return self._points


class _Generation:
    """One opened index generation."""

    def __init__(self, name: str, directory: Path, schema: tantivy.Schema, call):
        self.name = name
        self._call = call
        self.directory = directory
        try:
            self.index = tantivy.Index(schema, path=str(directory))
        except ValueError as exc:
            # An index written by an older version of this code: searches must say how to
            # mend it rather than fail with tantivy's message.
            raise SearchBackendError(
                f"The search index in {directory.parent} does not match this version "
                f"({exc}). Run: python manage.py rebuild_directory_index"
            ) from exc
        # Searchers move on only when view() sees a new commit, so the points cached with a
        # searcher can never describe another state of the index.
        self.index.config_reader(reload_policy="manual")
        self._lock = threading.Lock()
        self._view: _View | None = None
        self._meta_path = str(directory / "meta.json")
        # Parsed word queries depend only on the schema and its analysers, not on the documents.
        self.text_queries: dict[tuple, object] = {}

    def _meta_stamp(self):
        # tantivy replaces meta.json (write, then rename) on every commit and merge, in this
        # process or any other. Checked on every search, so a plain os.stat of a ready string.
        try:
            stat = os.stat(self._meta_path)
        except FileNotFoundError:
            return None
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def view(self) -> _View:
        """The searcher of the last commit, with its cached points."""
        stamp = self._meta_stamp()
        view = self._view
        # No meta.json: a rebuild has just removed this generation. The searcher already open
        # still reads its files; the next search opens the new generation.
        if view is not None and (view.stamp == stamp or stamp is None):
            return view
        with self._lock:
            view = self._view
            if view is None or view.stamp != stamp:
                # The stamp is read before reloading: a commit landing in between only makes
                # the next search reload once more, never keeps a stale searcher.
                self.index.reload()
                view = _View(stamp, self.index.searcher(), self._call)
                self._view = view
            return view

    def changed(self) -> None:
        """This process committed: the next search takes a new searcher."""
        with self._lock:
            self._view = None


class EmbeddedSearchBackend(BaseSearchBackend):
    name = "embedded"
    # Every capability `search` can have: the base's defaults stand. Of the optional methods,
    # all: tracing and both kinds of title suggestions.
    supports_title_suggestions = True
    supports_title_word_suggestions = True
    supports_trace = True
    supports_expansions = True
    supports_fuzzy = True

    def __init__(self, *, path: str | None = None, writer_heap: int = WRITER_HEAP):
        super().__init__(path=path)
        self.path = Path(path or settings.SEARCH_INDEX_DIR)
        self.writer_heap = writer_heap
        self.schema = build_schema()
        self._generation: _Generation | None = None
        self._pointer_seen: tuple[int, int] | None = None
        self._pointer_path = str(self._pointer)
        self._lock = threading.RLock()

    # Files and generations ---------------------------------------------------------------

    @property
    def _pointer(self) -> Path:
        return self.path / "current"

    def _read_pointer(self) -> str | None:
        try:
            return self._pointer.read_text().strip() or None
        except FileNotFoundError:
            return None

    def _write_pointer(self, name: str) -> None:
        tmp = self.path / f"{POINTER_TEMP_PREFIX}{os.getpid()}-{threading.get_ident()}"
        tmp.write_text(name)
        os.replace(tmp, self._pointer)  # atomic on POSIX: readers see old or new, never half

    def _new_generation_name(self) -> str:
        stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        return f"{GENERATION_PREFIX}{stamp}"

    def _remove_stale(self, *, writing: str | None = None) -> None:
        """Remove every generation that is neither live nor `writing`, and what interrupted
        writers left (half-removed generations, pointer files never moved into place).

        Only with the writer lock held: no other process is writing a generation then.
        """
        live = self._read_pointer()
        for entry in self.path.iterdir():
            name = entry.name
            if name.startswith(GENERATION_PREFIX) and name not in (live, writing):
                self._remove_generation(name)
            elif name.startswith(REMOVING_PREFIX):
                shutil.rmtree(entry, ignore_errors=True)
            elif name.startswith(POINTER_TEMP_PREFIX):
                entry.unlink(missing_ok=True)

    def _remove_generation(self, name: str) -> None:
        # Readers in other processes may still hold the files open: POSIX keeps them readable
        # until closed. The rename makes the generation vanish for new readers in one step.
        doomed = self.path / f"{REMOVING_PREFIX}{name}"
        try:
            os.rename(self.path / name, doomed)
        except FileNotFoundError:
            return
        shutil.rmtree(doomed, ignore_errors=True)

    def _pointer_stamp(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self._pointer_path)
        except FileNotFoundError:
            return None
        return (stat.st_ino, stat.st_mtime_ns)

    def _open(self) -> _Generation:
        """The live generation, reopened when a rebuild has swapped in another.

        Lock order: self._lock is only ever held briefly and never while waiting for the
        writer's file lock, so a writer (which holds the file lock and then calls this) can
        never deadlock with a reader.
        """
        while True:
            with self._lock:
                stamp = self._pointer_stamp()
                if self._generation is not None and stamp == self._pointer_seen:
                    return self._generation
                name = self._read_pointer()
                if name is not None:
                    try:
                        generation = _Generation(
                            name, self.path / name, self.schema, self._engine_call
                        )
                    except SearchBackendError:
                        if self._read_pointer() == name:
                            raise
                        # A rebuild swapped generations and removed this one meanwhile.
                        continue
                    self._generation = generation
                    self._pointer_seen = stamp
                    return self._generation
            self._create_first_generation()

    def _create_first_generation(self) -> None:
        with self._writer_lock():
            if self._read_pointer() is None:
                name = self._new_generation_name()
                (self.path / name).mkdir(parents=True)
                tantivy.Index(self.schema, path=str(self.path / name))
                self._write_pointer(name)

    @contextlib.contextmanager
    def _writer_lock(self):
        """One writer at a time across processes (the indexing task, a rebuild)."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / "writer.lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # Writes ------------------------------------------------------------------------------

    def index_documents(self, documents: Iterable[dict]) -> int:
        documents = list(documents)
        if not documents:
            return 0
        self._open()  # creates the first generation if need be, before taking the file lock
        with self._writer_lock():
            generation = self._open()
            writer = self._writer(generation.index)
            # delete_documents_by_term does not match unsigned fields in tantivy-py 0.27;
            # a term-set query does, and replaces the whole batch in one pass.
            writer.delete_documents_by_query(
                tantivy.Query.term_set_query(self.schema, "id", [int(d["id"]) for d in documents])
            )
            for document in documents:
                writer.add_document(to_tantivy(document, self.schema))
            self._commit(writer)
            generation.changed()
        return len(documents)

    def delete_documents(self, ids: Iterable[int]) -> None:
        ids = [int(i) for i in ids]
        if not ids:
            return
        self._open()
        with self._writer_lock():
            generation = self._open()
            writer = self._writer(generation.index)
            writer.delete_documents_by_query(tantivy.Query.term_set_query(self.schema, "id", ids))
            self._commit(writer)
            generation.changed()

    def rebuild(
        self,
        documents: Iterable[dict],
        *,
        total: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> int:
        self.path.mkdir(parents=True, exist_ok=True)
        with self._writer_lock():
            # What rebuilds killed before now left behind goes before this one adds its own.
            self._remove_stale()
            name = self._new_generation_name()
            directory = self.path / name
            directory.mkdir(parents=True)
            count = 0
            try:
                index = tantivy.Index(self.schema, path=str(directory))
                writer = self._writer(index)
                for document in documents:
                    writer.add_document(to_tantivy(document, self.schema))
                    count += 1
                    if progress and count % 1000 == 0:
                        progress(count, total)
                self._commit(writer)
                del writer
            except BaseException:
                # The live generation was never touched: drop the half-built one.
                self._remove_generation(name)
                raise
            self._write_pointer(name)
            if progress:
                progress(count, total)
            with self._lock:
                self._generation = None
            # The generation that was live until now, and anything else but the new one.
            self._remove_stale(writing=name)
        return count

    def _writer(self, index: tantivy.Index):
        try:
            return index.writer(self.writer_heap, 1)
        except ValueError as exc:
            raise SearchBackendError(f"Could not open the search index for writing: {exc}") from exc

    @staticmethod
    def _commit(writer) -> None:
        writer.commit()
        writer.wait_merging_threads()

    def check(self) -> list[str]:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return [f"The search index directory {self.path} cannot be created: {exc}"]
        if not os.access(self.path, os.W_OK):
            return [f"The search index directory {self.path} is not writable."]
        return []

    def close(self) -> None:
        with self._lock:
            self._generation = None

    # Search ------------------------------------------------------------------------------

    def search(self, query: DirectoryQuery) -> SearchResults:
        generation = self._open()
        view = generation.view()
        searcher = view.searcher
        text_query = self._text_query(generation, query)
        nearby = None
        if query.near is not None and query.radius_m is not None:
            # The points inside the radius, nearest first: resolved once, then both the filter
            # and (sorting by distance) the order.
            nearby = view.points.within(query.near, query.radius_m)
        full = self._combine(text_query, self._filters(query, view, nearby))

        aggregations = {
            name: {
                "terms": {
                    "field": FACET_FIELDS[name],
                    "size": SET_FACET_SIZE if name in SET_FIELDS else FACET_SIZE,
                }
            }
            for name in query.facets
        }
        if query.sort == Sort.DISTANCE:
            candidates = nearby if nearby is not None else view.points.nearest(query.near)
            total, addresses, aggregated = self._distance_page(
                searcher, query, full, candidates, aggregations
            )
            scores = [0.0] * len(addresses)
        elif query.sort == Sort.TITLE:
            total, addresses = self._title_page(searcher, query, full)
            scores = [0.0] * len(addresses)
            aggregated = (
                self._engine_call("aggregate", searcher.aggregate, full, aggregations)
                if aggregations
                else {}
            )
        else:
            kwargs = {}
            if query.sort == Sort.CHECKED:
                kwargs = {"order_by_field": "checked_key", "order": tantivy.Order.Desc}
            elif text_query is None:
                # Without words every score is equal: id order keeps results and pages stable.
                kwargs = {"order_by_field": "id", "order": tantivy.Order.Asc}
            result = self._engine_call(
                "search",
                searcher.search,
                full,
                limit=query.page_size,
                offset=query.offset,
                count=True,
                **kwargs,
            )
            total = result.count
            addresses = [address for _, address in result.hits]
            scores = [
                float(score) if query.sort == Sort.RELEVANCE else 0.0 for score, _ in result.hits
            ]
            aggregated = (
                self._engine_call("aggregate", searcher.aggregate, full, aggregations)
                if aggregations
                else {}
            )

        hits = self._hits(view, query, text_query, addresses, scores)
        facets = self._facets(searcher, full, query.facets, aggregated)
        return SearchResults(
            hits=hits, total=total, page=query.page, page_size=query.page_size, facets=facets
        )

    def suggest_titles(self, prefix: str, *, size: int = 8) -> list[str]:
        """Titles of running activities beginning with `prefix`, A to Z by folded title.

        Served by the term dictionary of `title_fold` (the folded title, one keyword per
        document): one expression over its terms, which the dictionary answers from the
        prefix without reading the others; one aggregation for the distinct titles of the
        running activities holding them; then one document per title for the title as
        written.
        """
        folded = fold_title(prefix)
        if not folded or size < 1:
            return []
        pattern = _regex_literal(folded) + ".*"
        matching = tantivy.Query.regex_query(self.schema, "title_fold", pattern)
        return self._titles(matching, size, lambda key: True)

    def suggest_title_words(self, prefix: str, *, size: int = 8) -> list[str]:
        """Titles of running activities with a later word beginning with `prefix`, A to Z.

        An expression with a leading wildcard would read every folded title in the term
        dictionary. Instead the title's own words (the stemmed `title` field) narrow the
        candidates by the prefix's first word: stems beginning with it, or that it begins
        with ("singi" is on its way to "singing", stemmed "sing"), or its own stem; the
        candidates' folded
        titles are then checked for the whole prefix at a word's start.
        """
        folded = fold_title(prefix)
        first = _FIRST_WORD.search(folded)
        if first is None or size < 1:
            return []
        word = first.group()
        shorter = [word[:n] for n in range(MIN_STEM, len(word))]
        pattern = "|".join([_regex_literal(word) + ".*", *map(_regex_literal, shorter)])
        # And the word's own stem, should it be whole ("community" is held as "communiti").
        stemmed, _errors = self._open().index.parse_query_lenient(
            word, default_field_names=["title"]
        )
        matching = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.regex_query(self.schema, "title", pattern)),
                (tantivy.Occur.Should, stemmed),
            ]
        )
        needle = f" {folded}"
        return self._titles(
            matching,
            size,
            lambda key: needle in key and not key.startswith(folded),
            candidates=MAX_WORD_CANDIDATES,
        )

    def _titles(self, matching, size: int, keep, *, candidates: int | None = None) -> list[str]:
        """The first `size` distinct titles (A to Z by folded title) of the running
        activities `matching` finds whose folded title `keep` accepts, as written."""
        view = self._open().view()
        searcher = view.searcher
        running = tantivy.Query.term_query(self.schema, "status", "running")
        matching = self._and(matching, running)
        by_title = {"terms": {"field": "title_fold", "size": candidates or size}}
        by_title["terms"]["order"] = {"_key": "asc"}
        buckets = _buckets(
            self._engine_call("aggregate", searcher.aggregate, matching, {TITLE_AGG: by_title}),
            TITLE_AGG,
        )
        keys = [bucket["key"] for bucket in buckets if keep(bucket["key"])][:size]
        titles = []
        for key in keys:
            titled = tantivy.Query.term_query(self.schema, "title_fold", key)
            found = self._addresses_by_id(searcher, self._and(titled, running), 1, 0)
            if found:
                titles.append(view.hit(found[0]).title)
        return titles

    def _text_query(self, generation: _Generation, query: DirectoryQuery):
        words = tuple(fields.query_words(query.text, split_at_apostrophes=True))
        if not words:
            return None
        fuzzy = query.fuzzy and not query.prefix
        key = (words, query.prefix, fuzzy, query.expansions or None)
        cached = generation.text_queries.get(key)
        if cached is None:
            index = generation.index
            if fuzzy:
                cached = self._fuzzy_words(index, words)
            else:
                cached = self._parse_words(index, list(words), prefix=query.prefix)
            if query.expansions:
                cached = self._expanded(index, cached, words, query.expansions)
            remember(generation.text_queries, key, cached, limit=MAX_CACHED_QUERIES)
        return cached

    def _word_query(self, index: tantivy.Index, text: str):
        """Every word of `text`, stemmed, somewhere in the weighted text fields."""
        parsed, _errors = index.parse_query_lenient(
            text,
            default_field_names=list(TEXT_FIELDS),
            field_boosts=FIELD_BOOSTS,
            conjunction_by_default=True,
        )
        return parsed

    def _fuzzy_words(self, index: tantivy.Index, words: tuple[str, ...]):
        """Every word, as a whole stemmed word or a close spelling of a word as written."""
        if any(len(w) > MAX_WORD for w in words):
            return tantivy.Query.empty_query()
        clauses = []
        for word in words:
            exact = self._word_query(index, word)
            distance = fuzzy_distance(word)
            if distance:
                close = tantivy.Query.fuzzy_term_query(
                    self.schema, PREFIX_FIELD, word, distance, transposition_cost_one=True
                )
                exact = tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, exact), (tantivy.Occur.Should, close)]
                )
            clauses.append((tantivy.Occur.Must, exact))
        return clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)

    def _expanded(self, index: tantivy.Index, words_query, words, expansions: Expansions):
        """The words, or what their concepts expand to (scored lower; see EXPANSION_WEIGHT)."""
        Q, Should = tantivy.Query, tantivy.Occur.Should
        alternatives = []
        for name, values, weight in (
            ("categories", expansions.categories, EXPANDED_MATCH),
            ("audience", expansions.audience, EXPANDED_MATCH),
            ("access", expansions.access, EXPANDED_ACCESS),
        ):
            # A clause each: an activity in several of the concept's categories (a child and
            # its parent, as documents hold both) ranks above one in a single one.
            for value in values:
                term = Q.term_query(self.schema, name, value)
                alternatives.append((Should, Q.const_score_query(term, weight)))
        for phrase in expansions.words:
            if fields.query_words(phrase):
                alternatives.append(
                    (Should, Q.boost_query(self._word_query(index, phrase), EXPANDED_WORDS))
                )
        if not alternatives:
            return words_query
        # The query's own words only add to an expanded match's score: "feeling lonely" finds
        # befriending whether or not it says "feeling".
        widened = [(tantivy.Occur.Must, Q.boolean_query(alternatives))]
        widened += [
            (Should, Q.boost_query(self._word_query(index, word), EXPANDED_WORDS))
            for word in words
            if len(word) <= MAX_WORD
        ]
        return Q.boolean_query(
            [
                (Should, words_query),
                (Should, Q.boost_query(Q.boolean_query(widened), EXPANSION_WEIGHT)),
            ]
        )

    def _parse_words(self, index: tantivy.Index, words: list[str], *, prefix: bool):
        if any(len(w) > MAX_WORD for w in words):
            return tantivy.Query.empty_query()
        last = words.pop() if prefix else None
        parts = []
        if words:
            parsed, _errors = index.parse_query_lenient(
                " ".join(words),
                default_field_names=list(TEXT_FIELDS),
                field_boosts=FIELD_BOOSTS,
                conjunction_by_default=True,
            )
            parts.append((tantivy.Occur.Must, parsed))
        if last:
            pattern = re.escape(last) + ".*"
            parts.append(
                (
                    tantivy.Occur.Must,
                    tantivy.Query.regex_query(self.schema, PREFIX_FIELD, pattern),
                )
            )
        return parts[0][1] if len(parts) == 1 else tantivy.Query.boolean_query(parts)

    def _term_any(self, field: str, values: Iterable[str]):
        values = [str(v) for v in values]
        return tantivy.Query.term_set_query(self.schema, field, values)

    def _none_of(self, field: str, values: Iterable):
        # tantivy matches nothing with a must-not alone: it needs something to take from.
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, tantivy.Query.all_query()),
                (tantivy.Occur.MustNot, self._term_any(field, values)),
            ]
        )

    def _range(self, field: str, kind, low=None, high=None):
        # The term dictionary answers a range in a few postings lists; scanning the fast-field
        # column instead costs a pass over every document, which dominates geo queries.
        return tantivy.Query.range_query(
            self.schema, field, kind, low, high, use_inverted_index=True
        )

    def _filters(self, query: DirectoryQuery, view: _View, nearby) -> list:
        F = tantivy.FieldType
        filters = []
        if not query.include_not_running:
            if len(query.statuses) == 1:
                filters.append(tantivy.Query.term_query(self.schema, "status", query.statuses[0]))
            else:
                filters.append(self._term_any("status", query.statuses))
        if query.categories:
            filters.append(self._term_any("categories", query.categories))
        if query.tags:
            filters.append(self._term_any("tags", query.tags))
        if query.delivery:
            filters.append(self._term_any("delivery", query.delivery))
        if query.audience:
            filters.append(self._term_any("audience", query.audience))
        if query.exclude_organisations:
            filters.append(self._none_of("organisation_id", query.exclude_organisations))
        for feature in query.access:
            filters.append(tantivy.Query.term_query(self.schema, "access", feature))
        if query.free_only:
            filters.append(tantivy.Query.term_query(self.schema, "cost", "free"))
        if query.max_cost is not None:
            filters.append(self._range("cost_amount", F.Float, None, float(query.max_cost)))
        if query.age is not None:
            filters.append(self._range("age_min", F.Integer, None, query.age))
            filters.append(self._range("age_max", F.Integer, query.age, None))
        buckets = query.time_buckets()
        if buckets is not None:
            filters.append(tantivy.Query.term_set_query(self.schema, "buckets", buckets))
        elif query.days:
            filters.append(self._term_any("days", query.day_slugs))
        if nearby is not None:
            filters.append(self._radius_filter(query, nearby))
        if query.bbox is not None:
            filters.append(self._bbox_filter(query.bbox, view.points))
        return filters

    def _combine(self, text_query, filters):
        clauses = []
        if text_query is not None:
            clauses.append((tantivy.Occur.Must, text_query))
        for f in filters:
            # Filters must not change relevance: they score 0.
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)))
        if not clauses:
            return tantivy.Query.all_query()
        if len(clauses) == 1 and text_query is not None:
            return text_query
        return tantivy.Query.boolean_query(clauses)

    # Geography ---------------------------------------------------------------------------

    def _point_set(self, keys: list[str]):
        """Documents at any of these points."""
        if len(keys) > MAX_POINT_TERMS:
            return tantivy.Query.term_set_query(self.schema, POINT_FIELD, keys)
        # A union of term queries is skipped through alongside the other clauses, where a
        # term set first collects every document of every point: up to twice as fast here.
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, POINT_FIELD, k))
                for k in keys
            ]
        )

    def _area_query(self, box: BBox):
        """Documents without a point that serve anywhere, or an area overlapping the box."""
        F = tantivy.FieldType
        overlaps = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, self._range("area_min_lat", F.Float, None, box.max_lat)),
                (tantivy.Occur.Must, self._range("area_max_lat", F.Float, box.min_lat, None)),
                (tantivy.Occur.Must, self._range("area_min_lng", F.Float, None, box.max_lng)),
                (tantivy.Occur.Must, self._range("area_max_lng", F.Float, box.min_lng, None)),
            ]
        )
        served = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "anywhere", 1)),
                (tantivy.Occur.Should, overlaps),
            ]
        )
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "has_point", 0)),
                (tantivy.Occur.Must, served),
            ]
        )

    def _points_or_area(self, keys: list[str], box: BBox):
        """Documents at one of the points, or without a point and serving the box."""
        clauses = [(tantivy.Occur.Should, self._area_query(box))]
        if keys:
            clauses.append((tantivy.Occur.Should, self._point_set(keys)))
        return tantivy.Query.boolean_query(clauses)

    def _bbox_filter(self, box: BBox, points: _Points):
        return self._points_or_area(points.inside(box), box)

    def _radius_filter(self, query: DirectoryQuery, nearby: list[tuple[float, str]]):
        return self._points_or_area(
            [key for _, key in nearby], BBox.around(query.near, query.radius_m)
        )

    def _distance_page(self, searcher, query: DirectoryQuery, full, candidates, aggregations):
        """Total, the page's addresses (nearest first; documents without a point last) and
        the aggregations asked for.

        `candidates` are (distance, key) of every point a matching document can be at,
        nearest first. One aggregation counts the matching documents at each point (and
        those without one) along with the facets; then only the points whose documents fall
        on the page are read, each in id order.
        """
        aggregations = dict(aggregations)
        aggregations[HAS_POINT_AGG] = {"terms": {"field": "has_point", "size": 2}}
        if candidates:
            aggregations[POINT_AGG] = {"terms": {"field": POINT_FIELD, "size": len(candidates)}}
        result = self._engine_call("aggregate", searcher.aggregate, full, aggregations)
        by_kind = {int(b["key"]): b["doc_count"] for b in _buckets(result, HAS_POINT_AGG)}
        counts = {b["key"]: b["doc_count"] for b in _buckets(result, POINT_AGG)}
        n_points, n_other = by_kind.get(1, 0), by_kind.get(0, 0)
        start, end = query.offset, query.offset + query.page_size
        addresses = []
        wanted, seen = min(end, n_points), 0
        # Points at the same distance go together: their documents are ordered by id.
        for _, group in itertools.groupby(candidates, key=lambda c: c[0]):
            if seen >= wanted:
                break
            keys = [key for _, key in group]
            count = sum(counts.get(key, 0) for key in keys)
            low, high = max(start, seen), min(wanted, seen + count)
            if low < high:
                addresses += self._addresses_by_id(
                    searcher, self._and(full, self._point_set(keys)), high - low, low - seen
                )
            seen += count
        if end > n_points and n_other:
            without_point = self._and(full, tantivy.Query.term_query(self.schema, "has_point", 0))
            addresses += self._addresses_by_id(
                searcher, without_point, end - max(start, n_points), max(0, start - n_points)
            )
        return n_points + n_other, addresses, result

    def _title_page(self, searcher, query: DirectoryQuery, full) -> tuple[int, list]:
        """Total and the page's addresses A to Z: by folded title, then id.

        The page's place is found by `title_rank`, a number: every document ranked below the
        page's first one comes before the page, every one ranked above its last one after
        it. Those ranked from the first to the last are counted by folded title, A to Z, in
        one aggregation; then each title on the page is read in id order.
        """
        start, end = query.offset, query.offset + query.page_size
        coarse = self._engine_call(
            "search",
            searcher.search,
            full,
            limit=query.page_size,
            offset=start,
            count=True,
            order_by_field="title_rank",
            order=tantivy.Order.Asc,
        )
        if not coarse.hits:
            return coarse.count, []
        low, high = int(coarse.hits[0][0]), int(coarse.hits[-1][0])
        unsigned = tantivy.FieldType.Unsigned
        seen = 0
        # On the first page nothing comes before the page, so nothing needs counting.
        if start > 0 and low > 0:
            below = self._and(full, self._range("title_rank", unsigned, None, low - 1))
            seen = self._engine_call("search", searcher.search, below, limit=1, count=True).count
        span = self._and(full, self._range("title_rank", unsigned, low, high))
        by_title = {"terms": {"field": "title_fold", "size": MAX_SPAN_TITLES}}
        by_title["terms"]["order"] = {"_key": "asc"}
        addresses = []
        for bucket in _buckets(
            self._engine_call("aggregate", searcher.aggregate, span, {TITLE_AGG: by_title}),
            TITLE_AGG,
        ):
            if seen >= end:
                break
            count = bucket["doc_count"]
            first, last = max(start, seen), min(end, seen + count)
            if first < last:
                titled = tantivy.Query.term_query(self.schema, "title_fold", bucket["key"])
                addresses += self._addresses_by_id(
                    searcher, self._and(span, titled), last - first, first - seen
                )
            seen += count
        return coarse.count, addresses

    def _addresses_by_id(self, searcher, query, limit: int, offset: int) -> list:
        """The document addresses of one slice of `query`'s matches, in id order (the
        tie-break every sorted page uses)."""
        hits = self._engine_call(
            "search",
            searcher.search,
            query,
            limit=limit,
            offset=offset,
            count=False,
            order_by_field="id",
            order=tantivy.Order.Asc,
        ).hits
        return [address for _, address in hits]

    def _and(self, a, b):
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, a), (tantivy.Occur.Must, b)])

    # Results -----------------------------------------------------------------------------

    def _hits(self, view, query, text_query, addresses, scores) -> list[SearchHit]:
        searcher = view.searcher
        snippets = None
        if text_query is not None and addresses:
            snippets = self._engine_call(
                "snippet_generator",
                tantivy.SnippetGenerator.create,
                searcher,
                text_query,
                self.schema,
                "body",
            )
            self._engine_call("snippet_size", snippets.set_max_num_chars, SNIPPET_CHARS)
        near = query.near
        hits = []
        for address, score in zip(addresses, scores, strict=True):
            snippet = ""
            stored = None
            if snippets is not None:
                stored = self._engine_call("doc", searcher.doc, address)
                snippet = self._engine_call("snippet", _snippet_html, snippets, stored)
            cached = view.hit(address, stored)
            distance = None
            if near is not None and cached.lat is not None:
                distance = haversine_m(near.lat, near.lng, cached.lat, cached.lng)
            hits.append(cached.copy(score=score, snippet=snippet, distance_m=distance))
        return hits

    def _facets(self, searcher, full, wanted, aggregated: dict) -> dict[str, dict[str, int]]:
        facets = {}
        for name in wanted:
            if name not in SET_FIELDS:
                facets[name] = {b["key"]: b["doc_count"] for b in _buckets(aggregated, name)}
            elif not aggregated.get(name, {}).get("sum_other_doc_count"):
                counts: dict[str, int] = {}
                for bucket in _buckets(aggregated, name):
                    for value in bucket["key"].split(SET_SEPARATOR):
                        counts[value] = counts.get(value, 0) + bucket["doc_count"]
                # Most documents first, as the engine orders the values it counts itself.
                facets[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        overflow = [name for name in wanted if name not in facets]
        if overflow:
            # More combinations than were counted: count these facets value by value instead.
            result = self._engine_call(
                "aggregate",
                searcher.aggregate,
                full,
                {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in overflow},
            )
            for name in overflow:
                facets[name] = {b["key"]: b["doc_count"] for b in _buckets(result, name)}
        return {name: facets[name] for name in wanted}


# What the title's tokenizer takes as a word: a run of letters and digits.
_FIRST_WORD = re.compile(r"[^\W_]+")
# The characters an expression in tantivy's (Rust) syntax gives a meaning to.
_REGEX_META = frozenset("\\.+*?()|[]{}^$#&-~")


def _regex_literal(text: str) -> str:
    """An expression matching `text` exactly. Python's re.escape also escapes spaces and
    other characters Rust's syntax may refuse to see escaped."""
    return "".join(f"\\{c}" if c in _REGEX_META else c for c in text)


def _snippet_html(generator, stored) -> str:
    """The snippet of a stored document as HTML: two engine calls, one step of a trace."""
    return generator.snippet_from_doc(stored).to_html()
