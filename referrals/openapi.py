"""The OpenAPI description of the referral API (merged into /api/schema/)."""

from .models import Referral
from .status import FHIR_CODES, LABELS, Reason

FHIR_STATUS = {
    "type": "string",
    "enum": list(FHIR_CODES.values()),
    "description": "The referral's status as an HL7 FHIR R4 Task.status code: "
    + "; ".join(f"`{code}`: {LABELS[status].lower()}" for status, code in FHIR_CODES.items())
    + ". FHIR's draft, received, ready, on-hold and entered-in-error are not used.",
}
REASON = {"type": "string", "enum": [r.value for r in Reason]}
NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}

REFERRAL = {
    "type": "object",
    "description": "A referral of a person to a community group's activity (a FHIR Task with "
    "intent 'order': the team asks, the group answers).",
    "required": ["id", "person", "activity", "organisation", "status", "status_label",
                 "shared", "authored_on", "due_by", "overdue", "history"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "person": {"type": "string", "format": "uuid",
                   "description": "The person's reference in the team's records."},
        "activity": {"type": "object", "properties": {
            "id": {"type": ["integer", "null"],
                   "description": "Null once the listing is gone; the title stays."},
            "title": {"type": "string"},
        }},
        "organisation": {"type": "string"},
        "status": FHIR_STATUS,
        "status_label": {"type": "string", "description": "The status in plain words."},
        "status_reason": {"type": ["string", "null"], "enum": [*REASON["enum"], None],
                          "description": "Why (FHIR Task.statusReason)."},
        "status_reason_label": NULLABLE_STRING,
        "shared": {
            "type": ["object", "null"],
            "description": "What the group was told. Null once deleted, a set time after the "
                           "referral closed (12 months unless the site says otherwise).",
            "properties": {
                "first_name": {"type": "string"}, "contact": {"type": "string"},
                "contact_by": {"type": "string", "enum": Referral.ContactBy.values},
                "help_with": {"type": "string"}, "access_needs": {"type": "string"},
            },
        },
        "consent_to_share": {"type": "boolean"},
        "consent_method": {"type": "string", "enum": Referral.ConsentMethod.values},
        "authored_on": {"type": "string", "format": "date-time"},
        "due_by": {"type": "string", "format": "date",
                   "description": "The group is asked to answer by this day (ten working "
                                  "days unless the site says otherwise)."},
        "overdue": {"type": "boolean", "description": "Still unanswered after due_by."},
        "answered_at": NULLABLE_TIME,
        "closed_at": NULLABLE_TIME,
        "history": {"type": "array", "items": {"type": "object", "properties": {
            "status": FHIR_STATUS, "status_reason": {"type": ["string", "null"]},
            "note": {"type": "string"}, "at": {"type": "string", "format": "date-time"},
            "by": {"type": "string", "enum": ["team", "group"]},
        }}},
        "web_url": {"type": "string", "description": "The referral's page for the team."},
    },
}  # fmt: skip

PLAIN = "Plain text: control characters are refused."

NEW_REFERRAL = {
    "type": "object",
    "required": ["person", "activity_id", "first_name", "consent_to_share"],
    "properties": {
        "person": {"type": "string", "format": "uuid",
                   "description": "The reference of a person in the key's team, whose consent "
                                  "to be supported is already recorded."},
        "activity_id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1,
                        "description": "A listed activity that takes referrals (see "
                                       "`referral_route` in /api/search)."},
        "first_name": {"type": "string", "minLength": 1, "maxLength": 80,
                       "description": "First name or initials. " + PLAIN},
        "contact": {"type": "string", "maxLength": 200,
                    "description": "A phone number or e-mail address; empty for the link "
                                   "worker to be the go-between. " + PLAIN},
        "contact_by": {"type": "string", "enum": Referral.ContactBy.values},
        "help_with": {"type": "string", "maxLength": 1000, "description": PLAIN},
        "access_needs": {"type": "string", "maxLength": 500, "description": PLAIN},
        "consent_to_share": {"type": "boolean", "enum": [True],
                             "description": "They agree that these details are shared with "
                                            "the group for this referral. Must be true."},
        "consent_method": {"type": "string", "enum": Referral.ConsentMethod.values},
    },
}  # fmt: skip

