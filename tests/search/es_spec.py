"""Request bodies checked against Elasticsearch's own machine-readable specification.

`fixtures/elasticsearch-spec/schema.json.gz` (Apache-2.0, see the README beside it) describes
every endpoint's request and every type the query DSL, aggregations, mappings, bulk and alias
APIs use. `Specification.check_request` finds the endpoint a request goes to (by method and
path), then walks its body along the declared types:

- an object key that is neither a declared property (or its alias) nor allowed by an
  `AdditionalProperty`/`AdditionalProperties` behaviour is unknown;
- a value of the wrong JSON type (an object where a list is declared, a float for an integer,
  a string for a boolean...) is wrong;
- an enum value must be one of the members (or their aliases), a literal its literal;
- a declared required property must be there; a container (QueryContainer, an aggregation, a
  sort, a bulk action...) holds exactly one variant (or none beside a container property, as
  a score function of only a `weight`), and a single-key dictionary one key;
- every field a body names (a `Field` in the spec: `term` keys, `multi_match.fields` without
  their `^boost`, sort keys, `_source`, highlight and aggregation fields...) must be in the
  index definition. `RequestChecker` keeps track of that: the mappings of the indices created
  and the aliases moved onto them, as the requests it sees do it.

`RequestChecker` is an observer for the emulator's media-type shim (tests/search/emulator.py):
it checks each request the Elasticsearch client sends and keeps what is wrong in `violations`.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

SPEC_PATH = Path(__file__).parent / "fixtures" / "elasticsearch-spec" / "schema.json.gz"
Key = tuple[str, str]
INTEGERS = {("_types", name) for name in ("integer", "long", "short", "byte", "uint", "ulong")}
FIELD: Key = ("_types", "Field")
# Query parameters every endpoint takes (the spec's CommonQueryParameters behaviour).
COMMON_PARAMS = {"error_trace", "filter_path", "human", "pretty"}
# Metadata fields a body may name beside the mapped ones.
METADATA_FIELDS = {"_id", "_index", "_score", "_doc", "_source", "_routing", "_seq_no"}


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    # A value of the wrong JSON type at `where` itself (not deeper): how a union tells which of
    # its alternatives a value was meant for.
    shallow: bool = False

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    # (where, field name) of each field the body names.
    fields: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: Result) -> None:
        self.problems += other.problems
        self.fields += other.fields

    @property
    def ok(self) -> bool:
        return not self.problems


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _mismatch(where: str, expected: str, value) -> Result:
    return Result([Problem(where, f"expected {expected}, got {_json_type(value)}", shallow=True)])


def _key(ref: dict) -> Key:
    return (ref["namespace"], ref["name"])


def field_name(name: str) -> str:
    """A field as a body names it, without a `^boost` (multi_match's "title^3")."""
    return name.split("^", 1)[0]


class Specification:
    """The specification's endpoints and types, and checks of values against them."""

    def __init__(self, path: Path = SPEC_PATH):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            schema = json.load(handle)
        self.types: dict[Key, dict] = {_key(t["name"]): t for t in schema["types"]}
        self.endpoints: dict[str, dict] = {e["name"]: e for e in schema["endpoints"]}
        routes = []
        for endpoint in schema["endpoints"]:
            for url in endpoint.get("urls", ()):
                parts = url["path"].strip("/").split("/") if url["path"] != "/" else []
                pattern = "/" + "/".join(
                    "[^/]+" if part.startswith("{") else re.escape(part) for part in parts
                )
                literal = sum(not part.startswith("{") for part in parts)
                routes.append((literal, set(url["methods"]), re.compile(pattern), endpoint))
        # The most literal path first: POST /_aliases before POST /{index}.
        routes.sort(key=lambda route: -route[0])
        self._routes = routes

    # Endpoints ----------------------------------------------------------------------------

    def endpoint(self, method: str, path: str) -> dict | None:
        """The endpoint `method path` goes to (HEAD as GET where only GET is declared)."""
        path = "/" + path.strip("/") if path.strip("/") else "/"
        for wanted in (method, "GET") if method == "HEAD" else (method,):
            for _literal, methods, pattern, endpoint in self._routes:
                if wanted in methods and pattern.fullmatch(path):
                    return endpoint
        return None

    def check_request(self, method: str, path: str, params, documents: list) -> Result:
        """Check one request: its query parameters' names and its body (`documents`: the
        JSON body as [body], or the lines of an NDJSON body, [] without one)."""
        endpoint = self.endpoint(method, path)
        if endpoint is None:
            return Result([Problem(f"{method} {path}", "no such endpoint in the specification")])
        request = self.types[_key(endpoint["request"])]
        where = endpoint["name"]
        result = Result()
        declared = {p["name"] for p in request.get("query", ())} | COMMON_PARAMS
        for name in params:
            if name not in declared:
                result.problems.append(Problem(f"{where} ?{name}", "unknown query parameter"))
        body = request.get("body", {"kind": "no_body"})
        if body["kind"] == "no_body":
            if documents:
                result.problems.append(Problem(where, "this endpoint takes no body"))
            return result
        if not documents:
            return result
        if endpoint["name"] == "bulk":
            result.add(self._bulk_lines(documents))
        elif body["kind"] == "value":
            value = documents if body["value"]["kind"] == "array_of" else documents[0]
            result.add(self.check(value, body["value"], {}, where))
        else:
            result.add(self._object(documents[0], body["properties"], [], {}, where, None))
        return result

    def _bulk_lines(self, lines: list) -> Result:
        """A bulk body line by line: an action, then (but for delete) its document."""
        result = Result()
        operations = self.types[("_global.bulk", "OperationContainer")]
        follows = None
        for number, line in enumerate(lines):
            where = f"bulk line {number}"
            if follows == "document":
                if not isinstance(line, dict):
                    result.add(_mismatch(where, "a document (an object)", line))
            elif follows == "update":
                result.add(self.check_type(line, "_global.bulk", "UpdateAction", where))
            else:
                result.add(self._interface(line, operations, {}, where))
                action = next(iter(line), None) if isinstance(line, dict) else None
                follows = {"index": "document", "create": "document", "update": "update"}.get(
                    action
                )
                continue
            follows = None
        if follows is not None:
            result.problems.append(Problem(f"bulk line {len(lines)}", "missing (the document)"))
        return result

    def check_type(self, value, namespace: str, name: str, where: str = "") -> Result:
        """Check a value against a named type, e.g. ("_types.query_dsl", "QueryContainer")."""
        ref = {"kind": "instance_of", "type": {"namespace": namespace, "name": name}}
        return self.check(value, ref, {}, where or name)

    # Values ------------------------------------------------------------------------------

    def check(self, value, ref: dict, env: dict, where: str) -> Result:
        kind = ref["kind"]
        if kind == "user_defined_value":
            return Result()
        if kind == "literal_value":
            if value != ref["value"]:
                return Result([Problem(where, f"expected {ref['value']!r}, got {value!r}", True)])
            return Result()
        if kind == "array_of":
            if not isinstance(value, list):
                return _mismatch(where, "an array", value)
            result = Result()
            for i, item in enumerate(value):
                result.add(self.check(item, ref["value"], env, f"{where}[{i}]"))
            return result
        if kind == "dictionary_of":
            if not isinstance(value, dict):
                return _mismatch(where, "an object", value)
            result = Result()
            if ref.get("singleKey") and len(value) != 1:
                result.problems.append(
                    Problem(where, f"expected an object with one key, got {len(value)}")
                )
            names_fields = self._is_field(ref["key"], env)
            for key, item in value.items():
                if names_fields:
                    result.fields.append((f"{where}.{key}", key))
                result.add(self.check(item, ref["value"], env, f"{where}.{key}"))
            return result
        if kind == "union_of":
            return self._union(value, ref["items"], env, where)
        if kind == "instance_of":
            return self._named(value, ref, env, where)
        raise ValueError(f"unknown kind of type {kind!r} at {where}")

    def _is_field(self, ref: dict, env: dict) -> bool:
        if ref["kind"] != "instance_of":
            return False
        key = _key(ref["type"])
        if key in env:
            bound, bound_env = env[key]
            return self._is_field(bound, bound_env)
        return key == FIELD

    def _union(self, value, items: list, env: dict, where: str) -> Result:
        tried = []
        for item in items:
            result = self.check(value, item, env, where)
            if result.ok:
                return result
            tried.append(result)
        # The alternatives that took the value's JSON type: report the closest one.
        near = [r for r in tried if not any(p.shallow and p.where == where for p in r.problems)]
        if near:
            return min(near, key=lambda r: len(r.problems))
        return Result([Problem(where, f"no alternative takes a {_json_type(value)}", True)])

    def _named(self, value, ref: dict, env: dict, where: str) -> Result:
        key = _key(ref["type"])
        if key in env:
            bound, bound_env = env[key]
            return self.check(value, bound, bound_env, where)
        namespace, name = key
        if namespace == "_builtins":
            return self._builtin(value, name, where)
        if key in INTEGERS:
            if isinstance(value, bool) or not isinstance(value, int):
                return _mismatch(where, f"an integer ({name})", value)
            return Result()
        spec = self.types.get(key)
        if spec is None:
            # An unbound generic parameter, such as a bulk line's TDocument: anything.
            return Result()
        new_env = {
            _key(param): (arg, env)
            for param, arg in zip(spec.get("generics", ()), ref.get("generics", ()), strict=False)
        }
        result = Result()
        if key == FIELD and isinstance(value, str):
            result.fields.append((where, value))
        kind = spec["kind"]
        if kind == "type_alias":
            variants = spec.get("variants") or {}
            if variants.get("kind") == "internal_tag":
                result.add(self._tagged(value, spec, variants, new_env, where))
            else:
                result.add(self.check(value, spec["type"], new_env, where))
            return result
        if kind == "enum":
            return self._enum(value, spec, where)
        if kind == "interface":
            return self._interface(value, spec, new_env, where)
        raise ValueError(f"cannot check a value against {kind} {name} at {where}")

    @staticmethod
    def _builtin(value, name: str, where: str) -> Result:
        ok = {
            "string": isinstance(value, str),
            "boolean": isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "null": value is None,
            "binary": isinstance(value, str),
            "void": value is None,
        }[name]
        return Result() if ok else _mismatch(where, f"a {name}", value)

    @staticmethod
    def _enum(value, spec: dict, where: str) -> Result:
        names = set()
        for member in spec["members"]:
            names.add(member["name"])
            names.update(member.get("aliases", ()))
        if isinstance(value, bool) and str(value).lower() in names:
            return Result()  # enums that were booleans (dynamic: true, false, "strict")
        if not isinstance(value, str):
            return _mismatch(where, f"one of {sorted(names)}", value)
        if value not in names and not spec.get("isOpen"):
            return Result([Problem(where, f"{value!r} is not one of {sorted(names)}")])
        return Result()

    def _tagged(self, value, spec: dict, variants: dict, env: dict, where: str) -> Result:
        """A union told apart by a tag property (a mapping's "type", an analyzer's "type")."""
        if not isinstance(value, dict):
            return _mismatch(where, "an object", value)
        tag = variants["tag"]
        wanted = value.get(tag, variants.get("defaultTag"))
        for item in spec["type"]["items"]:
            variant = self.types[_key(item["type"])]
            properties, _behaviours = self._members(variant, env)
            literal = properties.get(tag, ({}, {}))[0].get("type", {})
            if literal.get("kind") == "literal_value" and literal["value"] == wanted:
                if tag not in value:
                    value = {**value, tag: wanted}
                return self.check(value, item, env, where)
        return Result([Problem(f"{where}.{tag}", f"unknown {spec['name']['name']} {wanted!r}")])

    def _members(self, spec: dict, env: dict) -> tuple[dict, list]:
        """Properties by name and alias, and behaviours, with those inherited."""
        properties: dict = {}
        behaviours: list = []
        parent = spec.get("inherits")
        if parent:
            parent_spec = self.types[_key(parent["type"])]
            parent_env = {
                _key(param): (arg, env)
                for param, arg in zip(
                    parent_spec.get("generics", ()), parent.get("generics", ()), strict=False
                )
            }
            properties, behaviours = self._members(parent_spec, parent_env)
            properties, behaviours = dict(properties), list(behaviours)
        for prop in spec.get("properties", ()):
            for name in (prop["name"], *prop.get("aliases", ())):
                properties[name] = (prop, env)
        for behaviour in spec.get("behaviors", ()):
            behaviours.append((behaviour, env))
        return properties, behaviours

    def _interface(self, value, spec: dict, env: dict, where: str) -> Result:
        properties, behaviours = self._members(spec, env)
        shortcut = spec.get("shortcutProperty")
        if not isinstance(value, dict):
            if shortcut:
                prop, prop_env = properties[shortcut]
                return self.check(value, prop["type"], prop_env, where)
            return _mismatch(where, f"an object ({spec['name']['name']})", value)
        return self._object(value, None, behaviours, env, where, spec, properties)

    def _object(self, value, declared, behaviours, env, where, spec, properties=None) -> Result:
        if not isinstance(value, dict):
            return _mismatch(where, "an object", value)
        if properties is None:
            properties = {}
            for prop in declared:
                for name in (prop["name"], *prop.get("aliases", ())):
                    properties[name] = (prop, env)
        container = bool(spec) and (spec.get("variants") or {}).get("kind") == "container"
        one_extra = [b for b, _e in behaviours if b["type"]["name"] == "AdditionalProperty"]
        many_extra = [b for b, _e in behaviours if b["type"]["name"] == "AdditionalProperties"]
        extra_env = {id(b): e for b, e in behaviours}
        result = Result()
        variants, extras = [], []
        for key, item in value.items():
            inner = f"{where}.{key}"
            if key in properties:
                prop, prop_env = properties[key]
                result.add(self.check(item, prop["type"], prop_env, inner))
                if container and not prop.get("containerProperty"):
                    variants.append(key)
                continue
            behaviour = (one_extra or many_extra or [None])[0]
            if behaviour is None:
                result.problems.append(Problem(inner, "unknown key"))
                continue
            key_type, value_type = behaviour["generics"]
            benv = extra_env[id(behaviour)]
            if self._is_field(key_type, benv):
                result.fields.append((inner, key))
            result.add(self.check(item, value_type, benv, inner))
            extras.append(key)
        if one_extra and not many_extra and not container and len(extras) != 1:
            result.problems.append(
                Problem(where, f"expected one field key, got {len(extras)}: {sorted(extras)}")
            )
        # Exactly one variant; none only beside a container property (a score function of
        # only a `weight`, which Elasticsearch documents and accepts).
        beside = container and any(
            properties[k][0].get("containerProperty") for k in value if k in properties
        )
        if (
            container
            and len(variants) + len(extras) > 1
            or (container and not variants and not extras and not beside)
        ):
            result.problems.append(
                Problem(
                    where,
                    f"a {spec['name']['name']} holds exactly one of its variants, got "
                    f"{sorted(variants + extras)}",
                )
            )
        seen = set(value)
        for prop, _prop_env in {id(p): (p, e) for p, e in properties.values()}.values():
            if prop.get("required") and not ({prop["name"], *prop.get("aliases", ())} & seen):
                result.problems.append(Problem(f"{where}.{prop['name']}", "missing (required)"))
        return result


@functools.cache
def specification() -> Specification:
    """The specification in the test fixtures, read once per test run."""
    return Specification()


# --- the fields of an index -------------------------------------------------------------------


def mapped_fields(mappings: dict) -> set[str]:
    """Every field path an index mapping defines: "title", "title.prefix", "a.b"..."""
    found: set[str] = set()

    def walk(properties: dict, prefix: str) -> None:
        for name, definition in properties.items():
            path = prefix + name
            found.add(path)
            walk(definition.get("properties") or {}, path + ".")
            walk(definition.get("fields") or {}, path + ".")

    walk(mappings.get("properties") or {}, "")
    return found


@dataclass
class RequestChecker:
    """Checks every request it is shown against the specification and the index definitions
    those requests create; `violations` lists what is wrong (empty: all is well)."""

    spec: Specification = field(default_factory=specification)
    violations: list[str] = field(default_factory=list)
    checked: int = 0
    # index name -> its mapped fields; alias -> its indices.
    indices: dict[str, set[str]] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)

    def __call__(self, request) -> None:
        """An observer for the media-type shim (tests/search/emulator.ShimRequest)."""
        try:
            documents = request.documents()
        except ValueError as exc:
            self.violations.append(f"{request.method} {request.path}: not JSON: {exc}")
            return
        try:
            problems = self.check(request.method, request.path, request.query, documents)
        except Exception as exc:  # noqa: BLE001 - a checker bug must fail the test, not hide
            problems = [f"the check itself failed: {exc!r}"]
        self.violations += [f"{request.method} {request.path}: {p}" for p in problems]

    def check(self, method: str, path: str, params, documents: list) -> list[str]:
        endpoint = self.spec.endpoint(method, path)
        result = self.spec.check_request(method, path, params, documents)
        problems = [str(p) for p in result.problems]
        if documents:
            self.checked += 1
        name = endpoint["name"] if endpoint else ""
        target = path.strip("/").split("/")[0]
        if name == "indices.create":
            mappings = (documents[0] if documents else {}).get("mappings") or {}
            self.indices[target] = mapped_fields(mappings)
        elif name == "indices.delete":
            for index in target.split(","):
                self.indices.pop(index, None)
        elif name == "indices.update_aliases" and documents:
            self._move_aliases(documents[0].get("actions") or [])
        known = self._fields_of(target) if name != "indices.update_aliases" else None
        if known is not None:
            for where, named in result.fields:
                bare = field_name(named)
                if bare not in known and bare not in METADATA_FIELDS:
                    problems.append(f"{where}: the field {bare!r} is not in the index definition")
            if name == "bulk":
                problems += self._check_documents(documents, known)
        elif result.fields and name != "indices.update_aliases":
            problems.append(f"{name}: names fields of {target!r}, whose definition is unknown")
        return problems

    def _move_aliases(self, actions: list) -> None:
        for action in actions:
            for verb, spec in action.items():
                if not isinstance(spec, dict):
                    continue
                alias, index = spec.get("alias"), spec.get("index")
                if not isinstance(alias, str) or not isinstance(index, str):
                    continue
                if verb == "add":
                    self.aliases.setdefault(alias, set()).add(index)
                elif verb == "remove":
                    self.aliases.get(alias, set()).discard(index)

    def _fields_of(self, target: str) -> set[str] | None:
        """The fields of the indices `target` names (an index, an alias or a comma list)."""
        found: set[str] = set()
        for name in target.split(","):
            if name in self.indices:
                found |= self.indices[name]
            elif self.aliases.get(name):
                for index in self.aliases[name]:
                    if index not in self.indices:
                        return None
                    found |= self.indices[index]
            else:
                return None
        return found

    @staticmethod
    def _check_documents(lines: list, known: set[str]) -> list[str]:
        """The top-level keys of the documents a bulk request indexes must be mapped."""
        problems = []
        expect_source = False
        for number, line in enumerate(lines):
            if expect_source:
                for key in line:
                    if key not in known:
                        problems.append(
                            f"bulk line {number}: the document's field {key!r} is not in the "
                            "index definition"
                        )
                expect_source = False
            elif isinstance(line, dict) and len(line) == 1:
                expect_source = next(iter(line)) in ("index", "create")
        return problems
