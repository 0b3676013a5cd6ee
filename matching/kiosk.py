"""Kiosk mode's state and its own small forms.

A kiosk keeps nothing about the person on the server: no rows, no session. The answers so far
live in the browser, sealed (encrypted and authenticated, with a key derived from SECRET_KEY)
so that only this site can read them and nobody can edit them:

- in each page's forms, as a hidden field (`state_seal`/`state_open`), so that posting a
  page works however long the person took over it (up to PAGE_SECONDS);
- in one cookie (`visit_seal`/`visit_open`), so that every step can be a GET: each POST is
  answered with a 303 to the next step's own address, and Back, Forward and reload fetch that
  address again and draw it from the cookie. Addresses carry no answers, so nothing readable
  reaches the browser's history or a server's logs.

The cookie is refreshed by every kiosk request, and is refused once the person has gone
quiet for REOPEN_SECONDS, a little longer than the idle time after which the screen finishes
by itself; Finish deletes it. So a later visitor cannot reopen a previous person's pages
from the history: after Finish there is nothing to read them with, and a screen left alone
(even with JavaScript off) times out.
"""

from __future__ import annotations

import base64
import functools
import json
import time
import zlib
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.conf import settings

from assets_directory.geocoding import GeocodingError, geocode
from common.forms import NamedErrorsMixin, PlainTextFormMixin
from common.http import parse_ids

STATE_FIELD = "state"
COOKIE_NAME = "kiosk"
# The HKDF "info": a key for this purpose only, unrelated to any other use of SECRET_KEY.
KEY_PURPOSE = b"common-ground matching.kiosk.state v1"

# How long a screen may sit untouched before kiosk.js asks "Still there?", then how long it
# waits for an answer before it presses Finish itself.
IDLE_SECONDS = 5 * 60
WARNING_SECONDS = 60
# The cookie opens pages for this long after the person's last request: a little longer than
# the idle time plus the warning, so it outlives the person's own use of the screen and no more.
REOPEN_SECONDS = IDLE_SECONDS + WARNING_SECONDS + 2 * 60
# Each page seals the answers afresh, so this is the longest one page may be left before it is
# posted (someone drawing a big network map can take a while).
PAGE_SECONDS = 30 * 60
# A clock a little ahead of ours on another server must not make a fresh token look forged.
CLOCK_SKEW_SECONDS = 60
# Far more than five pages of answers; a bigger post is not one of ours.
MAX_STATE_CHARS = 32_000
# Browsers keep a cookie of at most 4096 bytes, name and attributes included. A visit that
# does not fit is carried by the page alone (the steps are then posted, as before).
MAX_COOKIE_CHARS = 3_800

# The POST /api/match shape, plus what only the printed list uses.
ANSWER_KEYS = frozenset(
    {
        "near",
        "network",
        "interests",
        "top_three",
        "needs",
        "need_notes",
        "free_times",
        "max_travel_km",
        "max_cost",
        "access_needs",
        "delivery",
        "travel",
        "company",
        "used_to_enjoy",
    }
)


class KioskStateError(Exception):
    """The answers are missing, too old, or not sealed by this site."""

    def __init__(self, *, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


# Sealing ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _fernet_for(secrets: tuple[str, ...]) -> MultiFernet:
    def key(secret: str) -> Fernet:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_PURPOSE).derive(
            secret.encode()
        )
        return Fernet(base64.urlsafe_b64encode(derived))

    return MultiFernet([key(secret) for secret in secrets])


def _fernet() -> MultiFernet:
    """Seals with SECRET_KEY; opens with it or any of SECRET_KEY_FALLBACKS, so rotating the
    key does not throw every person at a kiosk back to the start."""
    fallbacks = getattr(settings, "SECRET_KEY_FALLBACKS", [])
    return _fernet_for((settings.SECRET_KEY, *fallbacks))


def token_seal(payload: dict, *, now: float | None = None) -> str:
    """`payload` as JSON, compressed, then encrypted and authenticated (Fernet: AES-128-CBC
    and HMAC-SHA256) with the time it was sealed."""
    data = zlib.compress(json.dumps(payload, separators=(",", ":")).encode())
    return _fernet().encrypt_at_time(data, int(time.time() if now is None else now)).decode()


