"""The OpenAPI 3.1 description of the search API, served at /api/schema/."""

from __future__ import annotations

from common.text import CONTROL_CHARACTERS
from common.vocabulary import DELIVERY, WEEKDAY_SLUGS

from .query import AUDIENCE_VALUES, FACETS, MAX_PAGE_SIZE, Sort
from .suggestions import KINDS, MAX_SUGGESTIONS, MAX_TEXT


def _param(name, description, schema, *, repeat=False, example=None):
    param = {"name": name, "in": "query", "required": False, "description": description}
    if repeat:
        param["schema"] = {"type": "array", "items": schema}
        param["style"] = "form"
        param["explode"] = True
    else:
        param["schema"] = schema
    if example is not None:
        param["example"] = example
    return param


NUMBER = r"-?[0-9]+(\.[0-9]+)?"
# Text without control characters (common.text.CONTROL_CHARACTERS; tab and line breaks allowed).
TEXT = {"type": "string", "pattern": f"^[^{CONTROL_CHARACTERS}]*$"}
BBOX = f"^{NUMBER},{NUMBER},{NUMBER},{NUMBER}$"

PARAMETERS = [
    _param("q", "Words to search for (English stemming; every word must match). Words people "
           "use for what the directory holds also find it, ranked after what matches the "
           "words themselves: 'lonely' finds befriending, 'wheelchair' step-free venues (the "
           "concepts moderators keep). When the words find fewer than 3 activities, close "
           "spellings are tried, and did_you_mean in the response names the corrected words.",
           {**TEXT, "maxLength": 200}, example="singing"),
    _param("category", "Category slug; a category matches its sub-categories. Any of.",
           TEXT, repeat=True, example="music-and-singing"),
    _param("tag", "Tag. Any of.", TEXT, repeat=True),
    _param("near", "A postcode, an outward code, or 'lat,lng'.", TEXT,
           example="SW18 4DJ"),
    _param("radius_km", "Only activities within this distance of near (online, phone and "
           "area-wide activities match when they serve the area).",
           {"type": "number", "exclusiveMinimum": 0, "maximum": 200}, example=5),
    _param("bbox", "Map bounds: min_lng,min_lat,max_lng,max_lat.",
           {"type": "string", "pattern": BBOX},
           example="-0.25,51.42,-0.12,51.48"),
    _param("day", "Day of the week. Any of.",
           {"type": "string", "enum": list(WEEKDAY_SLUGS)},
           repeat=True),
    _param("time_from", "Sessions running at or after this time (HH:MM).",
           {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}, example="09:00"),
    _param("time_to", "Sessions running before this time (HH:MM).",
           {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}, example="12:00"),
    _param("time_of_day", "A shortcut for a time window.",
           {"type": "string", "enum": ["morning", "afternoon", "evening"]}),
    _param("open_now", "Only sessions happening now.", {"type": "boolean"}),
    _param("free", "Only free activities.", {"type": "boolean"}),
    _param("max_cost", "The most a session may cost, in pounds.", {"type": "number",
           "minimum": 0}),
    _param("access", "Accessibility feature slug. All of.", TEXT, repeat=True,
           example="step-free"),
    _param("age", "The age of the person who would go.", {"type": "integer", "minimum": 0,
           "maximum": 120}),
    _param("delivery", "How it is delivered. Any of.",
           {"type": "string", "enum": list(DELIVERY)}, repeat=True),
    _param("audience", "Who it is for: 'everyone' (open to anyone) or an audience it is meant "
           "for. Any of.", {"type": "string", "enum": list(AUDIENCE_VALUES)}, repeat=True,
           example="older"),
    _param("sort", "Order of results (default: distance when near is given without q, "
           "else relevance; title: A to Z). Distance needs near.",
           {"type": "string", "enum": [*map(str, Sort)]}),
    _param("page", "Page number, from 1. Only the first 10,000 results can be paged "
           "through: page × page_size may not pass 10,000.",
           {"type": "integer", "minimum": 1, "maximum": 10_000, "default": 1}),
    _param("page_size", "Results per page.",
           {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 20}),
    _param("facets", "Facet counts to return (comma-separated or repeated), or 'all'.",
           {"type": "string", "enum": [*FACETS, "all"]}, repeat=True),
    _param("prefix", "Treat the last word of q as a prefix (type-ahead).", {"type": "boolean"}),
    _param("all_statuses", "Include temporarily closed and ended activities.",
           {"type": "boolean"}),
    _param("understand", "Read q for a place and filters, as the search page does (default "
           "false: q is searched as given). A postcode or outward code in q becomes near; "
           "'free' becomes free; 'today', 'tomorrow', 'tonight', 'this weekend', day names "
           "('on tuesday', 'mondays') and 'Monday morning' become day and time_of_day. A "
           "parameter given wins over the words. The words read are taken out of q; the "
           "response's understood lists them, and offers the categories and audiences q names.",
           {"type": "boolean"}),
]  # fmt: skip

