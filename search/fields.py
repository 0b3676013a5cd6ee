"""The search document's fields, declared once: what each holds, how it is matched, and how
much a match in it weighs.

`search.documents.build_documents` makes documents with exactly these keys. Every backend
builds its schema or mapping, its text queries and its hits from this declaration and restates
none of it; each adds only the engine fields it derives from these (a sort key, a combined
prefix field, a stored payload), and says so where it does. tests/search/test_fields.py
builds each backend's schema or mapping and its queries, and fails when one leaves out,
re-types or re-weights a declared field.

Pure: nothing here imports Django or an engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a field holds, and so how an engine indexes it."""

    #: The activity's id: a whole number, unique, the tie-break of every order.
    ID = "id"
    #: Words, compared as `STEMMED` (and, for type-ahead, as `UNSTEMMED` prefixes).
    TEXT = "text"
    #: Exact values (slugs, choices, tag names), matched whole: filters and facets.
    KEYWORD = "keyword"
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"
    #: A day, as its proleptic Gregorian ordinal (`datetime.date.toordinal()`).
    DATE = "date"
    #: A point: the document's `lat` and `lng` keys (`has_point` says whether it has one).
    GEO_POINT = "geo_point"
    #: A box: its four edges in the order of `BOX_EDGES`.
    GEO_BOX = "geo_box"
    #: Kept with the document for showing it, never searched.
    STORED = "stored"


@dataclass(frozen=True)
class Field:
    """One field of the search document.

    `boost` is the weight of a word matched in the field, for a field searched by words (every
    TEXT field, and a KEYWORD field whose values are words too); None for a field never
    searched by words. `many`: the field holds a list. `in_hits`: a search hit is made from it
    (see `search.results.SearchHit.from_document`).
    """

    name: str
    kind: Kind
    boost: float | None = None
    many: bool = False
    in_hits: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        """The document keys that hold this field's value."""
        return POINT_KEYS if self.kind == Kind.GEO_POINT else (self.name,)


# The keys of a point, in the document and in hits.
POINT_KEYS = ("lat", "lng")
# The edges of a box, in the order a document lists them.
BOX_EDGES = ("min_lat", "min_lng", "max_lat", "max_lng")

# In this order: the embedded backend's schema lists its fields so, and an index written with
# another order would not open without a rebuild.
FIELDS: tuple[Field, ...] = (
    Field("id", Kind.ID, in_hits=True),
    Field("title", Kind.TEXT, boost=3.0, in_hits=True),
    Field("summary", Kind.TEXT, boost=2.0, in_hits=True),
    Field("body", Kind.TEXT, boost=1.0),
    Field("category_names", Kind.TEXT, boost=1.5),
    Field("categories", Kind.KEYWORD, many=True, in_hits=True),
    # Matched whole as a filter, and searched by words too.
    Field("tags", Kind.KEYWORD, boost=1.5, many=True),
    Field("organisation", Kind.TEXT, boost=1.0, in_hits=True),
    Field("venue", Kind.TEXT, boost=1.0, in_hits=True),
    Field("delivery", Kind.KEYWORD, in_hits=True),
    Field("days", Kind.KEYWORD, many=True),
    Field("cost", Kind.KEYWORD, in_hits=True),
    Field("access", Kind.KEYWORD, many=True, in_hits=True),
    # Whom it is for (common.vocabulary.AUDIENCES, or EVERYONE), and the health conditions it
    # is for (slugs): filters, facets, and what the matching engine judges fit by.
    Field("audience", Kind.KEYWORD, many=True, in_hits=True),
    Field("conditions", Kind.KEYWORD, many=True, in_hits=True),
    Field("booking", Kind.KEYWORD, in_hits=True),
    # Places: open, waiting_list or full (Activity.Capacity).
    Field("capacity", Kind.KEYWORD, in_hits=True),
    Field("carers_welcome", Kind.BOOLEAN, in_hits=True),
    Field("status", Kind.KEYWORD),
    Field("point", Kind.GEO_POINT, in_hits=True),
    Field("has_point", Kind.BOOLEAN, in_hits=True),
    Field("anywhere", Kind.BOOLEAN),
    Field("area", Kind.GEO_BOX),
    Field("cost_amount", Kind.FLOAT, in_hits=True),
    Field("buckets", Kind.INTEGER, many=True),
    Field("age_min", Kind.INTEGER, in_hits=True),
    Field("age_max", Kind.INTEGER, in_hits=True),
    Field("last_reviewed", Kind.DATE),
    Field("uuid", Kind.STORED),
    Field("url", Kind.STORED, in_hits=True),
    # Matched whole, never searched: the matching engine leaves out organisations it already
    # has enough of (DirectoryQuery.exclude_organisations). Kept where it was declared, as
    # the order is part of the embedded index's format.
    Field("organisation_id", Kind.KEYWORD, in_hits=True),
    Field("postcode", Kind.STORED),
    Field("schedule", Kind.STORED, in_hits=True),
    # A venue whose address is private (Venue.is_private): the point shown in its place, the
    # centre of its outward code ([lat, lng], or [] for none); None for any other. `lat` and
    # `lng` keep the venue's own point, for searches by distance, and never leave the index.
    Field("approximate_point", Kind.STORED, in_hits=True),
)

BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}


def of_kind(*kinds: Kind) -> tuple[Field, ...]:
    """The declared fields of these kinds, in declaration order."""
    return tuple(field for field in FIELDS if field.kind in kinds)


#: The fields searched by words, in declaration order, and the weight of a match in each.
WORD_FIELDS: tuple[Field, ...] = tuple(field for field in FIELDS if field.boost is not None)
BOOSTS: dict[str, float] = {field.name: field.boost for field in WORD_FIELDS}

#: Every document key, in declaration order (a point's two keys where it is declared).
DOCUMENT_KEYS: tuple[str, ...] = tuple(key for field in FIELDS for key in field.keys)
#: The document keys a hit is made from.
HIT_KEYS: tuple[str, ...] = tuple(key for field in FIELDS if field.in_hits for key in field.keys)


# Words -------------------------------------------------------------------------------------

#: How words are compared. Each backend maps these to its engine's analysers.
#: Whole words: lower-cased English stems, so "walks" finds "walking".
STEMMED = "stemmed"
#: The last word of a type-ahead query: a prefix of the lower-cased words as written
#: (unstemmed: "singi" must find "singing", whose stem "sing" does not start with "singi").
UNSTEMMED = "unstemmed"

#: A word of a query: letters, digits and apostrophes ("anne's", "don't"), so "knit," and
#: "knit" are one word. Every backend splits a query's text with this alone.
WORD = re.compile(r"[\w']+", re.UNICODE)
APOSTROPHE = "'"


def query_words(text: str, *, split_at_apostrophes: bool = False) -> list[str]:
    """The words of a query's text, lower-cased, in order.

    An engine whose analysers split words at apostrophes (tantivy's do: "anne's" is indexed as
    "anne" and "s") asks for `split_at_apostrophes`, and gets the parts it indexed; one that
    keeps them whole (Elasticsearch's standard tokenizer) gets "anne's" as it is, so a
    type-ahead prefix can run on to the end of the word.
    """
    words = [word.lower() for word in WORD.findall(text)]
    if not split_at_apostrophes:
        return words
    return [part for word in words for part in word.split(APOSTROPHE) if part]
