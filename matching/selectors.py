"""Reads for the matching flow. Person data is only ever read through a team scope."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from assets_directory.models import AccessibilityFeature, Category

from .models import AuditEvent, Consent, NetworkMap, Person, Team, TeamMembership
from .network import NETWORK_TYPE_LABELS
from .vocabulary import NEED_LABELS

SMALL_NUMBER = 5
SUPPRESSED = "fewer than 5"


def category_names() -> dict[str, str]:
    return dict(Category.objects.values_list("slug", "name"))


def category_slugs() -> set[str]:
    return set(Category.objects.values_list("slug", flat=True))


def access_slugs() -> set[str]:
    return set(AccessibilityFeature.objects.values_list("slug", flat=True))


# People and teams ----------------------------------------------------------------------------


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


def person_export(person: Person) -> dict:
    """Everything held on a person, for them to take away (subject access)."""

    def when(value):
        return value.isoformat() if value else None

    preferences = getattr(person, "preferences", None)
    return {
        "reference": str(person.reference),
        "team": person.team.name,
        "name_or_initials": person.display_name,
        "email": person.email,
        "phone": person.phone,
        "postcode": person.postcode,
        "created_at": when(person.created_at),
        "consents": [
            {
                "keep_record": c.keep_record,
                "contact_by_email": c.contact_by_email,
                "count_in_statistics": c.count_in_statistics,
                "method": c.get_method_display(),
                "recorded_at": when(c.recorded_at),
                "recorded_by": c.recorded_by.get_full_name() or c.recorded_by.get_username()
                if c.recorded_by
                else None,
                "withdrawn_at": when(c.withdrawn_at),
            }
            for c in person.consents.select_related("recorded_by")
        ],
        "network_maps": [
            {"created_at": when(m.created_at), "note": m.note, "members": m.members}
            for m in person.network_maps.all()
        ],
        "preferences": None
        if preferences is None
        else {
            "interests": preferences.interests,
            "top_three": preferences.top_three,
            "used_to_enjoy": preferences.used_to_enjoy,
            "max_travel_km": str(preferences.max_travel_km)
            if preferences.max_travel_km is not None
            else None,
            "travel": preferences.travel,
            "free_times": preferences.free_times,
            "max_cost": str(preferences.max_cost) if preferences.max_cost is not None else None,
            "access_needs": preferences.access_needs,
            "delivery": preferences.delivery,
            "company": preferences.get_company_display(),
            "updated_at": when(preferences.updated_at),
        },
        "needs": [
            {
                "priority": n.priority,
                "need": NEED_LABELS.get(n.need, n.need),
                "in_their_words": n.in_their_words,
                "who_will_help": n.who_will_help,
            }
            for n in person.needs.all()
        ],
        "plans": [
            {
                "created_at": when(plan.created_at),
                "notes": plan.notes,
                "emailed_at": when(plan.emailed_at),
                "activities": [
                    {
                        "title": item.title,
                        "organisation": item.organisation,
                        "where": item.where,
                        "when": item.when,
                        "url": item.url,
                        "why": item.reasons,
                        "follow_ups": [
                            {
                                "recorded_at": when(f.recorded_at),
                                "went": f.get_went_display(),
                                "kept_going": f.kept_going,
                                "note": f.note,
                            }
                            for f in item.follow_ups.all()
                        ],
                    }
                    for item in plan.items.all()
                ],
            }
            for plan in person.plans.prefetch_related("items__follow_ups")
        ],
        "audit": [
            {
                "at": when(e.at),
                "who": e.actor.get_username() if e.actor else None,
                "action": e.get_action_display(),
                "what": e.what,
            }
            for e in person.audit_events.select_related("actor")
        ],
    }


# Aggregates for commissioners ----------------------------------------------------------------


@dataclass
class AreaFigures:
    outward_code: str
    people: int | str
    needs: dict[str, int | str]
    interests: dict[str, int | str]
    network_types: dict[str, int | str]

    @property
    def tables(self):
        return (
            ("Needs", self.needs),
            ("Interests", self.interests),
            ("Network types", self.network_types),
        )


def suppress(count: int) -> int | str:
    """Small numbers could identify someone: show them as "fewer than 5"."""
    return SUPPRESSED if 0 < count < SMALL_NUMBER else count


def aggregates_by_area() -> list[AreaFigures]:
    """Counts by outward code of people who agreed to be counted. No names, no references."""
    consenting = Consent.objects.filter(withdrawn_at__isnull=True, count_in_statistics=True)
    people = (
        Person.objects.filter(consents__in=consenting)
        .distinct()
        .select_related("preferences")
        .prefetch_related(
            "needs",
            Prefetch("network_maps", queryset=NetworkMap.objects.order_by("-created_at", "-id")),
        )
    )
    names = category_names()
    counts: dict[str, dict[str, Counter]] = defaultdict(
        lambda: {"people": Counter(), "needs": Counter(), "interests": Counter(),
                 "types": Counter()}
    )  # fmt: skip
    for person in people:
        area = counts[person.outward_code or "Unknown"]
        area["people"]["all"] += 1
        for need in person.needs.all():
            area["needs"][NEED_LABELS.get(need.need, need.need)] += 1
        preferences = getattr(person, "preferences", None)
        if preferences is not None:
            for slug in dict.fromkeys([*preferences.top_three, *preferences.interests]):
                area["interests"][names.get(slug, slug)] += 1
        maps = list(person.network_maps.all())
        if maps:
            kind = maps[0].metrics().network_type
            area["types"][NETWORK_TYPE_LABELS.get(kind, kind)] += 1

    def cells(counter: Counter) -> dict[str, int | str]:
        return {key: suppress(value) for key, value in counter.most_common()}

    return [
        AreaFigures(
            outward_code=code,
            people=suppress(area["people"]["all"]),
            needs=cells(area["needs"]),
            interests=cells(area["interests"]),
            network_types=cells(area["types"]),
        )
        for code, area in sorted(counts.items())
    ]


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
    answers["needs"] = [n.need for n in person.needs.order_by("priority")]
    network = latest_network(person)
    if network is not None:
        answers["network"] = {"members": network.members}
    return answers
