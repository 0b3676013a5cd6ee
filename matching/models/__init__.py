from .audit import AuditEvent
from .people import Consent, Person, Team, TeamMembership
from .records import FollowUp, NetworkMap, PersonNeed, Plan, PlanItem, Preferences

__all__ = [
    "AuditEvent",
    "Consent",
    "FollowUp",
    "NetworkMap",
    "Person",
    "PersonNeed",
    "Plan",
    "PlanItem",
    "Preferences",
    "Team",
    "TeamMembership",
]
