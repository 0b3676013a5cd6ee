import pytest
from django.test import RequestFactory, override_settings

from common.http import MAX_ID, client_address, parse_id, parse_ids, same_site_path


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1", 1),
        (" 42 ", 42),
        (7, 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("12345678901234567890123", None),  # 23 digits
        ("²", None),  # str.isdigit() says yes; int() says no
        ("٣", None),  # Arabic-Indic three: int() would read 3
        ("0", None),
        ("-1", None),
        ("1.0", None),
        ("", None),
        (None, None),
        (True, None),
        ([1], None),
    ],
)
def test_parse_id_accepts_only_positive_ascii_ids_in_range(value, expected):
    assert parse_id(value) == expected


def test_parse_ids_keeps_order_drops_junk_and_repeats():
    assert parse_ids(["3", "x", "1", "3", "²", "2"]) == [3, 1, 2]
    assert parse_ids([str(n) for n in range(1, 500)], limit=5) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/search/?q=walk#result-4", "/search/?q=walk#result-4"),
        ("foo", "/default/"),  # a view name to django.shortcuts.redirect
        ("//evil.example/", "/default/"),
        ("/\\evil.example", "/default/"),
        ("https://evil.example/", "/default/"),
        ("http://testserver/search/", "/default/"),  # paths only, even for this host
        ("javascript:alert(1)", "/default/"),
        ("/search/\r\nSet-Cookie: x=1", "/default/"),
        ("", "/default/"),
        (None, "/default/"),
    ],
)
def test_same_site_path_only_allows_paths_on_this_site(rf, target, expected):
    assert same_site_path(rf.get("/"), target, default="/default/") == expected


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_address_without_proxies_ignores_forwarded_header():
    assert client_address(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_address_behind_one_proxy_is_the_last_forwarded_entry():
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    request = _request("10.0.0.2", "1.2.3.4, 198.51.100.7")
    assert client_address(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_client_address_behind_two_proxies_skips_the_inner_one():
    request = _request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.1")
    assert client_address(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_client_address_falls_back_when_the_chain_is_too_short_or_junk():
    assert client_address(_request("10.0.0.2", "198.51.100.7")) == "10.0.0.2"
    assert client_address(_request("10.0.0.2", "nonsense, 10.0.0.1")) == "10.0.0.2"
    assert client_address(_request("10.0.0.2")) == "10.0.0.2"
