"""Organisation editors see their own pages only, in every admin listing of pages; moderators
see every page."""

import pytest
from django.urls import reverse
from wagtail.models import Workflow

from tests.factories import ActivityFactory

DRAFT = "Zebra crossing club"


@pytest.fixture
def draft(other_organisation, other_activity, moderator):
    """Another organisation's unpublished activity, waiting for a moderator's decision, edited
    after its published one."""
    other_activity.save_revision().publish()
    page = ActivityFactory(parent=other_organisation, title=DRAFT, live=False)
    page.save_revision(user=moderator, log_action=True)
    Workflow.objects.get(name="Moderators approval").start(page, moderator)
    return page


@pytest.fixture
def listings(directory, organisation, other_organisation, other_activity, draft):
    """(url, text a moderator sees there, which an organisation editor must not)."""
    return [
        ("chooser search", f"{reverse('wagtailadmin_choose_page_search')}?q=Zebra", DRAFT),
        (
            "chooser search for activities",
            f"{reverse('wagtailadmin_choose_page_search')}?q=Zebra"
            "&page_type=assets_directory.activity",
            DRAFT,
        ),
        (
            "chooser browsing the directory",
            reverse("wagtailadmin_choose_page_child", args=[directory.pk]),
            other_organisation.title,
        ),
        (
            "chooser browsing another organisation",
            reverse("wagtailadmin_choose_page_child", args=[other_organisation.pk]),
            DRAFT,
        ),
        ("admin page search", f"{reverse('wagtailadmin_pages:search')}?q=Zebra", DRAFT),
        ("page types report", reverse("wagtailadmin_reports:page_types_usage"), DRAFT),
        ("workflows report", reverse("wagtailadmin_reports:workflow"), DRAFT),
        ("workflow tasks report", reverse("wagtailadmin_reports:workflow_tasks"), DRAFT),
        ("site history", reverse("wagtailadmin_reports:site_history"), DRAFT),
        ("aging pages", reverse("wagtailadmin_reports:aging_pages"), other_activity.title),
        ("dashboard", reverse("wagtailadmin_home"), DRAFT),
        (
            "explorer menu",
            f"/admin/api/main/pages/?child_of={directory.pk}&for_explorer=1",
            other_organisation.title,
        ),
    ]


def shown(response, text):
    return response.status_code == 200 and text in response.content.decode()


@pytest.mark.django_db
def test_moderator_sees_every_organisations_pages_in_each_listing(client, moderator, listings):
    client.force_login(moderator)
    missing = [name for name, url, text in listings if not shown(client.get(url), text)]
    assert missing == []


@pytest.mark.django_db
def test_editor_sees_no_other_organisations_pages_in_any_listing(client, editor, listings):
    client.force_login(editor)
    leaks = [name for name, url, text in listings if shown(client.get(url), text)]
    assert leaks == []


@pytest.mark.django_db
def test_editor_finds_own_pages_in_the_chooser(client, editor, organisation, activity, directory):
    client.force_login(editor)
    search = client.get(f"{reverse('wagtailadmin_choose_page_search')}?q=Knit")
    assert activity.title in search.content.decode()
    # The way down from the top of the tree to their own organisation stays open.
    for parent in (directory.get_parent(), directory):
        browse = client.get(reverse("wagtailadmin_choose_page_child", args=[parent.pk]))
        assert browse.status_code == 200
    assert organisation.title in browse.content.decode()
    own = client.get(reverse("wagtailadmin_choose_page_child", args=[organisation.pk]))
    assert activity.title in own.content.decode()


@pytest.mark.django_db
def test_explorer_search_keeps_editor_to_own_pages_even_without_wagtails_filter(
    client, editor, organisation, activity, draft, settings
):
    settings.WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS = False
    client.force_login(editor)
    url = reverse("wagtailadmin_explore", args=[organisation.pk])
    body = client.get(f"{url}?q=Zebra&search_all=1").content.decode()
    assert DRAFT not in body
    assert activity.title in client.get(f"{url}?q=Knit&search_all=1").content.decode()


@pytest.mark.django_db
def test_page_types_report_counts_only_editors_own_pages(client, editor, activity, draft):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_reports:page_types_usage"))
    rows = {row.model: row.count for row in response.context["object_list"]}
    assert rows["activity"] == 1
    assert rows["organisation"] == 1
