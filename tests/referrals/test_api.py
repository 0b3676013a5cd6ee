"""The referral API: team-scoped keys, making a referral, reading it, changing its status as
FHIR Task codes, and refusing what it must refuse with a JSON error."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from matching.models import AuditEvent
from referrals.links import group_token
from referrals.models import ApiKey, Referral, ReferralEvent
from referrals.services import (
    api_key_authenticate,
    api_key_issue,
    api_key_revoke,
    referral_group_answer,
)
from tests.factories.matching import PersonFactory, TeamFactory, make_facilitator
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(team):
    return make_facilitator(team, username="teamlead", email="lead@example.org", role="lead")


@pytest.fixture
def key(team, lead):
    return api_key_issue(team=team, by=lead, name="Practice record")


def call(client, method, url, raw_key=None, body=None, **extra):
    if raw_key:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {raw_key}"
    if body is not None:
        extra["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
        extra["content_type"] = "application/json"
    return getattr(client, method)(url, **extra)


def new_referral(who, activity, **overrides):
    return {
        "person": str(who.reference),
        "activity_id": activity.pk,
        "first_name": "Jo",
        "contact": "07700 900123",
        "contact_by": "text",
        "help_with": "Meeting people",
        "consent_to_share": True,
        **overrides,
    }


LIST = "/api/referrals"


def test_a_key_is_kept_only_as_a_hash_and_shown_once(key):
    api_key, raw = key
    assert raw.startswith("cgr_") and len(raw) > 40
    stored = ApiKey.objects.get()
    assert raw not in (stored.key_hash, stored.prefix)
    assert raw.startswith(stored.prefix)
    assert api_key_authenticate(raw) == api_key
    assert api_key_authenticate(raw + "x") is None


def test_no_key_wrong_key_and_revoked_key_get_401_with_json(client, key, lead):
    api_key, raw = key
    for header in (None, "Basic abc", "Bearer ", "Bearer cgr_nothing"):
        extra = {"HTTP_AUTHORIZATION": header} if header else {}
        response = client.get(LIST, **extra)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "API key" in response.json()["error"]
    assert call(client, "get", LIST, raw).status_code == 200
    api_key_revoke(key=api_key, by=lead)
    assert call(client, "get", LIST, raw).status_code == 401


def test_a_system_makes_a_referral_and_the_group_is_emailed(client, key, person, choir):
    api_key, raw = key
    response = call(client, "post", LIST, raw, new_referral(person, choir))

    assert response.status_code == 201, response.json()
    body = response.json()
    referral = Referral.objects.get()
    assert body["id"] == str(referral.reference)
    assert response["Location"] == f"/api/referrals/{referral.reference}"
    assert body["status"] == "requested"
    assert body["shared"]["first_name"] == "Jo"
    assert body["shared"]["contact_by"] == "text"
    assert body["history"][0]["status"] == "requested"
    assert referral.team == person.team and referral.referred_by is None
    assert ReferralEvent.objects.get().by_api_key == api_key
    assert [m.to for m in mail.outbox] == [["choir@example.org"]]
    assert AuditEvent.objects.filter(
        person=person, what="Referral to Community choir (through the API: Practice record)"
    ).exists()
    assert (
        response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    )


def test_a_referral_needs_consent_to_share_and_names_the_field(client, key, person, choir):
    _, raw = key
    for consent in (False, None, "true", 1):
        response = call(
            client, "post", LIST, raw, new_referral(person, choir, consent_to_share=consent)
        )
        assert response.status_code == 400
        assert response.json()["field"] == "consent_to_share"
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"person": "not-a-uuid"}, "person"),
        ({"person": "00000000-0000-0000-0000-000000000000"}, "person"),
        ({"activity_id": "12"}, "activity_id"),
        ({"activity_id": True}, "activity_id"),
        ({"activity_id": 2**70}, "activity_id"),
        ({"activity_id": 999_999}, "activity_id"),
        ({"first_name": ""}, "first_name"),
        ({"first_name": 5}, "first_name"),
        ({"first_name": "Jo\x00"}, "first_name"),
        ({"contact": "x" * 201}, "contact"),
        ({"contact_by": "pigeon"}, "contact_by"),
        ({"consent_method": "telepathy"}, "consent_method"),
    ],
)
def test_bad_fields_are_refused_with_400_naming_them(client, key, person, choir, overrides, field):
    _, raw = key
    response = call(client, "post", LIST, raw, new_referral(person, choir, **overrides))
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert not Referral.objects.exists()


@pytest.mark.parametrize("body", ["", "[]", "{", b"\xff", "null", '"text"'])
def test_a_body_that_is_not_a_json_object_is_refused(client, key, body):
    _, raw = key
    response = call(client, "post", LIST, raw, body)
    assert response.status_code == 400
    assert "JSON object" in response.json()["error"]


def test_a_huge_body_is_refused(client, key, person, choir):
    _, raw = key
    response = call(client, "post", LIST, raw, new_referral(person, choir, note="x" * 20_000))
    assert response.status_code == 413


def test_an_activity_that_does_not_take_referrals_is_refused(client, key, person, choir):
    _, raw = key
    choir.referral_route = "drop_in"
    choir.save()
    response = call(client, "post", LIST, raw, new_referral(person, choir))
    assert response.status_code == 400
    assert response.json()["field"] == "activity_id"
    assert "does not take referrals" in response.json()["error"]


def test_a_key_sees_and_refers_only_its_own_teams_people(client, key, choir, facilitator):
    _, raw = key
    other_team = TeamFactory(name="Elsewhere")
    stranger = PersonFactory(team=other_team)
    response = call(client, "post", LIST, raw, new_referral(stranger, choir))
    assert response.status_code == 400 and response.json()["field"] == "person"
    theirs = refer(stranger, choir, make_facilitator(other_team, username="elsewhere"))
    assert call(client, "get", f"{LIST}/{theirs.reference}", raw).status_code == 404
    assert call(client, "get", LIST, raw).json()["count"] == 0
    patch = call(client, "patch", f"{LIST}/{theirs.reference}", raw, {"status": "cancelled"})
    assert patch.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "requested"


def test_the_list_filters_by_status_and_person_and_pages(
    client, key, person, choir, facilitator, team
):
    _, raw = key
    first = refer(person, choir, facilitator)
    other = PersonFactory(team=team)
    refer(other, choir, facilitator)
    referral_group_answer(token=group_token(first), status="accepted")

    everything = call(client, "get", LIST, raw).json()
    assert everything["count"] == 2 and everything["pages"] == 1
    accepted = call(client, "get", LIST, raw, data={"status": "accepted"}).json()
    assert [r["id"] for r in accepted["results"]] == [str(first.reference)]
    assert accepted["results"][0]["history"][-1]["by"] == "group"
    mine = call(client, "get", LIST, raw, data={"person": str(other.reference)}).json()
    assert mine["count"] == 1 and mine["results"][0]["person"] == str(other.reference)
    assert call(client, "get", LIST, raw, data={"page": "2"}).json()["results"] == []
    for bad in ({"status": "in_progress"}, {"person": "x"}, {"page": "0"}, {"page": "²"}):
        response = call(client, "get", LIST, raw, data=bad)
        assert response.status_code == 400
        assert response.json()["field"] == next(iter(bad))


def test_the_team_records_how_it_went_with_fhir_codes(client, key, person, choir, facilitator):
    api_key, raw = key
    referral = refer(person, choir, facilitator)
    url = f"{LIST}/{referral.reference}"

    early = call(client, "patch", url, raw, {"status": "in-progress"})
    assert early.status_code == 409 and early.json()["field"] == "status"
    accept = call(client, "patch", url, raw, {"status": "accepted"})
    assert accept.status_code == 409
    assert "Only the group" in accept.json()["error"]

    referral_group_answer(token=group_token(referral), status="accepted")
    wrong_reason = call(
        client, "patch", url, raw, {"status": "completed", "status_reason": "no_capacity"}
    )
    assert wrong_reason.status_code == 400
    assert wrong_reason.json()["field"] == "status_reason"
    going = call(client, "patch", url, raw, {"status": "in-progress", "note": "Came on Tuesday"})
    assert going.status_code == 200, going.json()
    assert going.json()["status"] == "in-progress"
    assert going.json()["status_label"] == "Started going"
    assert going.json()["history"][-1]["note"] == "Came on Tuesday"
    referral.refresh_from_db()
    assert referral.status == "in_progress"
    assert referral.events.last().by_api_key == api_key
    assert AuditEvent.objects.filter(
        person=person, what__endswith="Started going (through the API: Practice record)"
    ).exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "status"),
        ({"status": "done"}, "status"),
        ({"status": "cancelled", "status_reason": "bored"}, "status_reason"),
        ({"status": "cancelled", "note": 3}, "note"),
        ({"status": "cancelled", "note": "\x1b[31m"}, "note"),
        ({"status": "cancelled", "note": "x" * 501}, "note"),
    ],
)
def test_bad_status_changes_are_refused_and_change_nothing(
    client, key, person, choir, facilitator, body, field
):
    _, raw = key
    referral = refer(person, choir, facilitator)
    response = call(client, "patch", f"{LIST}/{referral.reference}", raw, body)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    referral.refresh_from_db()
    assert referral.status == "requested" and referral.events.count() == 1


def test_unknown_ids_and_methods_get_json_answers(client, key):
    _, raw = key
    for url in (f"{LIST}/nope", f"{LIST}/00000000-0000-0000-0000-000000000000", f"{LIST}/a/b"):
        response = call(client, "get", url, raw)
        assert response.status_code == 404
        assert response.json()["error"]
    response = call(client, "delete", LIST, raw)
    assert response.status_code == 405 and response["Allow"] == "GET, POST"


def test_erased_shared_details_read_as_null(client, key, person, choir, facilitator):
    _, raw = key
    referral = refer(person, choir, facilitator)
    Referral.objects.filter(pk=referral.pk).update(
        first_name="", contact="", shared_erased_at=referral.created_at
    )
    body = call(client, "get", f"{LIST}/{referral.reference}", raw).json()
    assert body["shared"] is None


def test_a_lead_makes_sees_once_and_revokes_a_key(client, team, lead):
    client.force_login(lead)
    url = reverse("referrals:api_keys", args=[team.slug])
    refused = client.post(url, {"name": ""})
    assert refused.status_code == 200
    assert (
        "Enter which system will use it" in refused.content.decode()
        or refused.context["form"].errors["name"]
    )
    made = client.post(url, {"name": "Practice <b>record</b>"})
    raw = made.context["new_key"]
    assert raw and raw in made.content.decode()
    assert "no-store" in made["Cache-Control"]
    assert "Practice &lt;b&gt;record&lt;/b&gt;" in made.content.decode()
    again = client.get(url).content.decode()
    assert raw not in again and raw[:12] in again
    key = ApiKey.objects.get()
    assert api_key_authenticate(raw) == key
    client.post(url, {"revoke": str(key.pk)})
    assert api_key_authenticate(raw) is None
    assert AuditEvent.objects.filter(team=team, what__contains="revoked").exists()


def test_a_member_who_is_not_a_lead_cannot_see_or_make_keys(client, team, facilitator):
    client.force_login(facilitator)
    url = reverse("referrals:api_keys", args=[team.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Sneaky"}).status_code == 404
    assert not ApiKey.objects.exists()


def test_a_lead_cannot_revoke_another_teams_key(client, team, lead):
    other = TeamFactory(name="Elsewhere")
    theirs, raw = api_key_issue(team=other, by=None, name="Theirs")
    client.force_login(lead)
    response = client.post(
        reverse("referrals:api_keys", args=[team.slug]), {"revoke": str(theirs.pk)}
    )
    assert response.status_code == 404
    assert api_key_authenticate(raw) == theirs
