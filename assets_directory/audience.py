"""Who an activity is for, in words a person reads and in the terms Open Referral exchanges.

Pure: it takes the activity's audience fields as plain values, so the activity page, the
matching engine's reasons and the Open Referral feed say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from common.vocabulary import AUDIENCE_LABELS, EVERYONE, audience_slugs, join_words

# The vocabulary Open Referral attributes name for our audience and condition terms.
AUDIENCE_VOCABULARY = "common-ground-audience"
CONDITION_VOCABULARY = "common-ground-condition"
NO_UPPER_AGE = 120


@dataclass(frozen=True)
class Audience:
    """An activity's audience fields (``Activity.audience_of`` makes one)."""

    audiences: tuple[str, ...] = ()
    # Names of the conditions, in the vocabulary's order.
    conditions: tuple[str, ...] = ()
    condition_slugs: tuple[str, ...] = ()
    community: str = ""
    age_min: int | None = None
    age_max: int | None = None
    children_age_min: int | None = None
    children_age_max: int | None = None
    who_for: str = ""
    carers_welcome: bool = True

    def __post_init__(self):
        object.__setattr__(self, "audiences", audience_slugs(self.audiences))

    @property
    def is_everyone(self) -> bool:
        return not self.audiences


def age_range(youngest: int | None, oldest: int | None) -> str:
    """'aged 11 to 18', 'aged 60 and over', 'aged up to 4', or '' with no limit (an oldest
    age of 120 is none)."""
    if oldest is not None and oldest >= NO_UPPER_AGE:
        oldest = None
    if youngest is not None and oldest is not None:
        return f"aged {youngest}" if youngest == oldest else f"aged {youngest} to {oldest}"
    if youngest is not None:
        return f"aged {youngest} and over"
    if oldest is not None:
        return f"aged up to {oldest}"
    return ""


def in_sentence(name: str) -> str:
    """A condition's name inside a sentence: 'dementia', but "Parkinson's" and 'COPD' kept."""
    first = name.split(" ", 1)[0]
    if first.endswith("'s") or first.isupper():
        return name
    return name[:1].lower() + name[1:]


def describe(audience: Audience) -> list[str]:
    """Plain sentences saying whom the activity is for, most telling first."""
    lines = []
    conditions = join_words([in_sentence(name) for name in audience.conditions], "or")
    kinds = audience.audiences
    if "condition" in kinds:
        lines.append(f"For people living with {conditions or 'a health condition'}")
    if "carers" in kinds:
        if conditions and "condition" not in kinds:
            lines.append(f"For carers of people living with {conditions}")
        else:
            lines.append("For carers")
    if "young_children" in kinds:
        children = age_range(audience.children_age_min, audience.children_age_max)
        lines.append(
            f"For parents and carers with children {children}"
            if children
            else "For parents and carers with babies or young children"
        )
    if "older" in kinds:
        lines.append("For older people")
    if "young" in kinds:
        lines.append("For young people")
    if "lgbtq" in kinds:
        lines.append("For LGBTQ+ people")
    if "community" in kinds:
        lines.append(f"For {audience.community}" if audience.community else "For one community")
    if "women" in kinds:
        lines.append("Women only")
    if "men" in kinds:
        lines.append("Men only")
    ages = age_range(audience.age_min, audience.age_max)
    if ages:
        lines.append(f"For people {ages}")
    if not lines:
        lines.append(AUDIENCE_LABELS[EVERYONE])
    if "condition" in kinds and audience.carers_welcome:
        lines.append("Carers are welcome too")
    return lines


def as_text(sentences: Sequence[str]) -> str:
    """Sentences as one text, each ending in a full stop unless it ends in a mark of its own
    (the editor's words may: "Bring a mat." is not followed by another)."""
    return " ".join(s if s.endswith((".", "!", "?")) else f"{s}." for s in sentences)


def to_hsds(audience: Audience) -> dict:
    """The HSDS 3.0 service fields for whom it is for: `eligibility_description`,
    `minimum_age` and `maximum_age` (left out when not limited), and `attributes` naming the
    audience and condition terms."""
    sentences = describe(audience)
    if audience.who_for:
        sentences = [audience.who_for, *sentences]
    service: dict = {"eligibility_description": as_text(sentences)}
    if audience.age_min is not None:
        service["minimum_age"] = audience.age_min
    if audience.age_max is not None and audience.age_max < NO_UPPER_AGE:
        service["maximum_age"] = audience.age_max
    terms = [(AUDIENCE_VOCABULARY, slug) for slug in audience.audiences or (EVERYONE,)]
    terms += [(CONDITION_VOCABULARY, slug) for slug in audience.condition_slugs]
    service["attributes"] = [
        {"taxonomy_term": {"vocabulary": vocabulary, "code": code}} for vocabulary, code in terms
    ]
    return service


def audience_of(
    *,
    audience: str | Sequence[str],
    conditions: Sequence[tuple[str, str]] = (),
    **fields,
) -> Audience:
    """An Audience from stored values; `conditions` as (slug, name) pairs in order."""
    return Audience(
        audiences=audience_slugs(audience),
        condition_slugs=tuple(slug for slug, _ in conditions),
        conditions=tuple(name for _, name in conditions),
        **fields,
    )
