"""The OpenAPI description of the matching endpoints (merged into /api/schema/)."""

from common.vocabulary import DELIVERY, WEEKDAY_SLUGS

from .vocabulary import AGE_BAND_RANGES

SLUGS = {"type": "array", "items": {"type": "string"}}
HH_MM = "^([01][0-9]|2[0-3]):[0-5][0-9]$"

MATCH_REQUEST = {
    "type": "object",
    "required": ["near"],
    "properties": {
        "near": {"type": "string", "description": "A postcode, an outward code or 'lat,lng'.",
                 "example": "SW18 4DJ"},
        "top_three": {**SLUGS, "maxItems": 3, "description": "The three category slugs chosen."},
        "interests": {**SLUGS, "description": "Other category slugs the person likes."},
        "needs": {**SLUGS, "description": "Need slugs, most important first."},
        "free_times": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["day", "from", "to"],
                "properties": {
                    "day": {"type": "string",
                            "enum": list(WEEKDAY_SLUGS)},
                    "from": {"type": "string", "pattern": HH_MM, "example": "09:00"},
                    "to": {"type": "string", "pattern": HH_MM, "example": "12:00",
                           "description": "After from."},
                },
            },
        },
        "max_travel_km": {"type": "number", "minimum": 0.1, "maximum": 200},
        "max_cost": {"type": "number", "minimum": 0, "description": "0 means free only."},
        "access_needs": {**SLUGS, "description": "Accessibility feature slugs needed."},
        "delivery": {"type": "array", "items": {"type": "string", "enum": list(DELIVERY)}},
        "age_band": {"type": "string", "enum": list(AGE_BAND_RANGES),
                     "description": "Their age band, if they said. Activities for other ages "
                                    "are left out."},
        "conditions": {**SLUGS, "description": "Health conditions they live with (condition "
                       "slugs; special-category data: only with their consent). Activities for "
                       "people living with a condition are suggested only for one of these."},
        "cares_for": {"type": "boolean", "description": "They care for someone."},
        "cared_for_conditions": {**SLUGS, "description": "Conditions the person they care for "
                                 "lives with."},
        "young_children": {"type": "boolean",
                           "description": "They are a parent or carer of young children."},
        "single_sex": {"type": "string", "enum": ["women", "men"],
                       "description": "Which single-sex groups would suit them, if any."},
        "network": {
            "type": "object",
            "properties": {
                "members": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["circle", "kind"],
                        "properties": {
                            "circle": {"type": "integer", "minimum": 1, "maximum": 3},
                            "kind": {"type": "string"},
                            "support": SLUGS,
                            "frequency": {"type": "string"},
                        },
                    },
                }
            },
        },
    },
}  # fmt: skip

MATCH_RESPONSE = {
    "type": "object",
    "properties": {
        "network": {"type": ["object", "null"],
                    "description": "Network metrics, type and plain-English feedback."},
        "suggestions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                    "distance_m": {"type": ["integer", "null"]},
                    "next_session": {"type": ["string", "null"], "format": "date-time"},
                    "score": {"type": "number"},
                    "reasons": {"type": "array", "items": {"type": "string"}},
                    "organisation": {"type": "string"},
                    "referral": {"type": "boolean",
                                 "description": "Referral only: ask a link worker."},
                    "other_listings": {
                        "type": "array",
                        "description": "The same activity's other listings (times or places).",
                        "items": {"type": "object", "properties": {
                            "id": {"type": "integer"}, "url": {"type": "string"},
                            "next_session": {"type": ["string", "null"], "format": "date-time"},
                        }},
                    },
                },
            },
        },
    },
}  # fmt: skip

ERROR_REF = {"$ref": "#/components/schemas/Error"}
REQUEST_REF = {"$ref": "#/components/schemas/MatchRequest"}
RESPONSE_REF = {"$ref": "#/components/schemas/MatchResponse"}

PATHS = {
    "/api/match": {
        "post": {
            "operationId": "matchActivities",
            "summary": "Suggest activities for a person's interests, needs and network",
            "description": "Stores nothing. Rate-limited per address (429). Leave a number out "
                           "for no limit; null is not a number.",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": REQUEST_REF}},
            },
            "responses": {
                "200": {"description": "Suggestions, best first, with reasons.",
                        "content": {"application/json": {"schema": RESPONSE_REF}}},
                "400": {"description": "A field is not valid; field names it.",
                        "content": {"application/json": {"schema": ERROR_REF}}},
                "413": {"description": "The request body is over 64 KB.",
                        "content": {"application/json": {"schema": ERROR_REF}}},
                "429": {"description": "Too many requests.",
                        "content": {"application/json": {"schema": ERROR_REF}}},
            },
        }
    },
    "/api/match/vocabulary": {
        "get": {
            "operationId": "matchVocabulary",
            "summary": "The valid slugs for /api/match",
            "responses": {"200": {"description": "Circles, kinds, support, needs, categories, "
                                  "access features, delivery and days."}},
        }
    },
}  # fmt: skip

SCHEMAS = {"MatchRequest": MATCH_REQUEST, "MatchResponse": MATCH_RESPONSE}
