"""Groups are reminded as a referral's answer falls due, and teams told once it has passed."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from referrals.services import referral_status_change, referrals_remind_and_alert
from referrals.status import Party
from tests.factories.matching import make_facilitator
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 2)  # due ten working days later: Monday 16 November


@pytest.fixture
def referral(person, choir, facilitator):
    made = refer(person, choir, facilitator, today=MONDAY)
    mail.outbox.clear()
    return made


def test_no_reminder_while_the_day_is_far(referral):
    assert referrals_remind_and_alert(today=datetime.date(2026, 11, 10)) == (0, 0)
    assert mail.outbox == []


def test_the_group_is_reminded_two_working_days_before_once(referral):
    # Thursday 12 November: Friday and Monday are the two working days left.
    assert referrals_remind_and_alert(today=datetime.date(2026, 11, 12)) == (1, 0)
    (message,) = mail.outbox
    assert message.to == ["choir@example.org"]
    assert "/referrals/answer/" in message.body
    assert "Marker-help" not in message.body
    assert referrals_remind_and_alert(today=datetime.date(2026, 11, 13)) == (0, 0)
    # The reminder's link works, and so does the first e-mail's: neither has been used.
    path = "/" + message.body.split("http://testserver/", 1)[1].split()[0]
    assert path.startswith("/referrals/answer/")


def test_the_team_is_told_once_when_the_day_has_passed(referral, person):
    assert referrals_remind_and_alert(today=datetime.date(2026, 11, 17)) == (0, 1)
    (message,) = mail.outbox
    assert message.to == ["linkworker@example.org"]
    assert reverse("referrals:detail", args=[person.reference, referral.reference]) in (
        message.body
    )
    assert referrals_remind_and_alert(today=datetime.date(2026, 11, 18)) == (0, 0)


def test_an_answered_referral_is_neither_reminded_nor_reported(referral):
    referral_status_change(referral=referral, party=Party.GROUP, status="accepted")
    mail.outbox.clear()
    assert referrals_remind_and_alert(today=datetime.date(2026, 11, 12)) == (0, 0)
    assert referrals_remind_and_alert(today=datetime.date(2026, 11, 20)) == (0, 0)


def test_when_the_referrer_has_left_the_team_leads_are_told(referral, team, facilitator):
    facilitator.is_active = False
    facilitator.save()
    make_facilitator(team, role="lead", username="lead", email="lead@example.org")
    referrals_remind_and_alert(today=datetime.date(2026, 11, 17))
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]


def test_a_declined_referral_offers_to_find_another_activity(client, referral, person,
                                                              facilitator):  # fmt: skip
    referral_status_change(referral=referral, party=Party.GROUP, status="rejected",
                           reason="no_capacity")  # fmt: skip
    client.force_login(facilitator)
    page = client.get(reverse("referrals:detail", args=[person.reference, referral.reference]))
    assert reverse("matching:suggestions", args=[person.reference]) in page.content.decode()
