"""Who sees and does what in coproduction, enforced on the server for every view.

- A service team's members see their team's asks and partnerships and act on them.
- A community group's editors see the partnerships their group is in, and accept them.
- Commissioners (coproduction.view_all_coproduction) see everything, and change nothing.
Anything else is not found (404), so that asks and partnerships cannot be probed.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from assets_directory.models import Organisation
from assets_directory.permissions import organisations_edited_by

from .models import Ask, GroupLeader, Partnership, ReadinessAssessment, ServiceTeam

VIEW_ALL = "coproduction.view_all_coproduction"


def teams_for_user(user) -> QuerySet[ServiceTeam]:
    if not user.is_authenticated:
        return ServiceTeam.objects.none()
    return ServiceTeam.objects.filter(memberships__user=user).select_related("service_line")


def sees_all(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_ALL)


def takes_part(user) -> bool:
    """In a service team, editing a group with a partnership, or seeing everything."""
    return (
        sees_all(user)
        or teams_for_user(user).exists()
        or Partnership.objects.filter(organisations__in=organisations_edited_by(user)).exists()
    )


def coproduction_required(view):
    """Signed in, and taking part in coproduction (`takes_part`)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not takes_part(request.user):
            raise PermissionDenied(
                "This part of the site is for service teams and the community groups they "
                "work with."
            )
        return view(request, *args, **kwargs)

    return wrapped


def visible_asks(user) -> QuerySet[Ask]:
    asks = Ask.objects.select_related("team", "service_line")
    if sees_all(user):
        return asks
    return asks.filter(team__in=teams_for_user(user))


def visible_partnerships(user) -> QuerySet[Partnership]:
    partnerships = Partnership.objects.select_related("team", "ask")
    if sees_all(user):
        return partnerships
    return partnerships.filter(
        Q(team__in=teams_for_user(user)) | Q(organisations__in=organisations_edited_by(user))
    ).distinct()


def ask_for(request, pk: int) -> Ask:
    try:
        return visible_asks(request.user).get(pk=pk)
    except Ask.DoesNotExist:
        raise Http404("No such ask.") from None


def partnership_for(request, pk: int) -> Partnership:
    try:
        return visible_partnerships(request.user).get(pk=pk)
    except Partnership.DoesNotExist:
        raise Http404("No such partnership.") from None


def in_team(user, team: ServiceTeam) -> bool:
    return teams_for_user(user).filter(pk=team.pk).exists()


def require_team(user, team: ServiceTeam) -> None:
    """Acting for a team is for its members: a commissioner who can see it may not."""
    if not in_team(user, team):
        raise PermissionDenied(f"Only members of {team.name} can do this.")


def team_from_slug(request, slug: str) -> ServiceTeam:
    """One of the user's own teams (404 for any other)."""
    try:
        return teams_for_user(request.user).get(slug=slug)
    except ServiceTeam.DoesNotExist:
        raise Http404("No such team.") from None


def waiting_groups_of(user, partnership: Partnership) -> list:
    """The groups this user edits that are in the partnership and have not accepted yet."""
    edited = organisations_edited_by(user)
    return [
        g.organisation
        for g in partnership.groups.select_related("organisation").filter(
            organisation__in=edited, accepted_at__isnull=True
        )
    ]


def partner_organisation(user, partnership: Partnership):
    """Whom the user answers for in the partnership: "" for its service team (the team is a
    partner with no organisation), a group they edit that is in it, or None if neither."""
    if in_team(user, partnership.team):
        return ""
    edited = organisations_edited_by(user)
    group = (
        partnership.groups.select_related("organisation")
        .filter(organisation__in=edited)
        .order_by("organisation__title")
        .first()
    )
    return group.organisation if group else None


VERIFY = "coproduction.verify_capabilityitem"


def can_verify(user) -> bool:
    return user.is_authenticated and user.has_perm(VERIFY)


def profile_organisation(request, organisation_id: int, *, reading: bool = False):
    """A group whose capability profile this person may keep (its editors) or verify
    (moderators), or, `reading`, also read (service teams' members and commissioners, who
    choose groups to work with); 404 for anyone else, so that who keeps a profile cannot be
    probed."""
    user = request.user
    organisations = Organisation.objects.live()
    if not (can_verify(user) or (reading and reads_profiles(user))):
        organisations = organisations.filter(pk__in=organisations_edited_by(user).values("pk"))
    try:
        return organisations.get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404("No such group.") from None


