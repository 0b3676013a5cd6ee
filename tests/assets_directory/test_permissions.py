"""Organisation editors work on their own organisation's pages only, through moderation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import rich_text

from assets_directory.models import Activity, Organisation
from tests.conftest import make_editor


def edit_post_data(activity, **changes):
    """The minimum form data Wagtail's editor needs to save an Activity."""
    data = {
        "title": activity.title,
        "slug": activity.slug,
        "summary": activity.summary,
        "description": rich_text(""),
        "categories": [c.pk for c in activity.categories.all()],
        "tags": "",
        "status": activity.status,
        "delivery": activity.delivery,
        "venue": activity.venue_id or "",
        "cost": activity.cost,
        "cost_amount": "",
        "cost_details": "",
        "booking": activity.booking,
        "capacity": activity.capacity,
        "referral_route": activity.referral_route,
        "how_to_join": "",
        "who_for": "",
        "carers_welcome": "on",
        "age_min": "",
        "age_max": "",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "schedules-TOTAL_FORMS": "0",
        "schedules-INITIAL_FORMS": "0",
        "schedules-MIN_NUM_FORMS": "0",
        "schedules-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def assert_refused(response):
    # Wagtail answers a permission failure with 403, or with a redirect to the dashboard and
    # a message; either way the page must not be shown.
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("wagtailadmin_home"))


@pytest.mark.django_db
class TestOrganisationEditor:
    def test_editor_can_open_own_activity_in_editor(self, client, editor, activity):
        client.force_login(editor)
        response = client.get(reverse("wagtailadmin_pages:edit", args=[activity.pk]))
        assert response.status_code == 200
        assert activity.title in response.content.decode()

    def test_editor_cannot_edit_other_organisation(self, client, editor, other_activity):
        client.force_login(editor)
        response = client.get(reverse("wagtailadmin_pages:edit", args=[other_activity.pk]))
        assert_refused(response)

    def test_editor_cannot_save_changes_to_other_organisation_by_post(
        self, client, editor, other_activity
    ):
        client.force_login(editor)
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[other_activity.pk]),
            edit_post_data(other_activity, title="Hijacked"),
        )
        assert_refused(response)
        other_activity.refresh_from_db()
        assert other_activity.title == "Community choir"
        assert other_activity.get_latest_revision() is None or (
            other_activity.get_latest_revision().as_object().title != "Hijacked"
        )

    def test_editor_cannot_explore_other_organisation(self, client, editor, other_organisation):
        client.force_login(editor)
        response = client.get(reverse("wagtailadmin_explore", args=[other_organisation.pk]))
        assert_refused(response)

    def test_explorer_lists_only_own_organisation(
        self, client, editor, organisation, other_organisation, directory
    ):
        client.force_login(editor)
        response = client.get(reverse("wagtailadmin_explore", args=[directory.pk]), follow=True)
        body = response.content.decode()
        assert other_organisation.title not in body

    def test_editor_cannot_view_draft_of_other_organisation(self, client, editor, other_activity):
        client.force_login(editor)
        response = client.get(reverse("wagtailadmin_pages:view_draft", args=[other_activity.pk]))
        assert_refused(response)

    def test_editor_cannot_add_activity_to_other_organisation(
        self, client, editor, other_organisation
    ):
        client.force_login(editor)
        url = reverse(
            "wagtailadmin_pages:add",
            args=["assets_directory", "activity", other_organisation.pk],
        )
        assert_refused(client.get(url))

    def test_editor_can_add_activity_to_own_organisation(self, client, editor, organisation):
        client.force_login(editor)
        url = reverse(
            "wagtailadmin_pages:add", args=["assets_directory", "activity", organisation.pk]
        )
        assert client.get(url).status_code == 200

    @pytest.mark.parametrize("action", ["delete", "unpublish", "move", "copy"])
    def test_editor_cannot_delete_unpublish_move_or_copy_other_organisation(
        self, client, editor, other_activity, action
    ):
        client.force_login(editor)
        url = reverse(f"wagtailadmin_pages:{action}", args=[other_activity.pk])
        assert_refused(client.get(url))
        assert_refused(client.post(url))
        other_activity.refresh_from_db()
        assert other_activity.live
        assert Page.objects.filter(pk=other_activity.pk).exists()

    def test_editor_cannot_publish_without_moderation(self, client, editor, activity):
        client.force_login(editor)
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[activity.pk]),
            edit_post_data(activity, title="Knit, natter and crochet", **{"action-publish": "1"}),
        )
        assert response.status_code in (200, 302, 403)
        activity.refresh_from_db()
        assert activity.title == "Knit and natter"

    def test_editor_submits_for_moderation_and_moderator_publishes(
        self, client, editor, moderator, activity
    ):
        client.force_login(editor)
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[activity.pk]),
            edit_post_data(activity, title="Knit, natter and crochet", **{"action-submit": "1"}),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        activity.refresh_from_db()
        assert activity.title == "Knit and natter"  # not live yet
        state = WorkflowState.objects.get(
            base_content_type__isnull=False, object_id=str(activity.pk)
        )
        assert state.status == WorkflowState.STATUS_IN_PROGRESS

        # The moderator approves the task in the admin, which publishes the change.
        client.force_login(moderator)
        task_state = state.current_task_state
        response = client.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=[activity.pk, "approve", task_state.pk],
            ),
            {"comment": ""},
        )
        assert response.status_code in (200, 302)
        activity.refresh_from_db()
        assert activity.title == "Knit, natter and crochet"
        assert activity.live

    def test_moderator_can_publish_directly(self, client, moderator, other_activity):
        client.force_login(moderator)
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[other_activity.pk]),
            edit_post_data(other_activity, title="Balham choir", **{"action-publish": "1"}),
        )
        assert response.status_code == 302
        other_activity.refresh_from_db()
        assert other_activity.title == "Balham choir"

    def test_editor_cannot_open_registration_decisions(self, client, editor):
        client.force_login(editor)
        response = client.get(reverse("wagtailsnippets_assets_directory_groupregistration:list"))
        assert_refused(response)


