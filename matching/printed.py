"""What a printed or e-mailed list of things to try says about each one, in both flows: the
facilitated plan (from its saved items) and the kiosk's list (from its suggestion cards).

Both are rendered by one template (templates/matching/includes/plan_entries.html, and
plan_entries.txt for e-mail), so what a person needs to act on a suggestion (when it next
meets, how to join, what it costs, who to phone) cannot go missing from one of them. Reads only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assets_directory.models import Activity

from .models import Plan, PlanItem
from .suggestions import Card, live_activities


@dataclass(frozen=True)
class PlanEntry:
    """One thing to try. The words (title, where, when, why) are the plan's own copy; how to
    join, the cost, the contact and the next date come from the directory while the activity
    is still listed there (`activity` is None once it is not)."""

    number: int
    title: str
    organisation: str
    when: str
    where: str
    reasons: str
    url: str
    activity: Activity | None
    next_session: datetime.datetime | None


@dataclass(frozen=True)
class LinkWorker:
    """Who the person can go back to about their plan."""

    name: str
    email: str
    team: str


def entries_from_cards(cards: Sequence[Card]) -> list[PlanEntry]:
    """The kiosk's chosen suggestions, numbered as on the list."""
    return [
        PlanEntry(
            number=card.number,
            title=card.activity.title,
            organisation=card.organisation,
            when=card.when,
            where=card.where,
            reasons=card.reason_line if card.reasons else "",
            url=card.activity.url or "",
            activity=card.activity,
            next_session=card.next_session,
        )
        for card in cards
    ]


def entries_from_items(items: Iterable[PlanItem]) -> list[PlanEntry]:
    """A saved plan's items, with today's details of the activities still listed."""
    items = list(items)
    listed = live_activities().in_bulk([item.activity_id for item in items if item.activity_id])
    entries = []
    for number, item in enumerate(items, start=1):
        activity = listed.get(item.activity_id)
        upcoming = activity.next_sessions(count=1) if activity is not None else []
        entries.append(
            PlanEntry(
                number=number,
                title=item.title,
                organisation=item.organisation,
                when=item.when,
                where=item.where,
                reasons=item.reasons,
                url=item.url,
                activity=activity,
                next_session=upcoming[0].start if upcoming else None,
            )
        )
    return entries


def plan_link_worker(plan: Plan) -> LinkWorker:
    """The facilitator who made the plan, and their team (the team alone if they have left)."""
    user = plan.created_by
    team = plan.person.team.name
    if user is None or not user.is_active:
        return LinkWorker(name="", email="", team=team)
    return LinkWorker(
        name=user.get_full_name() or user.get_username(), email=user.email or "", team=team
    )
