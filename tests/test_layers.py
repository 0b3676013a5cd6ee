"""The apps depend downwards only (see DESIGN.md): imports that would run against the flow."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(app: str) -> list[tuple[str, str]]:
    """(file, module) of every import in the app, function-level ones included."""
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(), filename=relative)):
            if isinstance(node, ast.Import):
                found += [(relative, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found += [(relative, node.module)]
                found += [(relative, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def reaching(app: str, *modules: str) -> list[tuple[str, str]]:
    return [
        (path, name)
        for path, name in imported_modules(app)
        if any(name == module or name.startswith(module + ".") for module in modules)
    ]


def test_the_directory_knows_nothing_of_people_or_search():
    assert (
        reaching("assets_directory", "matching", "referrals", "casework", "coproduction", "search")
        == []
    )


@pytest.mark.parametrize("app", ["assets_directory", "matching", "coproduction", "cms", "common"])
def test_only_search_reaches_the_search_backends(app):
    assert reaching(app, "search.backends") == []


CODE = (
    "assets_directory",
    "bench",
    "cms",
    "common",
    "coproduction",
    "matching",
    "search",
    "openreferral",
    "harvest",
    "referrals",
    "casework",
    "insights",
)


def unexplained_function_imports() -> list[str]:
    """Imports inside functions with no comment saying why, on their line or just above.

    A function-level import usually dodges a cycle or a misplaced responsibility; where one
    must stay (an AppConfig.ready() registering receivers, a module that can only load after
    django.setup()), a comment says so.
    """
    found = []
    for app in CODE:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            source = path.read_text()
            lines = source.splitlines()
            for function in ast.walk(ast.parse(source)):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if not isinstance(node, ast.Import | ast.ImportFrom):
                        continue
                    above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                    if "#" not in lines[node.lineno - 1] and not above.startswith("#"):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_function_level_import_without_a_reason():
    assert unexplained_function_imports() == []


def test_the_open_referral_feed_reaches_neither_people_nor_the_search_backends():
    assert reaching("openreferral", "matching", "coproduction", "search.backends") == []
