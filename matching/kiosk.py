"""Kiosk mode's state and its own small forms.

A kiosk keeps nothing about the person on the server: no rows, no session. The answers so far
travel from page to page in one hidden field, as the JSON of POST /api/match signed with the
site's secret key. The signature means a posted state is one this site wrote, so it cannot be
edited into something odd; it does not hide the answers, which are on the person's own screen.
"""

from __future__ import annotations

from django import forms
from django.core import signing

from assets_directory.geocoding import GeocodingError, geocode

STATE_FIELD = "state"
SALT = "matching.kiosk.state"
# Each page signs the answers afresh, so this is the longest one page may be left before the
# next step. It also bounds how long a page kept in the browser's history can be sent again.
MAX_AGE_SECONDS = 30 * 60
# Far more than five pages of answers; a bigger post is not one of ours.
MAX_STATE_CHARS = 32_000

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
    """The posted answers are missing, too old, or not signed by this site."""

    def __init__(self, *, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def state_sign(answers: dict) -> str:
    return signing.dumps(
        {key: value for key, value in answers.items() if key in ANSWER_KEYS},
        salt=SALT,
        compress=True,
    )


def state_read(token) -> dict:
    if not isinstance(token, str) or not token or len(token) > MAX_STATE_CHARS:
        raise KioskStateError
    try:
        answers = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise KioskStateError(expired=True) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise KioskStateError from exc
    if not isinstance(answers, dict) or not set(answers) <= ANSWER_KEYS:
        raise KioskStateError
    return answers


class PlaceForm(forms.Form):
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


class EmailListForm(forms.Form):
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
