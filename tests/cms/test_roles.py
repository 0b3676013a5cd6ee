"""Each built-in group has the rights its role needs and no more."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import GroupCollectionPermission, GroupPagePermission
from wagtail.permissions import policy_registry

from tests.assets_directory.test_permissions import assert_refused
from tests.factories import UserFactory


@pytest.mark.django_db
def test_only_commissioners_open_insights(client, moderator):
    commissioner = UserFactory(groups=[Group.objects.get(name="Commissioners")])
    client.force_login(moderator)
    assert client.get(reverse("matching:insights")).status_code == 403
    client.force_login(commissioner)
    assert client.get(reverse("matching:insights")).status_code == 200


@pytest.mark.django_db
def test_wagtails_editors_group_gives_no_right_on_pages_images_or_documents(
    client, activity, organisation
):
    editors = Group.objects.get(name="Editors")
    assert not GroupPagePermission.objects.filter(group=editors).exists()
    assert not GroupCollectionPermission.objects.filter(group=editors).exists()
    assert not editors.permissions.exists()

    member = UserFactory(groups=[editors])
    for model in (get_image_model(), get_document_model()):
        policy = policy_registry.get_by_type(model)
        assert not policy.user_has_any_permission(member, ["add", "change", "choose", "delete"])
    client.force_login(member)
    assert_refused(client.get(reverse("wagtailadmin_pages:edit", args=[activity.pk])))
    assert_refused(client.get(reverse("wagtailadmin_home")))
