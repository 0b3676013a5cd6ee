"""The links a group answers a referral through, without an account.

A link names the referral and its current nonce, signed with the site's secret and dated
(django.core.signing): it fails when tampered with, after REFERRAL_LINK_DAYS (default 30), and
once used, as answering gives the referral a new nonce. Opening it changes nothing (mail
scanners open links); only the form it shows does.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from common.site import absolute_url

from .models import Referral

SALT = "referrals.group-link"
LINK_DAYS = 30


class LinkError(Exception):
    """A link that cannot be used; `message` says why, `status` is the HTTP status to answer."""

    def __init__(self, message: str, status: int):
        self.message = message
        self.status = status
        super().__init__(message)


def link_days() -> int:
    return getattr(settings, "REFERRAL_LINK_DAYS", LINK_DAYS)


def group_token(referral: Referral) -> str:
    return signing.dumps([str(referral.reference), referral.link_nonce], salt=SALT)


def group_link(referral: Referral) -> str:
    return absolute_url(reverse("referrals:answer", args=[group_token(referral)]))


def referral_from_token(token: str) -> Referral:
    """The referral a link names, or LinkError saying why it cannot be used."""
    try:
        reference, nonce = signing.loads(token, salt=SALT, max_age=link_days() * 24 * 60 * 60)
    except signing.SignatureExpired:
        raise LinkError(
            "This link has expired. Reply to the e-mail it came in, and the team that made "
            "the referral will help.",
            410,
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkError(
            "This link is not complete or has been changed. Open it from the e-mail again, "
            "or copy the whole address.",
            404,
        ) from None
    referral = Referral.objects.filter(reference=reference).select_related("team").first()
    if referral is None:
        raise LinkError("This referral no longer exists.", 410)
    if referral.link_nonce != nonce:
        raise LinkError(
            "This link has been used already. If you have more to tell us, use the newest "
            "e-mail about this referral.",
            410,
        )
    return referral
