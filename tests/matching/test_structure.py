"""Where things live in matching (DESIGN.md: views and forms stay thin; services write,
selectors read). Each test reads the source, so a shortcut put back in the wrong place fails."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

from matching.forms.preferences import NeedsForm, PreferencesForm, TopThreeForm
from matching.kiosk_steps import STEPS
from matching.selectors import category_tree, preference_choices

ROOT = Path(__file__).resolve().parents[2]
MATCHING = ROOT / "matching"


def imported_names(path: Path) -> set[str]:
    """Every module and module.name a file imports, function-level imports included."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            prefix = "." * node.level + node.module
            names.add(prefix)
            names.update(f"{prefix}.{alias.name}" for alias in node.names)
    return names


VIEW_FILES = sorted((MATCHING / "views").glob("*.py")) + [MATCHING / "api.py"]


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda path: path.name)
def test_no_view_sends_mail(path):
    names = imported_names(path)

    assert not {name for name in names if name.startswith("django.core.mail")}
    assert "send_mail" not in path.read_text()


SELECTOR_MODULES = sorted(
    path.stem for path in (MATCHING / "selectors").glob("*.py") if path.stem != "__init__"
)


@pytest.mark.parametrize("name", SELECTOR_MODULES)
def test_every_read_is_imported_from_matching_selectors(name):
    """The package is filed by subject; callers keep importing from matching.selectors."""
    selectors = importlib.import_module("matching.selectors")
    module = importlib.import_module(f"matching.selectors.{name}")
    public = {
        attribute
        for attribute, value in vars(module).items()
        if not attribute.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and value.__module__ == module.__name__
    }

    assert public, f"matching.selectors.{name} defines no reads"
    assert public <= set(selectors.__all__)
    assert all(getattr(selectors, attribute) is getattr(module, attribute) for attribute in public)


def test_the_questionnaire_forms_read_nothing_themselves():
    """matching/forms/preferences.py only validates: the database and the static files are read
    by matching.selectors, and the view hands the forms what they offer."""
    path = MATCHING / "forms" / "preferences.py"
    tree = ast.parse(path.read_text())
    names = imported_names(path)

    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "objects"]
    assert not {name for name in names if name.startswith("django.contrib.staticfiles")}
    from_selectors = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("selectors")
        for alias in node.names
    }
    # Types of what the view hands over, never a read.
    assert all(name[0].isupper() for name in from_selectors), from_selectors


@pytest.mark.django_db
def test_the_questionnaire_forms_make_no_queries(django_assert_num_queries):
    choices = preference_choices()
    categories = category_tree()

    with django_assert_num_queries(0):
        preferences = PreferencesForm(
            {"interests": ["walking"], "max_travel_km": "any", "max_cost": "any",
             "company": "either", "access_needs": [choices.access_features[0][0]]},
            choices=choices,
        )  # fmt: skip
        assert preferences.is_valid(), preferences.errors
        assert preferences.interest_groups()
        top = TopThreeForm({"top_three": ["walking"]}, categories=categories, interests=["walking"])
        assert top.is_valid(), top.errors
        assert top.groups_with_order()
        needs = NeedsForm({"needs": ["lonely"]})
        assert needs.is_valid(), needs.errors


def test_the_kiosk_views_ask_the_steps_instead_of_branching_on_them():
    """Each step is an object (matching.kiosk_steps) that knows its form, how it merges into the
    answers, its template's context, its extra rows and its place in the flow."""
    path = MATCHING / "views" / "kiosk.py"
    tree = ast.parse(path.read_text())
    slugs = {step.slug for step in STEPS}

    # A slug compared with anything or passed to a call ("needs" is also the key of an answer,
    # read with answers.get, so a slug merely written somewhere is not enough to fail).
    literals = {
        part.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        for part in [node.left, *node.comparators]
        if isinstance(part, ast.Constant)
    } & slugs
    literals |= {
        arg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) != "answers.get"
        for arg in node.args
        if isinstance(arg, ast.Constant) and arg.value in slugs
    }
    compared = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(isinstance(part, ast.Attribute) and part.attr == "slug"
                for part in [node.left, *node.comparators])
    ]  # fmt: skip

    assert not literals, f"the kiosk views name steps: {sorted(literals)}"
    assert compared == ["draft.get('step') != step.slug"], compared


def test_the_steps_in_order_and_what_comes_either_side():
    steps = list(STEPS)

    assert [step.slug for step in steps] == [
        "place",
        "people",
        "enjoy",
        "top-three",
        "needs",
        "about",
    ]
    assert STEPS.first is steps[0] and STEPS.before(steps[0]) is None
    assert [STEPS.number(step) for step in steps] == [1, 2, 3, 4, 5, 6]
    assert all(STEPS.after(a) is b for a, b in zip(steps, steps[1:], strict=False))
    assert STEPS.after(steps[-1]) is None
    assert STEPS.get("people") is steps[1] and STEPS.get("nonsense") is None
    assert [step.optional for step in steps] == [False, True, True, True, True, True]
