"""Suggestions as people see them: numbered cards with where, when and why, for the
facilitated flow and the kiosk alike. Reads only."""

from __future__ import annotations

from dataclasses import dataclass

from assets_directory.models import Activity
from assets_directory.selectors import organisation_titles

from .engine import MatchResult

# Where an activity that has no venue happens, in the words of the plan.
DELIVERY_WHERE = {
    Activity.Delivery.ONLINE: "Online",
    Activity.Delivery.PHONE: "By phone",
    Activity.Delivery.AREA_WIDE: "Comes to you",
}
NO_TIMES = "Ask about times"


def live_activities():
    """Activities that can still go in a plan: published, public and running."""
    return (
        Activity.objects.live()
        .public()
        .filter(status=Activity.Status.RUNNING)
        .select_related("venue")
        .prefetch_related("schedules")
    )


# Each activity's organisation, in one query (the plan pages use it too).
organisation_names = organisation_titles


def activity_where(activity: Activity) -> str:
    venue = activity.venue
    if activity.delivery == Activity.Delivery.IN_PERSON and venue is not None:
        return ", ".join([venue.name, *venue.address_lines])
    return DELIVERY_WHERE.get(activity.delivery, activity.get_delivery_display())


def activity_when(activity: Activity) -> str:
    return "; ".join(activity.schedule_descriptions()) or NO_TIMES


@dataclass
class Card:
    number: int
    activity: Activity
    organisation: str
    reasons: tuple[str, ...]
    reason_line: str
    distance_m: float | None
    distance_area: str
    next_session: object
    where: str
    when: str

    @property
    def point(self) -> dict | None:
        venue = self.activity.venue
        in_person = self.activity.delivery == Activity.Delivery.IN_PERSON
        if not in_person or venue is None or not venue.has_point:
            return None
        return {
            "number": self.number,
            "id": self.activity.pk,
            "title": self.activity.title,
            "url": self.activity.url or "",
            "lat": venue.latitude,
            "lng": venue.longitude,
        }


def suggestion_cards(result: MatchResult) -> list[Card]:
    """Numbered cards for the suggestions still live in the directory (kiosk uses it too)."""
    ids = [s.candidate.id for s in result.suggestions]
    activities = live_activities().in_bulk(ids)
    organisations = organisation_names(activities.values())
    cards = []
    for suggestion in result.suggestions:
        activity = activities.get(suggestion.candidate.id)
        if activity is None:
            # The index is behind the directory (unpublished since): it cannot be chosen.
            continue
        cards.append(
            Card(
                number=len(cards) + 1,
                activity=activity,
                organisation=organisations.get(activity.pk, ""),
                reasons=suggestion.reasons,
                reason_line=suggestion.reason_line,
                distance_m=suggestion.candidate.distance_m,
                distance_area=suggestion.candidate.distance_area,
                next_session=suggestion.candidate.next_session,
                where=activity_where(activity),
                when=activity_when(activity),
            )
        )
    return cards
