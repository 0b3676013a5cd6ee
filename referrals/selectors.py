"""Reads of referrals, for the team that made them and the group that received them."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from assets_directory.models import Activity
from assets_directory.permissions import organisations_edited_by
from assets_directory.selectors import category_themes
from common.workdays import working_days_between
from matching.models import Person, PlanItem
from matching.selectors import suppress

from .models import Referral
from .status import LABELS, OPEN, Reason, Status


def person_referrals(person: Person) -> list[Referral]:
    """The person's referrals, newest first, each with `overdue` set."""
    today = timezone.localdate()
    found = list(person.referrals.all())
    for referral in found:
        referral.overdue = is_overdue(referral, today)
    return found


# A referral whose person has started going to the group, or goes regularly.
JOINED = (Status.IN_PROGRESS, Status.COMPLETED)


def joined_referrals(person: Person) -> list[Referral]:
    """The person's referrals to groups they go to now, going regularly first, then newest
    first; their team's only (a person is in one team, but a read of people is scoped)."""
    found = person.referrals.filter(team=person.team_id, status__in=[s.value for s in JOINED])
    return sorted(found, key=lambda r: r.status != Status.COMPLETED)


def is_overdue(referral: Referral, today=None) -> bool:
    """Still waiting for the group after the day it was asked to reply by."""
    today = today or timezone.localdate()
    return referral.status == Status.REQUESTED and referral.due_by < today


# How long a closed referral stays on the group's dashboard, so that it sees how it ended; and
# how many referrals the dashboard shows at most (the oldest open ones are still answered
# through their e-mails).
GROUP_RECENTLY_CLOSED_DAYS = 30
GROUP_REFERRALS_LIMIT = 50


