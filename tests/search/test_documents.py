"""Search documents: the flat shape every backend indexes, read in few queries."""

import datetime

import pytest

from assets_directory.models import ActivitySchedule
from search import documents
from tests.factories import ActivityFactory, ActivityScheduleFactory


def test_rich_text_becomes_plain_words_with_blocks_kept_apart():
    text = documents._plain_text(
        "<p>Tea &amp; cake<br/>for <b>all</b>.</p><ul><li>Bring a mug</li></ul>"
        '<p><a linktype="page" id="3">Find us</a> &lt;here&gt;</p>'
    )
    assert text == "Tea & cake for all. Bring a mug Find us <here>"


def test_plain_text_without_markup_is_only_tidied():
    assert documents._plain_text("  Knit   and\nnatter ") == "Knit and natter"


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        ([3, 4, 5, 7], {"activity_id__gte": 3, "activity_id__lte": 7}),
        ([3, 90_000], {"activity_id__in": [3, 90_000]}),
    ],
)
def test_a_dense_batch_is_read_by_range_and_a_sparse_one_by_id(ids, expected):
    assert documents._batch_filter(ids, "activity_id") == expected


def _documents_by_id(rows):
    context = documents.DocumentContext()
    return {d["id"]: d for d in documents.build_documents(rows, context=context)}


def _rows(*activities):
    return list(
        documents.indexable_activities()
        .filter(pk__in=[a.pk for a in activities])
        .values(*documents.ACTIVITY_FIELDS)
    )


@pytest.mark.django_db
def test_a_range_read_leaves_out_what_belongs_to_activities_outside_the_batch(organisation):
    first = ActivityFactory(parent=organisation, title="First")
    between = ActivityFactory(parent=organisation, title="Between")
    last = ActivityFactory(parent=organisation, title="Last")
    ActivityScheduleFactory(activity=first, weekdays="mon")
    ActivityScheduleFactory(activity=between, weekdays="wed")
    ActivityScheduleFactory(activity=last, weekdays="fri")
    between.tags.add("between-only")
    between.save()

    # `between` lies inside the batch's id range but is not in the batch.
    built = _documents_by_id(_rows(first, last))

    assert sorted(built) == [first.pk, last.pk]
    assert built[first.pk]["days"] == ["mon"]
    assert built[last.pk]["days"] == ["fri"]
    assert built[first.pk]["tags"] == built[last.pk]["tags"] == []


@pytest.mark.django_db
def test_activities_sharing_a_session_pattern_get_equal_but_separate_schedules(organisation):
    one = ActivityFactory(parent=organisation)
    two = ActivityFactory(parent=organisation)
    for activity in (one, two):
        ActivityScheduleFactory(activity=activity, weekdays="tue,thu")

    built = _documents_by_id(_rows(one, two))

    assert built[one.pk]["schedule"] == built[two.pk]["schedule"]
    assert built[one.pk]["schedule"][0]["byday"] == "TU,TH"
    assert built[one.pk]["schedule"][0] is not built[two.pk]["schedule"][0]
    assert built[one.pk]["days"] == ["tue", "thu"]


@pytest.mark.django_db
def test_an_inconsistent_session_pattern_is_left_out_and_the_rest_indexed(organisation):
    activity = ActivityFactory(parent=organisation)
    ActivityScheduleFactory(activity=activity, weekdays="mon")
    # Saved past the form's validation: ends before it starts.
    ActivitySchedule.objects.create(
        activity=activity,
        frequency=ActivitySchedule.Frequency.WEEKLY,
        weekdays="sat",
        start_time=datetime.time(14, 0),
        end_time=datetime.time(9, 0),
    )

    (document,) = _documents_by_id(_rows(activity)).values()

    assert document["days"] == ["mon"]
    assert len(document["schedule"]) == 1
