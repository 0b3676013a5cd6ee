"""Team-scoped access to people's records, enforced on the server for every view.

A facilitator sees the people of their own teams only; for anyone else a person does not
exist (404, never 403, so references cannot be probed). Every read of a record is audited, and
only a read that was shown: a view notes what it is showing (`audit_shown`, which `person_for`
calls), and `facilitator_required` records those notes once the view has answered with a
success. A view that ends in a 404, a 405, an error page or an exception records nothing.
Changes are audited by the services that make them, whatever the view answers.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import AuditEvent, Person, Team
from .selectors import is_facilitator, led_teams, people_for_user
from .services import audit_record

_PENDING = "_matching_audit_pending"


def facilitator_required(view):
    """Signed in, and a member of at least one team. What the view noted with `audit_shown`
    is recorded if, and only if, it answered with a success (2xx) to anything but HEAD."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_facilitator(request.user):
            raise PermissionDenied("This part of the site is for facilitators in a team.")
        pending: list[dict] = []
        setattr(request, _PENDING, pending)
        response = view(request, *args, **kwargs)
        if 200 <= response.status_code < 300 and request.method != "HEAD":
            for event in pending:
                audit_record(actor=request.user, **event)
        return response

    return wrapped


def audit_shown(request, person: Person, *, what: str, action: str = AuditEvent.Action.VIEW):
    """Note that this response shows (or exports) `what` of the person's record. It is
    recorded by `facilitator_required` if the view succeeds, so a page that ends in a 404
    leaves no trace of a view that never happened."""
    pending = getattr(request, _PENDING, None)
    if pending is None:
        raise RuntimeError("audit_shown() needs a view wrapped in facilitator_required.")
    pending.append({"team": person.team, "person": person, "action": action, "what": what})


def person_for(request, reference, *, what: str, action: str = AuditEvent.Action.VIEW) -> Person:
    """The person, if they belong to one of the user's teams; 404 otherwise. Notes the view
    with `audit_shown` (pass action=None when the caller logs a change instead, or notes
    the view itself once it knows what it shows)."""
    person = get_object_or_404(people_for_user(request.user), reference=reference)
    if action:
        audit_shown(request, person, what=what, action=action)
    return person


def led_team_for(request, slug) -> Team:
    """A team the user leads; 404 otherwise."""
    return get_object_or_404(led_teams(request.user), slug=slug)