HIT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "organisation": {"type": "string"},
        "url": {"type": "string"},
        "summary": {"type": "string"},
        "snippet": {
            "type": "string",
            "description": "HTML: the part of the description that best matches q, the matched "
                           "words in <b>; the rest is escaped. Empty without q, or when the "
                           "words are only in the title or summary.",
        },
        "lat": {"type": ["number", "null"]},
        "lng": {"type": ["number", "null"]},
        "approximate": {
            "type": "boolean",
            "description": "The venue's address is private: lat and lng are the centre of its "
                           "outward code (e.g. SW15), and venue names only that code.",
        },
        "distance_m": {"type": ["integer", "null"]},
        "next_session": {"type": ["string", "null"], "format": "date-time"},
        "cost": {"type": "string", "enum": ["free", "pay_what_you_can", "paid"]},
        "cost_amount": {"type": ["number", "null"]},
        "delivery": {"type": "string", "enum": list(DELIVERY)},
        "area_wide": {"type": "boolean", "description": "No venue: online, phone or area-wide."},
        "categories": {"type": "array", "items": {"type": "string"}},
        "access": {"type": "array", "items": {"type": "string"}},
        "audience": {
            "type": "array", "items": {"type": "string", "enum": list(AUDIENCE_VALUES)},
            "description": "Whom it is for: ['everyone'] when open to anyone.",
        },
        "conditions": {
            "type": "array", "items": {"type": "string"},
            "description": "The health conditions it is for (slugs), with audience 'condition' "
                           "or 'carers'.",
        },
        "booking": {"type": "string", "enum": ["drop_in", "booking", "referral"]},
        "capacity": {"type": "string", "enum": ["open", "waiting_list", "full"]},
        "carers_welcome": {"type": "boolean"},
        "age_min": {"type": "integer", "description": "Youngest age of those taking part (0: "
                                                      "no limit)."},
        "age_max": {"type": "integer", "description": "Oldest age of those taking part (120: "
                                                      "no limit)."},
        "venue": {"type": "string"},
    },
    "required": ["id", "title", "organisation", "url", "summary", "lat", "lng", "distance_m",
                 "next_session", "cost", "delivery", "categories", "access"],
}  # fmt: skip

ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "What is wrong, in plain words."},
        "field": {"type": ["string", "null"], "description": "The parameter at fault."},
    },
    "required": ["error", "field"],
}

UNDERSTOOD = {
    "type": "object",
    "properties": {
        "kind": {"type": "string", "enum": ["place", "cost", "when"]},
        "label": {"type": "string", "description": "In plain words: 'Place: SW18', 'Free "
                                                   "only', 'Saturday and Sunday'."},
        "words": {"type": "string", "description": "The words of q it was read from."},
        "parameters": {
            "type": "object",
            "description": "The parameters it added to the search, each with its values.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["kind", "label", "words", "parameters"],
}  # fmt: skip

OFFER = {
    "type": "object",
    "properties": {
        "kind": {"type": "string", "enum": ["category", "audience"]},
        "label": {"type": "string", "description": "For example 'Show only Walking'."},
        "parameter": {"type": "string", "enum": ["category", "audience"]},
        "value": {"type": "string"},
    },
    "required": ["kind", "label", "parameter", "value"],
}

RESULTS = {
    "type": "object",
    "properties": {
        "total": {"type": "integer"},
        "page": {"type": "integer"},
        "page_size": {"type": "integer"},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "facets": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {"type": "integer"},
            },
        },
        "words": {
            "type": "string",
            "description": "With understand=true: the words searched, those read taken out.",
        },
        "understood": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Understood"},
            "description": "With understand=true: what was read from q. Empty otherwise.",
        },
        "offers": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Offer"},
            "description": "With understand=true: filters q names, not applied (add the "
            "parameter to apply one). Empty otherwise.",
        },
        "did_you_mean": {
            "type": ["string", "null"],
            "description": "When the words found fewer than 3 activities and close spellings "
            "of them found more: the corrected words ('yoga' for 'yogga'); the results are "
            "those for them. null otherwise.",
            "example": "yoga",
        },
    },
    "required": [
        "total",
        "page",
        "page_size",
        "results",
        "facets",
        "understood",
        "offers",
        "did_you_mean",
    ],
}

