"""An activity's photo and an organisation's logo: described for people who cannot see them,
taken only from the organisation's own images, and shown as renditions of the right size."""

import html

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail.test.utils.form_data import rich_text

from assets_directory.models import Activity
from assets_directory.models.pages import IMAGE_NOT_YOURS, image_collection_error
from assets_directory.selectors import activity_card_photos
from assets_directory.services import organisation_grant_editors
from search.services import index_rebuild
from tests.assets_directory.test_permissions import assert_refused, edit_post_data
from tests.factories import ActivityFactory, OrganisationFactory

LEEKS = "Volunteers planting leeks in raised beds"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def picture(organisation, title="Our garden"):
    return get_image_model().objects.create(
        title=title, file=get_test_image_file(), collection=organisation.collection
    )


@pytest.fixture
def own_image(editor, organisation):
    organisation.refresh_from_db()  # its collection was set with the editors group
    return picture(organisation)


@pytest.fixture
def other_image(other_organisation):
    organisation_grant_editors(organisation=other_organisation)
    other_organisation.refresh_from_db()
    return picture(other_organisation, title="The choir on stage")


def organisation_post_data(organisation, logo):
    return {
        "title": organisation.title,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "description": rich_text(""),
        "logo": logo.pk,
        "logo_alt": "Our logo: a ball of wool",
        "website": "",
        "email": "",
        "phone": "",
        "areas_served": "",
        "languages": "",
        "charity_number": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }


def body(response):
    return html.unescape(response.content.decode())


@pytest.mark.django_db
class TestDescriptionRequired:
    def test_a_photo_without_a_description_is_refused_on_the_description(self, activity, own_image):
        activity.photo = own_image
        activity.photo_alt = "  "
        with pytest.raises(ValidationError) as excinfo:
            activity.full_clean()
        assert "Describe the photo for people who cannot see it" in " ".join(
            excinfo.value.message_dict["photo_alt"]
        )

    def test_a_described_photo_and_no_photo_are_accepted(self, activity, own_image):
        activity.full_clean()
        activity.photo, activity.photo_alt = own_image, LEEKS
        activity.full_clean()

    def test_a_logo_without_a_description_is_refused(self, organisation, own_image):
        organisation.logo = own_image
        with pytest.raises(ValidationError) as excinfo:
            organisation.full_clean()
        assert "Describe the logo" in " ".join(excinfo.value.message_dict["logo_alt"])

    def test_the_editor_is_told_in_the_form(self, client, editor, activity, own_image):
        client.force_login(editor)
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[activity.pk]),
            edit_post_data(activity, photo=own_image.pk, photo_alt=""),
        )
        assert response.status_code == 200
        assert "Describe the photo for people who cannot see it" in body(response)


@pytest.mark.django_db
class TestOnlyTheOrganisationsOwnImages:
    def edit(self, client, activity, image):
        return client.post(
            reverse("wagtailadmin_pages:edit", args=[activity.pk]),
            edit_post_data(activity, photo=image.pk, photo_alt=LEEKS),
        )

    def test_an_editor_attaches_their_own_image(self, client, editor, activity, own_image):
        client.force_login(editor)
        assert self.edit(client, activity, own_image).status_code == 302
        draft = Page.objects.get(pk=activity.pk).get_latest_revision_as_object()
        assert (draft.photo_id, draft.photo_alt) == (own_image.pk, LEEKS)

    def test_another_organisations_image_is_refused_on_the_photo(
        self, client, editor, activity, other_image
    ):
        client.force_login(editor)
        revisions = activity.revisions.count()
        response = self.edit(client, activity, other_image)
        # The chooser never offered it, and a forged choice is not kept, nor shown back.
        assert response.status_code == 200
        assert "this picture is not one of them" in body(response)
        assert activity.revisions.count() == revisions
        assert Activity.objects.get(pk=activity.pk).photo_id is None
        assert other_image.title not in body(response)
        assert not other_image.renditions.exists()

    def test_a_moderator_cannot_give_one_groups_image_to_another(
        self, client, moderator, activity, other_image
    ):
        client.force_login(moderator)
        response = self.edit(client, activity, other_image)
        assert response.status_code == 200
        assert "this picture is not one of them" in body(response)

    def test_the_organisation_form_refuses_another_organisations_logo(
        self, client, moderator, organisation, own_image, other_image
    ):
        client.force_login(moderator)
        url = reverse("wagtailadmin_pages:edit", args=[organisation.pk])
        response = client.post(url, organisation_post_data(organisation, other_image))
        assert response.status_code == 200
        assert "this picture is not one of them" in body(response)
        assert other_image.title not in body(response)
        response = client.post(url, organisation_post_data(organisation, own_image))
        assert response.status_code == 302
        draft = Page.objects.get(pk=organisation.pk).get_latest_revision_as_object()
        assert draft.logo_id == own_image.pk

    def test_a_logo_must_be_the_organisations_own(self, organisation, own_image, other_image):
        organisation.refresh_from_db()
        assert image_collection_error(own_image, organisation=organisation) is None
        assert image_collection_error(other_image, organisation=organisation) == IMAGE_NOT_YOURS

    def test_a_group_with_no_collection_may_use_an_image_no_group_owns(
        self, directory, other_image
    ):
        newcomer = OrganisationFactory(parent=directory, title="Wandle Walkers")
        shared = get_image_model().objects.create(title="Common", file=get_test_image_file())
        assert image_collection_error(shared, organisation=newcomer) is None
        assert image_collection_error(other_image, organisation=newcomer) == IMAGE_NOT_YOURS


