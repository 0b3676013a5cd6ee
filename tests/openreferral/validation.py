"""Validate the feed's answers as the official ORUK validator does: each endpoint's answer
against the schema its OpenAPI names, with formats checked (uri, email, date-time, uuid).

The schemas refer to each other by absolute URLs; a local registry answers them from
tests/openreferral/schemas, so nothing is fetched."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).parent / "schemas"
BASE = "https://openreferraluk.org/specifications/3.0/schema/"


@cache
def openapi() -> dict:
    return json.loads((SCHEMAS / "openapi.json").read_text())


@cache
def registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text())
        resources.append((BASE + path.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


def format_checker() -> FormatChecker:
    checker = FormatChecker()
    # The formats the validator checks need these installed (requirements-dev.txt), or
    # jsonschema lets every value through: make sure they are checked.
    assert {"uri", "email", "date-time", "uuid"} <= set(checker.checkers)
    return checker


def schema_for(path: str) -> dict:
    """The schema the OpenAPI names for a 200 answer of `path` (e.g. "/services/{id}")."""
    response = openapi()["paths"][path]["get"]["responses"]["200"]
    return response["content"]["application/json"]["schema"]


def errors(path: str, data) -> list[str]:
    validator = Draft202012Validator(
        schema_for(path), registry=registry(), format_checker=format_checker()
    )
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(data)
    ]


def assert_valid(path: str, data) -> None:
    found = errors(path, data)
    assert not found, "\n".join(found[:20])
