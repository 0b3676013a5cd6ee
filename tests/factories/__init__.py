"""factory_boy factories, shared by the tests and by `manage.py load_demo`."""

from .directory import (
    ActivityFactory,
    ActivityScheduleFactory,
    CategoryFactory,
    OrganisationFactory,
    SchoolHolidayFactory,
    VenueFactory,
)
from .matching import NetworkMapFactory, PersonFactory, TeamFactory, make_facilitator
from .search import ConceptFactory
from .users import ModeratorFactory, UserFactory

__all__ = [
    "ActivityFactory",
    "ActivityScheduleFactory",
    "CategoryFactory",
    "ConceptFactory",
    "ModeratorFactory",
    "NetworkMapFactory",
    "OrganisationFactory",
    "PersonFactory",
    "SchoolHolidayFactory",
    "TeamFactory",
    "UserFactory",
    "VenueFactory",
    "make_facilitator",
]
