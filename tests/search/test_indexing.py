"""The index follows the directory: publish, unpublish, delete, move and venue changes."""

import io
import logging

import pytest
from django.core.management import call_command

from assets_directory.models import AccessibilityFeature
from search import documents as search_documents
from search import services as search_services
from search.backends import SearchBackendError
from search.query import DirectoryQuery
from search.selectors import search_directory
from tests.factories import ActivityFactory, ActivityScheduleFactory, OrganisationFactory


@pytest.fixture
def index(search_index):
    return search_index


def titles(**query):
    return sorted(h.title for h in search_directory(DirectoryQuery(**query)).hits)


@pytest.fixture
def publish(django_capture_on_commit_callbacks, moderator):
    def _publish(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision(user=moderator).publish(user=moderator)
        return page

    return _publish


@pytest.mark.django_db
def test_published_activity_is_found_and_unpublished_one_is_not(
    index, organisation, publish, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(parent=organisation, title="Ukulele strummers")
    ActivityScheduleFactory(activity=activity)
    assert titles(text="ukulele") == []

    publish(activity)
    results = search_directory(DirectoryQuery(text="ukulele"))
    assert [h.title for h in results.hits] == ["Ukulele strummers"]
    hit = results.hits[0]
    assert hit.organisation == "Tooting Knit and Natter"
    assert hit.url == "/directory/tooting-knit-and-natter/ukulele-strummers/"
    assert hit.next_session is not None and hit.next_session.strftime("%a %H:%M") == "Tue 10:00"

    with django_capture_on_commit_callbacks(execute=True):
        activity.unpublish()
    assert titles(text="ukulele") == []


@pytest.mark.django_db
def test_deleted_activity_leaves_the_index(
    index, organisation, publish, django_capture_on_commit_callbacks
):
    activity = publish(ActivityFactory(parent=organisation, title="Pottery wheel club"))
    assert titles(text="pottery") == ["Pottery wheel club"]
    with django_capture_on_commit_callbacks(execute=True):
        activity.delete()
    assert titles(text="pottery") == []


@pytest.mark.django_db
def test_edited_title_replaces_the_old_entry(index, organisation, publish):
    activity = publish(ActivityFactory(parent=organisation, title="Chess club"))
    activity.title = "Chess and draughts club"
    publish(activity)
    assert titles(text="chess") == ["Chess and draughts club"]
    assert search_directory(DirectoryQuery(text="chess")).total == 1


@pytest.mark.django_db
def test_venue_accessibility_change_reaches_the_index(
    index, organisation, publish, django_capture_on_commit_callbacks
):
    activity = publish(ActivityFactory(parent=organisation, title="Tea dance"))
    assert titles(access=("hearing-loop",)) == []
    with django_capture_on_commit_callbacks(execute=True):
        activity.venue.accessibility.add(AccessibilityFeature.objects.get(slug="hearing-loop"))
    assert titles(access=("hearing-loop",)) == ["Tea dance"]


@pytest.mark.django_db
def test_renamed_organisation_updates_its_activities(index, organisation, publish):
    publish(ActivityFactory(parent=organisation, title="Sock knitting"))
    organisation.title = "Tooting Yarn Circle"
    publish(organisation)
    (hit,) = search_directory(DirectoryQuery(text="sock")).hits
    assert hit.organisation == "Tooting Yarn Circle"


@pytest.mark.django_db
def test_moved_activity_gets_its_new_address(
    index, organisation, other_organisation, publish, django_capture_on_commit_callbacks
):
    activity = publish(ActivityFactory(parent=organisation, title="Harmonica group"))
    with django_capture_on_commit_callbacks(execute=True):
        activity.move(other_organisation, pos="last-child")
    (hit,) = search_directory(DirectoryQuery(text="harmonica")).hits
    assert hit.url == "/directory/balham-community-choir/harmonica-group/"


@pytest.mark.django_db
def test_engine_failure_is_logged_and_never_blocks_publishing(
    index, organisation, publish, monkeypatch, caplog
):
    def broken(documents):
        raise SearchBackendError("engine unreachable")

    monkeypatch.setattr(index, "index_documents", broken)
    activity = ActivityFactory(parent=organisation, title="Drumming circle")
    with caplog.at_level(logging.WARNING, logger="search.tasks"):
        publish(activity)
    activity.refresh_from_db()
    assert activity.live
    assert "engine unreachable" in caplog.text


@pytest.mark.django_db
def test_rebuild_command_indexes_every_live_activity(index, directory):
    organisation = OrganisationFactory(parent=directory, title="Putney Ramblers")
    for n in range(3):
        ActivityFactory(parent=organisation, title=f"Ramble {n}")
    ActivityFactory(parent=organisation, title="Ramble draft", live=False)
    out = io.StringIO()
    call_command("rebuild_directory_index", stdout=out)
    assert "Indexed 3 activities" in out.getvalue()
    assert titles(text="ramble") == ["Ramble 0", "Ramble 1", "Ramble 2"]


@pytest.mark.django_db
def test_interrupted_rebuild_leaves_the_live_index_whole(index, directory, monkeypatch):
    organisation = OrganisationFactory(parent=directory, title="Putney Ramblers")
    for n in range(3):
        ActivityFactory(parent=organisation, title=f"Ramble {n}")
    call_command("rebuild_directory_index", stdout=io.StringIO())

    def failing_documents():
        yield from list(search_documents.iter_documents())[:1]
        raise KeyboardInterrupt

    monkeypatch.setattr(search_services, "iter_documents", failing_documents)
    with pytest.raises(KeyboardInterrupt):
        call_command("rebuild_directory_index", stdout=io.StringIO())
    assert titles(text="ramble") == ["Ramble 0", "Ramble 1", "Ramble 2"]


class AliasSwapBackend:
    """Like Elasticsearch: a rebuild fills a new index while updates go to the live one,
    then the new one replaces it."""

    def __init__(self):
        self.live: dict[int, dict] = {}

    def rebuild(self, documents, *, total=None, progress=None):
        fresh = {d["id"]: d for d in documents}
        self.live = fresh
        return len(fresh)

    def index_documents(self, documents):
        self.live.update({d["id"]: d for d in documents})
        return len(documents)

    def delete_documents(self, ids):
        for i in ids:
            self.live.pop(i, None)


@pytest.mark.django_db
def test_an_update_made_while_the_index_is_rebuilt_survives_the_swap(directory, monkeypatch):
    organisation = OrganisationFactory(parent=directory, title="Putney Ramblers")
    first = ActivityFactory(parent=organisation, title="Ramble one")
    second = ActivityFactory(parent=organisation, title="Ramble two")
    backend = AliasSwapBackend()
    monkeypatch.setattr(search_services, "get_backend", lambda: backend)
    real_iter = search_documents.iter_documents

    def documents_read_before_an_edit():
        rows = list(real_iter())
        # An editor publishes while the rebuild is half-way: the task updates the live index.
        second.title = "Ramble two, renamed"
        second.save()
        search_services.index_update_activities(ids=[second.pk])
        yield from rows

    monkeypatch.setattr(search_services, "iter_documents", documents_read_before_an_edit)
    search_services.index_rebuild()

    assert backend.live[first.pk]["title"] == "Ramble one"
    assert backend.live[second.pk]["title"] == "Ramble two, renamed"


@pytest.mark.django_db
def test_a_rebuild_prunes_the_journal_it_no_longer_needs(directory, monkeypatch):
    import datetime

    from django.utils import timezone

    from search.models import IndexJournal

    organisation = OrganisationFactory(parent=directory, title="Putney Ramblers")
    activity = ActivityFactory(parent=organisation, title="Ramble")
    monkeypatch.setattr(search_services, "get_backend", lambda: AliasSwapBackend())
    old = IndexJournal.objects.create(activity_id=activity.pk)
    IndexJournal.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    search_services.index_rebuild()
    assert not IndexJournal.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_an_update_prunes_journal_entries_older_than_a_day(index, directory):
    import datetime

    from django.utils import timezone

    from search.models import IndexJournal

    activity = ActivityFactory(parent=OrganisationFactory(parent=directory), title="Ramble")
    stale = IndexJournal.objects.create(activity_id=activity.pk)
    IndexJournal.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    search_services.index_update_activities(ids=[activity.pk])
    assert not IndexJournal.objects.filter(pk=stale.pk).exists()
    assert IndexJournal.objects.filter(activity_id=activity.pk).exists()
