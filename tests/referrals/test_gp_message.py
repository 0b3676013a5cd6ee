"""The message back to the GP and referrer: the referral and its outcome, with SNOMED CT."""

import pytest
from django.urls import reverse

from matching.models import AuditEvent
from referrals.services import referral_status_change
from referrals.status import Party
from tests.factories.matching import TeamFactory, make_facilitator
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db


def codes(message) -> list[str]:
    return [c["code"] for c in message["coded_entries"]]


def download(client, person, referral):
    return client.get(reverse("referrals:gp_message", args=[person.reference, referral.reference]))


def test_a_referral_that_worked_out_is_coded_as_a_social_prescribing_referral(
    client, person, choir, facilitator
):
    referral = refer(person, choir, facilitator)
    referral_status_change(referral=referral, party=Party.GROUP, status="accepted")
    referral_status_change(referral=referral, party=Party.GROUP, status="completed")
    client.force_login(facilitator)

    response = download(client, person, referral)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    message = response.json()
    assert codes(message) == ["871731000000106"]
    assert message["coded_entries"][0]["system"] == "http://snomed.info/sct"
    assert message["outcome"]["status"] == "Going regularly"
    assert message["outcome"]["fhir_task_status"] == "completed"
    assert [h["status"] for h in message["outcome"]["history"]] == [
        "Sent, waiting for the group", "Accepted by the group", "Going regularly",
    ]  # fmt: skip
    assert message["person"]["nhs_number"] is None
    assert AuditEvent.objects.filter(person=person, action="export").exists()


def test_a_person_who_said_no_is_coded_as_social_prescribing_declined(
    client, person, choir, facilitator
):
    referral = refer(person, choir, facilitator)
    referral_status_change(referral=referral, party=Party.REFERRER, by=facilitator,
                           status="cancelled", reason="no_longer_interested")  # fmt: skip
    client.force_login(facilitator)
    message = download(client, person, referral).json()
    assert codes(message) == ["871731000000106", "871711000000103"]
    assert message["outcome"]["fhir_task_status"] == "cancelled"


def test_another_team_cannot_download_it(client, person, choir, facilitator):
    referral = refer(person, choir, facilitator)
    client.force_login(make_facilitator(TeamFactory(name="Other"), username="other"))
    assert download(client, person, referral).status_code == 404
