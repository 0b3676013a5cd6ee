"""The referral status rules (FHIR Task statuses), pure: no database."""

import pytest

from referrals.status import (
    CLOSED,
    FHIR_CODES,
    OPEN,
    Party,
    Reason,
    Status,
    TransitionError,
    allowed,
    check,
    reasons_for,
)

GROUP, REFERRER = Party.GROUP, Party.REFERRER


def test_a_group_accepts_or_declines_a_new_referral_and_only_the_team_cancels_it():
    assert allowed(Status.REQUESTED, GROUP) == [Status.ACCEPTED, Status.REJECTED]
    assert allowed(Status.REQUESTED, REFERRER) == [Status.CANCELLED]


def test_either_side_records_how_an_accepted_referral_went():
    outcomes = [Status.IN_PROGRESS, Status.COMPLETED, Status.FAILED]
    assert allowed(Status.ACCEPTED, GROUP) == outcomes
    assert allowed(Status.ACCEPTED, REFERRER) == [*outcomes, Status.CANCELLED]
    assert allowed(Status.IN_PROGRESS, GROUP) == [Status.COMPLETED, Status.FAILED]


@pytest.mark.parametrize("closed", sorted(CLOSED))
def test_a_closed_referral_goes_nowhere(closed):
    assert allowed(closed, GROUP) == allowed(closed, REFERRER) == []
    with pytest.raises(TransitionError, match="closed"):
        check(closed, Status.ACCEPTED, party=GROUP)


def test_every_status_has_its_fhir_task_code():
    assert set(FHIR_CODES) == set(Status)
    assert FHIR_CODES[Status.IN_PROGRESS] == "in-progress"
    assert {Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS} == OPEN


def test_accepting_needs_no_reason():
    change = check("requested", "accepted", party=GROUP)
    assert (change.status, change.reason) == (Status.ACCEPTED, "")


def test_declining_needs_a_reason_from_the_list_for_declining():
    with pytest.raises(TransitionError) as no_reason:
        check("requested", "rejected", party=GROUP)
    assert no_reason.value.field == "reason"
    with pytest.raises(TransitionError, match="is not a reason for declined"):
        check("requested", "rejected", party=GROUP, reason=Reason.ATTENDED_ONCE)
    with pytest.raises(TransitionError, match="Choose one of the reasons"):
        check("requested", "rejected", party=GROUP, reason="<script>")
    change = check("requested", "rejected", party=GROUP, reason="no_capacity")
    assert change.reason is Reason.NO_CAPACITY


def test_another_reason_must_be_said_in_the_note():
    with pytest.raises(TransitionError) as error:
        check("accepted", "failed", party=REFERRER, reason="other", note="  ")
    assert error.value.field == "note"
    assert check("accepted", "failed", party=REFERRER, reason="other", note="Moved away")


def test_going_once_or_regularly_carries_its_own_reason():
    assert check("accepted", "in_progress", party=GROUP).reason is Reason.ATTENDED_ONCE
    assert check("in_progress", "completed", party=REFERRER).reason is (Reason.ATTENDING_REGULARLY)


def test_the_wrong_side_is_told_who_may_make_the_change():
    with pytest.raises(TransitionError, match="Only the group"):
        check("requested", "accepted", party=REFERRER)
    with pytest.raises(TransitionError, match="Only the team that made the referral"):
        check("requested", "cancelled", party=GROUP)


def test_a_step_the_rules_do_not_have_is_refused_in_words():
    with pytest.raises(TransitionError, match="cannot become going regularly"):
        check("requested", "completed", party=GROUP)
    with pytest.raises(TransitionError, match="Choose one of the statuses"):
        check("requested", "entered-in-error", party=GROUP)


def test_reasons_are_offered_in_a_fixed_order():
    assert reasons_for(Status.REJECTED) == [Reason.NO_CAPACITY, Reason.NOT_ELIGIBLE, Reason.OTHER]
    assert reasons_for(Status.ACCEPTED) == []
