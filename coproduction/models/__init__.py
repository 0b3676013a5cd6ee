"""Coproduction's data: the shared vocabulary, service teams and their asks, groups' capability
profiles (`core`), the partnerships between them (`partnerships`), the links between groups
(`network`), groups' leaders (with their consent) and readiness (`people`), and NHS England's
ten principles with the evidence partnerships show them (`principles`)."""

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
from .people import GroupLeader, ReadinessAnswer, ReadinessAssessment
from .principles import PrincipleEvidence

__all__ = [
    "Ask",
    "CapabilityItem",
    "CapabilityProfile",
    "CapabilityTerm",
    "DeliveryLog",
    "GroupLeader",
    "GroupLink",
    "Partnership",
    "PartnershipDocument",
    "PartnershipEvent",
    "PartnershipGroup",
    "PrincipleEvidence",
    "ReadinessAnswer",
    "ReadinessAssessment",
    "Review",
    "ServiceLine",
    "ServiceTeam",
    "ServiceTeamMembership",
    "SurveyResponse",
    "validate_outcodes",
]
