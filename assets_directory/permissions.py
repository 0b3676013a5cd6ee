"""Who may change a venue: moderators any; a group's editors the venues their group added.

Venues are shared (any editor may choose any venue for an activity), but correcting one is
its group's job: an editor who adds "Fircroft Community Room" must be able to fix its
postcode afterwards, and must not be able to move another group's hall.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Organisation, Venue

# Editors' own venues are changed with the right to add venues, which every group's editors
# hold (services.registration.EDITOR_MODEL_PERMISSIONS); "change" itself stays a moderator's.
OWN_VENUE_PERMISSION = "add"


def organisations_edited_by(user) -> QuerySet[Organisation]:
    """The organisations whose editors group ``user`` belongs to."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(editors_group__user=user)


class VenuePermissionPolicy(ModelPermissionPolicy):
    """Model permissions, plus "change" on the venues of the organisations a user edits."""

    def _edits_own(self, user) -> bool:
        return user.is_active and super().user_has_permission(user, OWN_VENUE_PERMISSION)

    def user_has_permission(self, user, action):
        # "Change" at model level opens the edit view at all; the view then asks per venue.
        if action == "change" and self._edits_own(user):
            return True
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if super().user_has_permission(user, action):
            return True
        if action != "change" or instance.organisation_id is None or not self._edits_own(user):
            return False
        return organisations_edited_by(user).filter(pk=instance.organisation_id).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if super().user_has_any_permission(user, actions):
            return Venue.objects.all()
        if "change" in actions and self._edits_own(user):
            return Venue.objects.filter(
                Q(organisation__in=organisations_edited_by(user).values("pk"))
            )
        return Venue.objects.none()


venue_policy = VenuePermissionPolicy(Venue)


def is_moderator(user) -> bool:
    """Moderators (Wagtail's Moderators group) and superusers: they look after the whole
    directory, and what other apps bring into it."""
    return user.is_superuser or user.groups.filter(name="Moderators").exists()
