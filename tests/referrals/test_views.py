"""The team's side: refer from the plan, follow the referral, record what happened."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from matching.services import ChosenActivity, plan_create
from referrals.models import Referral
from referrals.services import referral_status_change
from referrals.status import Party
from tests.factories.matching import PersonFactory, TeamFactory, make_facilitator
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(person, choir, facilitator):
    plan = plan_create(
        person=person,
        by=facilitator,
        chosen=[ChosenActivity(activity_id=choir.pk, title=choir.title,
                               organisation="Balham Community Choir")],
    )  # fmt: skip
    return plan.items.get()


def refer_url(person, item):
    return reverse("referrals:refer", args=[person.reference]) + f"?item={item.pk}"


GOOD = {
    "first_name": "Jo",
    "contact": "07700 900123",
    "contact_by": "text",
    "help_with": "Meeting people",
    "access_needs": "",
    "consent_to_share": "on",
    "consent_method": "spoken",
}


def test_the_record_offers_to_refer_to_the_plans_activities(client, person, item, facilitator):
    client.force_login(facilitator)
    page = client.get(reverse("matching:person", args=[person.reference])).content.decode()
    assert "5. Referrals" in page
    assert refer_url(person, item).replace("&", "&amp;") in page


def test_referring_from_the_plan_sends_it_and_shows_where_it_stands(
    client, person, item, facilitator
):
    client.force_login(facilitator)
    form = client.get(refer_url(person, item))
    assert form.status_code == 200
    assert 'value="Jo"' in form.content.decode()  # their first name, to start with

    response = client.post(refer_url(person, item), {**GOOD, "item": item.pk})

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "referrals:detail", args=[person.reference, referral.reference]
    )
    assert (referral.plan_item, referral.contact_by) == (item, "text")
    assert [m.to for m in mail.outbox] == [["choir@example.org"]]
    page = client.get(response["Location"]).content.decode()
    assert "Sent, waiting for the group" in page
    record = client.get(reverse("matching:person", args=[person.reference])).content.decode()
    assert "Answer due by" in record
    # Referred: the plan's activity is no longer offered again while the referral is open.
    assert refer_url(person, item).replace("&", "&amp;") not in record


def test_no_consent_to_share_names_the_field_and_sends_nothing(client, person, item, facilitator):
    client.force_login(facilitator)
    data = {**GOOD, "item": item.pk}
    del data["consent_to_share"]
    response = client.post(refer_url(person, item), data)
    assert response.status_code == 200
    assert "Without it the referral cannot be made" in response.content.decode()
    assert not Referral.objects.exists()
    assert mail.outbox == []


def test_another_team_cannot_see_or_make_referrals(client, person, item, choir, facilitator):
    referral = refer(person, choir, facilitator)
    outsider = make_facilitator(TeamFactory(name="Other team"), username="outsider")
    client.force_login(outsider)
    assert client.get(refer_url(person, item)).status_code == 404
    detail = reverse("referrals:detail", args=[person.reference, referral.reference])
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"status": "cancelled"}).status_code == 404


def test_an_item_of_someone_else_or_nonsense_is_not_found(client, person, item, facilitator, team):
    client.force_login(facilitator)
    other = PersonFactory(team=team)
    base = reverse("referrals:refer", args=[other.reference])
    assert client.get(f"{base}?item={item.pk}").status_code == 404
    for bad in ("", "abc", "-1", "<script>", "1e9"):
        url = reverse("referrals:refer", args=[person.reference]) + f"?item={bad}"
        assert client.get(url).status_code == 404, bad


def test_the_team_records_that_they_go_regularly(client, person, choir, facilitator):
    referral = refer(person, choir, facilitator)
    referral.status = "accepted"
    referral.save()
    client.force_login(facilitator)
    detail = reverse("referrals:detail", args=[person.reference, referral.reference])

    response = client.post(detail, {"status": "completed", "note": "Loves it"})

    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.reason) == ("completed", "attending_regularly")
    page = client.get(detail).content.decode()
    assert "Going regularly" in page
    assert "Loves it" in page
    assert "Record what happened" not in page  # closed: nothing more to record


def test_cancelling_for_another_reason_needs_the_note(client, person, choir, facilitator):
    referral = refer(person, choir, facilitator)
    client.force_login(facilitator)
    detail = reverse("referrals:detail", args=[person.reference, referral.reference])
    response = client.post(detail, {"status": "cancelled", "reason": "other", "note": ""})
    assert response.status_code == 200
    assert "Say what the other reason is" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "requested"


def test_an_unanswered_referral_past_its_day_is_flagged(client, person, choir, facilitator):
    referral = refer(person, choir, facilitator, today=datetime.date(2026, 1, 5))
    client.force_login(facilitator)
    record = client.get(reverse("matching:person", args=[person.reference])).content.decode()
    assert "No answer since" in record
    detail = reverse("referrals:detail", args=[person.reference, referral.reference])
    assert "has not" in client.get(detail).content.decode()


def test_a_plan_activity_that_does_not_take_referrals_is_not_offered(
    client, person, item, choir, facilitator
):
    choir.referral_route = "drop_in"
    choir.save()
    client.force_login(facilitator)
    record = client.get(reverse("matching:person", args=[person.reference])).content.decode()
    assert "Refer to Community choir" not in record
    response = client.post(refer_url(person, item), {**GOOD, "item": item.pk})
    assert response.status_code == 200
    assert "does not take referrals" in response.content.decode()


def test_the_persons_export_holds_their_referrals_in_words(client, person, choir, facilitator):
    refer(person, choir, facilitator)
    client.force_login(facilitator)
    data = client.get(reverse("matching:export_json", args=[person.reference])).json()
    (referral,) = data["referrals"]
    assert referral["status"] == "Sent, waiting for the group"
    assert referral["shared_with_the_group"]["help_with"] == "Marker-help meeting people"
    assert [e["status"] for e in referral["history"]] == ["Sent, waiting for the group"]
    page = client.get(reverse("matching:export_print", args=[person.reference]))
    text = page.content.decode()
    assert "Referrals to groups" in text
    assert "Shared: what they would like help with" in text
    assert "Marker-help meeting people" in text


def test_the_follow_up_page_shows_what_a_referral_came_to(client, person, item, facilitator):
    referral = refer(person, item.activity, facilitator, plan_item=item)
    referral_status_change(referral=referral, party=Party.GROUP, status="accepted")
    referral_status_change(referral=referral, party=Party.GROUP, status="in_progress")
    client.force_login(facilitator)
    page = client.get(reverse("matching:follow_up", args=[person.reference])).content.decode()
    assert "Started going." in page
    assert "Referral of" in page


def test_an_activity_that_takes_referrals_links_link_workers_to_refer_from_its_page(
    client, choir, facilitator
):
    choose = reverse("referrals:refer_choose", args=[choir.pk])
    page = client.get(choir.url).content.decode()
    assert f'href="{choose}"' in page
    choir.referral_route = "drop_in"
    choir.save_revision().publish()
    assert choose not in client.get(choir.url).content.decode()
    client.force_login(facilitator)
    assert client.get(choose).status_code == 404


def test_from_an_activity_page_a_link_worker_chooses_one_of_their_people_and_refers_them(
    client, person, choir, facilitator
):
    stranger = PersonFactory(team=TeamFactory(name="Elsewhere"), display_name="Not Mine")
    client.force_login(facilitator)
    page = client.get(reverse("referrals:refer_choose", args=[choir.pk])).content.decode()
    refer_here = reverse("referrals:refer", args=[person.reference]) + f"?activity={choir.pk}"
    assert refer_here in page and "Refer Jo B" in page
    assert "Not Mine" not in page
    form = client.get(refer_here).content.decode()
    assert "Refer Jo B to Community choir" in form
    assert f'name="activity" value="{choir.pk}"' in form

    response = client.post(
        reverse("referrals:refer", args=[person.reference]), {**GOOD, "activity": choir.pk}
    )

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert (referral.person, referral.activity_id, referral.plan_item) == (person, choir.pk, None)
    other = reverse("referrals:refer", args=[stranger.reference]) + f"?activity={choir.pk}"
    assert client.get(other).status_code == 404


@pytest.mark.parametrize("activity", ["", "abc", "0", "99999999", "-1", "1e3"])
def test_refer_with_no_such_activity_is_404(client, person, facilitator, activity):
    client.force_login(facilitator)
    url = reverse("referrals:refer", args=[person.reference]) + f"?activity={activity}"
    assert client.get(url).status_code == 404
    assert client.post(url, {**GOOD, "activity": activity}).status_code == 404
    assert not Referral.objects.exists()
