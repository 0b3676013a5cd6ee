"""Team-scoped access to people's records, enforced on the server for every view.

A facilitator sees the people of their own teams only; for anyone else a person does not
exist (404, never 403, so references cannot be probed). Every read of a record is audited.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import AuditEvent, Person, Team
from .selectors import is_facilitator, led_teams, people_for_user
from .services import audit_record


def facilitator_required(view):
    """Signed in, and a member of at least one team."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_facilitator(request.user):
            raise PermissionDenied("This part of the site is for facilitators in a team.")
        return view(request, *args, **kwargs)

    return wrapped


def person_for(request, reference, *, what: str, action: str = AuditEvent.Action.VIEW) -> Person:
    """The person, if they belong to one of the user's teams; 404 otherwise. Logs the view
    (pass action=None when the caller logs a change instead)."""
    person = get_object_or_404(people_for_user(request.user), reference=reference)
    if action:
        audit_record(team=person.team, person=person, actor=request.user, action=action,
                     what=what)  # fmt: skip
    return person


def led_team_for(request, slug) -> Team:
    """A team the user leads; 404 otherwise."""
    return get_object_or_404(led_teams(request.user), slug=slug)
