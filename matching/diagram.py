"""The circle diagram of a network map: its geometry and how members are laid out on it.

Pure: no Django, no database. It is the one home of the diagram's numbers:

- the server draws the map from ``network_diagram(members)`` (the SVG in
  ``matching/includes/network_diagram.html``, which works without JavaScript);
- the edit pages hand ``geometry()`` to ``static/js/network-map.js`` on the page (a
  ``json_script`` named ``netmap-geometry``) along with ``kind_table()``; the script redraws the
  map as the form changes, by the rule of ``_positions()`` with these numbers, and keeps no
  numbers of its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .network import CIRCLE_NAMES, Member
from .vocabulary import FAMILY_KINDS, FORMAL_KINDS, MEMBER_KIND_LABELS, MEMBER_KINDS

# Short codes drawn inside the dots; the kind is also written out under each dot and in the list.
KIND_CODES = {
    "partner": "Pa",
    "family": "Fa",
    "friend": "Fr",
    "neighbour": "Ne",
    "colleague": "Co",
    "professional": "He",
    "group": "Gr",
    "pet": "Pe",
    "place": "Pl",
}


# Kind names short enough to sit under a dot; the lists use the full MEMBER_KINDS labels.
KIND_SHORT_NAMES = {
    "partner": "Partner",
    "family": "Family",
    "friend": "Friend",
    "neighbour": "Neighbour",
    "colleague": "Colleague",
    "professional": "Health or care",
    "group": "Group",
    "pet": "Pet",
    "place": "Place",
}


def kind_group(kind: str) -> str:
    """Which colour family a dot gets (never the only cue: code and words say it too)."""
    if kind in FAMILY_KINDS:
        return "family"
    if kind == "friend":
        return "friend"
    if kind in FORMAL_KINDS:
        return "formal"
    return "wider"


def kind_table() -> dict:
    """Codes, labels and colour groups of the kinds, for network-map.js."""
    return {
        slug: {
            "code": KIND_CODES[slug],
            "label": label,
            "short": KIND_SHORT_NAMES[slug],
            "group": kind_group(slug),
        }
        for slug, label in MEMBER_KINDS
    }


# Geometry in SVG units (viewBox 0 0 600 600, plus VIEW_MARGIN all round).
DIAGRAM_SIZE = 600
RING_RADII = {1: 110, 2: 200, 3: 290}
CENTRE_RADIUS = 24
DOT_RADIUS = 18
# A finger needs more than the drawn dot: the script gives each dot an invisible ring this wide.
HIT_MARGIN = 10
LABEL_DISPLAY_MAX = 14
VIEW_MARGIN = 16
# Where dots sit in each ring, and how many fit on one line before they zig-zag in and out.
PLACE_RADII = {1: 66, 2: 155, 3: 245}
STAGGER = {1: 20, 2: 22, 3: 22}
SPACING = 62
# How far below its ring's line a ring's name sits, at most (half the band, in a thin one).
RING_NAME_DROP = 22
# The words under a dot, down from its centre: the name on the first line and the kind on the
# second (the kind takes the first line when there is no name).
TEXT_LINES = (34, 49)
# Moves a line of text down so that it is centred on its point (the codes, "You").
TEXT_MIDDLE = "0.35em"
# The diagram's text alternative when nobody is on it, and for an empty circle.
EMPTY_DESCRIPTION = "Nobody is on the map yet."
NOBODY = "nobody"


def geometry() -> dict:
    """The numbers (and the few words) network-map.js needs to draw the map as
    ``network_diagram()`` does; the pages put this on the page with ``json_script``."""
    circles = sorted(RING_RADII)
    return {
        "centre": DIAGRAM_SIZE / 2,
        "rings": [RING_RADII[c] for c in circles],
        "place": [PLACE_RADII[c] for c in circles],
        "stagger": [STAGGER[c] for c in circles],
        "spacing": SPACING,
        "dot": DOT_RADIUS,
        "hit": DOT_RADIUS + HIT_MARGIN,
        "lines": list(TEXT_LINES),
        "middle": TEXT_MIDDLE,
        "labelMax": LABEL_DISPLAY_MAX,
        "names": [CIRCLE_NAMES[c] for c in circles],
        "empty": EMPTY_DESCRIPTION,
        "nobody": NOBODY,
    }


def member_text(member: Member) -> str:
    """A member in words, as in the lists: "Mum (Family)", or "Family" without a name."""
    kind = MEMBER_KIND_LABELS[member.kind]
    return f"{member.label} ({kind})" if member.label else kind


@dataclass(frozen=True)
class DiagramDot:
    index: int
    member: Member
    x: float
    y: float
    code: str
    group: str
    name: str  # shortened to fit; the full label is in `text` and the list
    kind_label: str  # short, to fit under the dot
    kind_y: int  # where the kind's line is: under the name, or first without one
    text: str


@dataclass(frozen=True)
class DiagramRing:
    circle: int
    radius: int
    name: str
    title_y: float
    dots: tuple[DiagramDot, ...]


@dataclass(frozen=True)
class Diagram:
    size: int
    centre: float
    centre_radius: int
    dot_radius: int
    name_y: int
    text_middle: str
    rings: tuple[DiagramRing, ...]  # outer first, so inner circles paint on top
    dots: tuple[DiagramDot, ...]
    margin: int = VIEW_MARGIN

    @property
    def view_box(self) -> str:
        """The drawing plus a margin, so names under the lowest and widest dots are not cut."""
        side = self.size + 2 * self.margin
        return f"{-self.margin} {-self.margin} {side} {side}"

    @property
    def geometry(self) -> dict:
        """``geometry()``, for the page that hands it to network-map.js."""
        return geometry()

    @property
    def rings_inner_first(self):
        return tuple(reversed(self.rings))

    @property
    def empty(self) -> bool:
        return not self.dots

    @property
    def description(self) -> str:
        """The whole map in one sentence each per circle: the diagram's text alternative."""
        if self.empty:
            return EMPTY_DESCRIPTION
        parts = []
        for ring in self.rings_inner_first:
            names = "; ".join(dot.text for dot in ring.dots) if ring.dots else NOBODY
            parts.append(f"{ring.name.capitalize()} circle: {names}.")
        return " ".join(parts)


