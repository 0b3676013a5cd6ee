"""Demo casework for `manage.py load_demo`: one demo person of the Battersea team has a
wellbeing score taken at the start, a few weeks ago, so that a link worker can record a
follow-up and see the change. Made through the service (consent and audit like a real one);
running it again changes nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from assets_directory.models import Activity
from assets_directory.selectors import listed_activities
from matching.models import Person, TeamMembership
from matching.services import ChosenActivity, plan_create

from .models import WellbeingScore
from .services import wellbeing_measure_ons4, wellbeing_score_record

DEMO_TEAM = "battersea-pcn"
DEMO_PERSON = "A.M."
DEMO_WEEKS_AGO = 3
DEMO_START = {"life_satisfaction": 4, "worthwhile": 5, "happiness": 3, "anxiety": 7}


def ensure_demo_wellbeing() -> WellbeingScore | None:
    """The start score (once), recorded by the team's lead; None if the demo person is not
    there (the demo built without people)."""
    person = Person.objects.filter(team__slug=DEMO_TEAM, display_name=DEMO_PERSON).first()
    if person is None:
        return None
    found = person.wellbeing_scores.first()
    if found is not None:
        return found
    return wellbeing_score_record(
        person=person,
        by=_team_lead(person),
        measure=wellbeing_measure_ons4(),
        answers=DEMO_START,
        taken_on=timezone.localdate() - datetime.timedelta(weeks=DEMO_WEEKS_AGO),
        occasion=WellbeingScore.Occasion.START,
    )


DEMO_PLAN_SIZE = 2


def ensure_demo_plan():
    """A plan for the demo person of two listed activities that take referrals, so that on
    `make run` a link worker can refer them at once (from "5. Referrals" on their record).
    Once; None without the demo person or such activities."""
    person = Person.objects.filter(team__slug=DEMO_TEAM, display_name=DEMO_PERSON).first()
    if person is None or person.plans.exists():
        return None
    activities = list(
        listed_activities()
        .filter(referral_route=Activity.ReferralRoute.TAKES_REFERRALS)
        .order_by("pk")[:DEMO_PLAN_SIZE]
    )
    if not activities:
        return None
    return plan_create(
        person=person,
        by=_team_lead(person),
        chosen=[
            ChosenActivity(
                activity_id=a.pk, title=a.title, organisation=a.get_parent().title, url=a.url
            )
            for a in activities
        ],
        notes="Refer them to the first: they would like someone to meet them there.",
    )


def _team_lead(person):
    """The demo team's lead, who records what the demo shows as done (None if there is none)."""
    lead = (
        TeamMembership.objects.filter(team=person.team, role=TeamMembership.Role.LEAD)
        .select_related("user")
        .first()
    )
    return lead.user if lead else None
