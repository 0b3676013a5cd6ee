"""Venues: one that activities use cannot be deleted; groups' changes are looked at."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from common.mail import mail_send
from common.site import absolute_url

from ..models import Activity, Venue
from ..selectors import organisation_owner_emails, venue_activities

# How many activities a refusal names before it says "and N more".
VENUE_IN_USE_LISTED = 10


class VenueInUse(ValueError):
    """A venue that activities use cannot be deleted; `message` names them."""

    def __init__(self, *, venue: Venue, activities: list[Activity]):
        self.venue = venue
        self.activities = activities
        names = [_venue_user(a, venue) for a in activities[:VENUE_IN_USE_LISTED]]
        if len(activities) > VENUE_IN_USE_LISTED:
            names.append(f"and {len(activities) - VENUE_IN_USE_LISTED} more")
        self.message = (
            f"{venue.name} cannot be deleted because "
            + ("an activity uses" if len(activities) == 1 else f"{len(activities)} activities use")
            + f" it: {'; '.join(names)}. Choose another venue for "
            + ("it" if len(activities) == 1 else "them")
            + " first."
        )
        super().__init__(self.message)


def _venue_user(activity: Activity, venue: Venue) -> str:
    if activity.live and activity.venue_id == venue.pk:
        state = ""
    elif activity.live:
        state = ", in a change not yet published"
    else:
        state = ", not yet published"
    return f"{activity.title} ({activity.get_parent().title}{state})"


def venue_ensure_unused(*, venue: Venue) -> None:
    """Raise VenueInUse if any activity, live or waiting to be published, names the venue."""
    activities = venue_activities(venue=venue)
    if activities:
        raise VenueInUse(venue=venue, activities=activities)


@transaction.atomic
def venue_delete(*, venue: Venue) -> None:
    """Delete a venue no activity uses; deleting one in use would strip its activities of
    their place (and their point on the map)."""
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    venue_ensure_unused(venue=venue)
    venue.delete()


def venue_mark_checked(*, venue: Venue) -> None:
    """A moderator has looked at what a group added or changed: off the review queue."""
    Venue.objects.filter(pk=venue.pk).update(changed_by_group_at=None)


def venue_request_changes(*, venue: Venue, reason: str) -> bool:
    """A moderator looked and something is wrong: tell the group that added it what, and where
    to correct it. Off the queue until the group changes it again."""
    venue_mark_checked(venue=venue)
    recipients = organisation_owner_emails(venue.organisation) if venue.organisation else []
    if not recipients:
        return False
    return mail_send(
        subject=f'Please correct the venue "{venue.name}"',
        template="assets_directory/emails/venue_changes_requested.txt",
        context={
            "venue": venue.name,
            "reason": reason,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "edit_url": absolute_url(
                reverse("wagtailsnippets_assets_directory_venue:edit", args=[venue.pk])
            ),
        },
        to=sorted(recipients),
    )
