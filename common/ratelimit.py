"""Fixed-window rate limits on the shared cache.

The cache must be one that every server process shares (the database cache by default,
Redis through CACHE_URL in production): a per-process cache would multiply every limit by the
number of workers.

Public forms on shared screens (a library, a GP surgery) need two kinds of limit: one per
address, generous, that counts only what was really sent (a typing mistake costs nothing), and
tighter ones per recipient or target, so one abuser cannot flood one inbox or one listing,
while a queue of people at one address can still be served.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from .http import client_address


def _key(scope: str, key: str) -> str:
    # Keys may hold e-mail addresses: store a digest, never the address itself.
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt; True while the caller is within `limit` attempts per window."""
    return rate_limit_record(scope=scope, key=key, window_seconds=window_seconds) <= limit


def rate_limit_record(*, scope: str, key: str, window_seconds: int = 3600) -> int:
    """Count one event under (scope, key); return the count in the current window."""
    cache_key = _key(scope, key)
    if cache.add(cache_key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:
        # The key expired between add() and incr(): a new window has begun.
        cache.set(cache_key, 1, timeout=window_seconds)
        return 1


def rate_limit_count(*, scope: str, key: str) -> int:
    """Events counted under (scope, key) in the current window, without counting one."""
    return cache.get(_key(scope, key)) or 0


@dataclass(frozen=True)
class Limit:
    """At most `limit` events per `window_seconds` for each key of one scope."""

    scope: str
    limit: int
    window_seconds: int = 3600

    def exceeded(self, key: str) -> bool:
        return rate_limit_count(scope=self.scope, key=key) >= self.limit

    def record(self, key: str) -> int:
        return rate_limit_record(scope=self.scope, key=key, window_seconds=self.window_seconds)

    def reset(self, key: str) -> None:
        cache.delete(_key(self.scope, key))


def limits_exceeded(checks: list[tuple[Limit, str]]) -> Limit | None:
    """The first limit among (limit, key) pairs that is already used up, or None."""
    for limit, key in checks:
        if limit.exceeded(key):
            return limit
    return None


def limits_record(checks: list[tuple[Limit, str]]) -> None:
    """Count one successful event against each (limit, key)."""
    for limit, key in checks:
        limit.record(key)


def public_form_limits(
    request, *, scope: str, target: str = "", per_address: int | None = None
) -> list[tuple[Limit, str]]:
    """The limits of one public form: successful submissions per address (``per_address``, by
    default PUBLIC_FORM_RATE_LIMIT an hour: generous, since a library is one address) and, when
    the form e-mails someone or reports on something, per recipient or target
    (PUBLIC_FORM_TARGET_RATE_LIMIT an hour). The first entry is always the address's."""
    if per_address is None:
        per_address = settings.PUBLIC_FORM_RATE_LIMIT
    checks = [(Limit(f"{scope}:address", per_address), client_address(request))]
    if target:
        checks.append(
            (Limit(f"{scope}:target", settings.PUBLIC_FORM_TARGET_RATE_LIMIT), target.casefold())
        )
    return checks
