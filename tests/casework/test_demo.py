import datetime

import pytest
from django.utils import timezone

from casework.demo import DEMO_PERSON, ensure_demo_plan, ensure_demo_wellbeing
from casework.models import WellbeingScore
from matching.demo import ensure_demo_teams
from referrals.selectors import items_to_refer
from tests.factories import ActivityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_battersea_demo_person_has_a_start_score_from_weeks_ago_once():
    ensure_demo_teams()

    score = ensure_demo_wellbeing()
    ensure_demo_wellbeing()

    assert WellbeingScore.objects.get() == score
    assert (score.person.display_name, score.person.team.slug) == (DEMO_PERSON, "battersea-pcn")
    assert score.occasion == "start"
    assert score.taken_on == timezone.localdate() - datetime.timedelta(weeks=3)
    assert score.recorded_by.username == "linkworker"


def test_without_demo_people_there_is_no_score():
    assert ensure_demo_wellbeing() is None
    assert not WellbeingScore.objects.exists()


def test_the_demo_person_has_a_plan_ready_to_refer_from_once(directory):
    group = OrganisationFactory(parent=directory, title="Garratt Park Walkers")
    ActivityFactory(parent=group, title="Drop-in walk")
    walk = ActivityFactory(parent=group, title="Nordic walking", referral_route="takes_referrals")
    ensure_demo_teams()

    plan = ensure_demo_plan()
    assert ensure_demo_plan() is None

    assert [i.activity_id for i in plan.items.all()] == [walk.pk]
    assert items_to_refer(plan.person) == list(plan.items.all())
