"""Everything held on a person, for them to take away (subject access): as data
(`person_export`) and in plain English for the printable page (`person_export_readable`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import dateformat, timezone

from assets_directory.models import AccessibilityFeature, Activity
from common.vocabulary import DAY_CHOICES

from ..models import Person, Preferences
from ..sections import export_parts
from ..vocabulary import (
    AGE_BAND_LABELS,
    CONTACT_FREQUENCIES,
    MEMBER_KIND_LABELS,
    NEED_LABELS,
    SINGLE_SEX_GROUPS,
    SUPPORT_LABELS,
    TRAVEL_LABELS,
)
from .categories import category_names, condition_names


def person_export(person: Person) -> dict:
    """Everything held on a person, for them to take away (subject access)."""

    def when(value):
        return value.isoformat() if value else None

    preferences = getattr(person, "preferences", None)
    data = {
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
                "health_conditions": c.health_conditions,
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
            "age_band": preferences.age_band,
            "conditions": preferences.conditions,
            "cares_for": preferences.cares_for,
            "cared_for_conditions": preferences.cared_for_conditions,
            "young_children": preferences.young_children,
            "single_sex": preferences.single_sex,
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
    for part in export_parts(person):
        data[part.key] = part.data
    return data


@dataclass
class Entry:
    """One thing held, as a heading and labelled values in plain English."""

    heading: str = ""
    rows: list[tuple[str, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


@dataclass
class ReadableRecord:
    """`person_export` for people to read: the same facts, with labels instead of keys and
    words instead of slugs, lists, numbers as stored and ISO dates."""

    name: str
    details: list[tuple[str, str]]
    consents: list[Entry]
    network_maps: list[Entry]
    preferences: list[tuple[str, str]] | None
    needs: list[Entry]
    plans: list[Entry]
    audit: list[tuple[str, str, str]]
    # What apps above matching hold (matching.sections.ExportPart): (heading, entries).
    parts: list[tuple[str, list[Entry]]] = field(default_factory=list)


NOT_GIVEN = "Not given"
SINGLE_SEX_LABELS = dict(SINGLE_SEX_GROUPS)
CIRCLE_LABELS = {1: "Inner circle", 2: "Middle circle", 3: "Outer circle"}
FREQUENCY_LABELS = dict(CONTACT_FREQUENCIES)
DAY_LABELS = dict(DAY_CHOICES)
DELIVERY_LABELS = dict(Activity.Delivery.choices)


def _date(value: str | None, *, time: bool = False) -> str:
    """'3 March 2026' (or '3 March 2026, 14:05') from an ISO date-time, in local time."""
    if not value:
        return ""
    moment = datetime.datetime.fromisoformat(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return dateformat.format(moment, "j F Y, H:i" if time else "j F Y")


def _yes_no(value) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not asked")


def _names(slugs, labels: dict[str, str]) -> str:
    """Labels for slugs, in order; a slug no longer known is shown as it is stored rather
    than dropped (this page must show everything held)."""
    return ", ".join(labels.get(slug, slug) for slug in slugs or [])


def _number(value) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _travel(value) -> str:
    number = _number(value) if value is not None else None
    if number is None:
        return "Any distance"
    return f"Up to {number.normalize():f} km"


def _cost(value) -> str:
    number = _number(value) if value is not None else None
    if number is None:
        return "Any cost"
    if number == 0:
        return "Free only"
    pounds = f"£{number:.2f}".removesuffix(".00")
    return f"Up to {pounds} a time"


def _free_times(slots) -> str:
    times = [
        f"{DAY_LABELS.get(day, day)}, {slot.get('from')} to {slot.get('to')}"
        for slot in slots or []
        if isinstance(slot, dict)
        for day in [slot.get("day")]
    ]
    return "; ".join(times) or "Any time"


def _member(member: dict) -> str:
    kind = MEMBER_KIND_LABELS.get(member.get("kind"), member.get("kind", ""))
    text = f"{CIRCLE_LABELS.get(member.get('circle'), member.get('circle'))}: {kind}"
    if member.get("label"):
        text += f" ({member['label']})"
    if member.get("support"):
        text += f". Gives: {_names(member['support'], SUPPORT_LABELS).lower()}"
    if member.get("frequency"):
        text += f". In touch: {FREQUENCY_LABELS.get(member['frequency'], member['frequency'])}"
    return text


def _preference_rows(data: dict) -> list[tuple[str, str]]:
    categories = category_names()
    features = dict(AccessibilityFeature.objects.values_list("slug", "name"))
    top_three = [
        f"{n}. {categories.get(slug, slug)}" for n, slug in enumerate(data["top_three"], start=1)
    ]
    companies = dict(Preferences.Company.choices)
    conditions = condition_names()
    return [
        ("Interests", _names(data["interests"], categories) or "None chosen"),
        ("Top three", "; ".join(top_three) or "None chosen"),
        ("Used to enjoy", data["used_to_enjoy"] or NOT_GIVEN),
        ("How far they can travel", _travel(data["max_travel_km"])),
        ("How they get about", _names(data["travel"], TRAVEL_LABELS) or NOT_GIVEN),
        ("When they are free", _free_times(data["free_times"])),
        ("What they can pay each time", _cost(data["max_cost"])),
        ("Access needs", _names(data["access_needs"], features) or "None"),
        (
            "How they would like to take part",
            _names(data["delivery"], DELIVERY_LABELS) or "Any way",
        ),
        ("Company", companies.get(data["company"], data["company"])),
        ("Age", AGE_BAND_LABELS.get(data["age_band"], data["age_band"]) or NOT_GIVEN),
        (
            "Health conditions they live with",
            _names(data["conditions"], conditions) or "None noted",
        ),
        ("Cares for someone", _yes_no(data["cares_for"])),
        (
            "Conditions of the person they care for",
            _names(data["cared_for_conditions"], conditions) or "None noted",
        ),
        ("Looks after young children", _yes_no(data["young_children"])),
        (
            "Single-sex groups that would suit them",
            SINGLE_SEX_LABELS.get(data["single_sex"], data["single_sex"]) or "No preference given",
        ),
        ("Last changed", _date(data["updated_at"])),
    ]


# Each key of person_export()["preferences"], so a key added there without a row here fails a
# test rather than going missing from the printed record.
READABLE_PREFERENCE_KEYS = frozenset(
    {
        "interests",
        "top_three",
        "used_to_enjoy",
        "max_travel_km",
        "travel",
        "free_times",
        "max_cost",
        "access_needs",
        "delivery",
        "company",
        "age_band",
        "conditions",
        "cares_for",
        "cared_for_conditions",
        "young_children",
        "single_sex",
        "updated_at",
    }
)


def person_export_readable(data: dict, parts=()) -> ReadableRecord:
    """The printable "everything held" page: `person_export(person)` in plain English, with
    the `parts` other apps add (matching.sections.export_parts)."""
    consents = [
        Entry(
            heading=f"Recorded on {_date(c['recorded_at'])}",
            rows=[
                ("Agreed that the team keeps this record", _yes_no(c["keep_record"])),
                ("Agreed to e-mails", _yes_no(c["contact_by_email"])),
                (
                    "Agreed to be counted in figures, without their name",
                    _yes_no(c["count_in_statistics"]),
                ),
                ("Agreed that we note health conditions", _yes_no(c.get("health_conditions"))),
                ("How they agreed", c["method"]),
                ("Recorded by", c["recorded_by"] or NOT_GIVEN),
                ("Replaced on", _date(c["withdrawn_at"]) or "Still current"),
            ],
        )  # fmt: skip
        for c in data["consents"]
    ]
    network_maps = [
        Entry(
            heading=f"Map of {_date(m['created_at'])}" + (f": {m['note']}" if m["note"] else ""),
            items=[_member(member) for member in m["members"] if isinstance(member, dict)],
        )
        for m in data["network_maps"]
    ]
    needs = [
        Entry(
            heading=f"{n['priority']}. {n['need']}",
            rows=[
                ("In their words", n["in_their_words"] or NOT_GIVEN),
                ("Who will help", n["who_will_help"] or "Not decided yet"),
            ],
        )
        for n in data["needs"]
    ]
    plans = [
        Entry(
            heading=f"Plan of {_date(plan['created_at'])}",
            rows=[
                ("Anything else agreed", plan["notes"] or "Nothing"),
                ("E-mailed to them", _date(plan["emailed_at"]) or "No"),
            ],
            entries=[
                Entry(
                    heading=a["title"],
                    rows=[
                        ("Run by", a["organisation"] or NOT_GIVEN),
                        ("Where", a["where"] or NOT_GIVEN),
                        ("When", a["when"] or NOT_GIVEN),
                        ("Why", a["why"] or NOT_GIVEN),
                        ("Web page", a["url"] or NOT_GIVEN),
                    ],
                    items=[
                        f"Follow-up of {_date(f['recorded_at'])}. Went: {f['went']}"
                        + (
                            f". Still going: {_yes_no(f['kept_going'])}"
                            if f["kept_going"] is not None
                            else ""
                        )
                        + (f". Note: {f['note']}" if f["note"] else "")
                        for f in a["follow_ups"]
                    ],
                )
                for a in plan["activities"]
            ],
        )
        for plan in data["plans"]
    ]
    preferences = data["preferences"]
    return ReadableRecord(
        name=data["name_or_initials"],
        details=[
            ("Reference", data["reference"]),
            ("Team", data["team"]),
            ("Name or initials", data["name_or_initials"]),
            ("E-mail address", data["email"] or NOT_GIVEN),
            ("Phone number", data["phone"] or NOT_GIVEN),
            ("Postcode", data["postcode"] or NOT_GIVEN),
            ("Record created", _date(data["created_at"], time=True)),
        ],
        consents=consents,
        network_maps=network_maps,
        preferences=_preference_rows(preferences) if preferences else None,
        needs=needs,
        plans=plans,
        audit=[
            (
                _date(e["at"], time=True),
                e["who"] or "Someone since removed",
                f"{e['action']}: {e['what']}",
            )
            for e in data["audit"]
        ],
        parts=[(part.heading, part.entries) for part in parts],
    )