@pytest.mark.django_db
class TestCopying:
    def test_a_copy_into_another_organisation_leaves_the_photo_behind(
        self, activity, own_image, other_image, other_organisation
    ):
        activity.photo, activity.photo_alt = own_image, LEEKS
        activity.save_revision().publish()
        other_organisation.refresh_from_db()
        elsewhere = activity.copy(
            to=other_organisation, update_attrs={"title": "Leeks", "slug": "leeks"}
        ).specific
        assert (elsewhere.photo_id, elsewhere.photo_alt) == (None, "")
        assert elsewhere.get_latest_revision_as_object().photo_id is None
        here = activity.copy(update_attrs={"title": "Leeks too", "slug": "leeks-too"}).specific
        assert (here.photo_id, here.photo_alt) == (own_image.pk, LEEKS)


@pytest.mark.django_db
class TestEditorsReachOnlyTheirOwnImages:
    def test_another_organisations_image_cannot_be_edited(self, client, editor, other_image):
        client.force_login(editor)
        assert_refused(client.get(reverse("wagtailimages:edit", args=[other_image.pk])))
        assert_refused(client.get(reverse("wagtailimages_chooser:chosen", args=[other_image.pk])))

    def test_the_chooser_lists_only_their_own(self, client, editor, own_image, other_image):
        client.force_login(editor)
        response = client.get(reverse("wagtailimages_chooser:choose"))
        assert response.status_code == 200
        text = body(response)
        assert own_image.title in text
        assert other_image.title not in text


@pytest.fixture
def photographed(activity, own_image, organisation):
    """A's live activity with a described photo, and A's logo, described."""
    activity.photo, activity.photo_alt = own_image, LEEKS
    activity.save_revision().publish()
    organisation.logo, organisation.logo_alt = own_image, "Knit and Natter logo: a ball of wool"
    organisation.save_revision().publish()
    return Activity.objects.get(pk=activity.pk)


def img_tags(text):
    return [part.split(">", 1)[0] for part in text.split("<img")[1:]]


@pytest.mark.django_db
class TestShown:
    def test_the_activity_page_shows_the_photo_at_page_size_with_its_description(
        self, client, photographed
    ):
        tags = img_tags(body(client.get(photographed.url)))
        photo = [t for t in tags if "fill-640x360" in t]
        assert len(photo) == 1
        assert f'alt="{LEEKS}"' in photo[0]
        assert 'width="640"' in photo[0]

    def test_the_organisation_page_shows_the_logo_and_the_cards_photos(
        self, client, photographed, organisation
    ):
        tags = img_tags(body(client.get(organisation.url)))
        assert any('alt="Knit and Natter logo: a ball of wool"' in t for t in tags)
        cards = [t for t in tags if "card__photo" in t]
        assert len(cards) == 1
        assert "fill-400x225" in cards[0] and f'alt="{LEEKS}"' in cards[0]

    def test_the_directory_cards_show_photos_without_a_query_each(
        self, client, search_index, directory, photographed, own_image, organisation
    ):
        def browse():
            # The order from the index; each time from the database, not the page cache; the
            # renditions made first.
            index_rebuild()
            caches["default"].clear()
            client.get(directory.url)
            caches["default"].clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(directory.url)
            return response, len(queries)

        _, one_photo = browse()
        # Pictures of their own: one image's rendition, once found, is cached for all.
        for n in range(5):
            ActivityFactory(
                parent=organisation,
                title=f"Garden {n}",
                photo=picture(organisation, f"Garden {n}"),
                photo_alt=LEEKS,
            ).save_revision().publish()
        response, six_photos = browse()
        assert len([t for t in img_tags(body(response)) if "card__photo" in t]) == 6
        assert one_photo > 0
        assert six_photos == one_photo

    def test_result_photos_in_three_queries_however_many(
        self, photographed, organisation, own_image, django_assert_num_queries
    ):
        ids = [photographed.pk]
        for n in range(4):
            other = ActivityFactory(
                parent=organisation,
                title=f"Garden {n}",
                photo=picture(organisation, f"Garden {n}"),
                photo_alt=LEEKS,
            )
            ids.append(other.pk)
        ids.append(ActivityFactory(parent=organisation, title="No picture").pk)
        activity_card_photos(ids)  # the renditions are made once
        caches["default"].clear()  # and found in the database, not Wagtail's cache
        with django_assert_num_queries(3):
            photos = activity_card_photos(ids)
        assert set(photos) == set(ids[:-1])
        assert photos[photographed.pk].alt == LEEKS
        assert photos[photographed.pk].rendition.width == 400

    def test_search_results_show_the_photo_with_its_description(
        self, client, search_index, photographed
    ):
        index_rebuild()
        response = client.get(reverse("search:search"), {"q": "knit"})
        tags = [t for t in img_tags(body(response)) if "result__photo" in t]
        assert len(tags) == 1
        assert f'alt="{LEEKS}"' in tags[0] and "fill-400x225" in tags[0]

    def test_an_unlisted_activitys_photo_is_not_given_out(self, photographed):
        Activity.objects.filter(pk=photographed.pk).update(status=Activity.Status.ENDED)
        assert activity_card_photos([photographed.pk]) == {}
