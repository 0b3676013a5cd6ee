"""The OpenAPI description of the commissioners' open data (merged into /api/schema/)."""

ROW = {
    "type": "object",
    "properties": {
        "rank": {"type": "integer", "description": "1 is the biggest gap in the district."},
        "area": {"type": "string", "description": "The 2021 LSOA code."},
        "name": {"type": "string"},
        "lat": {"type": "number"}, "lng": {"type": "number"},
        "population": {"type": "integer", "description": "Census 2021 residents."},
        "imd_decile": {"type": "integer", "minimum": 1, "maximum": 10},
        "health_decile": {"type": "integer", "minimum": 1, "maximum": 10},
        "outcode": {"type": "string", "description": "The nearest outward code."},
        "theme": {"type": "string"}, "theme_name": {"type": "string"},
        "walk_hours_per_1000": {"type": "number"},
        "trip_hours_per_1000": {"type": "number"},
        "remote_hours": {"type": "number",
                         "description": "Weekly hours online, by phone or area-wide."},
        "nearest_m": {"type": ["integer", "null"]},
        "searches_with_no_results": {"type": "integer"},
        "gap_score": {"type": "number"},
        "explanation": {"type": "string"},
    },
}  # fmt: skip

GAPS = {
    "type": "object",
    "required": ["district", "count", "page", "pages", "results", "attribution"],
    "properties": {
        "district": {"type": "object", "properties": {
            "code": {"type": "string"}, "name": {"type": "string"}}},
        "reach": {"type": "object", "properties": {
            "walk_m": {"type": "number"}, "trip_m": {"type": "number"}}},
        "searches_since": {"type": "string", "format": "date"},
        "count": {"type": "integer"}, "page": {"type": "integer"}, "pages": {"type": "integer"},
        "attribution": {"type": "string"},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/GapRow"}},
    },
}  # fmt: skip

PATHS = {
    "/api/insights/gaps": {
        "get": {
            "operationId": "insightsGaps",
            "summary": "Supply and the gap by small area and theme, biggest gap first",
            "description": "Open data (English Indices of Deprivation 2025 and Census 2021 "
                           "under the Open Government Licence: see attribution). Need counted "
                           "from people is suppressed below 5 and rounded to 5 before it is "
                           "used. 500 rows a page.",
            "parameters": [
                {"name": "district", "in": "query", "schema": {
                    "type": "string", "pattern": "^E0[0-9]{7}$"},
                 "description": "The local authority district; only the one the site serves "
                                "(INSIGHTS_DISTRICT) is analysed."},
                {"name": "theme", "in": "query", "schema": {
                    "type": "string", "pattern": "^(line:)?[a-z0-9_-]{1,120}$"},
                 "description": "A top-level category slug (see /api/match/vocabulary), or "
                                "line: and the slug of a service line of coproduction linked "
                                "to categories (its supply is theirs)."},
                {"name": "page", "in": "query", "schema": {
                    "type": "integer", "minimum": 1, "maximum": 1000}},
            ],
            "responses": {
                "200": {"description": "A page of areas × themes.", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Gaps"}}}},
                "400": {"description": "A parameter is not valid; field names it.",
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }
    }
}  # fmt: skip

SCHEMAS = {"Gaps": GAPS, "GapRow": ROW}
