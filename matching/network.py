"""Reading a personal network map (GENIE step 1): measures, a network type, plain feedback and
the kinds of activity that could widen the network. Pure functions: no models, no database.

The evidence behind the measures (see DESIGN.md): people with a wider variety of ties, and more
ties beyond family and close friends (neighbours, colleagues, groups, pets, places), manage
long-term conditions better (Reeves et al. 2014; Koetsenruijter et al. 2015). So the measures
count kinds of tie, the share of those wider ties, groups and places, and how many people give
each kind of support. In code these wider ties are "weak ties" (WEAK_TIE_KINDS); people never
see that word.

Network types
-------------
Loosely after Wenger's network typology, adapted to what a GENIE map records. Shares are of all
members. The first rule that matches wins:

1. ``empty``: nobody mapped yet.
2. ``restricted``: 3 members or fewer; or only 1 or 2 kinds of member and no weak ties.
3. ``formal-care-centred``: at least 50% are health or care professionals. Checked before the
   others because leaning mainly on services is what the intervention sets out to balance.
4. ``diverse``: at least 4 kinds, at least 30% weak ties and at least one group or place.
   Checked before family- and friend-centred because variety and wider ties are what the
   evidence values, even when half the map is friends or most of it is family.
5. ``family-centred``: at least 60% partner or family.
6. ``friend-centred``: at least 50% friends.
7. ``mixed``: anything else.

Thresholds are compared as whole-number ratios, so exact boundaries (3 of 5, 3 of 10) are not
at the mercy of floating point.

``wants_groups`` is true when the map has no group or place, or less than 30% weak ties; the
matcher then gives group activities a bonus.

Support
-------
A support type is *thin* when nobody or only one member gives it. Each thin type adds a
suggestion. When no support has been recorded for anyone, the map says nothing about support
gaps (the question may simply not have been asked yet), though ``missing_support`` still lists
every type, because that is what was recorded.

Suggestions (in this order, each once)
--------------------------------------
- no group or place: social clubs, craft groups, community or faith groups
  (social-and-friendship, arts-and-crafts, faith-and-culture)
- weak ties under 30%: volunteering (volunteering)
- no place or activity: a walking group or community garden
  (physical-activity, nature-and-gardening)
- company thin: lunch clubs, coffee mornings (social-and-friendship)
- someone to talk to thin: peer support (peer-support)
- advice and information thin: health condition groups (health-condition-support)
- practical help thin: befriending or good-neighbour schemes (befriending)

Comparing two maps
------------------
Members with the same label (ignoring case and spaces at the ends) and kind are the same member:
in a different circle they have *moved*, in the same circle they are *kept* (their support may
have changed). Members without a label can only be matched by kind and circle, so an unlabelled
member in a new circle counts as one removed and one added.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from common.vocabulary import join_words

from .vocabulary import (
    CIRCLES,
    CONTACT_FREQUENCIES,
    FAMILY_KINDS,
    FORMAL_KINDS,
    GROUP_KINDS,
    MEMBER_KINDS,
    SUPPORT_TYPES,
    WEAK_TIE_KINDS,
)

KIND_SLUGS = tuple(slug for slug, _ in MEMBER_KINDS)
SUPPORT_SLUGS = tuple(slug for slug, _ in SUPPORT_TYPES)
FREQUENCY_SLUGS = tuple(slug for slug, _ in CONTACT_FREQUENCIES)
CIRCLE_NUMBERS = tuple(sorted(CIRCLES))

# A name or initials is all a map needs; a cap keeps notes and other personal detail out.
LABEL_MAX_LENGTH = 80

NETWORK_TYPES = (
    ("empty", "Nothing mapped yet"),
    ("restricted", "Small or close-knit"),
    ("formal-care-centred", "Mostly health and care professionals"),
    ("diverse", "Wide and varied"),
    ("family-centred", "Mostly family"),
    ("friend-centred", "Mostly friends"),
    ("mixed", "A mix of people"),
)
NETWORK_TYPE_LABELS = dict(NETWORK_TYPES)

# How each kind reads inside a sentence: (one, several).
KIND_PHRASES = {
    "partner": ("a partner", "partners"),
    "family": ("family", "family"),
    "friend": ("a friend", "friends"),
    "neighbour": ("a neighbour", "neighbours"),
    "colleague": ("a colleague or classmate", "colleagues or classmates"),
    "professional": ("a health or care professional", "health or care professionals"),
    "group": ("a group", "groups"),
    "pet": ("a pet", "pets"),
    "place": ("a place or activity", "places or activities"),
}

# "Only one ... gives you X" needs a noun that fits a pet or a place as well as a person.
KIND_NOUNS = {"group": "group", "pet": "pet", "place": "place"}

# How each support type reads after "gives you".
SUPPORT_PHRASES = {
    "emotional": "emotional support",
    "practical": "practical help",
    "information": "advice and information",
    "company": "company",
}

CIRCLE_NAMES = {1: "inner", 2: "middle", 3: "outer"}

MIN_DIVERSE_KINDS = 4

# (gap, sentence, directory category slugs), in the order they are offered.
SUGGESTION_RULES = (
    (
        "no-groups",
        "Joining a group, such as a social club, a craft group or a community or faith group, "
        "to meet people who enjoy the same things.",
        ("social-and-friendship", "arts-and-crafts", "faith-and-culture"),
    ),
    (
        "few-wider-ties",
        "Volunteering, which is a good way to meet people in your area and feel part of it.",
        ("volunteering",),
    ),
    (
        "no-place",
        "A regular activity in a place you enjoy, such as a walking group or a community garden.",
        ("physical-activity", "nature-and-gardening"),
    ),
    (
        "thin-company",
        "Lunch clubs, coffee mornings or social groups, for company.",
        ("social-and-friendship",),
    ),
    (
        "thin-emotional",
        "A peer support group, where you can talk with people who understand what you are "
        "going through.",
        ("peer-support",),
    ),
    (
        "thin-information",
        "A group for people living with a health condition, where people share advice and "
        "information.",
        ("health-condition-support",),
    ),
    (
        "thin-practical",
        "A befriending or good-neighbour scheme, where volunteers can help with everyday things.",
        ("befriending",),
    ),
)


class MemberError(ValueError):
    """A member field with a bad value. ``str()`` reads "field: problem"."""

    def __init__(self, field_name: str, problem: str):
        self.field = field_name
        self.problem = problem
        super().__init__(f"{field_name}: {problem}")


def _options(slugs: Iterable[str]) -> str:
    return ", ".join(slugs)


@dataclass(frozen=True)
class Member:
    """One person, group, pet or place on the map."""

    circle: int
    kind: str
    support: frozenset[str] = frozenset()
    frequency: str | None = None
    label: str = ""

    def __post_init__(self):
        # bool is an int subclass; True must not quietly mean the inner circle.
        if (
            isinstance(self.circle, bool)
            or not isinstance(self.circle, int)
            or self.circle not in CIRCLES
        ):
            raise MemberError(
                "circle", f"must be 1 (inner), 2 (middle) or 3 (outer), not {self.circle!r}."
            )
        if self.kind not in KIND_SLUGS:
            raise MemberError(
                "kind",
                f"{self.kind!r} is not a kind of member. Use one of: {_options(KIND_SLUGS)}.",
            )
        # A bare string would otherwise be split into letters.
        if isinstance(self.support, str) or not isinstance(
            self.support, list | tuple | set | frozenset
        ):
            raise MemberError(
                "support", f"must be a list of support types, not {type(self.support).__name__}."
            )
        unknown = sorted(repr(s) for s in self.support if s not in SUPPORT_SLUGS)
        if unknown:
            raise MemberError(
                "support",
                f"{', '.join(unknown)} is not a type of support. "
                f"Use any of: {_options(SUPPORT_SLUGS)}.",
            )
        object.__setattr__(self, "support", frozenset(self.support))
        if self.frequency is not None and self.frequency not in FREQUENCY_SLUGS:
            raise MemberError(
                "frequency",
                f"{self.frequency!r} is not a contact frequency. "
                f"Use one of: {_options(FREQUENCY_SLUGS)}, or leave it out.",
            )
        if not isinstance(self.label, str):
            raise MemberError("label", f"must be text, not {type(self.label).__name__}.")
        label = self.label.strip()
        if len(label) > LABEL_MAX_LENGTH:
            raise MemberError(
                "label",
                f"is {len(label)} characters long; use a name or initials "
                f"({LABEL_MAX_LENGTH} characters at most).",
            )
        object.__setattr__(self, "label", label)

    @property
    def match_key(self) -> tuple[str, str]:
        """What identifies this member across two maps: label (any case) and kind."""
        return (self.label.casefold(), self.kind)

    def as_dict(self) -> dict:
        """The API-style dict that ``members_from_dicts`` reads back."""
        return {
            "circle": self.circle,
            "kind": self.kind,
            "support": [s for s in SUPPORT_SLUGS if s in self.support],
            "frequency": self.frequency,
            "label": self.label,
        }


MEMBER_FIELDS = ("circle", "kind", "support", "frequency", "label")


def members_from_dicts(items: Iterable[dict]) -> list[Member]:
    """Build members from API-style dicts such as
    ``{"circle": 1, "kind": "family", "support": ["emotional"], "frequency": "weekly",
    "label": "Mum"}``. Only ``circle`` and ``kind`` are required.

    Raises ValueError naming the index and field, e.g. ``members[3].kind: ...``.
    """
    members = []
    for index, item in enumerate(items):
        where = f"members[{index}]"
        if not isinstance(item, dict):
            raise ValueError(
                f"{where}: expected an object with circle and kind, not {type(item).__name__}."
            )
        # Unknown keys are refused rather than dropped: they are usually typos ("suport"),
        # and the map should not carry personal data it has no field for.
        for key in item:
            if key not in MEMBER_FIELDS:
                raise ValueError(
                    f"{where}.{key}: not a member field. Use: {_options(MEMBER_FIELDS)}."
                )
        for key in ("circle", "kind"):
            if item.get(key) in (None, ""):
                raise ValueError(f"{where}.{key}: this field is required.")
        circle = item["circle"]
        # Form posts send numbers as text. ASCII only: "²".isdigit() is true, and int() fails.
        if isinstance(circle, str) and circle.strip().isascii() and circle.strip().isdigit():
            circle = int(circle)
        support = item.get("support")
        frequency = item.get("frequency")
        if frequency == "":
            # An unanswered select in a form.
            frequency = None
        label = item.get("label")
        try:
            members.append(
                Member(
                    circle=circle,
                    kind=item["kind"],
                    support=frozenset() if support is None else support,
                    frequency=frequency,
                    label="" if label is None else label,
                )
            )
        except MemberError as error:
            raise ValueError(f"{where}.{error.field}: {error.problem}") from error
    return members


@dataclass(frozen=True)
class NetworkMetrics:
    """What a map shows, as numbers and as plain sentences for the person."""

    size: int
    by_circle: dict[int, int]
    kinds: tuple[str, ...]
    diversity: int
    weak_tie_share: float
    groups: int
    support_sources: dict[str, int]
    single_source_support: tuple[str, ...]
    missing_support: tuple[str, ...]
    network_type: str
    network_type_label: str
    feedback: tuple[str, ...]
    suggestions: tuple[str, ...]
    suggested_categories: tuple[str, ...]
    wants_groups: bool

    def as_dict(self) -> dict:
        """JSON-ready: lists for tuples, string keys for circles."""
        return {
            "size": self.size,
            "by_circle": {str(circle): count for circle, count in self.by_circle.items()},
            "kinds": list(self.kinds),
            "diversity": self.diversity,
            "weak_tie_share": self.weak_tie_share,
            "groups": self.groups,
            "support_sources": dict(self.support_sources),
            "single_source_support": list(self.single_source_support),
            "missing_support": list(self.missing_support),
            "network_type": self.network_type,
            "network_type_label": self.network_type_label,
            "feedback": list(self.feedback),
            "suggestions": list(self.suggestions),
            "suggested_categories": list(self.suggested_categories),
            "wants_groups": self.wants_groups,
        }


def _plural(count: int, one: str, several: str) -> str:
    return f"{count} {one if count == 1 else several}"


def _kind_phrase(kind: str, count: int) -> str:
    one, several = KIND_PHRASES[kind]
    return one if count == 1 else several


def _at_least(part: int, whole: int, numerator: int, denominator: int) -> bool:
    """part / whole >= numerator / denominator, in whole numbers."""
    return whole > 0 and part * denominator >= whole * numerator


def _network_type(size: int, kind_counts: Counter, weak: int, groups: int) -> str:
    diversity = len(kind_counts)
    family = sum(kind_counts[k] for k in FAMILY_KINDS)
    formal = sum(kind_counts[k] for k in FORMAL_KINDS)
    if size == 0:
        return "empty"
    if size <= 3 or (diversity <= 2 and weak == 0):
        return "restricted"
    if _at_least(formal, size, 1, 2):
        return "formal-care-centred"
    if diversity >= MIN_DIVERSE_KINDS and _at_least(weak, size, 3, 10) and groups >= 1:
        return "diverse"
    if _at_least(family, size, 3, 5):
        return "family-centred"
    if _at_least(kind_counts["friend"], size, 1, 2):
        return "friend-centred"
    return "mixed"


def _size_sentence(size: int, by_circle: dict[int, int]) -> str:
    where = {1: "in your inner circle", 2: "in the middle circle", 3: "in the outer circle"}
    parts = [f"{by_circle[c]} {where[c]}" for c in CIRCLE_NUMBERS if by_circle[c]]
    return f"Your network has {_plural(size, 'member', 'members')}: {join_words(parts)}."


def _share_sentence(members: list[Member]) -> str | None:
    """Where most support comes from; where most people are from if support is not recorded."""
    supporters = [m for m in members if m.support]
    pool = supporters or members
    counts = Counter(m.kind for m in pool)
    groups = (
        ("family", sum(counts[k] for k in FAMILY_KINDS), 3, 5),
        ("health or care professionals", sum(counts[k] for k in FORMAL_KINDS), 1, 2),
        ("friends", counts["friend"], 1, 2),
    )
    for name, count, numerator, denominator in groups:
        if not _at_least(count, len(pool), numerator, denominator):
            continue
        if count == len(pool):
            amount = "All"
        elif count * 2 == len(pool):
            amount = "Half"
        else:
            amount = "Most"
        if supporters:
            return f"{amount} of your support comes from {name}."
        return f"{amount} of the people in your map are {name}."
    return None


def _single_source_sentence(support: str, giver: Member) -> str:
    who = giver.label or f"one {KIND_NOUNS.get(giver.kind, 'person')}"
    return f"Only {who} gives you {SUPPORT_PHRASES[support]}. It could help to have others too."


def network_metrics(members: Iterable[Member]) -> NetworkMetrics:
    """Measure a network map and describe it in plain English.

    See the module docstring for the network types, the thresholds and the suggestion rules.
    """
    members = list(members)
    size = len(members)
    kind_counts = Counter(m.kind for m in members)
    by_circle = {c: sum(1 for m in members if m.circle == c) for c in CIRCLE_NUMBERS}
    kinds = tuple(k for k in KIND_SLUGS if kind_counts[k])
    weak = sum(kind_counts[k] for k in WEAK_TIE_KINDS)
    groups = sum(kind_counts[k] for k in GROUP_KINDS)
    weak_tie_share = weak / size if size else 0.0
    few_wider_ties = not _at_least(weak, size, 3, 10)

    givers = {s: [m for m in members if s in m.support] for s in SUPPORT_SLUGS}
    support_sources = {s: len(givers[s]) for s in SUPPORT_SLUGS}
    single = tuple(s for s in SUPPORT_SLUGS if support_sources[s] == 1)
    missing = tuple(s for s in SUPPORT_SLUGS if support_sources[s] == 0)
    support_recorded = any(m.support for m in members)

    network_type = _network_type(size, kind_counts, weak, groups)

    feedback: list[str] = []
    if not members:
        feedback.append(
            "There is nobody in your map yet. Start with the people, groups, pets and places "
            "that matter to you."
        )
    else:
        feedback.append(_size_sentence(size, by_circle))
        feedback.append(
            f"Your map includes {join_words([_kind_phrase(k, kind_counts[k]) for k in kinds])}."
        )
        share = _share_sentence(members)
        if share:
            feedback.append(share)
        if network_type == "restricted" and size <= 3:
            feedback.append("Your map is small at the moment. That is common, and it can grow.")
        if network_type == "diverse":
            feedback.append(
                "You have a good mix of people, groups and places. A mix like this can make it "
                "easier to look after your health."
            )
        if weak == 0:
            feedback.append(
                "Your map does not include any neighbours, colleagues, groups, pets or places yet."
            )
        elif groups == 0:
            feedback.append("You have no groups or places in your map yet.")
        elif few_wider_ties:
            feedback.append(
                "A few of your connections are beyond family and close friends. More of these, "
                "such as neighbours, groups or places you go to, can bring company and new ideas."
            )
        if not support_recorded:
            feedback.append("You have not said yet who gives you support.")
        else:
            for s in single:
                feedback.append(_single_source_sentence(s, givers[s][0]))
            for s in missing:
                feedback.append(f"Nobody in your map gives you {SUPPORT_PHRASES[s]} at the moment.")

    gaps = set()
    if groups == 0:
        gaps.add("no-groups")
    if few_wider_ties:
        gaps.add("few-wider-ties")
    if not kind_counts["place"]:
        gaps.add("no-place")
    if support_recorded:
        gaps.update(f"thin-{s}" for s in SUPPORT_SLUGS if support_sources[s] <= 1)
    suggestions = []
    categories: list[str] = []
    for gap, sentence, gap_categories in SUGGESTION_RULES:
        if gap in gaps:
            suggestions.append(sentence)
            categories.extend(c for c in gap_categories if c not in categories)

    return NetworkMetrics(
        size=size,
        by_circle=by_circle,
        kinds=kinds,
        diversity=len(kinds),
        weak_tie_share=weak_tie_share,
        groups=groups,
        support_sources=support_sources,
        single_source_support=single,
        missing_support=missing,
        network_type=network_type,
        network_type_label=NETWORK_TYPE_LABELS[network_type],
        feedback=tuple(feedback),
        suggestions=tuple(suggestions),
        suggested_categories=tuple(categories),
        wants_groups=groups == 0 or few_wider_ties,
    )


@dataclass(frozen=True)
class NetworkChange:
    """What changed between two maps of the same person, e.g. before and after a plan."""

    added: tuple[Member, ...]
    removed: tuple[Member, ...]
    moved: tuple[tuple[Member, Member], ...]
    size_change: int
    diversity_change: int
    weak_tie_share_change: float
    groups_change: int
    type_before: str
    type_after: str
    summary: tuple[str, ...]

    def as_dict(self) -> dict:
        """JSON-ready."""
        return {
            "added": [m.as_dict() for m in self.added],
            "removed": [m.as_dict() for m in self.removed],
            "moved": [{"before": b.as_dict(), "after": a.as_dict()} for b, a in self.moved],
            "size_change": self.size_change,
            "diversity_change": self.diversity_change,
            "weak_tie_share_change": self.weak_tie_share_change,
            "groups_change": self.groups_change,
            "type_before": self.type_before,
            "type_after": self.type_after,
            "summary": list(self.summary),
        }


def _pair_members(before: list[Member], after: list[Member]):
    """Split two maps into (added, removed, moved), in map order. See the module docstring."""
    unmatched_before = list(range(len(before)))
    unmatched_after = list(range(len(after)))
    moved: list[tuple[int, int]] = []

    def pair(same, record_move: bool):
        for i in list(unmatched_before):
            for j in unmatched_after:
                if same(before[i], after[j]):
                    unmatched_before.remove(i)
                    unmatched_after.remove(j)
                    if record_move:
                        moved.append((i, j))
                    break

    # Most exact first, so that two members sharing a label pair up with the right partner.
    pair(lambda b, a: b == a, record_move=False)
    pair(lambda b, a: b.match_key == a.match_key and b.circle == a.circle, record_move=False)
    pair(lambda b, a: bool(b.label) and b.match_key == a.match_key, record_move=True)

    added = tuple(after[j] for j in unmatched_after)
    removed = tuple(before[i] for i in unmatched_before)
    return added, removed, tuple((before[i], after[j]) for i, j in sorted(moved))


def _member_phrase(member: Member) -> str:
    return member.label or KIND_PHRASES[member.kind][0]


def _count_phrase(count: int) -> str:
    return "none" if count == 0 else str(count)


def _percent(share: float) -> int:
    return round(share * 100)


def compare_networks(before: Iterable[Member], after: Iterable[Member]) -> NetworkChange:
    """Compare two maps of the same person and say, in plain sentences, what changed."""
    before, after = list(before), list(after)
    old, new = network_metrics(before), network_metrics(after)
    added, removed, moved = _pair_members(before, after)

    summary: list[str] = []
    if new.size > old.size:
        summary.append(f"Your network has grown from {old.size} to {new.size}.")
    elif new.size < old.size:
        summary.append(f"Your network has gone from {old.size} to {new.size}.")
    if added:
        summary.append(f"New in your map: {join_words([_member_phrase(m) for m in added])}.")
    if removed:
        gone = join_words([_member_phrase(m) for m in removed])
        summary.append(f"No longer in your map: {gone}.")
    for was, now in moved:
        # A label may be written in lower case ("sam"); a sentence still starts with a capital.
        name = now.label[:1].upper() + now.label[1:]
        summary.append(
            f"{name} has moved from your {CIRCLE_NAMES[was.circle]} circle "
            f"to your {CIRCLE_NAMES[now.circle]} circle."
        )
    if new.groups != old.groups:
        noun = "group or place" if new.groups == 1 else "groups or places"
        now = "no" if new.groups == 0 else str(new.groups)
        summary.append(f"You now have {now} {noun} (before: {_count_phrase(old.groups)}).")
    new_counts = Counter(m.kind for m in after)
    gained_kinds = [k for k in new.kinds if k not in old.kinds]
    lost_kinds = [k for k in old.kinds if k not in new.kinds]
    if gained_kinds:
        summary.append(
            "You have new kinds of connection: "
            f"{join_words([_kind_phrase(k, new_counts[k]) for k in gained_kinds])}."
        )
    if lost_kinds:
        lost = join_words([KIND_PHRASES[k][1] for k in lost_kinds], "or")
        summary.append(f"Your map no longer includes {lost}.")
    if _percent(new.weak_tie_share) != _percent(old.weak_tie_share) and new.size:
        summary.append(
            "People, groups, pets and places beyond family and close friends now make up "
            f"{_percent(new.weak_tie_share)}% of your map "
            f"(before: {_percent(old.weak_tie_share)}%)."
        )
    gained_support = [
        s for s in SUPPORT_SLUGS if s in old.missing_support and s not in new.missing_support
    ]
    lost_support = [
        s for s in SUPPORT_SLUGS if s in new.missing_support and s not in old.missing_support
    ]
    if gained_support:
        summary.append(
            "You have gained new kinds of support: "
            f"{join_words([SUPPORT_PHRASES[s] for s in gained_support])}."
        )
    for s in lost_support:
        summary.append(f"Nobody in your map gives you {SUPPORT_PHRASES[s]} now.")
    if new.network_type != old.network_type:
        summary.append(
            f"Your network has changed from “{old.network_type_label}” "
            f"to “{new.network_type_label}”."
        )
    if not summary:
        # Only details (support, how often) changed, or nothing at all.
        if Counter(before) == Counter(after):
            summary.append("Nothing has changed since your last map.")
        else:
            summary.append("Some details have changed, but the shape of your map is the same.")

    return NetworkChange(
        added=added,
        removed=removed,
        moved=moved,
        size_change=new.size - old.size,
        diversity_change=new.diversity - old.diversity,
        weak_tie_share_change=new.weak_tie_share - old.weak_tie_share,
        groups_change=new.groups - old.groups,
        type_before=old.network_type,
        type_after=new.network_type,
        summary=tuple(summary),
    )
