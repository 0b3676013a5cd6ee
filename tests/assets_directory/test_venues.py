import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assets_directory.models import Venue
from tests.factories import VenueFactory


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