def group_referrals(*, user, now: datetime.datetime | None = None) -> list[Referral]:
    """The referrals to the organisations `user` edits (as a member of their editors group;
    being a moderator or superuser is not enough): the open ones, then those closed in the last
    GROUP_RECENTLY_CLOSED_DAYS; the open ones newest first, the closed ones latest closed first;
    at most GROUP_REFERRALS_LIMIT. Each has `overdue` and `can_answer` set. One query."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=GROUP_RECENTLY_CLOSED_DAYS)
    found = list(
        Referral.objects.filter(organisation__in=organisations_edited_by(user))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=since))
        .select_related("organisation", "team")
        # Open first: they are the ones the group has to act on.
        .order_by(F("closed_at").desc(nulls_first=True), "-created_at", "-id")[
            :GROUP_REFERRALS_LIMIT
        ]
    )
    today = timezone.localdate(now)
    for referral in found:
        referral.overdue = is_overdue(referral, today)
        referral.can_answer = Status(referral.status) in OPEN
    return found


# A referral that is open, or that worked (they went): the item needs no other.
_NOT_AGAIN = [*(s.value for s in OPEN), Status.COMPLETED.value]


def items_to_refer(person: Person) -> list[PlanItem]:
    """Plan items whose activity takes referrals and has no referral open or done for them
    (declined, failed or cancelled ones may be tried again): what could be referred next."""
    open_referral = Referral.objects.filter(plan_item=OuterRef("pk"), status__in=_NOT_AGAIN)
    return list(
        PlanItem.objects.filter(
            plan__person=person, activity__referral_route=Activity.ReferralRoute.TAKES_REFERRALS
        )
        .exclude(Exists(open_referral))
        .select_related("plan")
        .order_by("-plan__created_at", "position", "pk")
    )


# Answers needed before a group's usual reply time is shown, and how many recent ones count.
RESPONSE_TIME_MIN_ANSWERS = 5
RESPONSE_TIME_RECENT = 50


def usual_reply_days(organisation_id: int) -> int | None:
    """The median working days the group took to answer its most recent referrals, or None
    until it has answered enough to say."""
    answered = (
        Referral.objects.filter(organisation_id=organisation_id, answered_at__isnull=False)
        .order_by("-answered_at")
        .values_list("created_at", "answered_at")[:RESPONSE_TIME_RECENT]
    )
    return _median_reply_days(list(answered))


def _usual_reply_days_by_group(organisation_ids) -> dict[int, int | None]:
    """`usual_reply_days` for many groups in one query (the figures page lists them all)."""
    answered: dict[int, list] = {}
    rows = (
        Referral.objects.filter(organisation_id__in=organisation_ids, answered_at__isnull=False)
        .order_by("organisation_id", "-answered_at")
        .values_list("organisation_id", "created_at", "answered_at")
    )
    for organisation_id, made, answered_at in rows:
        recent = answered.setdefault(organisation_id, [])
        if len(recent) < RESPONSE_TIME_RECENT:
            recent.append((made, answered_at))
    return {pk: _median_reply_days(pairs) for pk, pairs in answered.items()}


def _median_reply_days(answered: list) -> int | None:
    """The median working days from made to answered, or None for fewer than enough."""
    if len(answered) < RESPONSE_TIME_MIN_ANSWERS:
        return None
    days = sorted(
        working_days_between(timezone.localdate(made), timezone.localdate(answered_at))
        for made, answered_at in answered
    )
    return days[(len(days) - 1) // 2]


@dataclass(frozen=True)
class GroupFigures:
    group: str
    referred: int | str
    accepted: int | str
    going: int | str
    usual_reply_days: int | None


def referral_figures() -> tuple[dict[str, int | str], list[GroupFigures]]:
    """Referrals by where they stand, and by the group they went to: counts only, no names,
    numbers from 1 to 4 shown as "fewer than 5" (matching's rule for figures)."""
    by_status = Counter(Referral.objects.values_list("status", flat=True))
    outcomes = {LABELS[s]: suppress(by_status.get(s.value, 0)) for s in Status}
    groups = []
    rows = (
        Referral.objects.exclude(organisation_title="")
        .values("organisation_id", "organisation_title")
        .annotate(
            referred=Count("pk"),
            # Answered by the group (a cancellation is not an answer) and not declined.
            accepted=Count(
                "pk", filter=Q(answered_at__isnull=False) & ~Q(status=Status.REJECTED)
            ),
            going=Count("pk", filter=Q(status__in=[Status.IN_PROGRESS, Status.COMPLETED])),
        )
        .order_by("-referred", "organisation_title")
    )  # fmt: skip
    rows = list(rows)
    reply_days = _usual_reply_days_by_group(
        [r["organisation_id"] for r in rows if r["organisation_id"]]
    )
    for row in rows:
        groups.append(
            GroupFigures(
                group=row["organisation_title"],
                referred=suppress(row["referred"]),
                accepted=suppress(row["accepted"]),
                going=suppress(row["going"]),
                usual_reply_days=reply_days.get(row["organisation_id"]),
            )
        )
    return outcomes, groups


def declined_for_space_by_area(*, outcodes, since, themes=None) -> dict[tuple[str, str], int]:
    """Referrals made since that day and declined for lack of space, by the person's outward
    code and the theme of the activity (its top-level categories, or `themes` as
    `category_themes` takes them). Raw counts: whoever shows them suppresses and rounds them."""
    theme_of = category_themes(themes)
    outcodes = set(outcodes)
    declined = (
        Referral.objects.filter(
            status=Status.REJECTED,
            reason=Reason.NO_CAPACITY,
            created_at__date__gte=since,
            activity__isnull=False,
        )
        .select_related("person")
        .prefetch_related("activity__categories")
    )
    counts: Counter = Counter()
    for referral in declined:
        outcode = referral.person.outward_code
        if outcode not in outcodes:
            continue
        for theme in {
            t for c in referral.activity.categories.all() for t in theme_of.get(c.slug, ())
        }:
            counts[outcode, theme] += 1
    return dict(counts)


def referral_counts_by_month(*, outcodes, since) -> dict[datetime.date, tuple[int, int]]:
    """(made, declined for lack of space) of referrals of people in those outward codes, by
    the first day of the month each was made, since that day. Raw counts: whoever shows them
    suppresses and rounds them."""
    outcodes = set(outcodes)
    counts: dict[datetime.date, list[int]] = {}
    rows = Referral.objects.filter(created_at__date__gte=since).select_related("person")
    for referral in rows.iterator(chunk_size=2000):
        if referral.person.outward_code not in outcodes:
            continue
        month = timezone.localtime(referral.created_at).date().replace(day=1)
        tally = counts.setdefault(month, [0, 0])
        tally[0] += 1
        no_space = referral.status == Status.REJECTED and referral.reason == Reason.NO_CAPACITY
        tally[1] += int(no_space)
    return {month: (made, declined) for month, (made, declined) in counts.items()}
