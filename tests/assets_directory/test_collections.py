"""Each organisation's images and documents are its own, whatever it or another is called."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, GroupCollectionPermission
from wagtail.permissions import policy_registry

from assets_directory.models import GroupRegistration, Organisation
from assets_directory.services import (
    organisation_grant_editors,
    registration_approve,
    registration_submit,
)
from tests.assets_directory.test_permissions import assert_refused
from tests.factories import OrganisationFactory

OLD_NAME = "Tooting Knit and Natter"


def rename(organisation, title):
    organisation.title = title
    organisation.draft_title = title
    organisation.save_revision().publish()
    organisation.refresh_from_db()
    return organisation


def register(name, email):
    return registration_submit(
        organisation_name=name,
        kind="community_group",
        description="We knit.",
        website="",
        email="",
        phone="",
        postcode="SW17 0AA",
        areas_served="Tooting",
        contact_name="New Contact",
        contact_email=email,
    )


def files_of(organisation):
    image = get_image_model().objects.create(
        title="Our banner", file=get_test_image_file(), collection=organisation.collection
    )
    document = get_document_model().objects.create(
        title="Our constitution",
        file=ContentFile(b"constitution", name="constitution.txt"),
        collection=organisation.collection,
    )
    return image, document


@pytest.fixture
def taken_name(directory, organisation, editor, moderator):
    """Organisation A is renamed; a new group registers under A's old name and is approved."""
    rename(organisation, "Tooting Knitters")
    registration = register(OLD_NAME, "newcomer@example.org")
    registration_approve(registration=registration, moderator=moderator)
    registration.refresh_from_db()
    return registration.organisation.specific, registration.user


@pytest.mark.django_db
class TestServices:
    def test_approval_gives_each_organisation_its_own_collection(
        self, organisation, other_organisation
    ):
        organisation_grant_editors(organisation=organisation)
        organisation_grant_editors(organisation=other_organisation)
        organisation.refresh_from_db()
        other_organisation.refresh_from_db()
        assert organisation.collection is not None
        assert organisation.collection != other_organisation.collection
        assert organisation.collection.name == organisation.title

    def test_new_group_with_renamed_groups_old_name_gets_no_right_on_its_collection(
        self, organisation, taken_name
    ):
        newcomer, user = taken_name
        organisation.refresh_from_db()
        assert newcomer.title == OLD_NAME
        assert newcomer.collection_id != organisation.collection_id
        assert not GroupCollectionPermission.objects.filter(
            group=newcomer.editors_group, collection=organisation.collection
        ).exists()
        image, document = files_of(organisation)
        images = policy_registry.get_by_type(get_image_model())
        documents = policy_registry.get_by_type(get_document_model())
        for action in ("change", "delete", "choose"):
            assert not images.user_has_permission_for_instance(user, action, image)
            assert not documents.user_has_permission_for_instance(user, action, document)

    def test_a_collection_that_only_bears_the_name_is_not_given_to_the_group(
        self, directory, moderator
    ):
        # e.g. a renamed group's collection that a moderator has not renamed, or the site's own.
        bystander = Collection.get_first_root_node().add_child(name=OLD_NAME)
        registration = register(OLD_NAME, "newcomer@example.org")
        registration_approve(registration=registration, moderator=moderator)
        newcomer = Organisation.objects.get(pk=registration.organisation_id)
        assert newcomer.collection not in (None, bystander)
        assert newcomer.collection.name == f"{OLD_NAME} (2)"
        assert not GroupCollectionPermission.objects.filter(collection=bystander).exists()

    def test_renamed_organisation_keeps_its_collection_under_its_new_name(
        self, organisation, editor
    ):
        collection = Organisation.objects.get(pk=organisation.pk).collection
        rename(organisation, "Tooting Knitters")
        organisation_grant_editors(organisation=organisation)
        assert organisation.collection == collection
        collection.refresh_from_db()
        assert collection.name == "Tooting Knitters"

    def test_publishing_an_old_revision_keeps_the_collection(self, organisation, editor):
        old = organisation.save_revision()
        collection_id = Organisation.objects.get(pk=organisation.pk).collection_id
        old.publish()
        assert Organisation.objects.get(pk=organisation.pk).collection_id == collection_id


@pytest.mark.django_db
def test_other_groups_editor_cannot_edit_or_delete_files_over_the_admin(
    client, organisation, taken_name
):
    organisation.refresh_from_db()
    image, document = files_of(organisation)
    _, user = taken_name
    client.force_login(user)

    for app in ("wagtailimages", "wagtaildocs"):
        item = image if app == "wagtailimages" else document
        edit = reverse(f"{app}:edit", args=[item.pk])
        delete = reverse(f"{app}:delete", args=[item.pk])
        assert_refused(client.get(edit))
        assert_refused(client.post(edit, {"title": "Hijacked"}))
        assert_refused(client.get(delete))
        assert_refused(client.post(delete))
        item.refresh_from_db()
        assert item.title in ("Our banner", "Our constitution")

    assert "Our banner" not in client.get(reverse("wagtailimages:index")).content.decode()
    assert "Our constitution" not in client.get(reverse("wagtaildocs:index")).content.decode()


@pytest.mark.django_db
def test_migration_separates_organisations_that_share_a_collection_by_name(
    directory, organisation, editor
):
    """The state the name look-up left behind: two groups with rights on one collection."""
    from django.apps import apps

    shared = Organisation.objects.get(pk=organisation.pk).collection
    rename(organisation, "Tooting Knitters")
    newcomer = OrganisationFactory(parent=directory, title=OLD_NAME, slug="newcomer")
    newcomers = Group.objects.create(name=f"Editors: {OLD_NAME} (2)")
    Organisation.objects.filter(pk=newcomer.pk).update(editors_group=newcomers)
    change_image = Permission.objects.get(codename="change_image")
    GroupCollectionPermission.objects.create(
        group=newcomers, collection=shared, permission=change_image
    )
    Organisation.objects.update(collection=None)

    migration = importlib.import_module(
        "assets_directory.migrations.0005_link_organisation_collections"
    )
    migration.link(apps, None)

    organisation.refresh_from_db()
    newcomer.refresh_from_db()
    assert organisation.collection == shared
    assert newcomer.collection not in (None, shared)
    assert newcomer.collection.get_parent() == Collection.get_first_root_node()
    assert not GroupCollectionPermission.objects.filter(group=newcomers, collection=shared).exists()
    assert GroupCollectionPermission.objects.filter(
        group=newcomers, collection=newcomer.collection, permission=change_image
    ).exists()
    # The tree is still sound: treebeard can add another collection after the new one.
    Collection.get_first_root_node().add_child(name="Another")
    assert Collection.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_registration_made_before_approval_has_no_collection_yet(directory):
    registration = register("Furzedown Friends", "friends@example.org")
    assert registration.status == GroupRegistration.Status.PENDING
    assert registration.organisation.specific.collection is None
