"""The OpenAPI 3.1 description of the search API, served at /api/schema/."""

from __future__ import annotations

from common.text import CONTROL_CHARACTERS

from .query import DELIVERY, FACETS, MAX_PAGE_SIZE, Sort


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
    _param("q", "Words to search for (English stemming; every word must match).",
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
           {"type": "string", "enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
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
        "distance_m": {"type": ["integer", "null"]},
        "next_session": {"type": ["string", "null"], "format": "date-time"},
        "cost": {"type": "string", "enum": ["free", "pay_what_you_can", "paid"]},
        "cost_amount": {"type": ["number", "null"]},
        "delivery": {"type": "string", "enum": list(DELIVERY)},
        "area_wide": {"type": "boolean", "description": "No venue: online, phone or area-wide."},
        "categories": {"type": "array", "items": {"type": "string"}},
        "access": {"type": "array", "items": {"type": "string"}},
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
    },
    "required": ["total", "page", "page_size", "results", "facets"],
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
        },
        "components": {
            "schemas": {
                "Hit": HIT,
                "SearchResults": RESULTS,
                "FeatureCollection": FEATURES,
                "Error": ERROR,
            }
        },
    }
