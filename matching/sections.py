"""What other apps add to a person's record page and to their export.

Matching knows nothing of the apps above it (referrals, casework): they answer the Wagtail
hook `person_record_sections` with a `RecordSection` for a person (or None), and the record
page shows each, in the order the hooks were registered, after the plans; and the hook
`person_export_parts` with an `ExportPart`, which the JSON export and the printable page
include, so that everything held on a person is in what they are given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail import hooks

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
