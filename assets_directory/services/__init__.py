"""Writes for the directory: registration, claims and moderation, venues, freshness, reports.

Import from here (``from assets_directory.services import registration_submit``): the modules
are how the writes are filed, not part of the interface.
"""

from .claims import LOOKED_AFTER as CLAIM_LOOKED_AFTER
from .claims import ClaimRefused, claim_approve, claim_decline, claim_submit
from .freshness import (
    FRESHNESS_SALT,
    FreshnessLinkError,
    FreshnessSummary,
    freshness_due_activities,
    freshness_link,
    freshness_read_link,
    freshness_respond,
    freshness_send_reminders,
)
from .moderation import (
    ReviewError,
    moderation_acknowledge,
    report_submit,
    review_approve,
    review_request_changes,
    review_tell_group,
)
from .registration import (
    EDITOR_DOCUMENT_PERMISSIONS,
    EDITOR_IMAGE_PERMISSIONS,
    EDITOR_MODEL_PERMISSIONS,
    EDITOR_PAGE_PERMISSIONS,
    organisation_collection,
    organisation_collection_rename,
    organisation_grant_editors,
    registration_approve,
    registration_reject,
    registration_submit,
)
from .venues import (
    VENUE_IN_USE_LISTED,
    VenueInUse,
    venue_delete,
    venue_ensure_unused,
    venue_mark_checked,
    venue_request_changes,
)

__all__ = [
    "CLAIM_LOOKED_AFTER",
    "EDITOR_DOCUMENT_PERMISSIONS",
    "EDITOR_IMAGE_PERMISSIONS",
    "EDITOR_MODEL_PERMISSIONS",
    "EDITOR_PAGE_PERMISSIONS",
    "FRESHNESS_SALT",
    "ClaimRefused",
    "VENUE_IN_USE_LISTED",
    "FreshnessLinkError",
    "FreshnessSummary",
    "ReviewError",
    "VenueInUse",
    "claim_approve",
    "claim_decline",
    "claim_submit",
    "freshness_due_activities",
    "freshness_link",
    "freshness_read_link",
    "freshness_respond",
    "freshness_send_reminders",
    "moderation_acknowledge",
    "organisation_collection",
    "organisation_collection_rename",
    "organisation_grant_editors",
    "registration_approve",
    "registration_reject",
    "registration_submit",
    "report_submit",
    "review_approve",
    "review_request_changes",
    "review_tell_group",
    "venue_delete",
    "venue_ensure_unused",
    "venue_mark_checked",
    "venue_request_changes",
]
