"""Sections other apps add to a person's record page.

Matching knows nothing of the apps above it (referrals, casework): they answer the Wagtail
hook `person_record_sections` with a `RecordSection` for a person (or None), and the record
page shows each, in the order the hooks were registered, after the plans.
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
