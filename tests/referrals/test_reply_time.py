"""A listing that takes referrals says how soon its group usually answers, once it can."""

import datetime

import pytest
from django.utils import timezone

from referrals.models import Referral
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db

MONDAY = timezone.make_aware(datetime.datetime(2026, 11, 2, 10, 0))


def answered(person, choir, facilitator, *, working_days: int):
    referral = refer(person, choir, facilitator)
    answer = MONDAY + datetime.timedelta(days=working_days)  # Monday to Friday: no weekend
    Referral.objects.filter(pk=referral.pk).update(created_at=MONDAY, answered_at=answer)


def test_no_reply_time_until_the_group_has_answered_five(client, person, choir, facilitator):
    for days in (1, 2, 2, 4):
        answered(person, choir, facilitator, working_days=days)
    assert "Usually answers" not in client.get(choir.url).content.decode()


def test_the_usual_reply_time_is_the_median(client, person, choir, facilitator):
    for days in (1, 2, 2, 4, 4):
        answered(person, choir, facilitator, working_days=days)
    page = client.get(choir.url).content.decode()
    assert "Usually answers referrals within 2 working days." in page


def test_an_activity_that_does_not_take_referrals_says_nothing_of_it(
    client, person, choir, facilitator
):
    for days in (1, 1, 1, 1, 1):
        answered(person, choir, facilitator, working_days=days)
    choir.referral_route = "drop_in"
    choir.save_revision().publish()
    assert "Usually answers" not in client.get(choir.url).content.decode()
