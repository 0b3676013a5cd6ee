from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from assets_directory.demo.builder import DemoBuilder
from assets_directory.models import Activity, ActivitySchedule, Organisation, Venue


def load(**options):
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        load(organisations=2, activities=2)
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_load_demo_builds_borough_and_second_run_changes_nothing(settings, directory):
    settings.DEBUG = True
    output = load(organisations=12, activities=30)
    assert "12 organisations, 30 activities" in output
    assert "username 'admin', password 'common-ground-admin'" in output
    assert Organisation.objects.count() == 12
    assert Activity.objects.count() == 30
    assert ActivitySchedule.objects.count() == 30
    assert Venue.objects.filter(latitude__isnull=False).count() == Venue.objects.count() > 0
    every_activity_has_a_category = not Activity.objects.filter(categories__isnull=True).exists()
    assert every_activity_has_a_category

    counts = (Page.objects.count(), Activity.objects.count(), Venue.objects.count())
    output = load(organisations=12, activities=30)
    assert "nothing was changed" in output
    assert "username 'editor'" in output
    assert (Page.objects.count(), Activity.objects.count(), Venue.objects.count()) == counts


@pytest.mark.django_db
def test_same_seed_gives_same_borough(directory):
    DemoBuilder(seed=7, organisations=6, activities=10).build()
    first = sorted(Activity.objects.values_list("title", "slug"))
    Page.objects.filter(depth__gt=3).delete()
    Venue.objects.all().delete()
    DemoBuilder(seed=7, organisations=6, activities=10).build()
    assert sorted(Activity.objects.values_list("title", "slug")) == first


@pytest.mark.django_db
def test_bulk_activities_keep_the_page_tree_valid_and_render(client, directory, monkeypatch):
    monkeypatch.setattr(DemoBuilder, "DETAILED_LIMIT", 5)
    summary = DemoBuilder(organisations=4, activities=60).build()
    assert summary.activities == 60
    assert Activity.objects.count() == 60
    assert Page.find_problems() == ([], [], [], [], [])
    for organisation in Organisation.objects.all():
        assert organisation.numchild == organisation.get_children().count()
    bulk = Activity.objects.order_by("-pk").first()
    assert bulk.live and bulk.categories.exists() and bulk.schedules.exists()
    response = client.get(bulk.url)
    assert response.status_code == 200
    assert bulk.title in response.content.decode()
