"""A referral and its outcome as a message for the person's GP record.

Shaped after the PRSB Social Prescribing Information Standard's "message back to GP and
referrer" (its sections: the person, the social prescribing service, the referral and what
came of it), as JSON a practice's system or staff can read. It is not a conformant FHIR
message: the platform holds neither the NHS number nor the date of birth, which the practice
matches in its own system, so the person is named as the team knows them.

The SNOMED CT concepts are those in use in UK primary care for social prescribing:
871731000000106 |Referral to social prescribing service| for every referral, and
871711000000103 |Social prescribing declined| when the person said no (no longer interested).
"""

from __future__ import annotations

from .models import Referral
from .status import FHIR_CODES, Reason, Status

SNOMED = "http://snomed.info/sct"
REFERRAL_TO_SOCIAL_PRESCRIBING = ("871731000000106", "Referral to social prescribing service")
SOCIAL_PRESCRIBING_DECLINED = ("871711000000103", "Social prescribing declined")


def _coding(concept: tuple[str, str]) -> dict:
    code, display = concept
    return {"system": SNOMED, "code": code, "display": display}


def gp_message(referral: Referral) -> dict:
    status = Status(referral.status)
    declined = referral.reason == Reason.NO_LONGER_INTERESTED
    worker = referral.referred_by
    return {
        "message": "Social prescribing: message back to GP and referrer",
        "shaped_after": "PRSB Social Prescribing Information Standard",
        "person": {
            "name_or_initials": referral.person.display_name,
            "postcode": referral.person.postcode,
            "nhs_number": None,
            "note": "Match the person in your own system: the NHS number and date of birth "
            "are not held by the social prescribing service.",
        },
        "social_prescribing_service": {
            "team": referral.team.name,
            "link_worker": (worker.get_full_name() or worker.get_username()) if worker else None,
            "contact": worker.email if worker and worker.email else None,
        },
        "referral": {
            "date": referral.created_at.date().isoformat(),
            "activity": referral.activity_title,
            "provider": referral.organisation_title,
            "what_they_wanted_help_with": referral.help_with or None,
        },
        "outcome": {
            "status": referral.status_label,
            "fhir_task_status": FHIR_CODES[status],
            "reason": referral.reason_label or None,
            "date": (referral.closed_at or referral.answered_at or referral.created_at)
            .date()
            .isoformat(),
            "history": [
                {
                    "date": event.at.date().isoformat(),
                    "status": event.get_status_display(),
                    "reason": event.reason_label or None,
                }
                for event in referral.events.all()
            ],
        },
        "coded_entries": [_coding(REFERRAL_TO_SOCIAL_PRESCRIBING)]
        + ([_coding(SOCIAL_PRESCRIBING_DECLINED)] if declined else []),
    }
