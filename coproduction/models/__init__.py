"""Coproduction's data: the shared vocabulary, service teams and their asks, groups' capability
profiles (`core`), the partnerships between them (`partnerships`), the links between groups
(`network`), and groups' leaders (with their consent) and readiness (`people`)."""

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
    PartnershipEvent,
    PartnershipGroup,
    Review,
    SurveyResponse,
)
from .people import GroupLeader, ReadinessAnswer, ReadinessAssessment

__all__ = [
    "Ask",
    "CapabilityItem",
    "CapabilityProfile",
    "CapabilityTerm",
    "DeliveryLog",
    "GroupLeader",
    "GroupLink",
    "Partnership",
    "PartnershipEvent",
    "PartnershipGroup",
    "ReadinessAnswer",
    "ReadinessAssessment",
    "Review",
    "ServiceLine",
    "ServiceTeam",
    "ServiceTeamMembership",
    "SurveyResponse",
    "validate_outcodes",
]
