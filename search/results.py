from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import orjson

from .query import MAX_RESULT_WINDOW


@dataclass
class SearchHit:
    id: int
    title: str
    organisation: str
    url: str
    summary: str
    score: float = 0.0
    snippet: str = ""
    lat: float | None = None
    lng: float | None = None
    distance_m: float | None = None
    cost: str = ""
    cost_amount: float | None = None
    delivery: str = ""
    categories: list[str] = field(default_factory=list)
    access: list[str] = field(default_factory=list)
    # Whom it is for (common.vocabulary.AUDIENCES, or EVERYONE), the conditions it is for, how
    # to join, whether carers are welcome, and the ages of those who take part (0 to 120 when
    # not limited).
    audience: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    booking: str = ""
    capacity: str = "open"
    carers_welcome: bool = True
    age_min: int = 0
    age_max: int = 120
    venue: str = ""
    area_wide: bool = False
    schedule: list[dict] = field(default_factory=list)
    next_session: datetime.datetime | None = None
    # The organisation that runs it (its page id); None when the document names none.
    organisation_id: int | None = None
    # At a private venue: lat and lng are the centre of its outward code, not its own point.
    approximate: bool = False
    # The schedule as JSON with sorted keys: what its next session is cached under.
    schedule_key: bytes = field(default=b"", repr=False, compare=False)

    def __post_init__(self):
        if self.schedule and not self.schedule_key:
            self.schedule_key = schedule_key(self.schedule)

    def copy(self, **changes) -> SearchHit:
        """A shallow copy with some fields changed: its lists are shared with this hit's."""
        # Several times cheaper than dataclasses.replace, which re-runs __init__ and validation.
        hit = object.__new__(type(self))
        hit.__dict__.update(self.__dict__)
        hit.__dict__.update(changes)
        return hit

    @classmethod
    def from_document(
        cls, data: dict, *, score: float = 0.0, snippet: str = "", distance_m: float | None = None
    ) -> SearchHit:
        """A hit from the stored fields of a search document (see search.documents)."""
        has_point = bool(data.get("has_point")) and data.get("lat") is not None
        lat, lng = data.get("lat"), data.get("lng")
        approximate_point = data.get("approximate_point")
        if approximate_point is not None:
            # A private venue: its own point is searched by, never shown (see search.fields).
            lat, lng = approximate_point if approximate_point else (None, None)
        shown = has_point and lat is not None
        return cls(
            id=int(data["id"]),
            title=data.get("title") or "",
            organisation=data.get("organisation") or "",
            url=data.get("url") or "",
            summary=data.get("summary") or "",
            score=score,
            snippet=snippet,
            lat=lat if shown else None,
            lng=lng if shown else None,
            distance_m=distance_m,
            cost=data.get("cost") or "",
            cost_amount=data.get("cost_amount"),
            delivery=data.get("delivery") or "",
            categories=list(data.get("categories") or []),
            access=list(data.get("access") or []),
            audience=list(data.get("audience") or []),
            conditions=list(data.get("conditions") or []),
            booking=data.get("booking") or "",
            capacity=data.get("capacity") or "open",
            carers_welcome=bool(data.get("carers_welcome", True)),
            age_min=int(data.get("age_min") or 0),
            age_max=int(data["age_max"]) if data.get("age_max") is not None else 120,
            venue=data.get("venue") or "",
            area_wide=not has_point,
            approximate=shown and approximate_point is not None,
            schedule=list(data.get("schedule") or []),
            organisation_id=_whole_number(data.get("organisation_id")),
        )


def _whole_number(value) -> int | None:
    # A keyword comes back as the string it was indexed as, or as the number the document gave.
    if value is None or value == "":
        return None
    return int(value)


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    page: int
    page_size: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # When the words as typed found few results and close spellings found more: the words
    # those results are for ("yoga" for "yogga"), offered as "Did you mean ...?". "" otherwise.
    did_you_mean: str = ""

    @property
    def pages(self) -> int:
        # Only pages that end by the MAX_RESULT_WINDOW-th result can be asked for (a later one
        # is refused), so the count, and the "next page" links made from it, stop there.
        pages = min(-(-self.total // self.page_size), MAX_RESULT_WINDOW // self.page_size)
        return max(1, pages)


def schedule_key(schedule: list[dict]) -> bytes:
    return orjson.dumps(schedule, default=str, option=orjson.OPT_SORT_KEYS)
