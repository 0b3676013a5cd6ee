"""Making referrals and moving them on: consent, the least shared, history, audit, retention
and erasure."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching.models import AuditEvent
from matching.services import ChosenActivity, person_erase, plan_create
from referrals.models import Referral, ReferralEvent
from referrals.selectors import items_to_refer
from referrals.services import (
    SharedDetails,
    referral_create,
    referral_shared_details_erase_expired,
    referral_status_change,
)
from referrals.status import Party, TransitionError
from tests.matching.test_people_views import _rows_mentioning
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db


def test_a_referral_copies_the_least_the_group_needs_and_is_due_in_ten_working_days(
    person, choir, facilitator
):
    referral = refer(person, choir, facilitator)

    assert referral.status == "requested"
    assert (referral.activity_title, referral.organisation_title) == (
        "Community choir",
        "Balham Community Choir",
    )
    assert referral.first_name == "Marker-Jo"
    # Ten working days from Monday 14 December 2026, over Christmas and Boxing Day's substitute.
    assert referral.due_by == datetime.date(2026, 12, 30)
    assert [e.status for e in referral.events.all()] == ["requested"]
    assert AuditEvent.objects.filter(
        person=person, action="create", what="Referral to Community choir"
    ).exists()


def test_no_referral_without_consent_to_share(person, choir, facilitator):
    with pytest.raises(ValidationError) as error:
        refer(person, choir, facilitator, consent_to_share=False)
    assert "consent_to_share" in error.value.message_dict
    assert not Referral.objects.exists()


def test_no_referral_for_a_person_whose_consent_was_withdrawn(person, choir, facilitator):
    person.consents.update(withdrawn_at=timezone.now())
    with pytest.raises(ValidationError, match="consent"):
        refer(person, choir, facilitator)


def test_no_referral_to_an_activity_that_is_not_listed(person, choir, facilitator):
    choir.status = "ended"
    choir.save()
    with pytest.raises(ValidationError) as error:
        refer(person, choir, facilitator)
    assert "activity" in error.value.message_dict


def test_a_detail_too_long_is_refused_by_field(person, choir, facilitator):
    with pytest.raises(ValidationError) as error:
        referral_create(
            person=person, activity_id=choir.pk, by=facilitator, consent_to_share=True,
            shared=SharedDetails(first_name="x" * 81),
        )  # fmt: skip
    assert "first_name" in error.value.message_dict


def test_the_group_accepts_then_says_they_come_regularly(person, choir, facilitator):
    referral = refer(person, choir, facilitator)

    referral_status_change(
        referral=referral, party=Party.GROUP, status="accepted", by_group_link=True
    )
    referral = referral_status_change(referral=referral, party=Party.GROUP, status="completed")

    referral.refresh_from_db()
    assert (referral.status, referral.reason) == ("completed", "attending_regularly")
    assert referral.answered_at is not None and referral.closed_at is not None
    history = list(referral.events.values_list("status", "by_group_link"))
    assert history == [("requested", False), ("accepted", True), ("completed", False)]


def test_a_refused_change_leaves_the_referral_as_it_was(person, choir, facilitator):
    referral = refer(person, choir, facilitator)
    with pytest.raises(TransitionError):
        referral_status_change(referral=referral, party=Party.GROUP, status="rejected")
    referral.refresh_from_db()
    assert referral.status == "requested"
    assert referral.answered_at is None
    assert referral.events.count() == 1


def test_the_team_cancelling_is_audited_and_is_not_an_answer(person, choir, facilitator):
    referral = refer(person, choir, facilitator)
    referral = referral_status_change(
        referral=referral, party=Party.REFERRER, by=facilitator, status="cancelled",
        reason="no_reply",
    )  # fmt: skip
    assert referral.answered_at is None
    assert referral.closed_at is not None
    assert AuditEvent.objects.filter(
        person=person, action="change", what__endswith="Cancelled"
    ).exists()


def test_shared_details_go_a_year_after_the_referral_closed(person, choir, facilitator):
    old = refer(person, choir, facilitator)
    referral_status_change(
        referral=old, party=Party.GROUP, status="rejected", reason="other",
        note="Marker-note about Jo",
    )  # fmt: skip
    recent = refer(person, choir, facilitator)
    referral_status_change(referral=recent, party=Party.GROUP, status="rejected",
                           reason="no_capacity")  # fmt: skip
    open_one = refer(person, choir, facilitator)
    year_ago = timezone.now() - datetime.timedelta(days=366)
    Referral.objects.filter(pk=old.pk).update(closed_at=year_ago)

    assert referral_shared_details_erase_expired() == 1

    old.refresh_from_db()
    assert (old.first_name, old.contact, old.help_with, old.access_needs) == ("", "", "", "")
    assert old.shared_erased_at is not None
    assert (old.status, old.reason) == ("rejected", "other")
    assert not ReferralEvent.objects.filter(note__contains="Marker").exists()
    for kept in (recent, open_one):
        kept.refresh_from_db()
        assert kept.first_name == "Marker-Jo"
    assert referral_shared_details_erase_expired() == 0


def test_erasing_the_person_leaves_no_row_of_their_referrals(person, choir, facilitator):
    referral = refer(person, choir, facilitator)
    referral_status_change(referral=referral, party=Party.GROUP, status="accepted")
    markers = ["Marker-Jo", "Marker-help", "Marker-access", str(referral.reference)]
    assert _rows_mentioning(markers)

    person_erase(person=person, by=facilitator)

    assert _rows_mentioning(markers) == []
    assert not Referral.objects.exists()
    assert not ReferralEvent.objects.exists()


def test_no_referral_to_a_group_with_no_address_to_send_it_to(person, choir, facilitator):
    group = choir.get_parent().specific
    group.email = ""
    group.save()
    with pytest.raises(ValidationError) as error:
        refer(person, choir, facilitator)
    assert "no e-mail address" in error.value.message_dict["activity"][0]


@pytest.mark.parametrize("route", ["drop_in", "signposting"])
def test_no_referral_to_an_activity_that_does_not_take_them(person, choir, facilitator, route):
    choir.referral_route = route
    choir.save()
    with pytest.raises(ValidationError) as error:
        refer(person, choir, facilitator)
    assert "does not take referrals" in error.value.message_dict["activity"][0]
    assert not Referral.objects.exists()


def test_a_plan_item_is_offered_for_referral_again_only_if_its_referral_did_not_work(
    person, choir, facilitator
):
    plan = plan_create(
        person=person,
        by=facilitator,
        chosen=[ChosenActivity(activity_id=choir.pk, title=choir.title)],
    )
    item = plan.items.get()
    assert items_to_refer(person) == [item]
    referral = refer(person, choir, facilitator, plan_item=item)
    assert items_to_refer(person) == []
    referral_status_change(referral=referral, party=Party.GROUP, status="accepted")
    referral_status_change(referral=referral, party=Party.GROUP, status="completed")
    assert items_to_refer(person) == []  # they go regularly: nothing to refer again
    declined = refer(person, choir, facilitator, plan_item=item)
    Referral.objects.filter(pk=referral.pk).delete()
    referral_status_change(
        referral=declined, party=Party.GROUP, status="rejected", reason="no_capacity"
    )
    assert items_to_refer(person) == [item]  # declined: it may be tried again later
