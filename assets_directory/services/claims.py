"""Claims: "This is us" on a listing nobody looks after, decided by a moderator.

Approval hands the listing to the group, as approving a registration does: the claimant's
account joins the organisation's editors group (its rights on the organisation's pages and
collection only) and is sent a link to set a password.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.mail import mail_send
from common.site import absolute_url

from ..models import ListingClaim, Organisation
from ..selectors import moderator_emails, organisation_has_active_editors
from .registration import _unique_username, organisation_grant_editors, set_password_url


class ClaimRefused(Exception):
    """The listing is looked after already, or the claim was decided already."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


LOOKED_AFTER = (
    "This listing is already looked after by its group, so it cannot be claimed. "
    "Contact us if you think that is wrong."
)
DECIDED = "This claim has already been decided."


def claim_submit(
    *,
    organisation: Organisation,
    claimant_name: str,
    claimant_email: str,
    evidence: str,
    claimant_role: str = "",
) -> ListingClaim:
    """Record a claim on a listing nobody looks after, and tell the moderators and claimant."""
    with transaction.atomic():
        # Locked, so that a claim and an approval cannot cross.
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if not organisation.live:
            raise ClaimRefused("This listing is not on the site.")
        if organisation_has_active_editors(organisation):
            raise ClaimRefused(LOOKED_AFTER)
        claim = ListingClaim.objects.create(
            organisation=organisation,
            claimant_name=claimant_name,
            claimant_email=claimant_email.lower(),
            claimant_role=claimant_role,
            evidence=evidence,
        )
        context = {
            "claim": claim,
            "organisation_url": absolute_url(organisation.url or "/"),
            "decide_url": absolute_url(reverse("claim_decide", args=[claim.pk])),
        }
        mail_send(
            subject=f"Someone says they run {organisation.title}",
            template="assets_directory/emails/claim_moderators.txt",
            context=context,
            to=moderator_emails(),
        )
        mail_send(
            subject=f"We have your request to look after {organisation.title}",
            template="assets_directory/emails/claim_received.txt",
            context=context,
            to=[claim.claimant_email],
        )
    return claim


@transaction.atomic
def claim_approve(*, claim: ListingClaim, moderator) -> ListingClaim:
    """Make the claimant an editor of the organisation, and send them a link to set a password.

    An active account with the claimant's e-mail address joins the editors group as it is;
    otherwise a new account is made, as registration makes one.
    """
    claim = ListingClaim.objects.select_for_update().get(pk=claim.pk)
    if not claim.is_pending:
        raise ClaimRefused(DECIDED)
    organisation = Organisation.objects.select_for_update().get(pk=claim.organisation_id)
    if organisation_has_active_editors(organisation):
        raise ClaimRefused(LOOKED_AFTER)
    group = organisation_grant_editors(organisation=organisation)

    User = get_user_model()
    user = (
        User.objects.filter(email__iexact=claim.claimant_email, is_active=True)
        .order_by("pk")
        .first()
    )
    new_account = user is None
    if new_account:
        name = claim.claimant_name
        user = User(
            username=_unique_username(claim.claimant_email),
            email=claim.claimant_email,
            first_name=name.split(" ", 1)[0][:150],
            last_name=name.split(" ", 1)[1][:150] if " " in name else "",
            is_active=True,
        )
        user.set_unusable_password()
        user.save()
    user.groups.add(group)

    claim.status = ListingClaim.Status.APPROVED
    claim.user = user
    claim.decided_by = moderator
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "user", "decided_by", "decided_at"])

    context = {
        "claim": claim,
        "new_account": new_account,
        "set_password_url": set_password_url(user),
        "sign_in_url": absolute_url(reverse("wagtailadmin_login")),
        "username": user.get_username(),
        "organisation_url": absolute_url(organisation.url or "/"),
    }
    mail_send(
        subject=f"You can now look after {organisation.title}",
        template="assets_directory/emails/claim_approved.txt",
        context=context,
        to=[user.email],
    )
    return claim


@transaction.atomic
def claim_decline(*, claim: ListingClaim, moderator, reason: str) -> ListingClaim:
    """Turn a claim down, telling the claimant why. Nothing else changes."""
    if not reason.strip():
        raise ValueError("Give a reason: the person who claimed it will be told it.")
    claim = ListingClaim.objects.select_for_update().get(pk=claim.pk)
    if not claim.is_pending:
        raise ClaimRefused(DECIDED)
    claim.status = ListingClaim.Status.DECLINED
    claim.reason = reason.strip()
    claim.decided_by = moderator
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    mail_send(
        subject=f"Your request to look after {claim.organisation.title}",
        template="assets_directory/emails/claim_declined.txt",
        context={"claim": claim},
        to=[claim.claimant_email],
    )
    return claim
