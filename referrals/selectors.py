"""Reads of referrals, for the team that made them."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from assets_directory.models import Activity
from common.workdays import working_days_between
from matching.models import Person, PlanItem

from .models import Referral
from .status import OPEN, Status


def person_referrals(person: Person) -> list[Referral]:
    """The person's referrals, newest first, each with `overdue` set."""
    today = timezone.localdate()
    found = list(person.referrals.all())
    for referral in found:
        referral.overdue = is_overdue(referral, today)
    return found


def is_overdue(referral: Referral, today=None) -> bool:
    """Still waiting for the group after the day it was asked to reply by."""
    today = today or timezone.localdate()
    return referral.status == Status.REQUESTED and referral.due_by < today


def items_to_refer(person: Person) -> list[PlanItem]:
    """Plan items whose activity takes referrals and has no open referral for them: what
    could be referred next."""
    open_referral = Referral.objects.filter(
        plan_item=OuterRef("pk"), status__in=[s.value for s in OPEN]
    )
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
    answered = list(
        Referral.objects.filter(organisation_id=organisation_id, answered_at__isnull=False)
        .order_by("-answered_at")
        .values_list("created_at", "answered_at")[:RESPONSE_TIME_RECENT]
    )
    if len(answered) < RESPONSE_TIME_MIN_ANSWERS:
        return None
    days = sorted(
        working_days_between(timezone.localdate(made), timezone.localdate(answered_at))
        for made, answered_at in answered
    )
    return days[(len(days) - 1) // 2]