def edits(user, organisation) -> bool:
    return organisations_edited_by(user).filter(pk=organisation.pk).exists()


def records_evidence(user, partnership: Partnership) -> bool:
    """Evidence of the principles is logged by the partnership's own team and by moderators
    (both can see it): commissioners read the log and change nothing."""
    return in_team(user, partnership.team) or can_verify(user)


CHANGE_ASK = "coproduction.change_ask"


def can_edit_ask(user, ask: Ask) -> bool:
    """The posting team's members, and moderators (who correct asks as they do listings)."""
    return user.is_authenticated and (in_team(user, ask.team) or user.has_perm(CHANGE_ASK))


def ask_to_edit(request, pk: int) -> Ask:
    """An ask this person may change; 404 for an ask they cannot see, 403 for one they see
    but may not change (a commissioner), and for anyone who takes no part in coproduction."""
    user = request.user
    if user.has_perm(CHANGE_ASK):
        try:
            return Ask.objects.select_related("team", "service_line").get(pk=pk)
        except Ask.DoesNotExist:
            raise Http404("No such ask.") from None
    if not takes_part(user):
        raise PermissionDenied("Only the team that posted an ask can change it.")
    ask = ask_for(request, pk)
    require_team(user, ask.team)
    return ask


def reads_profiles(user) -> bool:
    """Service teams' members and commissioners read groups' profiles, to choose whom to work
    with."""
    return sees_all(user) or teams_for_user(user).exists()


# Leaders and connectors: their groups' editors keep them; service teams, commissioners and
# moderators see the ones who have agreed to be shown, and write to them through the site.


def sees_leaders(user) -> bool:
    return user.is_authenticated and (can_verify(user) or reads_profiles(user))


def leaders_organisation(request, organisation_id: int):
    """A group whose leaders this person keeps: its editors only (404 for anyone else)."""
    try:
        return Organisation.objects.filter(
            pk__in=organisations_edited_by(request.user).values("pk")
        ).get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404("No such group.") from None


def leader_of(organisation, pk: int) -> GroupLeader:
    try:
        return GroupLeader.objects.get(organisation=organisation, pk=pk)
    except GroupLeader.DoesNotExist:
        raise Http404("No such person.") from None


def leader_to_contact(request, pk: int) -> GroupLeader:
    """A leader this person may write to: only one who has agreed to be, of a published
    group; 404 for any other, so that who has not agreed cannot be found out."""
    if not sees_leaders(request.user):
        raise PermissionDenied(
            "Writing to a group's leaders is for service teams, commissioners and moderators."
        )
    try:
        return GroupLeader.objects.consented().select_related("organisation").get(pk=pk)
    except GroupLeader.DoesNotExist:
        raise Http404("No such person.") from None


# Readiness: a group's editors assess it; moderators review it with them; commissioners read.


def reads_readiness(user) -> bool:
    return user.is_authenticated and (can_verify(user) or sees_all(user))


def readiness_organisation(request, organisation_id: int):
    """A group whose readiness this person may assess (its editors) or read (moderators,
    commissioners); 404 for anyone else."""
    user = request.user
    organisations = Organisation.objects.all()
    if not reads_readiness(user):
        organisations = organisations.filter(pk__in=organisations_edited_by(user).values("pk"))
    try:
        return organisations.get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404("No such group.") from None


def assessment_for(request, pk: int) -> ReadinessAssessment:
    """An assessment of a group this person edits, or any for moderators and commissioners;
    404 for anyone else."""
    user = request.user
    assessments = ReadinessAssessment.objects.select_related(
        "organisation", "submitted_by", "reviewed_by"
    )
    if not reads_readiness(user):
        assessments = assessments.filter(organisation__in=organisations_edited_by(user))
    try:
        return assessments.get(pk=pk)
    except ReadinessAssessment.DoesNotExist:
        raise Http404("No such assessment.") from None


def require_verifier(user) -> None:
    if not can_verify(user):
        raise PermissionDenied("Only moderators review readiness assessments.")
