"""factory_boy factories, shared by the tests and by `manage.py load_demo`."""

from .directory import (
    ActivityFactory,
    ActivityScheduleFactory,
    CategoryFactory,
    OrganisationFactory,
    SchoolHolidayFactory,
    VenueFactory,
)
from .users import ModeratorFactory, UserFactory

__all__ = [
    "ActivityFactory",
    "ActivityScheduleFactory",
    "CategoryFactory",
    "ModeratorFactory",
    "OrganisationFactory",
    "SchoolHolidayFactory",
    "UserFactory",
    "VenueFactory",
]
