from __future__ import annotations

import datetime
from dataclasses import dataclass, field


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
    venue: str = ""
    area_wide: bool = False
    schedule: list[dict] = field(default_factory=list)
    next_session: datetime.datetime | None = None


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    page: int
    page_size: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))
