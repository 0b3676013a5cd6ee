"""Coproduction's data: the shared vocabulary, service teams and their asks, groups' capability
profiles (`core`), the partnerships between them (`partnerships`), and the links between groups
(`network`)."""

from .core import (
    Ask,
    CapabilityItem,
    CapabilityProfile,
    CapabilityTerm,
    ServiceLine,
    ServiceTeam,
    ServiceTeamMembership,
    validate_outcodes,
)
from .network import GroupLink
from .partnerships import (
    DeliveryLog,
    Partnership,
    PartnershipDocument,
    PartnershipEvent,
    PartnershipGroup,
    Review,
    SurveyResponse,
)

__all__ = [
    "Ask",
    "CapabilityItem",
    "CapabilityProfile",
    "CapabilityTerm",
    "DeliveryLog",
    "GroupLink",
    "Partnership",
    "PartnershipDocument",
    "PartnershipEvent",
    "PartnershipGroup",
    "Review",
    "ServiceLine",
    "ServiceTeam",
    "ServiceTeamMembership",
    "SurveyResponse",
    "validate_outcodes",
]