@pytest.mark.django_db
def test_unpublished_activity_is_not_public(client, activity):
    activity.unpublish()
    assert client.get(activity.url_path.replace("/home", "", 1)).status_code == 404
    assert Activity.objects.live().filter(pk=activity.pk).count() == 0


@pytest.mark.django_db
def test_editor_uploads_only_to_own_collection_and_cannot_edit_other_images(
    client, editor, organisation, other_organisation
):
    make_editor(other_organisation, username="singer", email="singer@example.org")
    own = Organisation.objects.get(pk=organisation.pk).collection
    other = Organisation.objects.get(pk=other_organisation.pk).collection
    Image = get_image_model()
    other_image = Image.objects.create(
        title="Choir photo", file=get_test_image_file(), collection=other
    )

    client.force_login(editor)
    response = client.get(reverse("wagtailimages:edit", args=[other_image.pk]))
    assert_refused(response)
    response = client.post(
        reverse("wagtailimages:delete", args=[other_image.pk]),
    )
    assert_refused(response)
    assert Image.objects.filter(pk=other_image.pk).exists()

    listing = client.get(reverse("wagtailimages:index")).content.decode()
    assert "Choir photo" not in listing

    def upload(name):
        return SimpleUploadedFile(
            f"{name}.png", get_test_image_file().file.getvalue(), content_type="image/png"
        )

    # An upload that names the other organisation's collection never lands there.
    client.post(
        reverse("wagtailimages:add"),
        {"title": "Sneaky", "file": upload("sneaky"), "collection": other.pk},
    )
    assert not Image.objects.filter(title="Sneaky", collection=other).exists()
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Our logo", "file": upload("logo"), "collection": own.pk},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Image.objects.get(title="Our logo").collection == own
