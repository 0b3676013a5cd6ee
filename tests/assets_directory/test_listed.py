"""One meaning of "listed", "running", "visible" and "current" (ActivityQuerySet), everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from assets_directory.models import Activity, Organisation
from assets_directory.selectors import listed_activities
from tests.factories import ActivityFactory, OrganisationFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("assets_directory", "cms", "common", "coproduction", "matching", "search")

RUNNING, CLOSED, ENDED = "running", "temporarily_closed", "ended"


@pytest.fixture
def world(directory):
    """Every kind of activity, by name: status x published x private section."""
    public = OrganisationFactory(parent=directory, title="Open group")
    private = OrganisationFactory(parent=directory, title="Members only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    made = {}
    for status in (RUNNING, CLOSED, ENDED):
        made[f"{status}"] = ActivityFactory(parent=public, title=status, status=status)
        made[f"private {status}"] = ActivityFactory(
            parent=private, title=f"private {status}", status=status
        )
        draft = ActivityFactory(parent=public, title=f"draft {status}", status=status)
        draft.unpublish()
        made[f"draft {status}"] = draft
    return made


def names(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


def test_listed_is_visible_and_running_or_temporarily_closed(world):
    assert names(Activity.objects.listed()) == {RUNNING, CLOSED}
    assert names(listed_activities()) == {RUNNING, CLOSED}


def test_running_is_visible_and_running(world):
    assert names(Activity.objects.running()) == {RUNNING}


def test_visible_is_live_and_public_whatever_the_status(world):
    assert names(Activity.objects.visible()) == {RUNNING, CLOSED, ENDED}


def test_current_is_live_and_not_ended_public_or_not(world):
    assert names(Activity.objects.current()) == {
        RUNNING, CLOSED, f"private {RUNNING}", f"private {CLOSED}",
    }  # fmt: skip


def test_q_forms_combine_inside_other_queries(world):
    queryset = Activity.objects.all()
    either = Activity.objects.filter(queryset.running_q() | queryset.current_q())
    assert names(either) == names(Activity.objects.current())


def test_private_sections_are_the_ones_wagtail_finds(world):
    """The directory reads private sections its own way (no join); it must find what
    Wagtail's `private_q` finds, for activities and organisations alike."""
    wagtail = PageQuerySet(Page).private_q()
    for model in (Activity, Organisation):
        ours = set(model.objects.filter(model.objects.all().private_q()).values_list("pk"))
        theirs = set(model.objects.filter(wagtail).values_list("pk"))
        assert ours == theirs
        assert ours
    assert names(Organisation.objects.public()) == {"Open group"}


def test_no_module_writes_the_rule_inline():
    """Statuses and live/public filters on activities are the queryset's alone."""
    inline = re.compile(
        r"Activity\.objects\.live\(\)|status(__in)?=Activity\.(Status\.|LISTED_STATUSES)"
        r"|\.exclude\(status="
    )
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        and "demo" not in path.parts
        and path != ROOT / "assets_directory" / "models" / "pages.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if inline.search(line) and not line.lstrip().startswith("#")
    ]
    assert found == []
