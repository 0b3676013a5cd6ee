"""Demo teams, facilitators and consented people for `manage.py load_demo`.

Everything is made through the services, so the demo records carry consent and audit entries
like real ones. Running it again changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .models import Person, Team, TeamMembership
from .network import members_from_dicts
from .services import (
    ConsentAnswers,
    NeedAnswer,
    needs_save,
    network_map_save,
    person_create,
    preferences_save,
)

# key: (username, password, role, first name, last name, team slug or None, membership role)
DEMO_FACILITATORS = {
    "linkworker": (
        "linkworker", "common-ground-linkworker",
        "Social prescribing link worker, lead of Battersea and Wandsworth Town PCN",
        "Lin", "Walker", "battersea-pcn", TeamMembership.Role.LEAD,
    ),
    "librarian": (
        "librarian", "common-ground-librarian",
        "Library hub facilitator, Tooting Library Hub",
        "Libby", "Rarian", "tooting-library-hub", TeamMembership.Role.FACILITATOR,
    ),
    "commissioner": (
        "commissioner", "common-ground-commissioner",
        "Commissioner (anonymised figures only)",
        "Cam", "Missioner", None, None,
    ),
}  # fmt: skip

DEMO_TEAMS = (
    ("battersea-pcn", "Battersea and Wandsworth Town PCN"),
    ("tooting-library-hub", "Tooting Library Hub"),
)


def _m(circle, kind, support=(), frequency="weekly", label=""):
    return {"circle": circle, "kind": kind, "support": list(support), "frequency": frequency,
            "label": label}  # fmt: skip


# (team, initials, postcode, members, preferences, needs)
DEMO_PEOPLE = (
    (
        "battersea-pcn", "A.M.", "SW11 1AA",
        [_m(1, "partner", ["emotional", "practical", "company"], "daily", "Ray"),
         _m(2, "family", ["practical"], "monthly", "Daughter")],
        {"interests": ["choirs-and-singing", "community-gardens", "coffee-mornings"],
         "top_three": ["choirs-and-singing", "community-gardens", "coffee-mornings"],
         "used_to_enjoy": "Singing in the church choir", "max_travel_km": 3,
         "free_times": [{"day": "tue", "from": "09:00", "to": "17:00"},
                        {"day": "wed", "from": "12:00", "to": "17:00"},
                        {"day": "thu", "from": "09:00", "to": "12:00"}],
         "max_cost": 5, "access_needs": ["step-free"], "travel": ["walk", "bus"]},
        [NeedAnswer("lonely", "Since Ray's stroke we hardly go out", "Daughter"),
         NeedAnswer("caring", "I look after Ray", "Carers' centre")],
    ),
    (
        "battersea-pcn", "D.O.", "SW11 5AB",
        [_m(1, "family", ["emotional"], "weekly", "Sister"),
         _m(2, "family", ["practical"], "monthly", "Brother"),
         _m(3, "family", ["company"], "rarely", "Cousin")],
        {"interests": ["walking", "cooking-classes"], "top_three": ["walking", "cooking-classes"],
         "max_travel_km": 5, "free_times": [{"day": "sat", "from": "09:00", "to": "17:00"},
                                            {"day": "sun", "from": "09:00", "to": "17:00"}],
         "max_cost": 0, "travel": ["walk"]},
        [NeedAnswer("active", "Doctor says walk more"), NeedAnswer("eating", "")],
    ),
    (
        "battersea-pcn", "K.T.", "SW11 2PL",
        [_m(1, "friend", ["emotional", "company"], "weekly", "Jen"),
         _m(2, "colleague", ["information"], "weekly"), _m(3, "pet", ["company"], "daily", "Rex")],
        {"interests": ["computer-and-phone-help", "courses-and-talks"],
         "top_three": ["computer-and-phone-help"], "max_travel_km": 3,
         "delivery": ["in_person", "online"]},
        [NeedAnswer("learning", "Want to get back to work"), NeedAnswer("money", "")],
    ),
    (
        "battersea-pcn", "P.R.", "SW11 3DD",
        [_m(1, "professional", ["information", "practical"], "monthly", "GP")],
        {"interests": ["peer-support", "mindfulness-and-relaxation"],
         "top_three": ["peer-support", "mindfulness-and-relaxation"], "max_travel_km": 1},
        [NeedAnswer("mood", "Feeling low since the winter"), NeedAnswer("lonely", "")],
    ),
    (
        "battersea-pcn", "S.N.", "SW11 4QQ",
        [_m(1, "partner", ["emotional"], "daily"), _m(2, "friend", ["company"], "weekly"),
         _m(3, "group", ["company"], "weekly", "Bowls club"), _m(3, "neighbour", ["practical"])],
        {"interests": ["dance", "painting-and-drawing"], "top_three": ["dance"],
         "max_travel_km": 5},
        [NeedAnswer("active", "")],
    ),
    (
        "battersea-pcn", "T.W.", "SW18 1AA",
        [_m(1, "family", ["emotional", "practical"], "daily", "Son")],
        {"interests": ["diabetes", "food-and-cooking"], "top_three": ["diabetes"],
         "max_travel_km": 2},
        [NeedAnswer("condition", "Type 2 diabetes, new to it")],
    ),
    (
        "tooting-library-hub", "M.B.", "SW17 0AA",
        [_m(1, "friend", ["emotional"], "weekly", "Pat"), _m(3, "place", ["company"], "weekly",
                                                             "Library")],
        {"interests": ["writing-and-reading-groups", "languages"],
         "top_three": ["writing-and-reading-groups"], "max_travel_km": 3, "max_cost": 3},
        [NeedAnswer("out-and-about", "I'd like a reason to get out")],
    ),
    (
        "tooting-library-hub", "J.L.", "SW17 7EE",
        [_m(1, "family", ["practical"], "weekly", "Mum")],
        {"interests": ["parent-and-baby-groups"], "top_three": ["parent-and-baby-groups"],
         "max_travel_km": 3, "free_times": [{"day": "mon", "from": "09:00", "to": "12:00"},
                                            {"day": "wed", "from": "09:00", "to": "12:00"}]},
        [NeedAnswer("lonely", "New to the area with a baby")],
    ),
)  # fmt: skip


def _user(key: str):
    username, password, _, first, last, _, _ = DEMO_FACILITATORS[key]
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@example.org", "first_name": first, "last_name": last},
    )
    if created:
        user.set_password(password)
        user.save()
    return user


def ensure_demo_teams() -> list[tuple[str, str, str]]:
    """Teams, facilitators and demo people (once); returns (role, username, password)."""
    teams = {
        slug: Team.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in DEMO_TEAMS
    }
    accounts = []
    for key, (username, password, role, *_, team_slug, membership) in DEMO_FACILITATORS.items():
        user = _user(key)
        if team_slug:
            TeamMembership.objects.get_or_create(
                team=teams[team_slug], user=user, defaults={"role": membership}
            )
        else:
            user.groups.add(Group.objects.get(name="Commissioners"))
        accounts.append((role, username, password))

    by_team = {"battersea-pcn": _user("linkworker"), "tooting-library-hub": _user("librarian")}
    if not Person.objects.filter(team__in=teams.values()).exists():
        for team_slug, initials, postcode, members, preferences, needs in DEMO_PEOPLE:
            by = by_team[team_slug]
            person = person_create(
                team=teams[team_slug],
                by=by,
                display_name=initials,
                postcode=postcode,
                consent=ConsentAnswers(keep_record=True, count_in_statistics=True),
            )
            network_map_save(person=person, by=by, members=members_from_dicts(members),
                             note="First conversation")  # fmt: skip
            preferences_save(person=person, by=by, **preferences)
            needs_save(person=person, by=by, needs=needs)
    return accounts
