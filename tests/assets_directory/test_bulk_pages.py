"""Pages written in bulk (imports) sit in Wagtail's tree exactly as `add_child` would put them."""

import pytest
from wagtail.models import Page

from assets_directory.models import Activity, Organisation
from assets_directory.services.bulk import pages_bulk_create, pages_bulk_create_under
from tests.factories import ActivityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def rows(*titles):
    return [{"title": title, "summary": f"{title} summary"} for title in titles]


def test_bulk_pages_follow_each_parents_last_child_and_leave_the_tree_sound(directory):
    busy = OrganisationFactory(parent=directory, title="Busy group")
    ActivityFactory(parent=busy, title="First")
    ActivityFactory(parent=busy, title="Second")
    empty = OrganisationFactory(parent=directory, title="New group")

    made = pages_bulk_create_under(
        model=Activity,
        children={busy.pk: rows("Third", "Fourth"), empty.pk: rows("Only")},
    )

    busy.refresh_from_db()
    empty.refresh_from_db()
    assert [p.title for p in busy.get_children()] == ["First", "Second", "Third", "Fourth"]
    assert [p.title for p in empty.get_children()] == ["Only"]
    assert (busy.numchild, empty.numchild) == (4, 1)
    assert [Page.objects.get(pk=pk).title for pk in made[busy.pk]] == ["Third", "Fourth"]
    assert Activity.objects.get(pk=made[empty.pk][0]).summary == "Only summary"
    assert Page.find_problems() == ([], [], [], [], [])
    # Wagtail's own way of adding goes on after them.
    later = busy.add_child(
        instance=Activity(title="Fifth", summary="Fifth summary", delivery="online")
    )
    assert later.path > Page.objects.get(pk=made[busy.pk][-1]).path


def test_bulk_pages_under_a_parent_whose_last_child_has_children_are_numbered_after_it(
    directory,
):
    pages_bulk_create(parent=directory, model=Organisation, rows=rows("A group"))
    last = Organisation.objects.get(title="A group")
    ActivityFactory(parent=last, title="Its activity")

    (page_id,) = pages_bulk_create(parent=directory, model=Organisation, rows=rows("B group"))

    made = Page.objects.get(pk=page_id)
    assert made.depth == last.depth
    assert made.path > last.path
    assert Page.find_problems() == ([], [], [], [], [])
