import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from assets_directory import selectors, services
from assets_directory.models import Venue
from assets_directory.services import organisation_grant_editors
from search.documents import documents_for
from search.query import DirectoryQuery, GeoPoint
from search.selectors import search_directory
from tests.factories import ActivityFactory, OrganisationFactory, UserFactory, VenueFactory


@pytest.mark.django_db
class TestVenuePoint:
    def test_point_comes_from_postcode_when_not_given(self):
        venue = Venue(name="Balham Library", postcode="sw12 9bs")
        venue.full_clean()
        assert venue.postcode == "SW12 9BS"
        assert venue.latitude == pytest.approx(51.4469, abs=0.01)
        assert venue.longitude == pytest.approx(-0.1384, abs=0.01)

    def test_point_set_on_the_map_is_kept(self):
        venue = Venue(name="Hall", postcode="SW12 9BS", latitude=51.44, longitude=-0.15)
        venue.full_clean()
        assert (venue.latitude, venue.longitude) == (51.44, -0.15)

    def test_new_postcode_moves_a_point_that_was_not_changed(self):
        venue = VenueFactory(postcode="SW12 9BS", latitude=51.4469, longitude=-0.1384)
        venue.postcode = "SW15 1AA"
        venue.full_clean()
        assert venue.latitude == pytest.approx(51.4565, abs=0.01)

    @pytest.mark.parametrize(
        ("postcode", "message"),
        [("NOPE", "Enter a full postcode"), ("SW99 1AA", "could not find SW99")],
    )
    def test_bad_postcode_is_a_field_error(self, postcode, message):
        venue = Venue(name="Hall", postcode=postcode)
        with pytest.raises(ValidationError) as excinfo:
            venue.full_clean()
        assert message in " ".join(excinfo.value.message_dict["postcode"])

    def test_half_a_point_is_refused(self):
        venue = Venue(name="Hall", postcode="SW12 9BS", latitude=51.4)
        with pytest.raises(ValidationError) as excinfo:
            venue.full_clean()
        assert "longitude" in excinfo.value.message_dict


@pytest.mark.django_db
def test_admin_venue_form_shows_postcode_error_not_500(client, moderator):
    client.force_login(moderator)
    url = reverse("wagtailsnippets_assets_directory_venue:add")
    response = client.post(url, {"name": "Hall", "postcode": "SW99 1AA"})
    assert response.status_code == 200
    assert "could not find SW99" in response.content.decode()
    assert not Venue.objects.exists()
    response = client.post(url, {"name": "Hall", "postcode": "SW18 4DJ"})
    assert response.status_code == 302
    assert Venue.objects.get().latitude is not None


# Deleting and changing venues ----------------------------------------------------------------


