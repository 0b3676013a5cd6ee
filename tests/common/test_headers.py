"""The headers of each kind of page: Content-Security-Policy, Permissions-Policy, caching."""

import pytest
from django.urls import reverse

PUBLIC_SCRIPT_SRC = "script-src 'self';"


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def pages(activity, directory):
    return {
        "home": "/",
        "directory": directory.url,
        "activity": activity.url,
        "search": "/search/?q=knit",
        "search api": "/api/search?q=knit",
        "register": reverse("assets_directory:register"),
        "sign in": reverse("matching:sign_in"),
    }


def test_public_pages_allow_no_inline_script_and_no_framing(client, pages):
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        directives = _directives(response)
        assert directives["script-src"] == "'self'", name
        assert directives["style-src"] == "'self'", name
        assert directives["object-src"] == "'none'", name
        assert directives["frame-ancestors"] == "'none'", name
        assert directives["base-uri"] == "'self'", name
        assert "unsafe" not in response["Content-Security-Policy"], name


def test_geolocation_is_allowed_for_this_origin_only(client, pages):
    for name, url in pages.items():
        policy = client.get(url)["Permissions-Policy"]
        assert "geolocation=(self)" in policy, name
        assert "camera=()" in policy and "microphone=()" in policy, name


def test_public_pages_for_anonymous_visitors_may_be_cached(client, pages):
    for name, url in pages.items():
        if name == "sign in":
            continue
        assert not _no_store(client.get(url)), name


def test_every_page_for_a_signed_in_facilitator_is_no_store(client, facilitator, person, pages):
    client.force_login(facilitator)
    urls = [
        reverse("matching:people"),
        reverse("matching:person", args=[person.reference]),
        reverse("matching:network", args=[person.reference]),
        reverse("matching:preferences", args=[person.reference]),
        reverse("matching:needs", args=[person.reference]),
        reverse("matching:export_print", args=[person.reference]),
        reverse("matching:export_json", args=[person.reference]),
        *pages.values(),
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert _no_store(response), url
        assert "private" in response["Cache-Control"], url
        assert "script-src 'self';" in response["Content-Security-Policy"], url


def test_kiosk_pages_and_the_visitors_list_are_no_store(client, activity):
    for url in (reverse("matching:kiosk"), reverse("search:shortlist")):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        for hop, _ in response.redirect_chain:
            assert _no_store(client.get(hop)), hop
        assert _no_store(response), url
        assert _directives(response)["script-src"] == "'self'", url


def test_match_api_answers_are_no_store(client, db):
    response = client.post(
        reverse("matching:api_match"), data="{}", content_type="application/json"
    )
    assert _no_store(response)


def test_admin_policy_allows_what_wagtail_needs_and_no_more(client, moderator):
    client.force_login(moderator)
    response = client.get("/admin/")
    assert response.status_code == 200
    directives = _directives(response)
    assert directives["script-src"] == "'self' 'unsafe-inline'"
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert _no_store(response)


def test_map_tile_server_is_allowed_for_images_when_configured(settings):
    from common.middleware import SecurityHeadersMiddleware

    settings.CSP_MAP_TILE_SOURCES = ["https://*.tiles.example.org"]
    middleware = SecurityHeadersMiddleware(lambda request: None)
    assert "img-src 'self' data: https://*.tiles.example.org" in middleware.public_policy