def token_open(token, *, max_age: int, now: float | None = None) -> dict:
    """The payload of a token this site sealed at most `max_age` seconds ago. Raises
    KioskStateError (with expired=True for a genuine token that is too old)."""
    if not isinstance(token, str) or not token or len(token) > MAX_STATE_CHARS:
        raise KioskStateError
    now = time.time() if now is None else now
    fernet = _fernet()
    try:
        sealed_at = fernet.extract_timestamp(token.encode())
        if sealed_at > now + CLOCK_SKEW_SECONDS:
            raise KioskStateError
        if now - sealed_at > max_age:
            raise KioskStateError(expired=True)
        payload = json.loads(zlib.decompress(fernet.decrypt(token.encode())))
    except (InvalidToken, zlib.error, ValueError, UnicodeDecodeError) as exc:
        raise KioskStateError from exc
    if not isinstance(payload, dict):
        raise KioskStateError
    return payload


def _answers_only(answers) -> dict:
    if not isinstance(answers, dict) or not set(answers) <= ANSWER_KEYS:
        raise KioskStateError
    return answers


# The answers in a page ----------------------------------------------------------------------


def state_seal(answers: dict) -> str:
    """The answers for a page's hidden field (keys the flow does not know are dropped)."""
    return token_seal({key: value for key, value in answers.items() if key in ANSWER_KEYS})


def state_open(token) -> dict:
    """The answers a page posted back; KioskStateError if they are not ours or too old."""
    return _answers_only(token_open(token, max_age=PAGE_SECONDS))


# The visit in its cookie --------------------------------------------------------------------


@dataclass
class KioskVisit:
    """What the cookie holds: the answers, the ticked suggestions, a step's form as posted if
    it had mistakes in it (`draft`: {"step", "data", "add_row"}) and whether the list was
    just sent."""

    answers: dict = field(default_factory=dict)
    chosen: list[int] = field(default_factory=list)
    draft: dict | None = None
    sent: bool = False


def visit_seal(visit: KioskVisit) -> str:
    payload: dict = {"a": {k: v for k, v in visit.answers.items() if k in ANSWER_KEYS}}
    if visit.chosen:
        payload["c"] = list(visit.chosen)
    if visit.draft:
        payload["d"] = visit.draft
    if visit.sent:
        payload["s"] = True
    return token_seal(payload)


def visit_open(token) -> KioskVisit:
    """The visit in the cookie, if the person has used the screen in the last REOPEN_SECONDS."""
    payload = token_open(token, max_age=REOPEN_SECONDS)
    draft = payload.get("d")
    if draft is not None and not (
        isinstance(draft, dict)
        and isinstance(draft.get("step"), str)
        and isinstance(draft.get("data"), dict)
        and all(
            isinstance(values, list) and all(isinstance(v, str) for v in values)
            for values in draft["data"].values()
        )
    ):
        raise KioskStateError
    chosen = payload.get("c", [])
    return KioskVisit(
        answers=_answers_only(payload.get("a", {})),
        chosen=parse_ids(chosen) if isinstance(chosen, list) else [],
        draft=draft,
        sent=payload.get("s") is True,
    )


class PlaceForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    near = forms.CharField(
        label="What is your postcode?",
        help_text=(
            "For example SW18 4DJ. If you would rather not say, the first part is enough, "
            "for example SW18. We use it only to find things near you."
        ),
        max_length=16,
        error_messages={"required": "Enter your postcode, or just the first part of it."},
        # A shared screen must not offer the last person's postcode to the next.
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_near(self) -> str:
        try:
            result = geocode(self.cleaned_data["near"])
        except GeocodingError as exc:
            raise forms.ValidationError(exc.message) from exc
        return result.postcode or result.outcode


class EmailListForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        help_text="We send your list once and do not keep your address.",
        max_length=254,
        error_messages={
            "required": "Enter the e-mail address to send your list to.",
            "invalid": "Enter an e-mail address like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
