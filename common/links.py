"""Signed links sent by e-mail: the freshness links now, the referral links later.

A link carries a small payload signed for one purpose, with the time it was made. Reading it
checks the signature (with that purpose's salt, so a link made for one purpose never opens
another) and its age. A link is single-use because its payload names a record whose state the
reader checks and the first use changes (the freshness reminder's answer): the signature alone
cannot know it was used.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing


class LinkError(ValueError):
    """A link that cannot be read. Subclasses say why."""


class LinkExpired(LinkError):
    """Signed correctly, but older than the age allowed."""


class LinkInvalid(LinkError):
    """Tampered with, cut short, made for another purpose or by another key."""


def _signer(purpose: str) -> signing.TimestampSigner:
    if not purpose:
        raise ValueError("A signed link needs a purpose, e.g. 'assets_directory.freshness'.")
    # The purpose is the salt as it stands, so links already in people's inboxes stay valid.
    return signing.TimestampSigner(salt=purpose)


def link_token(*, purpose: str, payload: dict) -> str:
    """The URL-safe token for ``payload`` (small, JSON-serialisable) signed for ``purpose``."""
    return _signer(purpose).sign_object(payload)


def link_payload(*, purpose: str, token: str, max_age: timedelta) -> dict:
    """The payload of a token made by ``link_token`` for ``purpose`` at most ``max_age`` ago.

    Raises ``LinkExpired`` or ``LinkInvalid``; a payload that is not a dict is invalid.
    """
    try:
        payload = _signer(purpose).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired(str(exc)) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise LinkInvalid(str(exc)) from exc
    if not isinstance(payload, dict):
        raise LinkInvalid("The link's payload is not a mapping.")
    return payload
