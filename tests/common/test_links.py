"""common.links: signed for one purpose, refused when old, tampered with or for another."""

from __future__ import annotations

import time
import types
from datetime import timedelta

import pytest
from django.core import signing

from common.links import LinkExpired, LinkInvalid, link_payload, link_token

DAY = timedelta(days=1)


def test_token_round_trips_its_payload():
    token = link_token(purpose="test.purpose", payload={"r": 7, "a": "confirm"})
    payload = link_payload(purpose="test.purpose", token=token, max_age=DAY)
    assert payload == {"r": 7, "a": "confirm"}


def test_token_for_one_purpose_does_not_open_another():
    token = link_token(purpose="test.freshness", payload={"r": 7})
    with pytest.raises(LinkInvalid, match="Signature"):
        link_payload(purpose="test.referral", token=token, max_age=DAY)


@pytest.mark.parametrize("cut", [1, 5, 20])
def test_tampered_or_cut_token_is_invalid(cut):
    token = link_token(purpose="test.purpose", payload={"r": 7})
    with pytest.raises(LinkInvalid):
        link_payload(purpose="test.purpose", token=token[:-cut], max_age=DAY)


def test_old_token_is_expired_not_invalid(monkeypatch):
    token = link_token(purpose="test.purpose", payload={"r": 7})
    later = types.SimpleNamespace(time=lambda: time.time() + DAY.total_seconds() + 5)
    monkeypatch.setattr(signing, "time", later)
    with pytest.raises(LinkExpired, match="Signature age"):
        link_payload(purpose="test.purpose", token=token, max_age=DAY)


def test_payload_that_is_not_a_mapping_is_invalid():
    token = signing.TimestampSigner(salt="test.purpose").sign_object([1, 2])
    with pytest.raises(LinkInvalid, match="not a mapping"):
        link_payload(purpose="test.purpose", token=token, max_age=DAY)


def test_a_purpose_is_required():
    with pytest.raises(ValueError, match="needs a purpose"):
        link_token(purpose="", payload={})
