"""Writes to a person's record. Every write is audited; nothing is saved without consent."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.mail import mail_send
from common.site import site_url

from .models import (
    AuditEvent,
    Consent,
    FollowUp,
    NetworkMap,
    Person,
    PersonNeed,
    Plan,
    PlanItem,
    Preferences,
    Team,
)
from .network import Member
from .printed import entries_from_cards, entries_from_items, plan_link_worker
from .scoring import TOP_THREE_MAX
from .suggestions import Card
from .vocabulary import NEED_LABELS


@dataclass(frozen=True)
class ConsentAnswers:
    keep_record: bool
    contact_by_email: bool = False
    count_in_statistics: bool = False
    health_conditions: bool = False
    method: str = Consent.Method.SPOKEN


@dataclass(frozen=True)
class NeedAnswer:
    need: str
    in_their_words: str = ""
    who_will_help: str = ""


@dataclass(frozen=True)
class ChosenActivity:
    """An activity the person chose, with the words to print beside it."""

    activity_id: int | None
    title: str
    organisation: str = ""
    where: str = ""
    when: str = ""
    url: str = ""
    reasons: str = ""


def audit_record(
    *, team: Team, actor, action: str, what: str, person: Person | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(
        team=team, person=person, actor=actor, action=action, what=what[:120]
    )


def _require_consent(person: Person) -> Consent:
    consent = person.current_consent
    if consent is None:
        raise ValidationError("Record their consent before saving anything about them.")
    return consent


@transaction.atomic
def person_create(
    *,
    team: Team,
    by,
    display_name: str,
    postcode: str,
    consent: ConsentAnswers,
    email: str = "",
    phone: str = "",
) -> Person:
    """A person and their consent, saved together or not at all."""
    if not consent.keep_record:
        raise ValidationError(
            "They need to agree that the team keeps this record; without it nothing is saved."
        )
    person = Person(
        team=team,
        display_name=display_name.strip(),
        postcode=postcode.strip().upper(),
        email=email.strip(),
        phone=phone.strip(),
        created_by=by,
    )
    person.full_clean()
    person.save()
    _consent_create(person=person, by=by, consent=consent)
    audit_record(team=team, person=person, actor=by, action=AuditEvent.Action.CREATE,
                 what="Record and consent")  # fmt: skip
    return person


def _consent_create(*, person: Person, by, consent: ConsentAnswers) -> Consent:
    return Consent.objects.create(
        person=person,
        keep_record=consent.keep_record,
        contact_by_email=consent.contact_by_email,
        count_in_statistics=consent.count_in_statistics,
        health_conditions=consent.health_conditions,
        method=consent.method,
        recorded_by=by,
    )


@transaction.atomic
def person_update(
    *, person: Person, by, display_name: str, postcode: str, email: str = "", phone: str = ""
) -> Person:
    _require_consent(person)
    person.display_name = display_name.strip()
    person.postcode = postcode.strip().upper()
    person.email = email.strip()
    person.phone = phone.strip()
    person.full_clean()
    person.save()
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CHANGE,
                 what="Details")  # fmt: skip
    return person


@transaction.atomic
def consent_update(*, person: Person, by, consent: ConsentAnswers) -> Consent:
    """Record consent again (for example they now agree to e-mails); the old one is kept as
    withdrawn so the history shows what they agreed to when."""
    if not consent.keep_record:
        raise ValidationError(
            "Without agreement to keep the record, erase it instead (Erase this record)."
        )
    person.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    new = _consent_create(person=person, by=by, consent=consent)
    if not consent.health_conditions:
        # Without that consent the conditions noted under it go, not only out of sight.
        Preferences.objects.filter(person=person).update(conditions=[], cared_for_conditions=[])
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CHANGE,
                 what="Consent")  # fmt: skip
    return new


@transaction.atomic
def network_map_save(
    *, person: Person, by, members: Sequence[Member], note: str = ""
) -> NetworkMap:
    """A new dated version of the person's network; earlier versions are kept for comparison."""
    _require_consent(person)
    network = NetworkMap.objects.create(
        person=person, members=[m.as_dict() for m in members], note=note.strip(), created_by=by
    )
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CREATE,
                 what="Network map")  # fmt: skip
    return network


@transaction.atomic
def network_member_add(*, person: Person, by, member: Member, note: str = "") -> NetworkMap:
    """A new version of the person's latest map with `member` added (a group they joined,
    say), so that adding one thing needs nothing else entered again. ValidationError if
    something of that name is on the map already."""
    _require_consent(person)
    # Under the person's lock, so that two quick clicks cannot add it twice.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    latest = person.network_maps.order_by("-created_at", "-id").first()
    members = latest.member_objects() if latest else []
    name = member.label.casefold()
    if name and any(m.label.casefold() == name for m in members):
        raise ValidationError(f"{member.label} is on their map already.")
    return network_map_save(person=person, by=by, members=[*members, member], note=note[:200])


@transaction.atomic
def preferences_save(*, person: Person, by, **answers) -> Preferences:
    """Save the questionnaire. `answers` are Preferences fields (see matching.forms). Health
    conditions need the person's consent to note them (Consent.health_conditions)."""
    consent = _require_consent(person)
    if not consent.health_conditions and (
        answers.get("conditions") or answers.get("cared_for_conditions")
    ):
        raise ValidationError(
            "Record their consent to note health conditions before noting any (Consent)."
        )
    top_three = list(answers.get("top_three", []))
    if len(top_three) > TOP_THREE_MAX:
        raise ValidationError(f"Choose at most {TOP_THREE_MAX} as the top three.")
    preferences, _ = Preferences.objects.get_or_create(person=person)
    for name, value in answers.items():
        setattr(preferences, name, value)
    preferences.updated_by = by
    preferences.full_clean()
    preferences.save()
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CHANGE,
                 what="Preferences")  # fmt: skip
    return preferences


