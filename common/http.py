"""Reading requests safely: the client's address, redirect targets and ids."""

from __future__ import annotations

import ipaddress
import re

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

# Ids are positive 64-bit integers. ASCII digits only: str.isdigit() accepts "²" and "٣",
# which int() then refuses or reads as another number.
_ID = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A database id from user input, or None for anything that is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ID.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def parse_ids(values, *, limit: int = 200) -> list[int]:
    """The valid ids among `values`, in order, without repeats, at most `limit` of them."""
    seen: dict[int, None] = {}
    for value in values:
        number = parse_id(value)
        if number is not None:
            seen.setdefault(number, None)
            if len(seen) >= limit:
                break
    return list(seen)


def same_site_path(request, value, *, default: str) -> str:
    """`value` if it is a path on this site ("/search/?q=walk"), otherwise `default`.

    Only paths are accepted, never a scheme or a host, so a link cannot send a visitor to
    another site ("//evil.example", "https://...", "/\\evil.example") nor be mistaken for the
    name of a view.
    """
    if (
        isinstance(value, str)
        and value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and len(value) <= 2000
        and not any(ord(c) < 32 or c == "\x7f" for c in value)
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return default


def client_address(request) -> str:
    """The visitor's IP address, as the nearest trusted proxy saw it.

    With TRUSTED_PROXY_COUNT = 0 (no proxy) this is REMOTE_ADDR. Behind N proxies, each of
    which appends the address it received the request from to X-Forwarded-For, the visitor is
    the Nth address from the right: anything further left was written by the client and can
    be forged, so it is never used.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        # The chain is shorter than the proxies we were told of: a request that did not come
        # through all of them. Fall back to the connecting address rather than trust the header.
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
