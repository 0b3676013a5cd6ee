"""People, teams and a person's record as match answers. Person data is only ever read through
a team scope."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import AuditEvent, NetworkMap, Person, Team, TeamMembership


def teams_for_user(user) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).distinct()


def is_facilitator(user) -> bool:
    return user.is_authenticated and TeamMembership.objects.filter(user=user).exists()


def led_teams(user) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(
        memberships__user=user, memberships__role=TeamMembership.Role.LEAD
    ).distinct()


def people_for_user(user, *, search: str = "") -> QuerySet[Person]:
    """The people of the user's teams: the only way views list people."""
    people = Person.objects.filter(team__in=teams_for_user(user)).select_related("team")
    if search:
        people = people.filter(display_name__icontains=search.strip())
    return people


def latest_network(person: Person) -> NetworkMap | None:
    return person.network_maps.order_by("-created_at", "-id").first()


def audit_for_team(team: Team) -> QuerySet[AuditEvent]:
    return team.audit_events.select_related("actor", "person")


def answers_for_person(person: Person) -> dict:
    """The person's record as match answers (the JSON shape of POST /api/match)."""
    answers: dict = {"near": person.postcode}
    preferences = getattr(person, "preferences", None)
    if preferences is not None:
        answers.update(
            top_three=list(preferences.top_three),
            interests=list(preferences.interests),
            free_times=list(preferences.free_times),
            access_needs=list(preferences.access_needs),
            delivery=list(preferences.delivery),
        )
        if preferences.max_travel_km is not None:
            answers["max_travel_km"] = float(preferences.max_travel_km)
        if preferences.max_cost is not None:
            answers["max_cost"] = float(preferences.max_cost)
        answers.update(
            cares_for=preferences.cares_for,
            young_children=preferences.young_children,
        )
        if preferences.age_band:
            answers["age_band"] = preferences.age_band
        if preferences.single_sex:
            answers["single_sex"] = preferences.single_sex
        consent = person.current_consent
        if consent is not None and consent.health_conditions:
            answers["conditions"] = list(preferences.conditions)
            answers["cared_for_conditions"] = list(preferences.cared_for_conditions)
    answers["needs"] = [n.need for n in person.needs.order_by("priority")]
    network = latest_network(person)
    if network is not None:
        answers["network"] = {"members": network.members}
    return answers


def record_answers(person: Person) -> dict:
    """The person's record as answers: the POST /api/match shape plus what only the
    questionnaire and the plan use (how they travel, company, their words about needs)."""
    answers = answers_for_person(person)
    preferences = getattr(person, "preferences", None)
    if preferences is not None:
        answers.update(
            travel=list(preferences.travel),
            company=preferences.company,
            used_to_enjoy=preferences.used_to_enjoy,
        )
    answers["need_notes"] = [
        {"need": n.need, "in_their_words": n.in_their_words, "who_will_help": n.who_will_help}
        for n in person.needs.order_by("priority")
    ]
    return answers
