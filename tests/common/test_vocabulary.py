"""One vocabulary: the words are right, and no module declares them again."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest

from common import vocabulary as v

ROOT = Path(__file__).resolve().parents[2]
APPS = ("assets_directory", "cms", "common", "coproduction", "matching", "search")
DAY_WORDS = {*v.WEEKDAY_SLUGS, *v.DAY_NAMES, *v.DAY_PLURALS, *v.ICAL_DAYS}
LABEL_WORDS = {
    *v.COST_LABELS.values(),
    *v.DELIVERY_LABELS.values(),
    *v.MONTH_WEEK_ORDINALS.values(),
}


@pytest.mark.parametrize(
    ("number", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th")],
)  # fmt: skip
def test_ordinal_numbers(number, text):
    assert v.ordinal_number(number) == text


@pytest.mark.parametrize(
    ("words", "text"),
    [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")],
)
def test_words_are_joined_without_an_oxford_comma(words, text):
    assert v.join_words(words) == text


def test_join_takes_another_conjunction():
    assert v.join_words(["tea", "coffee", "juice"], "or") == "tea, coffee or juice"


def test_times_and_dates_read_the_same_everywhere():
    assert v.clock(datetime.time(9, 5)) == "09:05"
    assert v.time_range(datetime.time(10), datetime.time(12, 30)) == "10:00 to 12:30"
    assert v.time_range(datetime.time(18, 30), None) == "18:30"
    assert v.long_date(datetime.date(2026, 1, 5)) == "5 January 2026"


def test_days_line_up_with_python_weekdays():
    monday = datetime.date(2026, 12, 7)
    for offset, (slug, name) in enumerate(v.DAY_CHOICES):
        day = monday + datetime.timedelta(days=offset)
        assert (day.weekday(), day.strftime("%A"), slug) == (offset, name, name[:3].lower())


def test_short_delivery_labels_cover_every_delivery():
    assert tuple(v.DELIVERY_LABELS) == v.DELIVERY == tuple(dict(v.DELIVERY_CHOICES))


def test_times_of_day_are_offered_in_order():
    assert [slug for slug, _ in v.TIME_OF_DAY_CHOICES] == ["morning", "afternoon", "evening"]


def _literal_strings(node: ast.AST) -> list[str]:
    return [
        element.value
        for element in getattr(node, "elts", ())
        if isinstance(element, ast.Constant) and isinstance(element.value, str)
    ] + [
        pair.elts[1].value
        for pair in getattr(node, "elts", ())
        if isinstance(pair, ast.Tuple) and len(pair.elts) == 2
        and isinstance(pair.elts[1], ast.Constant) and isinstance(pair.elts[1].value, str)
    ]  # fmt: skip


def redeclarations() -> list[str]:
    """Tuples, lists and dicts in app code that spell out three or more days, or labels."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path.name == "vocabulary.py" and app == "common":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Dict):
                    words = [k.value for k in node.values if isinstance(k, ast.Constant)]
                elif isinstance(node, ast.Tuple | ast.List | ast.Set):
                    words = _literal_strings(node)
                else:
                    continue
                days = DAY_WORDS.intersection(words)
                labels = LABEL_WORDS.intersection(words)
                if len(days) >= 3 or len(labels) >= 3:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_days_and_labels_are_declared_only_in_the_vocabulary():
    assert redeclarations() == []