STATUS_CHANGE = {
    "type": "object",
    "required": ["status"],
    "properties": {
        "status": {**FHIR_STATUS, "description": "The new status. As the team that made the "
                   "referral you may cancel it (`cancelled`), and once the group has accepted "
                   "it record how it went (`in-progress`, `completed`, `failed`); accepting "
                   "and declining are the group's. Any other change is refused with 409."},
        "status_reason": {**REASON, "description": "Why: needed for `failed`; `other` needs a "
                          "note. A reason that does not go with the status is refused."},
        "note": {"type": "string", "maxLength": 500, "description": PLAIN},
    },
}  # fmt: skip

REFERRAL_LIST = {
    "type": "object",
    "required": ["count", "page", "pages", "results"],
    "properties": {
        "count": {"type": "integer"}, "page": {"type": "integer"}, "pages": {"type": "integer"},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Referral"}},
    },
}  # fmt: skip


def _json(description: str, schema: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


UNAUTHORISED = {
    **_json("No API key, or one that is unknown or revoked.", "Error"),
    "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
}
SECURITY = [{"teamKey": []}]
ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
    "description": "The referral's id.",
}

PATHS = {
    "/api/referrals": {
        "get": {
            "operationId": "listReferrals",
            "summary": "The team's referrals, newest first, 50 a page",
            "security": SECURITY,
            "parameters": [
                {"name": "status", "in": "query", "schema": FHIR_STATUS},
                {"name": "person", "in": "query", "schema": {"type": "string", "format": "uuid"},
                 "description": "Only this person's."},
                {"name": "page", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 10_000}},
            ],
            "responses": {
                "200": _json("A page of referrals.", "ReferralList"),
                "400": _json("A parameter is not valid; field names it.", "Error"),
                "401": UNAUTHORISED,
            },
        },
        "post": {
            "operationId": "createReferral",
            "summary": "Refer a person of the team to an activity's group",
            "description": "The group is e-mailed a link to answer, with nothing about the "
                           "person but their first name. Audited on the person's record.",
            "security": SECURITY,
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/NewReferral"}}}},
            "responses": {
                "201": {**_json("The referral made.", "Referral"),
                        "headers": {"Location": {"schema": {"type": "string"}}}},
                "400": _json("A field is not valid, the person is not one of the team's, or "
                             "the activity is not listed or does not take referrals; field "
                             "names which.", "Error"),
                "401": UNAUTHORISED,
                "413": _json("The request body is over 16 KB.", "Error"),
            },
        },
    },
    "/api/referrals/{id}": {
        "parameters": [ID],
        "get": {
            "operationId": "getReferral",
            "summary": "One referral, with its history",
            "security": SECURITY,
            "responses": {
                "200": _json("The referral.", "Referral"),
                "401": UNAUTHORISED,
                "404": _json("The team has no referral with this id.", "Error"),
            },
        },
        "patch": {
            "operationId": "changeReferralStatus",
            "summary": "Cancel a referral, or record how it went",
            "security": SECURITY,
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/StatusChange"}}}},
            "responses": {
                "200": _json("The referral, changed.", "Referral"),
                "400": _json("A field is not valid; field names it.", "Error"),
                "401": UNAUTHORISED,
                "404": _json("The team has no referral with this id.", "Error"),
                "409": _json("The referral's status does not allow this change (it is "
                             "closed, or the change is the group's to make).", "Error"),
                "413": _json("The request body is over 16 KB.", "Error"),
            },
        },
    },
}  # fmt: skip

SCHEMAS = {
    "Referral": REFERRAL,
    "NewReferral": NEW_REFERRAL,
    "StatusChange": STATUS_CHANGE,
    "ReferralList": REFERRAL_LIST,
}

SECURITY_SCHEMES = {
    "teamKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "One of a team's API keys (it begins cgr_). A team lead makes and "
        "revokes them on the team's API keys page; each sees only that team's referrals.",
    }
}