FEATURES = {
    "type": "object",
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": {"type": "object"}},
        "total": {"type": "integer"},
        "page": {"type": "integer"},
        "page_size": {"type": "integer"},
    },
    "required": ["type", "features"],
}


SUGGEST_PARAMETERS = [
    _param("q", "What has been typed so far. Blank: no suggestions.",
           {**TEXT, "maxLength": MAX_TEXT}, example="sing"),
    _param("limit", "The most suggestions to return.",
           {"type": "integer", "minimum": 1, "maximum": MAX_SUGGESTIONS,
            "default": MAX_SUGGESTIONS}),
]  # fmt: skip

SUGGESTIONS = {
    "type": "object",
    "properties": {
        "q": {"type": "string", "description": "The text the suggestions are for."},
        "suggestions": {
            "type": "array",
            "maxItems": MAX_SUGGESTIONS,
            "items": {
                "type": "object",
                "properties": {
                    "kind": {
                        "type": "string", "enum": list(KINDS),
                        "description": "category: a directory category (search with it as a "
                                       "filter); concept: an everyday word the directory "
                                       "understands; title: an activity's title.",
                    },
                    "text": {"type": "string", "description": "What to show and search for."},
                    "slug": {"type": "string",
                             "description": "A category's slug (the category parameter of "
                                            "/api/search); only for kind category."},
                },
                "required": ["kind", "text"],
            },
        },
    },
    "required": ["q", "suggestions"],
}  # fmt: skip


def _responses(ok_schema: str, media_type: str = "application/json"):
    return {
        "200": {
            "description": "Matching activities.",
            "content": {media_type: {"schema": {"$ref": f"#/components/schemas/{ok_schema}"}}},
        },
        "400": {
            "description": "A parameter is not valid; field names it.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
        "503": {
            "description": "The search engine cannot be reached.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
    }


def openapi_document(server_url: str = "/") -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Common Ground directory search",
            "version": "1.0.0",
            "description": "Find community activities by what, where and when.",
        },
        "servers": [{"url": server_url.rstrip("/") or "/"}],
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "searchActivities",
                    "summary": "Search activities",
                    "parameters": PARAMETERS,
                    "responses": _responses("SearchResults"),
                }
            },
            "/api/search.geojson": {
                "get": {
                    "operationId": "searchActivitiesGeoJSON",
                    "summary": "Search activities as GeoJSON points for a map",
                    "parameters": PARAMETERS,
                    "responses": _responses("FeatureCollection", "application/geo+json"),
                }
            },
            "/api/suggest": {
                "get": {
                    "operationId": "suggest",
                    "summary": "Type-ahead suggestions for the words of a search",
                    "description": "At most 8: categories whose name (or a word of it) begins "
                    "with q, then titles of running activities beginning with "
                    "q, then (for three letters or more) titles with a word "
                    "beginning with it. Case and accents aside.",
                    "parameters": SUGGEST_PARAMETERS,
                    "responses": _responses("Suggestions"),
                }
            },
        },
        "components": {
            "schemas": {
                "Suggestions": SUGGESTIONS,
                "Hit": HIT,
                "SearchResults": RESULTS,
                "Understood": UNDERSTOOD,
                "Offer": OFFER,
                "FeatureCollection": FEATURES,
                "Error": ERROR,
            }
        },
    }
