"""'This is us': a listing nobody looks after is claimed, and a moderator hands it over."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from assets_directory import selectors, services
from assets_directory.models import GroupRegistration, ListingClaim, Organisation
from tests.conftest import make_editor
from tests.factories import OrganisationFactory, UserFactory

REGISTER_URL = "/list-your-group/"


def claim_url(organisation):
    return reverse("assets_directory:claim", args=[organisation.uuid])


def claim_data(**changes):
    data = {
        "claimant_name": "Grace Hopper",
        "claimant_email": "Grace@Example.org",
        "claimant_role": "Secretary",
        "evidence": "I can reply from the group's address, allotments@example.org.",
        "agree": "on",
        "website_url": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def unclaimed(directory):
    """A listed group with nobody looking after it (moved over from an old directory)."""
    return OrganisationFactory(parent=directory, title="Garratt Green Allotments")


@pytest.fixture
def claim(unclaimed):
    return services.claim_submit(
        organisation=unclaimed,
        claimant_name="Grace Hopper",
        claimant_email="grace@example.org",
        claimant_role="Secretary",
        evidence="I run it.",
    )


@pytest.mark.django_db
class TestClaimPage:
    def test_anyone_may_see_the_form(self, client, unclaimed):
        response = client.get(claim_url(unclaimed))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Is “Garratt Green Allotments” your group?" in body
        assert '<label for="id_evidence">' in body

    def test_a_claim_goes_to_the_moderators(self, client, unclaimed, moderator, mailoutbox):
        response = client.post(claim_url(unclaimed), claim_data())
        assert response.status_code == 302
        assert response["Location"] == unclaimed.url
        claim = ListingClaim.objects.get()
        assert claim.organisation_id == unclaimed.pk
        assert claim.claimant_email == "grace@example.org"
        assert claim.is_pending
        assert list(selectors.pending_claims()) == [claim]
        to = {tuple(m.to): m for m in mailoutbox}
        assert set(to) == {("moderator@example.org",), ("grace@example.org",)}
        decide = reverse("claim_decide", args=[claim.pk])
        assert re.search(rf"https?://\S+{re.escape(decide)}", to["moderator@example.org",].body)

    def test_the_listing_offers_the_claim_only_when_nobody_looks_after_it(
        self, client, unclaimed, organisation
    ):
        assert claim_url(unclaimed) in client.get(unclaimed.url).content.decode()
        make_editor(organisation, username="knitter")
        assert claim_url(organisation) not in client.get(organisation.url).content.decode()

    def test_unknown_and_unpublished_listings_are_not_found(self, client, directory):
        hidden = OrganisationFactory(parent=directory, title="Hidden", live=False)
        assert client.get(claim_url(hidden)).status_code == 404
        assert client.get("/list-your-group/claim/not-a-uuid/").status_code == 404

    def test_a_listing_with_active_editors_cannot_be_claimed(self, client, organisation):
        make_editor(organisation, username="knitter")
        response = client.get(claim_url(organisation))
        assert response.status_code == 409
        assert "already looked after by its group" in response.content.decode()
        response = client.post(claim_url(organisation), claim_data())
        assert response.status_code == 409
        assert ListingClaim.objects.count() == 0

    def test_an_inactive_editor_does_not_count(self, client, organisation):
        make_editor(organisation, username="gone", is_active=False)
        assert client.get(claim_url(organisation)).status_code == 200

    @pytest.mark.parametrize(
        "field, value, message",
        [
            ("claimant_name", "", "Enter your name."),
            ("claimant_email", "not-an-address", "in the right form"),
            ("evidence", "", "Tell us how we can check it is your group."),
            ("evidence", "x" * 2001, "2000 characters or fewer"),
            ("agree", "", "Confirm that you run or help run this group."),
            ("claimant_name", "Grace\u202eHopper", "cannot be used here"),
            ("evidence", "I run it\x00", "cannot be used here"),
        ],
    )
    def test_bad_input_shows_a_field_error_and_saves_nothing(
        self, client, unclaimed, mailoutbox, field, value, message
    ):
        response = client.post(claim_url(unclaimed), claim_data(**{field: value}))
        assert response.status_code == 400
        form = response.context["form"]
        assert field in form.errors
        assert message in " ".join(form.errors[field])
        assert f'href="#id_{field}"' in response.content.decode()
        assert ListingClaim.objects.count() == 0
        assert mailoutbox == []

    def test_hostile_text_is_kept_as_text(self, client, unclaimed, moderator, mailoutbox):
        hostile = '<script>alert(1)</script> & "quotes" {{ settings.SECRET_KEY }}'
        response = client.post(claim_url(unclaimed), claim_data(claimant_name=hostile))
        assert response.status_code == 302
        claim = ListingClaim.objects.get()
        assert claim.claimant_name == hostile
        # E-mails are plain text: the name as written, no template evaluated.
        assert all("SECRET_KEY" in m.body for m in mailoutbox if "Hello" in m.body)
        client.force_login(moderator)
        page = client.get(reverse("claim_decide", args=[claim.pk])).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;" in page

    def test_honeypot_saves_nothing_but_looks_normal(self, client, unclaimed):
        response = client.post(claim_url(unclaimed), claim_data(website_url="http://spam"))
        assert response.status_code == 302
        assert ListingClaim.objects.count() == 0

    def test_too_many_claims_from_one_address_are_refused(self, client, unclaimed, settings):
        settings.PUBLIC_FORM_RATE_LIMIT = 2
        for n in range(2):
            email = f"person{n}@example.org"
            assert (
                client.post(claim_url(unclaimed), claim_data(claimant_email=email)).status_code
                == 302
            )
        response = client.post(claim_url(unclaimed), claim_data(claimant_email="x@example.org"))
        assert response.status_code == 429
        assert ListingClaim.objects.count() == 2


@pytest.mark.django_db
class TestDecision:
    def test_approval_makes_the_claimant_its_editor(
        self, client, claim, unclaimed, moderator, mailoutbox, organisation
    ):
        client.force_login(moderator)
        url = reverse("claim_decide", args=[claim.pk])
        assert client.get(url).status_code == 200
        mailoutbox.clear()
        response = client.post(url, {"decision": "approve", "reason": ""})
        assert response.status_code == 302
        claim.refresh_from_db()
        unclaimed.refresh_from_db()
        assert claim.status == ListingClaim.Status.APPROVED
        assert claim.decided_by == moderator and claim.decided_at is not None
        user = claim.user
        assert user.is_active and user.email == "grace@example.org"
        assert not user.has_usable_password()
        assert list(user.groups.all()) == [unclaimed.editors_group]
        # Its editor may edit this organisation's pages and nobody else's.
        assert unclaimed.permissions_for_user(user).can_edit()
        assert not organisation.permissions_for_user(user).can_edit()
        assert selectors.organisation_has_active_editors(unclaimed)
        assert list(selectors.pending_claims()) == []
        [mail] = mailoutbox
        assert mail.to == ["grace@example.org"]
        assert "Set your password" in mail.body
        link = re.search(r"https?://\S+/password_reset/\S+", mail.body)
        assert link, mail.body

    def test_an_existing_account_is_added_not_duplicated(self, claim, moderator, mailoutbox):
        existing = UserFactory(username="grace", email="GRACE@example.org")
        services.claim_approve(claim=claim, moderator=moderator)
        claim.refresh_from_db()
        assert claim.user == existing
        assert get_user_model().objects.filter(email__iexact="grace@example.org").count() == 1
        assert "usual account" in mailoutbox[-1].body

    def test_decline_needs_a_reason_and_tells_the_claimant(
        self, client, claim, moderator, mailoutbox
    ):
        client.force_login(moderator)
        url = reverse("claim_decide", args=[claim.pk])
        response = client.post(url, {"decision": "decline", "reason": "  "})
        assert response.status_code == 400
        assert "Give a reason" in response.content.decode()
        claim.refresh_from_db()
        assert claim.is_pending
        mailoutbox.clear()
        response = client.post(url, {"decision": "decline", "reason": "We could not reach you."})
        assert response.status_code == 302
        claim.refresh_from_db()
        assert claim.status == ListingClaim.Status.DECLINED
        assert claim.reason == "We could not reach you."
        assert claim.user is None
        [mail] = mailoutbox
        assert mail.to == ["grace@example.org"] and "We could not reach you." in mail.body
        assert not claim.organisation.specific.editors_group_id

    def test_bad_decisions_are_field_errors(self, client, claim, moderator):
        client.force_login(moderator)
        url = reverse("claim_decide", args=[claim.pk])
        for data in ({}, {"decision": "delete everything"}, {"decision": "approve\x00"}):
            response = client.post(url, data)
            assert response.status_code == 400
            assert "decision" in response.context["form"].errors
        claim.refresh_from_db()
        assert claim.is_pending

    def test_a_claim_is_decided_once(self, claim, moderator):
        services.claim_decline(claim=claim, moderator=moderator, reason="No.")
        with pytest.raises(services.ClaimRefused):
            services.claim_approve(claim=claim, moderator=moderator)
        claim.refresh_from_db()
        assert claim.status == ListingClaim.Status.DECLINED and claim.user is None

    def test_approval_is_refused_once_someone_looks_after_it(
        self, client, claim, unclaimed, moderator
    ):
        make_editor(unclaimed, username="first")
        groups_before = Group.objects.count()
        client.force_login(moderator)
        response = client.post(reverse("claim_decide", args=[claim.pk]), {"decision": "approve"})
        assert response.status_code == 409
        assert "already looked after" in response.content.decode()
        claim.refresh_from_db()
        assert claim.is_pending and claim.user is None
        assert Group.objects.count() == groups_before
        assert not get_user_model().objects.filter(email="grace@example.org").exists()

    def test_editors_cannot_decide_or_see_claims(self, client, claim, editor):
        client.force_login(editor)
        url = reverse("claim_decide", args=[claim.pk])
        # Wagtail answers a refusal in the admin with its dashboard and an error.
        for response in (client.get(url), client.post(url, {"decision": "approve"})):
            assert response.status_code in (302, 403)
            assert "Grace Hopper" not in response.content.decode()
        listing = client.get(reverse("wagtailsnippets_assets_directory_listingclaim:list"))
        assert listing.status_code in (302, 403)
        assert "Grace Hopper" not in listing.content.decode()
        claim.refresh_from_db()
        assert claim.is_pending

    def test_moderators_see_pending_claims_in_the_list(self, client, claim, moderator):
        client.force_login(moderator)
        response = client.get(
            reverse("wagtailsnippets_assets_directory_listingclaim:list") + "?status=pending"
        )
        body = response.content.decode()
        assert "Grace Hopper" in body
        assert reverse("claim_decide", args=[claim.pk]) in body


def registration_data(**changes):
    data = {
        "organisation_name": "Garratt Green Allotment Society",
        "kind": "community_group",
        "description": "We grow vegetables.",
        "postcode": "sw18 4dj",
        "areas_served": "",
        "website": "",
        "email": "",
        "phone": "",
        "contact_name": "Grace Hopper",
        "contact_email": "grace@example.org",
        "contact_phone": "",
        "contact_role": "",
        "message": "",
        "agree": "on",
        "website_url": "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
class TestIsThisAlreadyListed:
    def test_registration_shows_likely_matches_with_a_claim_link(
        self, client, unclaimed, organisation
    ):
        response = client.post(REGISTER_URL, registration_data())
        assert response.status_code == 200
        body = response.content.decode()
        assert "Is this already listed?" in body
        assert "Garratt Green Allotments" in body
        assert claim_url(unclaimed) in body
        assert 'name="not_listed"' in body
        # Nothing is registered yet, and the answers are kept.
        assert GroupRegistration.objects.count() == 0
        assert 'value="Garratt Green Allotment Society"' in body

    def test_not_us_carries_on(self, client, unclaimed, mailoutbox):
        response = client.post(REGISTER_URL, registration_data(not_listed="1"))
        assert response.status_code == 302
        assert GroupRegistration.objects.get().organisation_name == (
            "Garratt Green Allotment Society"
        )
        assert Organisation.objects.filter(title="Garratt Green Allotments").count() == 1

    def test_a_listing_someone_looks_after_is_shown_without_a_claim_link(self, client, unclaimed):
        make_editor(unclaimed, username="first")
        body = client.post(REGISTER_URL, registration_data()).content.decode()
        assert "Garratt Green Allotments" in body
        assert claim_url(unclaimed) not in body
        assert "Someone already looks after this listing" in body

    def test_no_matches_registers_at_once(self, client, unclaimed):
        response = client.post(REGISTER_URL, registration_data(organisation_name="Chess Club"))
        assert response.status_code == 302
        assert GroupRegistration.objects.count() == 1

    def test_the_same_name_is_refused_and_offered_to_claim(self, client, unclaimed):
        response = client.post(
            REGISTER_URL,
            registration_data(organisation_name="Garratt Green Allotments", not_listed="1"),
        )
        assert response.status_code == 400
        body = response.content.decode()
        assert "already listed" in body
        assert claim_url(unclaimed) in body
        assert GroupRegistration.objects.count() == 0


# In the moderators' review queue -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_claim_waits_in_the_review_queue_and_is_handed_over_from_there(
    client, moderator, claim, mailoutbox
):
    client.force_login(moderator)
    page = client.get(reverse("review_queue")).content.decode()
    assert "Claims to look after a listing" in page
    assert "Garratt Green Allotments: claimed by Grace Hopper" in page
    assert "I run it." in page
    response = client.post(reverse("review_approve", args=["claim", claim.pk]))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ListingClaim.Status.APPROVED
    assert selectors.organisation_has_active_editors(claim.organisation) or mailoutbox
    assert any("grace@example.org" in m.to for m in mailoutbox)
    assert "No claim waiting." in client.get(reverse("review_queue")).content.decode()


@pytest.mark.django_db
def test_declining_a_claim_from_the_queue_needs_a_reason(client, moderator, claim, mailoutbox):
    client.force_login(moderator)
    url = reverse("review_request_changes", args=["claim", claim.pk])
    response = client.post(url, {f"claim-{claim.pk}-reason": " "})
    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.status == ListingClaim.Status.PENDING
    client.post(url, {f"claim-{claim.pk}-reason": "We could not reach the group's address."})
    claim.refresh_from_db()
    assert claim.status == ListingClaim.Status.DECLINED
    assert "could not reach" in mailoutbox[-1].body


@pytest.mark.django_db
def test_a_claim_on_a_listing_now_looked_after_is_refused_from_the_queue(
    client, moderator, claim, unclaimed
):
    make_editor(unclaimed)
    client.force_login(moderator)
    page = client.get(reverse("review_queue")).content.decode()
    assert "it cannot be handed on" in page
    response = client.post(reverse("review_approve", args=["claim", claim.pk]), follow=True)
    assert "already looked after" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ListingClaim.Status.PENDING


@pytest.mark.django_db
def test_editors_cannot_decide_claims_from_the_queue(client, editor, claim):
    client.force_login(editor)
    response = client.post(reverse("review_approve", args=["claim", claim.pk]))
    assert response.status_code in (302, 403)
    claim.refresh_from_db()
    assert claim.status == ListingClaim.Status.PENDING
