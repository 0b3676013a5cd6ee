from .moderation import FreshnessReminder, GroupRegistration, ListingClaim, ListingReport
from .pages import (
    Activity,
    ActivitySchedule,
    ActivityTag,
    DirectoryIndexPage,
    Organisation,
)
from .taxonomy import AccessibilityFeature, Category, Condition, SchoolHoliday
from .venue import Venue

__all__ = [
    "AccessibilityFeature",
    "Activity",
    "ActivitySchedule",
    "ActivityTag",
    "Category",
    "Condition",
    "DirectoryIndexPage",
    "FreshnessReminder",
    "GroupRegistration",
    "ListingClaim",
    "ListingReport",
    "Organisation",
    "SchoolHoliday",
    "Venue",
]
