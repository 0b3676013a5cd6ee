"""Suggestions as people see them: numbered cards with where, when and why, for the
facilitated flow and the kiosk alike. Reads only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assets_directory.models import Activity
from assets_directory.selectors import organisation_titles
from common.vocabulary import DELIVERY_LABELS

from .scoring import Suggestion

# Where an activity that has no venue happens, in the words of the plan.
DELIVERY_WHERE = {slug: label for slug, label in DELIVERY_LABELS.items() if slug != "in_person"}
NO_TIMES = "Ask about times"


def live_activities():
    """Activities that can still go in a plan: published, public and running."""
    return Activity.objects.running().select_related("venue").prefetch_related("schedules")


# Each activity's organisation, in one query (the plan pages use it too).
organisation_names = organisation_titles


def activity_where(activity: Activity) -> str:
    venue = activity.venue
    if activity.delivery == Activity.Delivery.IN_PERSON and venue is not None:
        return venue.public_location().label
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
    # The same activity's other listings (the group's other times or places), as "when, where".
    other_times: tuple[str, ...] = ()

    @property
    def point(self) -> dict | None:
        venue = self.activity.venue
        in_person = self.activity.delivery == Activity.Delivery.IN_PERSON
        if not in_person or venue is None:
            return None
        # A private venue is pinned at the centre of its outward code (or not at all).
        where = venue.public_location()
        if not where.has_point:
            return None
        return {
            "number": self.number,
            "id": self.activity.pk,
            "title": self.activity.title,
            "url": self.activity.url or "",
            "lat": where.latitude,
            "lng": where.longitude,
            "approximate": where.approximate,
        }


def _other_times(activity: Activity, others, activities: dict) -> tuple[str, ...]:
    """Each other listing still live, as its times, and its place where that differs."""
    where = activity_where(activity)
    lines = []
    for other in others:
        listing = activities.get(other.id)
        if listing is None:
            continue
        place = activity_where(listing)
        when = activity_when(listing)
        lines.append(when if place == where else f"{when}, {place}")
    return tuple(dict.fromkeys(lines))


def suggestion_cards(suggestions: Sequence[Suggestion]) -> list[Card]:
    """Numbered cards for the suggestions still live in the directory (kiosk uses it too)."""
    ids = [s.candidate.id for s in suggestions]
    ids += [other.id for s in suggestions for other in s.others]
    activities = live_activities().in_bulk(ids)
    organisations = organisation_names(activities.values())
    cards = []
    for suggestion in suggestions:
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
                other_times=_other_times(activity, suggestion.others, activities),
            )
        )
    return cards
