"""The embedded backend: a tantivy index in a local directory, no server.

Layout of `path`:
    current           the name of the live generation (replaced atomically by a rebuild)
    gen-<stamp>/      one tantivy index per generation
    writer.lock       held (flock) by the one process writing at a time

tantivy has no geo queries, so a radius is matched with a union of latitude strips inside the
circle, plus the few documents in the thin band between those strips and the circle's outer
strips, checked exactly (haversine) and added by id. Distance sorting widens a box until it
holds enough documents, then orders only the documents in the box that can be nearest. Both
stay bounded by the neighbourhood searched, never by the size of the index.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import tantivy
from django.conf import settings

from ..geo import haversine_m
from ..query import BBox, DirectoryQuery, GeoPoint, Sort
from ..results import SearchHit, SearchResults
from .base import BaseSearchBackend, ProgressCallback, SearchBackendError

TEXT_FIELDS = ("title", "summary", "body", "category_names", "tags_text", "organisation", "venue")
FIELD_BOOSTS = {"title": 3.0, "summary": 2.0, "category_names": 1.5, "tags_text": 1.5}
KEYWORD_FIELDS = ("categories", "tags", "delivery", "days", "cost", "access", "status")
FACET_FIELDS = {
    "categories": "categories",
    "days": "days",
    "cost": "cost",
    "access": "access",
    "delivery": "delivery",
}
METRES_PER_DEGREE = 111_320.0
STRIPS = 32
WRITER_HEAP = 64_000_000
# Sort key for "recently checked": newest first, then lowest id, in one fast field.
ID_SPAN = 10**10
WORD = re.compile(r"\w+", re.UNICODE)
# tantivy's tokenizers drop longer tokens, so such a word can never match anything.
MAX_WORD = 40


def point_key(lat, lng) -> str:
    return f"{float(lat)!r},{float(lng)!r}"


def parse_point_key(key: str) -> tuple[float, float]:
    lat, _, lng = key.partition(",")
    return float(lat), float(lng)


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        sb.add_text_field(
            name, stored=name in ("title", "summary", "body"), tokenizer_name="en_stem"
        )
    # Unstemmed words for type-ahead prefixes ("sing" must find "singers").
    sb.add_text_field("prefix_text", tokenizer_name="default")
    for name in KEYWORD_FIELDS:
        sb.add_text_field(name, fast=True, tokenizer_name="raw")
    for name in ("lat", "lng", "area_min_lat", "area_min_lng", "area_max_lat", "area_max_lng"):
        sb.add_float_field(name, indexed=True, fast=True)
    # The exact point as one keyword: geo work groups documents by point (many activities
    # share a venue), so it costs per venue, not per activity.
    sb.add_text_field("point", fast=True, tokenizer_name="raw")
    sb.add_float_field("cost_amount", indexed=True, fast=True)
    for name in ("has_point", "anywhere"):
        sb.add_unsigned_field(name, indexed=True, fast=True)
    for name in ("buckets", "age_min", "age_max"):
        sb.add_integer_field(name, indexed=True, fast=True)
    sb.add_integer_field("checked_key", indexed=False, fast=True)
    sb.add_bytes_field("payload", stored=True)
    return sb.build()


PAYLOAD_KEYS = (
    "id", "title", "organisation", "url", "summary", "lat", "lng", "cost", "cost_amount",
    "delivery", "categories", "access", "venue", "has_point", "schedule",
)  # fmt: skip


def to_tantivy(document: dict) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("id", int(document["id"]))
    for name in ("title", "summary", "body", "category_names", "organisation", "venue"):
        doc.add_text(name, document.get(name) or "")
    doc.add_text("tags_text", " ".join(document.get("tags") or ()))
    doc.add_text(
        "prefix_text",
        " ".join(
            str(document.get(k) or "")
            for k in ("title", "summary", "body", "category_names", "organisation", "venue")
        )
        + " "
        + " ".join(document.get("tags") or ()),
    )
    for name in KEYWORD_FIELDS:
        value = document.get(name)
        for item in value if isinstance(value, list | tuple) else [value]:
            if item not in (None, ""):
                doc.add_text(name, str(item))
    has_point = bool(document.get("has_point")) and document.get("lat") is not None
    doc.add_unsigned("has_point", int(has_point))
    doc.add_unsigned("anywhere", int(bool(document.get("anywhere"))))
    if has_point:
        doc.add_float("lat", float(document["lat"]))
        doc.add_float("lng", float(document["lng"]))
        doc.add_text("point", point_key(document["lat"], document["lng"]))
    area = document.get("area")
    if area:
        for name, value in zip(
            ("area_min_lat", "area_min_lng", "area_max_lat", "area_max_lng"), area, strict=True
        ):
            doc.add_float(name, float(value))
    if document.get("cost_amount") is not None:
        doc.add_float("cost_amount", float(document["cost_amount"]))
    for bucket in document.get("buckets") or ():
        doc.add_integer("buckets", int(bucket))
    doc.add_integer("age_min", int(document.get("age_min") or 0))
    doc.add_integer(
        "age_max", int(document.get("age_max") if document.get("age_max") is not None else 120)
    )
    doc.add_integer(
        "checked_key",
        int(document.get("last_reviewed") or 0) * ID_SPAN + (ID_SPAN - 1 - int(document["id"])),
    )
    payload = {k: document.get(k) for k in PAYLOAD_KEYS}
    doc.add_bytes("payload", json.dumps(payload, default=str).encode())
    return doc


class _Generation:
    """One opened index generation."""

    def __init__(self, name: str, directory: Path, schema: tantivy.Schema):
        self.name = name
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


class EmbeddedSearchBackend(BaseSearchBackend):
    name = "embedded"
    # Every capability the base declares: the defaults stand.

    def __init__(self, *, path: str | None = None, writer_heap: int = WRITER_HEAP):
        super().__init__(path=path)
        self.path = Path(path or settings.SEARCH_INDEX_DIR)
        self.writer_heap = writer_heap
        self.schema = build_schema()
        self._generation: _Generation | None = None
        self._pointer_seen: tuple[int, int] | None = None
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
        tmp = self.path / f".current-{os.getpid()}-{threading.get_ident()}"
        tmp.write_text(name)
        os.replace(tmp, self._pointer)  # atomic on POSIX: readers see old or new, never half

    def _new_generation_name(self) -> str:
        return f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"

    def _pointer_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self._pointer.stat()
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
                    self._generation = _Generation(name, self.path / name, self.schema)
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
                writer.add_document(to_tantivy(document))
            self._commit(writer)
            generation.index.reload()
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
            generation.index.reload()

    def rebuild(
        self,
        documents: Iterable[dict],
        *,
        total: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> int:
        self.path.mkdir(parents=True, exist_ok=True)
        with self._writer_lock():
            name = self._new_generation_name()
            directory = self.path / name
            directory.mkdir(parents=True)
            count = 0
            try:
                index = tantivy.Index(self.schema, path=str(directory))
                writer = self._writer(index)
                for document in documents:
                    writer.add_document(to_tantivy(document))
                    count += 1
                    if progress and count % 1000 == 0:
                        progress(count, total)
                self._commit(writer)
                del writer
            except BaseException:
                # The live generation was never touched: drop the half-built one.
                shutil.rmtree(directory, ignore_errors=True)
                raise
            old = self._read_pointer()
            self._write_pointer(name)
            if progress:
                progress(count, total)
        with self._lock:
            self._generation = None
        if old and old != name:
            # Readers in other processes may still hold the old files open: POSIX keeps them
            # readable until closed, so removing the directory is safe.
            shutil.rmtree(self.path / old, ignore_errors=True)
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
        searcher = generation.index.searcher()
        text_query = self._text_query(generation.index, query)
        filters = self._filters(query, searcher)
        full = self._combine(text_query, filters)

        if query.sort == Sort.DISTANCE:
            total, addresses = self._distance_page(searcher, query, full)
            scores = [0.0] * len(addresses)
        else:
            kwargs = {}
            if query.sort == Sort.CHECKED:
                kwargs = {"order_by_field": "checked_key", "order": tantivy.Order.Desc}
            elif text_query is None:
                # Without words every score is equal: id order keeps results and pages stable.
                kwargs = {"order_by_field": "id", "order": tantivy.Order.Asc}
            result = searcher.search(
                full, limit=query.page_size, offset=query.offset, count=True, **kwargs
            )
            total = result.count
            addresses = [address for _, address in result.hits]
            scores = [
                float(score) if query.sort == Sort.RELEVANCE else 0.0 for score, _ in result.hits
            ]

        hits = self._hits(searcher, generation.index, query, text_query, addresses, scores)
        facets = self._facets(searcher, full, query.facets) if query.facets else {}
        return SearchResults(
            hits=hits, total=total, page=query.page, page_size=query.page_size, facets=facets
        )

    def _text_query(self, index: tantivy.Index, query: DirectoryQuery):
        words = [w.lower() for w in WORD.findall(query.text)]
        if not words:
            return None
        if any(len(w) > MAX_WORD for w in words):
            return tantivy.Query.empty_query()
        prefix = None
        if query.prefix:
            prefix = words.pop()
        parts = []
        if words:
            parsed, _errors = index.parse_query_lenient(
                " ".join(words),
                default_field_names=list(TEXT_FIELDS),
                field_boosts=FIELD_BOOSTS,
                conjunction_by_default=True,
            )
            parts.append((tantivy.Occur.Must, parsed))
        if prefix:
            pattern = re.escape(prefix) + ".*"
            parts.append(
                (
                    tantivy.Occur.Must,
                    tantivy.Query.regex_query(self.schema, "prefix_text", pattern),
                )
            )
        return parts[0][1] if len(parts) == 1 else tantivy.Query.boolean_query(parts)

    def _term_any(self, field: str, values: Iterable[str]):
        values = [str(v) for v in values]
        return tantivy.Query.term_set_query(self.schema, field, values)

    def _range(self, field: str, kind, low=None, high=None):
        # The term dictionary answers a range in a few postings lists; scanning the fast-field
        # column instead costs a pass over every document, which dominates geo queries.
        return tantivy.Query.range_query(
            self.schema, field, kind, low, high, use_inverted_index=True
        )

    def _filters(self, query: DirectoryQuery, searcher) -> list:
        F = tantivy.FieldType
        filters = []
        if not query.include_not_running:
            filters.append(tantivy.Query.term_query(self.schema, "status", "running"))
        if query.categories:
            filters.append(self._term_any("categories", query.categories))
        if query.tags:
            filters.append(self._term_any("tags", query.tags))
        if query.delivery:
            filters.append(self._term_any("delivery", query.delivery))
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
        if query.near is not None and query.radius_m is not None:
            filters.append(self._radius_filter(searcher, query, filters))
        if query.bbox is not None:
            filters.append(self._bbox_filter(query.bbox))
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

    def _box_query(self, box: BBox):
        F = tantivy.FieldType
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, self._range("lat", F.Float, box.min_lat, box.max_lat)),
                (tantivy.Occur.Must, self._range("lng", F.Float, box.min_lng, box.max_lng)),
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

    def _bbox_filter(self, box: BBox):
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, self._box_query(box)),
                (tantivy.Occur.Should, self._area_query(box)),
            ]
        )

    def _strips(self, centre: GeoPoint, radius_m: float, *, inner: bool) -> list[BBox]:
        """Latitude strips that lie inside the circle (inner) or cover it (outer)."""
        boxes = []
        height = 2 * radius_m / STRIPS
        # Safety margins absorb the flat-earth approximation; the band check is exact.
        scale = 0.995 if inner else 1.005
        for i in range(STRIPS):
            y0, y1 = -radius_m + i * height, -radius_m + (i + 1) * height
            if inner:
                y = max(abs(y0), abs(y1))
            else:
                y = 0.0 if y0 <= 0 <= y1 else min(abs(y0), abs(y1))
            half = math.sqrt(max(radius_m**2 - y**2, 0.0)) * scale
            if half <= 0:
                continue
            lat0 = centre.lat + y0 / METRES_PER_DEGREE
            lat1 = centre.lat + y1 / METRES_PER_DEGREE
            # Longitude degrees shrink towards the pole: the inner strip uses the edge nearer
            # the pole (fewer metres per degree, so a narrower box), the outer one the other.
            edge_lats = (lat0, lat1)
            cos_lat = (
                min(math.cos(math.radians(a)) for a in edge_lats)
                if not inner
                else max(math.cos(math.radians(a)) for a in edge_lats)
            )
            dlng = half / (METRES_PER_DEGREE * max(cos_lat, 0.01))
            pad = 0 if inner else radius_m * 0.002 / METRES_PER_DEGREE
            boxes.append(
                BBox(
                    min_lng=max(centre.lng - dlng - pad, -180),
                    min_lat=max(min(lat0, lat1) - pad, -90),
                    max_lng=min(centre.lng + dlng + pad, 180),
                    max_lat=min(max(lat0, lat1) + pad, 90),
                )
            )
        return boxes

    def _union(self, boxes: list[BBox]):
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, self._box_query(b)) for b in boxes]
        )

    def _radius_filter(self, searcher, query: DirectoryQuery, other_filters: list):
        centre, radius = query.near, query.radius_m
        inner = self._union(self._strips(centre, radius, inner=True))
        outer = self._union(self._strips(centre, radius, inner=False))
        band = [
            (tantivy.Occur.Must, outer),
            (tantivy.Occur.MustNot, inner),
            *[(tantivy.Occur.Must, f) for f in other_filters],
        ]
        band_query = tantivy.Query.boolean_query(band)
        inside = [
            key
            for key in self._points(searcher, band_query)
            if haversine_m(centre.lat, centre.lng, *parse_point_key(key)) <= radius
        ]
        point_clauses = [(tantivy.Occur.Should, inner)]
        if inside:
            point_clauses.append(
                (tantivy.Occur.Should, tantivy.Query.term_set_query(self.schema, "point", inside))
            )
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.boolean_query(point_clauses)),
                (tantivy.Occur.Should, self._area_query(BBox.around(centre, radius))),
            ]
        )

    def _points(self, searcher, query) -> dict[str, int]:
        """The distinct points of matching documents, with how many documents share each."""
        result = searcher.aggregate(query, {"p": {"terms": {"field": "point", "size": 65_000}}})
        return {b["key"]: b["doc_count"] for b in result.get("p", {}).get("buckets", [])}

    def _positions(self, searcher, query, limit: int | None = None):
        """(id, lat, lng) of matching documents with a point, read from fast fields."""
        count = self._count(searcher, query) if limit is None else limit
        if count == 0:
            return []
        result = searcher.search(query, limit=count, count=False)
        addresses = [address for _, address in result.hits]
        ids = searcher.fast_field_values("id", addresses)
        lats = searcher.fast_field_values("lat", addresses)
        lngs = searcher.fast_field_values("lng", addresses)
        return [
            (int(i), la, ln)
            for i, la, ln in zip(ids, lats, lngs, strict=True)
            if la is not None and ln is not None
        ]

    def _distance_page(self, searcher, query: DirectoryQuery, full):
        """Total and the page's addresses, nearest first; documents without a point last."""
        centre = query.near
        with_point = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, full),
                (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "has_point", 1)),
            ]
        )
        without_point = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, full),
                (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "has_point", 0)),
            ]
        )
        n_points = self._count(searcher, with_point)
        n_other = self._count(searcher, without_point)
        start, end = query.offset, query.offset + query.page_size
        page_ids: list[int] = []
        if start < n_points:
            wanted = min(end, n_points)
            if query.radius_m is not None:
                # The radius already bounds the candidates to the venues inside it.
                nearby = with_point
            else:
                # Widen a box until it holds `wanted` documents: the nearest `wanted` then lie
                # within its corner distance, so only the box's circumscribing square is ranked.
                half = 100.0
                while True:
                    box = BBox.around(centre, half)
                    inside = self._and(with_point, self._box_query(box))
                    if self._count(searcher, inside) >= wanted or half > 2e7:
                        break
                    half *= 2
                reach = BBox.around(centre, half * math.sqrt(2))
                nearby = self._and(with_point, self._box_query(reach))
            ranked = sorted(
                (haversine_m(centre.lat, centre.lng, *parse_point_key(key)), key, count)
                for key, count in self._points(searcher, nearby).items()
            )
            # Only the points whose documents fall on this page are opened.
            needed, before, seen = [], 0, 0
            for _, key, count in ranked:
                if seen + count > start and seen < wanted:
                    if not needed:
                        before = seen
                    needed.append(key)
                seen += count
                if seen >= wanted:
                    break
            if needed:
                on_page = self._and(
                    with_point, tantivy.Query.term_set_query(self.schema, "point", needed)
                )
                distance = {key: d for d, key, _ in ranked}
                candidates = self._positions(searcher, on_page)
                candidates.sort(key=lambda c: (distance[point_key(c[1], c[2])], c[0]))
                page_ids = [c[0] for c in candidates[start - before : wanted - before]]
        addresses = self._addresses_for_ids(searcher, page_ids)
        if end > n_points and n_other:
            rest_offset = max(0, start - n_points)
            rest_limit = end - max(start, n_points)
            result = searcher.search(
                without_point,
                limit=rest_limit,
                offset=rest_offset,
                order_by_field="id",
                order=tantivy.Order.Asc,
            )
            addresses += [address for _, address in result.hits]
        return n_points + n_other, addresses

    @staticmethod
    def _count(searcher, query) -> int:
        # tantivy refuses a limit of 0; one hit is the cheapest way to get the count.
        return searcher.search(query, limit=1, count=True).count

    def _and(self, a, b):
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, a), (tantivy.Occur.Must, b)])

    def _addresses_for_ids(self, searcher, ids: list[int]):
        if not ids:
            return []
        result = searcher.search(
            tantivy.Query.term_set_query(self.schema, "id", ids), limit=len(ids), count=False
        )
        by_id = dict(
            zip(
                (int(i) for i in searcher.fast_field_values("id", [a for _, a in result.hits])),
                (a for _, a in result.hits),
                strict=True,
            )
        )
        return [by_id[i] for i in ids if i in by_id]

    # Results -----------------------------------------------------------------------------

    def _hits(self, searcher, index, query, text_query, addresses, scores) -> list[SearchHit]:
        snippets = None
        if text_query is not None and addresses:
            snippets = tantivy.SnippetGenerator.create(searcher, text_query, self.schema, "body")
            snippets.set_max_num_chars(160)
        hits = []
        for address, score in zip(addresses, scores, strict=True):
            stored = searcher.doc(address)
            data = json.loads(stored.get_first("payload"))
            snippet = ""
            if snippets is not None:
                snippet = snippets.snippet_from_doc(stored).to_html()
            distance = None
            if query.near is not None and data.get("has_point") and data.get("lat") is not None:
                distance = haversine_m(query.near.lat, query.near.lng, data["lat"], data["lng"])
            hits.append(
                SearchHit.from_document(data, score=score, snippet=snippet, distance_m=distance)
            )
        return hits

    def _facets(self, searcher, query, wanted) -> dict[str, dict[str, int]]:
        aggregations = {
            name: {"terms": {"field": FACET_FIELDS[name], "size": 500}} for name in wanted
        }
        result = searcher.aggregate(query, aggregations)
        return {
            name: {b["key"]: b["doc_count"] for b in result.get(name, {}).get("buckets", [])}
            for name in wanted
        }