@transaction.atomic
def needs_save(*, person: Person, by, needs: Sequence[NeedAnswer]) -> list[PersonNeed]:
    """Replace the person's needs with these, most important first."""
    _require_consent(person)
    slugs = [n.need for n in needs]
    if len(set(slugs)) != len(slugs):
        raise ValidationError("Each need can be chosen once.")
    unknown = [s for s in slugs if s not in NEED_LABELS]
    if unknown:
        raise ValidationError(f"Unknown need: {', '.join(unknown)}.")
    person.needs.all().delete()
    rows = PersonNeed.objects.bulk_create(
        PersonNeed(
            person=person,
            need=answer.need,
            priority=position,
            in_their_words=answer.in_their_words.strip()[:300],
            who_will_help=answer.who_will_help.strip()[:200],
        )
        for position, answer in enumerate(needs, start=1)
    )
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CHANGE,
                 what="Needs")  # fmt: skip
    return rows


@transaction.atomic
def plan_create(*, person: Person, by, chosen: Iterable[ChosenActivity], notes: str = "") -> Plan:
    _require_consent(person)
    chosen = list(chosen)
    if not chosen:
        raise ValidationError("Choose at least one activity to try.")
    plan = Plan.objects.create(person=person, notes=notes.strip(), created_by=by)
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            activity_id=item.activity_id,
            title=item.title[:255],
            organisation=item.organisation[:255],
            where=item.where[:300],
            when=item.when[:300],
            url=item.url[:500],
            reasons=item.reasons[:500],
            position=position,
        )
        for position, item in enumerate(chosen)
    )
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CREATE,
                 what="Plan")  # fmt: skip
    return plan


class PlanEmailError(ValueError):
    """A plan cannot be e-mailed: no address, or no consent to e-mails."""


def plan_email(*, plan: Plan, by) -> None:
    """E-mail the plan to the person, if they gave an address and agreed to e-mails."""
    person = plan.person
    consent = _require_consent(person)
    if not person.email:
        raise PlanEmailError("There is no e-mail address on their record.")
    if not consent.contact_by_email:
        raise PlanEmailError("They have not agreed to be sent e-mails. Print the plan instead.")
    mail_send(
        subject="Your plan",
        template="matching/emails/plan.txt",
        context={"plan": plan, "person": person, "needs": person.needs.all(),
                 "entries": entries_from_items(plan.items.all()),
                 "link_worker": plan_link_worker(plan), "base_url": site_url()},
        to=[person.email],
    )  # fmt: skip
    Plan.objects.filter(pk=plan.pk).update(emailed_at=timezone.now())
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.EMAIL,
                 what="Plan")  # fmt: skip


def kiosk_list_email(*, address: str, cards: Sequence[Card]) -> None:
    """E-mail the suggestions someone at a kiosk chose to the address they typed. Nothing is
    saved or audited: a kiosk keeps nothing about the person, and the address is used once.
    Raises what the mail backend raises (SMTPException, OSError) when it cannot send."""
    mail_send(
        subject="Your list of things to try",
        template="matching/kiosk/email.txt",
        context={"entries": entries_from_cards(cards), "base_url": site_url()},
        to=[address],
        wait=True,
    )


@transaction.atomic
def follow_up_record(
    *, item: PlanItem, by, went: str, kept_going: bool | None = None, note: str = ""
) -> FollowUp:
    person = item.plan.person
    _require_consent(person)
    if went not in FollowUp.Went.values:
        raise ValidationError(f"Choose one of: {', '.join(FollowUp.Went.labels)}.")
    if went != FollowUp.Went.YES:
        kept_going = None
    follow_up = FollowUp.objects.create(
        item=item, went=went, kept_going=kept_going, note=note.strip()[:500], recorded_by=by
    )
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CREATE,
                 what=f"Follow-up: {item.title}")  # fmt: skip
    return follow_up


@transaction.atomic
def person_erase(*, person: Person, by) -> None:
    """Delete everything held on a person. Their audit entries go too (they name them); the
    erasure itself is logged against the team only."""
    team = person.team
    person.delete()
    audit_record(team=team, actor=by, action=AuditEvent.Action.ERASE, what="A person's record")


# Teams -----------------------------------------------------------------------------------------


class TeamInUse(ValueError):
    """A team that holds people's records cannot be deleted; `message` says why."""

    def __init__(self, *, team: Team, people: int):
        self.team = team
        self.people = people
        records = "1 person's record" if people == 1 else f"{people} people's records"
        self.message = (
            f"{team.name} still holds {records}, so it cannot be deleted. The team's "
            "facilitators can erase the records that are no longer needed."
        )
        super().__init__(self.message)


def team_ensure_unused(*, team: Team) -> None:
    """Raise TeamInUse if the team holds anyone's record: people's records are never deleted
    along with their team, only erased one by one (and audited)."""
    people = team.people.count()
    if people:
        raise TeamInUse(team=team, people=people)
