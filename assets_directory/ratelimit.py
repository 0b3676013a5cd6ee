"""A small fixed-window rate limit on the cache, for public forms."""

from django.core.cache import cache


def client_address(request) -> str:
    # Behind a proxy the production settings trust X-Forwarded-For set by that proxy only;
    # REMOTE_ADDR is used here so that a visitor cannot dodge the limit by sending the header.
    return request.META.get("REMOTE_ADDR", "unknown")


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt; return True while the caller is within `limit` per window."""
    cache_key = f"ratelimit:{scope}:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The key expired between add() and incr(): a new window has begun.
        cache.set(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit
