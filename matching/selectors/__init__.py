"""Reads for the matching flow, by subject. Person data is only ever read through a team scope.

Import from here (``from matching.selectors import people_for_user``): the modules are how the
reads are filed, not part of the interface.
"""

from .categories import (
    GENERIC_ICON,
    CategoryTree,
    InterestGroup,
    PreferenceChoices,
    access_feature_choices,
    access_slugs,
    category_names,
    category_slugs,
    category_tree,
    condition_names,
    interest_icon,
    preference_choices,
)
from .figures import (
    SMALL_NUMBER,
    SUPPRESSED,
    AreaFigures,
    aggregates_by_area,
    counted_people_by_month,
    counted_people_themes,
    suppress,
)
from .people import (
    answers_for_person,
    audit_for_team,
    is_facilitator,
    latest_network,
    led_teams,
    people_for_user,
    record_answers,
    teams_for_user,
)
from .records import (
    READABLE_PREFERENCE_KEYS,
    Entry,
    ReadableRecord,
    person_export,
    person_export_readable,
)

__all__ = [
    "GENERIC_ICON",
    "READABLE_PREFERENCE_KEYS",
    "SMALL_NUMBER",
    "SUPPRESSED",
    "AreaFigures",
    "counted_people_by_month",
    "counted_people_themes",
    "CategoryTree",
    "Entry",
    "InterestGroup",
    "PreferenceChoices",
    "ReadableRecord",
    "access_feature_choices",
    "access_slugs",
    "aggregates_by_area",
    "answers_for_person",
    "audit_for_team",
    "category_names",
    "category_slugs",
    "category_tree",
    "condition_names",
    "interest_icon",
    "is_facilitator",
    "latest_network",
    "led_teams",
    "people_for_user",
    "person_export",
    "person_export_readable",
    "preference_choices",
    "record_answers",
    "suppress",
    "teams_for_user",
]
