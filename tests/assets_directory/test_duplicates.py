"""'Is this already listed?': likely duplicates of a group registering, and of a new activity."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import WorkflowState

from assets_directory import duplicates
from assets_directory.duplicates import (
    activity_duplicates,
    name_similarity,
    organisation_duplicates,
    venues_at,
)
from assets_directory.geocoding import GeocodeResult
from tests.assets_directory.test_activity_form import add_url
from tests.assets_directory.test_permissions import edit_post_data
from tests.conftest import make_editor
from tests.factories import ActivityFactory, OrganisationFactory, VenueFactory

# Two points 60 m apart on Garratt Lane, and one 1 km away.
HERE = (51.4489, -0.1971)
NEAR = (51.44944, -0.1971)
FAR = (51.4579, -0.1971)


@pytest.fixture
def geocode_full_postcodes(monkeypatch):
    """A geocoder that knows full postcodes to the metre: SW18 4DJ is HERE, SW18 9ZZ is FAR."""
    points = {"SW18 4DJ": HERE, "SW18 9ZZ": FAR}

    def geocode(text):
        outcode, full = text.split(" ")[0], text
        latitude, longitude = points.get(text, FAR)
        return GeocodeResult(latitude, longitude, outcode, full, "postcode", text)

    monkeypatch.setattr(duplicates, "geocode", geocode)


class TestNameSimilarity:
    @pytest.mark.parametrize(
        "a, b",
        [
            ("Earlsfield Repair Café", "earlsfield  repair café"),
            ("The Balham Choir", "Balham Choir"),
            ("Balham Community Choir", "Balham Choir"),
            ("Ｅａｒｌｓｆｉｅｌｄ Repair Café", "Earlsfield Repair Cafe"),
            ("Knit & Natter, Tooting", "Tooting Knit and Natter"),
        ],
    )
    def test_the_same_group_written_differently_is_alike(self, a, b):
        assert name_similarity(a, b) >= duplicates.SIMILAR

    @pytest.mark.parametrize(
        "a, b",
        [
            ("Balham Choir", "Tooting Chess Club"),
            ("Earlsfield Repair Café", "Wandle Walkers"),
            ("The Group", "Tooting Knit and Natter"),
        ],
    )
    def test_different_groups_are_not(self, a, b):
        assert name_similarity(a, b) < duplicates.SIMILAR

    @pytest.mark.parametrize(
        "hostile", ["", " ", "\u202e", "%", "_", "'; DROP TABLE x;--", "a" * 5000]
    )
    def test_hostile_names_do_not_break_it(self, hostile):
        assert 0.0 <= name_similarity(hostile, "Balham Choir") <= 1.0


@pytest.mark.django_db
class TestOrganisationDuplicates:
    def test_much_the_same_name_anywhere(self, directory):
        choir = OrganisationFactory(parent=directory, title="Balham Community Choir")
        OrganisationFactory(parent=directory, title="Tooting Chess Club")
        found = organisation_duplicates(name="the balham choir")
        assert [d.page.pk for d in found] == [choir.pk]
        assert found[0].reasons == ("much the same name",)

    def test_unpublished_organisations_are_not_offered(self, directory):
        OrganisationFactory(parent=directory, title="Balham Choir", live=False)
        assert organisation_duplicates(name="Balham Choir") == []

    def test_a_group_meeting_within_100_m_with_a_name_somewhat_alike(
        self, directory, geocode_full_postcodes
    ):
        knitters = OrganisationFactory(parent=directory, title="Garratt Knitters")
        hall = VenueFactory(name="Garratt Hall", latitude=NEAR[0], longitude=NEAR[1])
        ActivityFactory(parent=knitters, venue=hall)
        found = organisation_duplicates(name="Garratt Lane Knitting", postcode="SW18 4DJ")
        assert [d.page.pk for d in found] == [knitters.pk]
        assert "meets at that postcode or within 100 m" in found[0].reasons
        assert 40 < found[0].distance_m < 80

    def test_unlike_names_at_the_same_hall_are_not_offered(self, directory, geocode_full_postcodes):
        chess = OrganisationFactory(parent=directory, title="Tooting Chess Club")
        hall = VenueFactory(name="Garratt Hall", latitude=NEAR[0], longitude=NEAR[1])
        ActivityFactory(parent=chess, venue=hall)
        assert organisation_duplicates(name="Garratt Knitters", postcode="SW18 4DJ") == []

    def test_a_venue_1_km_away_does_not_count(self, directory, geocode_full_postcodes):
        knitters = OrganisationFactory(parent=directory, title="Garratt Knitters")
        VenueFactory(
            name="Far Hall",
            postcode="SW17 0AA",
            latitude=FAR[0],
            longitude=FAR[1],
            organisation=knitters,
        )
        assert organisation_duplicates(name="Garratt Lane Knitting", postcode="SW18 4DJ") == []

    def test_a_venue_at_the_same_postcode_counts_without_a_precise_geocoder(self, directory):
        # The shipped geocoder knows outward codes only: the same full postcode still counts.
        knitters = OrganisationFactory(parent=directory, title="Garratt Knitters")
        VenueFactory(name="Garratt Hall", postcode="SW18 4DJ", organisation=knitters)
        assert venues_at("SW18") == {}
        found = organisation_duplicates(name="Garratt Lane Knitting", postcode="sw18 4dj")
        assert [d.page.pk for d in found] == [knitters.pk]

    def test_claimable_only_without_active_editors(self, directory):
        nobody = OrganisationFactory(parent=directory, title="Balham Choir")
        looked_after = OrganisationFactory(parent=directory, title="Balham Choir, SW12")
        make_editor(looked_after, username="singer")
        inactive = OrganisationFactory(parent=directory, title="The Balham Choir")
        make_editor(inactive, username="gone", is_active=False)
        found = {d.page.pk: d.claimable for d in organisation_duplicates(name="Balham Choir")}
        assert found == {nobody.pk: True, looked_after.pk: False, inactive.pk: True}

    @pytest.mark.parametrize(
        "hostile", ["%", "_", "\\", "'; DROP TABLE x;--", "<script>", "\u202e", "a" * 300, ""]
    )
    def test_hostile_names_and_postcodes_find_nothing_and_break_nothing(self, directory, hostile):
        OrganisationFactory(parent=directory, title="Balham Choir")
        assert organisation_duplicates(name=hostile, postcode=hostile) == []

    def test_reads_a_bounded_number_of_queries(self, directory, geocode_full_postcodes):
        for n in range(30):
            organisation = OrganisationFactory(parent=directory, title=f"Balham Choir {n}")
            VenueFactory(name=f"Hall {n}", organisation=organisation)
        with CaptureQueriesContext(connection) as queries:
            found = organisation_duplicates(name="Balham Choir", postcode="SW18 4DJ")
        assert len(found) == duplicates.SHOWN
        assert len(queries) <= 8


@pytest.mark.django_db
class TestActivityDuplicates:
    def test_same_title_at_a_venue_within_100_m(self, organisation, other_organisation):
        here = VenueFactory(name="St Anne's Hall", latitude=HERE[0], longitude=HERE[1])
        near = VenueFactory(name="St Anne's Crypt", latitude=NEAR[0], longitude=NEAR[1])
        far = VenueFactory(name="Far Hall", latitude=FAR[0], longitude=FAR[1])
        same = ActivityFactory(parent=other_organisation, title="Knit and Natter", venue=near)
        ActivityFactory(parent=other_organisation, title="Knit and natter", slug="far", venue=far)
        ActivityFactory(parent=other_organisation, title="Chess club", venue=near)
        new = ActivityFactory(parent=organisation, title="Knit & natter", venue=here, live=False)
        found = activity_duplicates(activity=new)
        assert [d.page.pk for d in found] == [same.pk]
        assert found[0].reasons == ("much the same title", "at a venue within 100 m")

    def test_drafts_of_other_groups_are_not_shown(self, organisation, other_organisation):
        hall = VenueFactory(name="St Anne's Hall")
        ActivityFactory(parent=other_organisation, title="Knit and natter", venue=hall, live=False)
        new = ActivityFactory(parent=organisation, title="Knit and natter", venue=hall)
        assert activity_duplicates(activity=new) == []


def create_activity(client, organisation, activity, **changes):
    """Add an activity through the admin, as an editor does, and follow to where it lands."""
    data = edit_post_data(activity, **changes)
    del data["slug"]
    response = client.post(add_url(organisation), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(response["Location"])


@pytest.mark.django_db
class TestWarningInTheAdmin:
    @pytest.mark.parametrize("submit", [False, True])
    def test_a_new_activity_like_a_listed_one_gets_a_warning_with_links(
        self, client, editor, organisation, activity, other_organisation, submit
    ):
        hall = VenueFactory(name="St Anne's Hall")
        listed = ActivityFactory(parent=other_organisation, title="Crochet <b>club</b>", venue=hall)
        client.force_login(editor)
        changes = {"title": "Crochet <b>Club</b>", "venue": hall.pk}
        if submit:
            changes["action-submit"] = "1"
        response = create_activity(client, organisation, activity, **changes)
        assert response.status_code == 200
        shown = [str(m.message) for m in response.context["messages"]]
        warning = next(m for m in shown if "Is this already listed?" in m)
        assert "&lt;b&gt;club&lt;/b&gt;" in warning and "<b>club" not in warning
        assert f'href="{listed.url}"' in warning
        if submit:
            # The acknowledgement of a submission is still there, and the editor lands on
            # their dashboard.
            assert response.request["PATH_INFO"] == reverse("wagtailadmin_home")
            assert any("is sent for approval" in m for m in shown)
            assert WorkflowState.objects.filter(status="in_progress").exists()

    def test_no_warning_for_a_new_activity_like_nothing(
        self, client, editor, organisation, activity, other_organisation
    ):
        hall = VenueFactory(name="St Anne's Hall")
        ActivityFactory(parent=other_organisation, title="Chess club", venue=hall)
        client.force_login(editor)
        response = create_activity(
            client, organisation, activity, title="Bell ringing", venue=hall.pk
        )
        assert response.status_code == 200
        assert not any("already listed" in str(m.message) for m in response.context["messages"])
