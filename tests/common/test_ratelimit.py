from django.core.cache import cache

from common.ratelimit import Limit, limits_exceeded, limits_record, rate_limit_hit


def test_rate_limit_hit_allows_the_limit_then_refuses():
    answers = [rate_limit_hit(scope="t", key="198.51.100.1", limit=3) for _ in range(5)]
    assert answers == [True, True, True, False, False]
    # Another key has its own count.
    assert rate_limit_hit(scope="t", key="198.51.100.2", limit=3)


def test_limits_count_only_what_is_recorded():
    per_address = Limit("send-address", limit=3)
    per_recipient = Limit("send-recipient", limit=1)
    checks = [(per_address, "198.51.100.1"), (per_recipient, "jo@example.org")]
    # Checking costs nothing: a form with a mistake can be sent again and again.
    for _ in range(10):
        assert limits_exceeded(checks) is None
    limits_record(checks)
    assert limits_exceeded(checks) is per_recipient
    # Another person at the same address can still send, up to the address's limit.
    other = [(per_address, "198.51.100.1"), (per_recipient, "sam@example.org")]
    assert limits_exceeded(other) is None
    limits_record(other)
    limits_record([(per_address, "198.51.100.1"), (per_recipient, "alex@example.org")])
    assert limits_exceeded([(per_address, "198.51.100.1"), (per_recipient, "kim@example.org")]) is (
        per_address
    )


def test_cache_keys_never_hold_the_address():
    rate_limit_hit(scope="mail", key="jo@example.org", limit=3)
    assert not any("jo@example.org" in str(key) for key in cache._cache)
