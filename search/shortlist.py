"""The visitor's shortlist, kept in the session: ids of activities, in the order added."""

from __future__ import annotations

from assets_directory.models import Activity
from assets_directory.selectors import with_organisation_titles
from common.http import parse_ids
from common.mail import mail_send
from common.site import site_url

SESSION_KEY = "shortlist"
MAX_ITEMS = 50


def shortlist_ids(session) -> list[int]:
    stored = session.get(SESSION_KEY)
    return parse_ids(stored if isinstance(stored, list) else [], limit=MAX_ITEMS)


def shortlist_add(session, activity_id: int) -> bool:
    """Add an activity; False when the list is full."""
    ids = shortlist_ids(session)
    if activity_id in ids:
        return True
    if len(ids) >= MAX_ITEMS:
        return False
    session[SESSION_KEY] = [*ids, activity_id]
    return True


def shortlist_remove(session, activity_id: int) -> None:
    session[SESSION_KEY] = [i for i in shortlist_ids(session) if i != activity_id]


def shortlist_clear(session) -> None:
    session.pop(SESSION_KEY, None)


def shortlist_activities(session) -> list[Activity]:
    """Live activities on the list, in the order added (ones since unpublished drop out), each
    with its `organisation_title`."""
    ids = shortlist_ids(session)
    activities = (
        Activity.objects.visible()
        .filter(pk__in=ids)
        .select_related("venue")
        .prefetch_related("schedules", "venue__accessibility")
    )
    by_id = {a.pk: a for a in activities}
    return with_organisation_titles([by_id[i] for i in ids if i in by_id])


def shortlist_email(*, activities: list[Activity], to: str) -> None:
    """E-mail the list to the visitor (the view has checked the address and the limits)."""
    mail_send(
        subject="Your list of activities",
        template="search/emails/shortlist.txt",
        context={"activities": activities, "base_url": site_url()},
        to=[to],
    )