@pytest.fixture
def published(organisation, moderator, django_capture_on_commit_callbacks):
    def _publish(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision(user=moderator).publish(user=moderator)
        return page

    return _publish


def venue_delete_url(venue):
    return reverse("wagtailsnippets_assets_directory_venue:delete", args=[venue.pk])


@pytest.mark.django_db
class TestDeletingVenues:
    def test_moderator_cannot_delete_a_venue_live_activities_use_and_is_told_which(
        self, client, moderator, activity, other_organisation, published
    ):
        venue = activity.venue
        published(activity)
        draft = ActivityFactory(parent=other_organisation, title="Choir", venue=venue, live=False)
        client.force_login(moderator)

        for response in (
            client.get(venue_delete_url(venue), follow=True),
            client.post(venue_delete_url(venue), follow=True),
        ):
            body = response.content.decode()
            assert f"{venue.name} cannot be deleted because 2 activities use it" in body
            assert "Knit and natter (Tooting Knit and Natter)" in body
            assert f"Choir ({other_organisation.title}, not yet published)" in body
        assert Venue.objects.filter(pk=venue.pk).exists()
        activity.refresh_from_db()
        draft.refresh_from_db()
        assert activity.venue == venue and draft.venue == venue

    def test_bulk_delete_is_refused_for_a_venue_in_use(self, client, moderator, activity):
        unused = VenueFactory(name="Old scout hut")
        client.force_login(moderator)
        url = (
            reverse("wagtail_bulk_action", args=["assets_directory", "venue", "delete"])
            + f"?id={activity.venue.pk}&id={unused.pk}"
        )
        response = client.post(url, follow=True)
        assert "cannot be deleted because an activity uses it" in response.content.decode()
        assert Venue.objects.filter(pk__in=[activity.venue.pk, unused.pk]).count() == 2

    def test_a_change_waiting_for_moderation_keeps_its_new_venue(
        self, client, moderator, activity, published
    ):
        published(activity)
        new_venue = VenueFactory(name="Library")
        activity.venue = new_venue
        activity.save_revision()  # submitted, not yet published
        with pytest.raises(services.VenueInUse) as excinfo:
            services.venue_delete(venue=new_venue)
        assert "Knit and natter (Tooting Knit and Natter, in a change not yet published)" in (
            excinfo.value.message
        )
        assert Venue.objects.filter(pk=new_venue.pk).exists()

    def test_unused_venue_is_deleted(self, client, moderator):
        venue = VenueFactory(name="Old scout hut")
        client.force_login(moderator)
        response = client.post(venue_delete_url(venue))
        assert response.status_code == 302
        assert not Venue.objects.filter(pk=venue.pk).exists()

    def test_deleting_a_venue_in_use_outside_the_admin_is_refused(self, activity):
        with pytest.raises(services.VenueInUse, match="an activity uses it: Knit and natter"):
            services.venue_delete(venue=activity.venue)
        # Even a bare delete keeps the activities' place.
        with pytest.raises(ProtectedError):
            activity.venue.delete()
        activity.refresh_from_db()
        assert activity.venue_id is not None


@pytest.mark.django_db
def test_moving_or_renaming_a_venue_reaches_the_index(
    search_index, activity, published, django_capture_on_commit_callbacks
):
    published(activity)
    venue = activity.venue
    with django_capture_on_commit_callbacks(execute=True):
        venue.name = "Tooting Library"
        venue.latitude, venue.longitude = 51.4275, -0.1680
        venue.save()
    (document,) = documents_for([activity.pk])
    (hit,) = search_directory(DirectoryQuery(text="knit")).hits
    assert hit.venue == "Tooting Library"
    assert (document["lat"], document["lng"]) == (51.4275, -0.1680)
    near = search_directory(
        DirectoryQuery(text="knit", near=GeoPoint(51.4275, -0.1680), radius_m=200)
    ).hits
    assert [h.title for h in near] == ["Knit and natter"]


# A group's own venues: added from the activity form's chooser, and theirs to correct -----------

CHOOSER_CREATE = "wagtailsnippetchoosers_assets_directory_venue:create"


@pytest.mark.django_db
def test_editor_adds_a_venue_from_the_chooser_and_it_is_their_groups(client, editor, organisation):
    client.force_login(editor)
    response = client.post(
        reverse(CHOOSER_CREATE), {"name": "Fircroft Room", "postcode": "sw17 7pp"}
    )
    assert response.status_code == 200
    assert response.json()["step"] == "chosen"
    venue = Venue.objects.get(name="Fircroft Room")
    assert venue.organisation == organisation
    assert venue.postcode == "SW17 7PP"
    # Placed from its postcode, since the volunteer did not touch the map.
    assert venue.latitude == pytest.approx(51.43, abs=0.03)
    assert venue.longitude == pytest.approx(-0.16, abs=0.03)


@pytest.mark.django_db
def test_chooser_offers_to_add_a_new_venue(client, editor):
    client.force_login(editor)
    response = client.get(reverse("wagtailsnippetchoosers_assets_directory_venue:choose"))
    assert response.status_code == 200
    html = response.json()["html"]
    assert "Add a new venue" in html
    assert "Find a venue" in html
    # Their group is set for them: they are not asked whose venue it is.
    assert 'name="organisation"' not in html


@pytest.mark.django_db
def test_bad_postcode_in_the_chooser_shows_the_form_again_naming_the_field(client, editor):
    client.force_login(editor)
    response = client.post(reverse(CHOOSER_CREATE), {"name": "Hall", "postcode": "SW99 1AA"})
    assert response.status_code == 200
    payload = response.json()
    assert payload["step"] == "reshow_creation_form"
    assert "could not find SW99" in payload["htmlFragment"]
    assert "Postcode" in payload["htmlFragment"]
    assert not Venue.objects.exists()


@pytest.mark.django_db
def test_editor_of_several_groups_chooses_one_of_theirs(client, organisation, other_organisation):
    user = UserFactory(
        groups=[
            organisation_grant_editors(organisation=organisation),
            organisation_grant_editors(organisation=other_organisation),
        ]
    )
    stranger = OrganisationFactory(parent=organisation.get_parent(), title="Not theirs")
    client.force_login(user)
    response = client.post(reverse(CHOOSER_CREATE), {"name": "Hall", "postcode": "SW17 7PP"})
    fragment = response.json()["htmlFragment"]
    assert "Which of your groups is adding it?" in fragment
    assert "Not theirs" not in fragment
    response = client.post(
        reverse(CHOOSER_CREATE),
        {"name": "Hall", "postcode": "SW17 7PP", "organisation": stranger.pk},
    )
    assert response.json()["step"] == "reshow_creation_form"
    assert not Venue.objects.exists()
    response = client.post(
        reverse(CHOOSER_CREATE),
        {"name": "Hall", "postcode": "SW17 7PP", "organisation": other_organisation.pk},
    )
    assert response.json()["step"] == "chosen"
    assert Venue.objects.get().organisation == other_organisation


@pytest.mark.django_db
def test_venue_list_offers_edit_only_on_the_editors_own_venues(client, editor, organisation):
    own = VenueFactory(name="Our Hall", organisation=organisation)
    shared = VenueFactory(name="Shared Library")
    client.force_login(editor)
    html = client.get(reverse("wagtailsnippets_assets_directory_venue:list")).content.decode()
    assert reverse("wagtailsnippets_assets_directory_venue:edit", args=[own.pk]) in html
    assert reverse("wagtailsnippets_assets_directory_venue:edit", args=[shared.pk]) not in html
    assert "Shared Library" in html


@pytest.mark.django_db
def test_editor_can_edit_the_venue_they_added_and_not_a_shared_one(client, editor, organisation):
    client.force_login(editor)
    client.post(reverse(CHOOSER_CREATE), {"name": "Fircroft Room", "postcode": "SW17 7PP"})
    venue = Venue.objects.get()
    url = reverse("wagtailsnippets_assets_directory_venue:edit", args=[venue.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Fircroft Room (upstairs)", "postcode": "SW17 7PP"})
    assert response.status_code == 302
    venue.refresh_from_db()
    assert venue.name == "Fircroft Room (upstairs)"
    assert venue.organisation == organisation
    shared = VenueFactory(name="Shared Library")
    shared_url = reverse("wagtailsnippets_assets_directory_venue:edit", args=[shared.pk])
    assert client.get(shared_url).status_code in (302, 403)
    client.post(shared_url, {"name": "Renamed", "postcode": "SW17 7PP"})
    shared.refresh_from_db()
    assert shared.name == "Shared Library"


@pytest.mark.django_db
def test_moderator_may_leave_a_venue_shared_or_give_it_to_a_group(client, moderator, organisation):
    client.force_login(moderator)
    url = reverse("wagtailsnippets_assets_directory_venue:add")
    client.post(url, {"name": "Shared", "postcode": "SW17 7PP"})
    client.post(url, {"name": "Theirs", "postcode": "SW17 7PP", "organisation": organisation.pk})
    assert Venue.objects.get(name="Shared").organisation is None
    assert Venue.objects.get(name="Theirs").organisation == organisation


# A moderator looks at what groups add and change -----------------------------------------------


@pytest.mark.django_db
def test_a_venue_a_group_adds_or_changes_is_put_to_moderators(client, editor, moderator):
    client.force_login(editor)
    client.post(reverse(CHOOSER_CREATE), {"name": "Fircroft Room", "postcode": "SW17 7PP"})
    venue = Venue.objects.get()
    assert venue.changed_by_group_at is not None
    assert selectors.venues_to_check() == [venue]

    services.venue_mark_checked(venue=venue)
    assert selectors.venues_to_check() == []

    url = reverse("wagtailsnippets_assets_directory_venue:edit", args=[venue.pk])
    client.post(url, {"name": "Fircroft Room (upstairs)", "postcode": "SW17 7PP"})
    assert selectors.venues_to_check() == [Venue.objects.get()]

    # A moderator correcting it has looked at it.
    client.force_login(moderator)
    client.post(
        url,
        {
            "name": "Fircroft Room, upstairs",
            "postcode": "SW17 7PP",
            "organisation": venue.organisation_id,
        },
    )
    assert Venue.objects.get().name == "Fircroft Room, upstairs"
    assert selectors.venues_to_check() == []


@pytest.mark.django_db
def test_a_venue_a_moderator_adds_is_not_put_to_moderators(client, moderator):
    client.force_login(moderator)
    client.post(
        reverse("wagtailsnippets_assets_directory_venue:add"),
        {"name": "Library", "postcode": "SW17 7PP"},
    )
    assert Venue.objects.get().changed_by_group_at is None
    assert selectors.venues_to_check() == []
