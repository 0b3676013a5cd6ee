"""Reads of referrals, for the team that made them."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from assets_directory.models import Activity
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
