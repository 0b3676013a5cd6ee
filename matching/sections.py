"""What other apps add to a person's record page, their export and their network map.

Matching knows nothing of the apps above it (referrals, casework): they answer the Wagtail
hook `person_record_sections` with a `RecordSection` for a person (or None), and the record
page shows each, in the order the hooks were registered, after the plans; and the hook
`person_export_parts` with an `ExportPart`, which the JSON export and the printable page
include, so that everything held on a person is in what they are given; and the hook
`network_suggested_members` with what they know belongs on the person's network map (a group
the person joined through a referral), which the network page offers to add in one step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail import hooks

from .network import LABEL_MAX_LENGTH, Member

HOOK = "person_record_sections"


@dataclass(frozen=True)
class RecordSection:
    """A template to include on the record page, with its own context (as `section`)."""

    template: str
    context: dict = field(default_factory=dict)


def record_sections(request, person) -> list[RecordSection]:
    return [s for answer in hooks.get_hooks(HOOK) if (s := answer(request, person)) is not None]


EXPORT_HOOK = "person_export_parts"


@dataclass(frozen=True)
class ExportPart:
    """What an app above matching holds on a person, for the person's export: `data` under
    `key` in the JSON, and `entries` under `heading` on the printable page."""

    key: str
    heading: str
    data: list
    entries: list = field(default_factory=list)


def export_parts(person) -> list[ExportPart]:
    return [p for answer in hooks.get_hooks(EXPORT_HOOK) if (p := answer(person)) is not None]


FIGURES_HOOK = "aggregate_figure_pages"


def figure_pages() -> list[tuple[str, str]]:
    """(label, url) of other apps' anonymised figures, linked from the insights page for
    those who may see aggregates (matching.view_aggregates)."""
    return [page for answer in hooks.get_hooks(FIGURES_HOOK) if (page := answer())]


SUPPORT_LINKS_HOOK = "support_area_links"


def support_links() -> list[tuple[str, str]]:
    """(label, url) of other apps' pages for facilitators (the caseload), shown on the list
    of people they support."""
    return [link for answer in hooks.get_hooks(SUPPORT_LINKS_HOOK) if (link := answer())]


LED_TEAM_LINKS_HOOK = "led_team_links"


def led_team_links(teams) -> list[tuple[object, list[tuple[str, str]]]]:
    """Each team the user leads, with (label, url) of other apps' pages for its leads (the
    team's API keys), after the audit log."""
    return [
        (team, [link for answer in hooks.get_hooks(LED_TEAM_LINKS_HOOK) if (link := answer(team))])
        for team in teams
    ]


PLAN_ITEM_HOOK = "plan_item_notes"


def plan_item_notes(items) -> dict[int, list[str]]:
    """Lines of plain text other apps add under plan items (a referral's outcome), by the
    item's key: each hook answers for all the items at once."""
    found: dict[int, list[str]] = {}
    for answer in hooks.get_hooks(PLAN_ITEM_HOOK):
        for pk, lines in (answer(items) or {}).items():
            found.setdefault(pk, []).extend(lines)
    return found


NETWORK_HOOK = "network_suggested_members"


@dataclass(frozen=True)
class SuggestedMember:
    """Something another app knows belongs on the person's network map, offered to add.

    `key` is the answering app's own name for it, posted back to add it (the view asks the
    hooks again, so nothing else posted is trusted); `why` is the sentence shown, and is kept
    as the new version's note; `other_names` are names it may be on the map under already.
    """

    key: str
    label: str
    kind: str
    circle: int
    why: str
    frequency: str | None = None
    other_names: tuple[str, ...] = ()

    def __post_init__(self):
        # A member's label has a cap; a long group name is cut to fit rather than refused.
        object.__setattr__(self, "label", self.label.strip()[:LABEL_MAX_LENGTH].strip())

    def member(self) -> Member:
        return Member(circle=self.circle, kind=self.kind, frequency=self.frequency,
                      label=self.label)  # fmt: skip

    def names(self) -> set[str]:
        return {_name_key(n) for n in (self.label, *self.other_names) if n.strip()}


def _name_key(name: str) -> str:
    return name.strip()[:LABEL_MAX_LENGTH].strip().casefold()


def network_suggestions(person, members) -> list[SuggestedMember]:
    """What other apps suggest adding to the person's map (`members`, its latest version),
    leaving out whatever is on it already under the same name (in any case) and whatever
    has been suggested once already (two referrals to one group)."""
    taken = {_name_key(m.label) for m in members if m.label}
    found = []
    for answer in hooks.get_hooks(NETWORK_HOOK):
        for suggestion in answer(person) or ():
            names = suggestion.names()
            if not names or names & taken:
                continue
            taken |= names
            found.append(suggestion)
    return found


def network_suggestion(person, members, key: str) -> SuggestedMember | None:
    """The suggestion posted back as `key`, if it is still offered."""
    return next((s for s in network_suggestions(person, members) if s.key == key), None)
