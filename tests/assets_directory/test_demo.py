import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from assets_directory.demo.builder import DemoBuilder
from assets_directory.models import Activity, Organisation, Venue


@pytest.mark.django_db
def test_the_directory_demo_builds_a_borough_without_accounts(directory):
    summary = DemoBuilder(seed=7, organisations=3, activities=5).build()
    assert (summary.organisations, summary.activities) == (3, 5)
    # Accounts have published passwords: only cms.demo makes them, and only when asked.
    assert not get_user_model().objects.exists()


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
    # Each at a venue has its service_at_location id, as a save would give it; none without.
    places = list(Activity.objects.values_list("venue_id", "location_uuid"))
    assert all((venue is None) == (at is None) for venue, at in places)
    assert len({at for _, at in places if at}) == sum(1 for venue, _ in places if venue)
    response = client.get(bulk.url)
    assert response.status_code == 200
    assert bulk.title in response.content.decode()


@pytest.mark.django_db
def test_some_demo_activities_have_a_drawn_photo_described_in_their_own_collection(
    client, directory, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    summary = DemoBuilder(seed=7, organisations=3, activities=5).build()
    photographed = list(Activity.objects.filter(photo__isnull=False).select_related("photo"))
    assert summary.photos == len(photographed) == 3
    for activity in photographed:
        assert activity.photo_alt.startswith("A drawing of a yellow sun")
        assert activity.photo.collection_id == activity.get_parent().specific.collection_id
        activity.full_clean()
    page = client.get(photographed[0].url).content.decode()
    assert f'alt="{photographed[0].photo_alt}"' in page


@pytest.mark.django_db
def test_the_demo_has_one_group_at_a_private_address_counted_among_the_activities(directory):
    # Seven organisations: the seventh theme is the first mental health one, which runs it.
    summary = DemoBuilder(seed=7, organisations=7, activities=12).build()
    assert summary.activities == Activity.objects.count() == 12
    (refuge,) = Venue.objects.filter(is_private=True)
    (group,) = refuge.activities.all()
    assert group.live and group.schedules.exists()
    assert refuge.public_location().name == f"Private address in {refuge.outward_code}"
    first = (refuge.name, refuge.postcode, refuge.latitude, group.title, group.get_parent().title)
    Page.objects.filter(depth__gt=3).delete()
    Venue.objects.all().delete()
    DemoBuilder(seed=7, organisations=7, activities=12).build()
    again = Venue.objects.get(is_private=True)
    group = again.activities.get()
    assert (again.name, again.postcode, again.latitude, group.title, group.get_parent().title) == (
        first
    )