def _shorten(text: str) -> str:
    if len(text) <= LABEL_DISPLAY_MAX:
        return text
    return text[: LABEL_DISPLAY_MAX - 1].rstrip() + "…"


def _positions(circle: int, count: int) -> list[tuple[float, float]]:
    """Spread `count` dots evenly round a ring, starting half a step after the top so that no dot
    sits on the ring's name. Crowded rings zig-zag between two radii. network-map.js lays dots
    out by this rule, with the numbers of ``geometry()``."""
    centre = DIAGRAM_SIZE / 2
    radius = PLACE_RADII[circle]
    crowded = count * SPACING > 2 * math.pi * radius
    points = []
    for i in range(count):
        angle = -math.pi / 2 + (i + 0.5) * 2 * math.pi / count
        r = radius + (STAGGER[circle] * (1 if i % 2 else -1) if crowded else 0)
        points.append(
            (round(centre + r * math.cos(angle), 1), round(centre + r * math.sin(angle), 1))
        )
    return points


def network_diagram(members: Iterable[Member]) -> Diagram:
    """Lay a map out as three circles with the members as dots. `index` on each dot is the
    member's position in `members` (the form row, on the edit page)."""
    members = list(members)
    centre = DIAGRAM_SIZE / 2
    name_y, kind_y = TEXT_LINES
    rings = []
    all_dots = []
    for circle in sorted(RING_RADII, reverse=True):
        indexed = [(i, m) for i, m in enumerate(members) if m.circle == circle]
        dots = []
        for (index, member), (x, y) in zip(indexed, _positions(circle, len(indexed)), strict=True):
            name = _shorten(member.label)
            dots.append(
                DiagramDot(
                    index=index,
                    member=member,
                    x=x,
                    y=y,
                    code=KIND_CODES[member.kind],
                    group=kind_group(member.kind),
                    name=name,
                    kind_label=KIND_SHORT_NAMES[member.kind],
                    kind_y=kind_y if name else name_y,
                    text=member_text(member),
                )
            )
        inner_edge = RING_RADII.get(circle - 1, CENTRE_RADIUS)
        rings.append(
            DiagramRing(
                circle=circle,
                radius=RING_RADII[circle],
                name=CIRCLE_NAMES[circle],
                # The ring's name sits at the top of its band, just inside its line.
                title_y=centre
                - RING_RADII[circle]
                + min(RING_NAME_DROP, (RING_RADII[circle] - inner_edge) / 2),
                dots=tuple(dots),
            )
        )
        all_dots.extend(dots)
    all_dots.sort(key=lambda dot: dot.index)
    return Diagram(
        size=DIAGRAM_SIZE,
        centre=centre,
        centre_radius=CENTRE_RADIUS,
        dot_radius=DOT_RADIUS,
        name_y=name_y,
        text_middle=TEXT_MIDDLE,
        rings=tuple(rings),
        dots=tuple(all_dots),
        margin=VIEW_MARGIN,
    )
