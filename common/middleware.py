"""Response headers and session lifetime for the whole site."""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control

# Seconds between two refreshes of a session's idle clock: often enough that the idle timeout
# is exact to the minute, rarely enough that browsing does not write the session every request.
SESSION_REFRESH_SECONDS = 60
_SEEN = "_last_seen"


class SessionIdleTimeoutMiddleware:
    """Sessions end after SESSION_COOKIE_AGE seconds without a request, and when the browser
    closes.

    Signed-in pages hold people's records; on a shared computer in a GP surgery or a library a
    session left open is a record left open. The cookie is a browser-session cookie whatever
    the sign-in form asked for ("remember me" included), and the server forgets the session
    SESSION_COOKIE_AGE after it was last used.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        # No cookie, no session to keep alive: anonymous requests are not made to load one.
        if session is not None and session.session_key is not None and not session.is_empty():
            if session.get("_session_expiry") != 0:
                session.set_expiry(0)
            now = int(time.time())
            if now - session.get(_SEEN, 0) >= SESSION_REFRESH_SECONDS:
                session[_SEEN] = now  # saving the session moves its expiry date
        return self.get_response(request)


def mark_private(response):
    """Mark a response as showing someone's data: never stored by a browser or a proxy."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response.private_data = True
    return response


def private_page(view):
    """Decorator for views whose pages hold a person's data but need no sign-in (the kiosk,
    a visitor's list, the match API)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return mark_private(view(request, *args, **kwargs))

    return wrapped


class SecurityHeadersMiddleware:
    """Content-Security-Policy, Permissions-Policy, and no-store for people's data.

    The public, facilitator and kiosk pages run no inline script at all (their JavaScript is in
    static files, their data in JSON <script> blocks, which are not run), so their policy allows
    scripts from this origin only. Wagtail's admin writes small inline scripts into its forms
    (date pickers, inline panels) and inline styles, so under /admin/ those two are allowed
    too, and nothing more.

    Every page shown to a signed-in person gets Cache-Control: no-store (it may show people's
    records or unpublished drafts), as does any response marked private (mark_private).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        tiles = settings.CSP_MAP_TILE_SOURCES
        common = {
            "default-src": "'self'",
            "img-src": " ".join(["'self'", "data:", *tiles]),
            "font-src": "'self'",
            "connect-src": "'self'",
            "object-src": "'none'",
            "base-uri": "'self'",
            "form-action": "'self'",
            "manifest-src": "'self'",
        }
        self.public_policy = _policy(
            {**common, "script-src": "'self'", "style-src": "'self'", "frame-ancestors": "'none'"}
        )
        self.admin_policy = _policy(
            {
                **common,
                "img-src": " ".join(["'self'", "data:", "blob:", *tiles]),
                "script-src": "'self' 'unsafe-inline'",
                "style-src": "'self' 'unsafe-inline'",
                "frame-src": "'self'",
                "frame-ancestors": "'self'",
            }
        )
        self.admin_prefix = settings.WAGTAIL_ADMIN_PATH_PREFIX
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(self.admin_prefix)
            response["Content-Security-Policy"] = self.admin_policy if admin else self.public_policy
        response.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not getattr(response, "private_data", False)
        ):
            mark_private(response)
        return response


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())
