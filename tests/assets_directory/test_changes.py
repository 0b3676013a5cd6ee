"""What a change sent to be checked changes, as a moderator reads it (assets_directory.changes)."""

import datetime
from decimal import Decimal

import pytest

from assets_directory.changes import describe_page_revision, form_fields
from assets_directory.models import Activity, ActivitySchedule, Organisation
from tests.factories import ActivityFactory, CategoryFactory, VenueFactory


def published(activity, moderator):
    activity.save_revision(user=moderator).publish()
    return Activity.objects.get(pk=activity.pk)


def submitted_change(activity, **changes):
    """A draft revision of the live activity, with ``changes``, as an editor would save it."""
    draft = Activity.objects.get(pk=activity.pk)
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft


def changes_of(activity, draft):
    revision = draft.save_revision()
    return {
        c.label: (c.before, c.after)
        for c in describe_page_revision(page=activity, revision=revision).changes
    }


@pytest.mark.django_db
def test_labels_are_the_form_labels_in_the_form_order():
    labels = [label for _name, label, _choices in form_fields(Activity)]
    assert labels[:3] == ["Name of the activity", "Short description", "More about it"]
    assert "Session times" in labels
    assert labels.index("Kinds of activity") < labels.index("Session times")
    assert labels.index("Session times") < labels.index("How people take part")
    assert "Slug" not in labels and "Last checked" not in labels


@pytest.mark.django_db
def test_text_and_choice_fields_read_as_words(activity, moderator):
    activity = published(activity, moderator)
    draft = submitted_change(
        activity,
        title="Knit, natter and crochet",
        cost=Activity.Cost.PAID,
        cost_amount=Decimal("3"),
        booking=Activity.Booking.BOOKING,
        carers_welcome=False,
    )
    changes = changes_of(activity, draft)
    assert changes["Name of the activity"] == ("Knit and natter", "Knit, natter and crochet")
    assert changes["Cost"] == ("Free", "Paid")
    assert changes["Price (£)"] == ("(empty)", "3.00")
    assert changes["Do people need to book?"] == ("Just turn up", "Booking needed")
    assert changes["Carers welcome"] == ("Yes", "No")
    assert "Short description" not in changes  # unchanged fields are left out


@pytest.mark.django_db
def test_relations_lists_ticked_boxes_and_rich_text(activity, moderator):
    activity = published(activity, moderator)
    new_venue = VenueFactory(name="Fircroft Room")
    old_venue = str(activity.venue)
    draft = submitted_change(
        activity,
        venue=new_venue,
        audience="older,carers",
        description="<p>Bring <b>wool</b> &amp; needles.</p>",
    )
    draft.categories = [CategoryFactory(name="Crafts"), CategoryFactory(name="Arts")]
    draft.tags.add("crochet", "wool")
    changes = changes_of(activity, draft)
    assert changes["Venue"] == (old_venue, str(new_venue))
    assert "Fircroft Room" in changes["Venue"][1]
    assert changes["Kinds of activity"][1] == "Arts; Crafts"
    assert changes["Other words people might search for"] == ("(empty)", "crochet; wool")
    assert changes["Who it is for"] == ("(empty)", "Carers; Older people")
    assert changes["More about it"] == ("(empty)", "Bring wool & needles.")


@pytest.mark.django_db
def test_session_times_are_described_in_sentences(activity, moderator):
    activity = published(activity, moderator)
    draft = Activity.objects.get(pk=activity.pk)
    draft.schedules = [
        ActivitySchedule(
            frequency=ActivitySchedule.Frequency.WEEKLY,
            weekdays="thu",
            start_time=datetime.time(18, 30),
            end_time=datetime.time(20, 0),
        )
    ]
    changes = changes_of(activity, draft)
    assert changes["Session times"] == (
        "Every Tuesday, 10:00 to 12:00",
        "Every Thursday, 18:30 to 20:00",
    )


@pytest.mark.django_db
def test_an_unchanged_revision_changes_nothing(activity, moderator):
    activity = published(activity, moderator)
    description = describe_page_revision(page=activity, revision=activity.save_revision())
    assert description.changes == []
    assert description.heading == "No visible changes"


@pytest.mark.django_db
def test_a_page_never_published_is_a_new_listing_with_its_main_fields(organisation):
    draft = ActivityFactory(parent=organisation, title="Crochet club", live=False)
    description = describe_page_revision(page=draft, revision=draft.save_revision())
    assert description.new and description.heading == "New listing"
    shown = {c.label: c.after for c in description.changes}
    assert shown["Name of the activity"] == "Crochet club"
    assert shown["Short description"] == "A weekly get-together for everyone."
    assert all(c.before == "" for c in description.changes)


@pytest.mark.django_db
def test_an_organisation_change_reads_its_grouped_fields(organisation, moderator):
    organisation.save_revision(user=moderator).publish()
    live = Organisation.objects.get(pk=organisation.pk)
    draft = Organisation.objects.get(pk=organisation.pk)
    draft.kind = Organisation.Kind.CHARITY
    draft.phone = "020 8123 4567"  # inside the "Contact" group of fields
    changes = {
        c.label: (c.before, c.after)
        for c in describe_page_revision(page=live, revision=draft.save_revision()).changes
    }
    assert changes["Kind"] == ("Community group", "Charity")
    assert changes["Phone"] == ("(empty)", "020 8123 4567")
