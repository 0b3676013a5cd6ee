"""Writes for coproduction: partnerships through their lifecycle, reviews, delivery, surveys.

Every service checks the partnership's state itself and refuses a change it does not allow with
a `PartnershipRefused` whose message says why in words; permissions (who may do it) are the
views' to check before they call.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from common.mail import mail_send
from common.ratelimit import Limit, limits_exceeded, limits_record
from common.site import site_url
from common.text import forbidden_character

from .models import (
    Ask,
    CapabilityItem,
    CapabilityProfile,
    CapabilityTerm,
    DeliveryLog,
    GroupLeader,
    GroupLink,
    Partnership,
    PartnershipEvent,
    PartnershipGroup,
    ReadinessAnswer,
    ReadinessAssessment,
    Review,
    ServiceTeam,
    SurveyResponse,
)
from .models.partnerships import SURVEY_QUESTIONS
from .models.people import CONSENT_WORDING, READINESS_AREAS

Status = Partnership.Status
# Where delivery can be logged: once the work has started.
DELIVERY_STATUSES = (Status.DELIVERING, Status.REVIEWING, Status.SUSTAINED)


class Refused(ValueError):
    """A change coproduction's rules do not allow; the message says why, in words."""


class PartnershipRefused(Refused):
    """A change a partnership's state does not allow."""


def _locked(partnership: Partnership) -> Partnership:
    # Two people moving one partnership at once: the second sees the first's move.
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


def _label(status: str) -> str:
    return Status(status).label.lower()


@transaction.atomic
def partnership_propose(
    *,
    team: ServiceTeam,
    organisations: Iterable,
    by,
    title: str,
    ask: Ask | None = None,
) -> Partnership:
    """A new partnership between `team` and the groups, waiting for each group to accept."""
    groups = list(dict.fromkeys(organisations))
    if not groups:
        raise PartnershipRefused("Choose at least one community group.")
    not_live = [g.title for g in groups if not g.live]
    if not_live:
        raise PartnershipRefused(f"{', '.join(not_live)} is not published in the directory.")
    if ask is not None and ask.team_id != team.pk:
        raise PartnershipRefused("That ask belongs to another team.")
    title = (title or "").strip() or (ask.title if ask else "")
    if not title:
        raise PartnershipRefused("Give the partnership a title.")
    partnership = Partnership.objects.create(title=title, team=team, ask=ask)
    for organisation in groups:
        PartnershipGroup.objects.create(partnership=partnership, organisation=organisation)
    PartnershipEvent.objects.create(
        partnership=partnership,
        kind=PartnershipEvent.Kind.PROPOSED,
        to_status=Status.PROPOSED,
        by=by,
    )
    return partnership


@transaction.atomic
def partnership_accept(*, partnership: Partnership, organisation, by) -> PartnershipGroup:
    """One group's editors accept a proposed partnership."""
    partnership = _locked(partnership)
    if partnership.status != Status.PROPOSED:
        raise PartnershipRefused(
            f"This partnership is {_label(partnership.status)}: only a proposed one is accepted."
        )
    try:
        group = partnership.groups.get(organisation=organisation)
    except PartnershipGroup.DoesNotExist:
        raise PartnershipRefused(f"{organisation} is not in this partnership.") from None
    if group.accepted_at is not None:
        raise PartnershipRefused(f"{organisation} has already accepted.")
    group.accepted_at = timezone.now()
    group.accepted_by = by
    group.save(update_fields=["accepted_at", "accepted_by"])
    PartnershipEvent.objects.create(
        partnership=partnership,
        kind=PartnershipEvent.Kind.ACCEPTED,
        organisation=organisation,
        by=by,
    )
    return group


@transaction.atomic
def partnership_move(*, partnership: Partnership, to: str, by, note: str = "") -> Partnership:
    """Move a partnership on (or close it), or refuse with the reason."""
    partnership = _locked(partnership)
    current = Status(partnership.status)
    try:
        to = Status(to)
    except ValueError:
        raise PartnershipRefused(f"{to!r} is not a partnership stage.") from None
    allowed = Partnership.MOVES[current]
    if to not in allowed:
        if not allowed:
            raise PartnershipRefused("This partnership is closed: it cannot move again.")
        choices = " or ".join(_label(s) for s in allowed)
        raise PartnershipRefused(
            f"A {_label(current)} partnership can become {choices}, not {_label(to)}."
        )
    note = (note or "").strip()
    if to == Status.AGREED:
        waiting = [
            g.organisation.title
            for g in partnership.groups.select_related("organisation")
            if g.accepted_at is None
        ]
        if waiting:
            raise PartnershipRefused(f"Waiting for {', '.join(waiting)} to accept.")
    if to == Status.SUSTAINED and not partnership.reviews.exists():
        raise PartnershipRefused("Record a review before calling the partnership sustained.")
    if to == Status.CLOSED and not note:
        raise PartnershipRefused("Say why the partnership is closing.")
    PartnershipEvent.objects.create(
        partnership=partnership,
        kind=PartnershipEvent.Kind.MOVED,
        from_status=current,
        to_status=to,
        note=note,
        by=by,
    )
    partnership.status = to
    partnership.save(update_fields=["status"])
    return partnership


@transaction.atomic
def review_record(
    *,
    partnership: Partnership,
    by,
    held_on: datetime.date,
    level: int,
    co_commissioning: bool = False,
    co_design: bool = False,
    co_delivery: bool = False,
    co_assessment: bool = False,
    notes: str = "",
) -> Review:
    """A review of a partnership that is being reviewed."""
    partnership = _locked(partnership)
    if partnership.status != Status.REVIEWING:
        raise PartnershipRefused(
            f"This partnership is {_label(partnership.status)}: move it to reviewing first."
        )
    if level not in Review.Level.values:
        raise PartnershipRefused("Choose the level of coproduction reached.")
    return Review.objects.create(
        partnership=partnership,
        held_on=held_on,
        level=level,
        co_commissioning=co_commissioning,
        co_design=co_design,
        co_delivery=co_delivery,
        co_assessment=co_assessment,
        notes=notes.strip(),
        recorded_by=by,
    )


@transaction.atomic
def delivery_record(
    *,
    partnership: Partnership,
    by,
    period_start: datetime.date,
    period_end: datetime.date,
    sessions: int,
    people_reached: int,
    reached_by_group: Mapping[str, int] | None = None,
    resources_exchanged: str = "",
    outcomes: str = "",
) -> DeliveryLog:
    """What a partnership delivered over a period, once delivery has started."""
    partnership = _locked(partnership)
    if partnership.status not in DELIVERY_STATUSES:
        raise PartnershipRefused(
            f"This partnership is {_label(partnership.status)}: delivery is logged once it "
            "is delivering."
        )
    if period_end < period_start:
        raise PartnershipRefused("The period must end on or after the day it starts.")
    if sessions < 0 or people_reached < 0:
        raise PartnershipRefused("Counts cannot be negative.")
    by_group = {str(k).strip(): int(v) for k, v in (reached_by_group or {}).items()}
    if any(v < 0 for v in by_group.values()) or "" in by_group:
        raise PartnershipRefused("Each group reached needs a name and a count of 0 or more.")
    return DeliveryLog.objects.create(
        partnership=partnership,
        period_start=period_start,
        period_end=period_end,
        sessions=sessions,
        people_reached=people_reached,
        reached_by_group=by_group,
        resources_exchanged=resources_exchanged.strip(),
        outcomes=outcomes.strip(),
        recorded_by=by,
    )


def survey_answer(
    *, review: Review, respondent, organisation=None, answers: Mapping[str, int]
) -> SurveyResponse:
    """One partner's answers to the review's survey: every question, each 1 to 5."""
    missing = [q for q in SURVEY_QUESTIONS if q not in answers]
    unknown = [q for q in answers if q not in SURVEY_QUESTIONS]
    if missing or unknown:
        raise PartnershipRefused("Answer every question of the survey, and only those.")
    if not all(isinstance(v, int) and 1 <= v <= 5 for v in answers.values()):
        raise PartnershipRefused("Each answer is 1 (strongly disagree) to 5 (strongly agree).")
    if (
        organisation is not None
        and not review.partnership.groups.filter(organisation=organisation).exists()
    ):
        raise PartnershipRefused(f"{organisation} is not in this partnership.")
    if SurveyResponse.objects.filter(review=review, respondent=respondent).exists():
        raise PartnershipRefused("You have already answered this review's survey.")
    return SurveyResponse.objects.create(
        review=review, respondent=respondent, organisation=organisation, **answers
    )


@transaction.atomic
def profile_save(
    *,
    organisation,
    by,
    summary: str,
    areas: list[str],
    years_active: int | None,
    terms: Iterable[CapabilityTerm],
    counts: Mapping[int, int | None] | None = None,
) -> CapabilityProfile:
    """A group's capability profile as its editors describe it.

    Items still ticked keep their verification, unless the count a moderator verified has
    changed; items no longer ticked are removed; new ones start unverified.
    """
    counts = counts or {}
    profile, _ = CapabilityProfile.objects.get_or_create(organisation=organisation)
    profile.summary = summary.strip()
    profile.areas = list(areas)
    profile.years_active = years_active
    profile.updated_by = by
    profile.full_clean(exclude=["organisation"])
    profile.save()
    wanted = {term.pk: term for term in terms}
    profile.items.exclude(term_id__in=wanted).delete()
    existing = {item.term_id: item for item in profile.items.all()}
    for term_id, term in wanted.items():
        count = counts.get(term_id) if term.kind == CapabilityTerm.Kind.PEOPLE else None
        item = existing.get(term_id)
        if item is None:
            CapabilityItem.objects.create(profile=profile, term=term, count=count)
        elif item.count != count:
            item.count = count
            item.verified_on = None
            item.verified_by = None
            item.evidence = ""
            item.save(update_fields=["count", "verified_on", "verified_by", "evidence"])
    return profile


def item_verify(*, item: CapabilityItem, by, evidence: str) -> CapabilityItem:
    """A moderator has seen evidence of what the group says (dated today)."""
    evidence = (evidence or "").strip()
    if not evidence:
        raise Refused("Say what you saw, such as the policy or a visit.")
    item.verified_on = timezone.localdate()
    item.verified_by = by
    item.evidence = evidence[:255]
    item.save(update_fields=["verified_on", "verified_by", "evidence"])
    return item


def item_unverify(*, item: CapabilityItem) -> CapabilityItem:
    item.verified_on = None
    item.verified_by = None
    item.evidence = ""
    item.save(update_fields=["verified_on", "verified_by", "evidence"])
    return item


def link_record(
    *, from_organisation, to_organisation, kind: str, started_on: datetime.date, by, note: str = ""
) -> GroupLink:
    """A link between two groups, entered by one of them or a moderator (the view checks who)."""
    if from_organisation.pk == to_organisation.pk:
        raise Refused("A group cannot be linked to itself: choose another group.")
    if kind not in GroupLink.Kind.values:
        raise Refused("Choose what kind of link it is.")
    exists = GroupLink.objects.filter(
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        kind=kind,
        started_on=started_on,
    ).exists()
    if exists:
        raise Refused("That link is already recorded from that date.")
    return GroupLink.objects.create(
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        kind=kind,
        started_on=started_on,
        note=(note or "").strip(),
        created_by=by,
    )


# Leaders and connectors -----------------------------------------------------------------------

LEADER_NAME_MAX = 80
LEADER_CONNECTS_MAX = 255
CONSENT_WORDING_MAX = 2000
MESSAGE_MIN = 10
MESSAGE_MAX = 3000
# Per sender, and per leader: one person cannot flood a leader's inbox, and a leader is not
# written to by everyone at once.
CONTACT_LIMITS = (
    Limit(scope="coproduction-leader-contact-sender", limit=10, window_seconds=3600),
    Limit(scope="coproduction-leader-contact-leader", limit=5, window_seconds=24 * 3600),
)


def _clean_text(value: str, *, field: str, maximum: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Refused(f"Enter {field}.")
    if len(value) > maximum:
        raise Refused(f"{field[0].upper()}{field[1:]} must be {maximum} characters or fewer.")
    if forbidden_character(value) is not None:
        raise Refused(f"{field[0].upper()}{field[1:]} has a character that cannot be used.")
    return value


def _leader_fields(*, display_name: str, role: str, connects: str) -> dict:
    if role not in GroupLeader.Role.values:
        raise Refused("Choose their role.")
    return {
        "display_name": _clean_text(
            display_name,
            field="the name they agree to be shown as",
            maximum=LEADER_NAME_MAX,
            required=True,
        ),
        "role": role,
        "connects": _clean_text(
            connects, field="what they connect people to", maximum=LEADER_CONNECTS_MAX
        ),
    }


def _leader_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise Refused(
            "Enter their e-mail address in the right form, like name@example.com."
        ) from None
    return email


def _consent(*, given_on: datetime.date, wording: str) -> tuple[datetime.date, str]:
    if given_on > timezone.localdate():
        raise Refused("The date they agreed cannot be in the future.")
    wording = _clean_text(
        wording or CONSENT_WORDING, field="the words they agreed to", maximum=CONSENT_WORDING_MAX
    )
    return given_on, wording


@transaction.atomic
def leader_add(
    *,
    organisation,
    by,
    display_name: str,
    role: str,
    email: str,
    connects: str = "",
    consent_given_on: datetime.date | None = None,
    consent_wording: str = "",
) -> GroupLeader:
    """A leader or connector of the group, added by its editors. Shown beyond the group's
    editors only once their consent is recorded (here, or later with leader_consent_record)."""
    leader = GroupLeader(
        organisation=organisation,
        email=_leader_email(email),
        **_leader_fields(display_name=display_name, role=role, connects=connects),
    )
    if consent_given_on is not None:
        leader.consent_given_on, leader.consent_wording = _consent(
            given_on=consent_given_on, wording=consent_wording
        )
        leader.consent_recorded_by = by
    leader.save()
    return leader


def leader_update(
    *, leader: GroupLeader, display_name: str, role: str, connects: str = "", email: str = ""
) -> GroupLeader:
    """Correct what is kept about a leader; an empty `email` keeps the address already kept
    (the form never shows it, so it cannot be sent back)."""
    for name, value in _leader_fields(
        display_name=display_name, role=role, connects=connects
    ).items():
        setattr(leader, name, value)
    if (email or "").strip():
        leader.email = _leader_email(email)
    leader.save(update_fields=["display_name", "role", "connects", "email"])
    return leader


def leader_consent_record(
    *, leader: GroupLeader, by, given_on: datetime.date, wording: str = ""
) -> GroupLeader:
    """Record that the leader has agreed to be shown (again, after a withdrawal), on the day
    they agreed, in the words they agreed to (the site's standard wording unless given)."""
    if leader.consented:
        raise Refused(f"{leader.display_name} has already agreed; their consent is recorded.")
    leader.consent_given_on, leader.consent_wording = _consent(given_on=given_on, wording=wording)
    leader.consent_recorded_by = by
    leader.consent_withdrawn_on = None
    leader.save(
        update_fields=[
            "consent_given_on",
            "consent_wording",
            "consent_recorded_by",
            "consent_withdrawn_on",
        ]
    )
    return leader


def leader_consent_withdraw(*, leader: GroupLeader, by) -> GroupLeader:
    """The leader no longer agrees to be shown: hidden from everyone but the group's editors
    from now on, the network map included. The record of what they had agreed to is kept."""
    if leader.consent_given_on is None:
        raise Refused(f"{leader.display_name} has not agreed to be shown: nothing to withdraw.")
    if leader.consent_withdrawn_on is not None:
        raise Refused(f"{leader.display_name} has already withdrawn their consent.")
    leader.consent_withdrawn_on = timezone.localdate()
    leader.save(update_fields=["consent_withdrawn_on"])
    return leader


def leader_delete(*, leader: GroupLeader) -> None:
    """Remove everything kept about a leader, their address and consent included."""
    leader.delete()


def leader_contact(*, leader: GroupLeader, sender, message: str) -> None:
    """E-mail a consented leader through the site: the message comes from the site, with the
    sender's address to reply to; the sender never learns the leader's address."""
    if not leader.consented or not leader.organisation.live:
        raise Refused("This person cannot be contacted through the site.")
    if not getattr(sender, "email", ""):
        raise Refused(
            "Your account has no e-mail address for them to reply to. Ask an administrator to "
            "add one."
        )
    message = _clean_text(message, field="your message", maximum=MESSAGE_MAX, required=True)
    if len(message) < MESSAGE_MIN:
        raise Refused(f"Your message must be at least {MESSAGE_MIN} characters.")
    checks = [(CONTACT_LIMITS[0], str(sender.pk)), (CONTACT_LIMITS[1], str(leader.pk))]
    if limits_exceeded(checks):
        raise Refused("Too many messages have been sent for now. Try again tomorrow.")
    mail_send(
        subject=f"A message through Common Ground about {leader.organisation.title}",
        template="coproduction/emails/leader_contact.txt",
        context={
            "leader": leader,
            "sender": sender,
            "sender_name": sender.get_full_name() or sender.get_username(),
            "message": message,
            "base_url": site_url(),
        },
        to=[leader.email],
        reply_to=[sender.email],
    )
    limits_record(checks)


# Readiness ------------------------------------------------------------------------------------

READINESS_NOTE_MAX = 1000
REVIEW_NOTES_MAX = 4000


@transaction.atomic
def readiness_submit(
    *, organisation, by, answers: Mapping[str, tuple[int, str]]
) -> ReadinessAssessment:
    """The group's self-assessment, submitted for review: a score from 1 to 4 and a note for
    each of the six areas. While one is waiting for review, submitting again replaces its
    answers (a group corrects itself before the moderator has seen it)."""
    missing = [READINESS_AREAS[a][0] for a in READINESS_AREAS if a not in answers]
    if missing:
        raise Refused(f"Answer every area: {', '.join(missing)} is missing.")
    unknown = [a for a in answers if a not in READINESS_AREAS]
    if unknown:
        raise Refused("Answer only the six areas of the assessment.")
    cleaned = {}
    for area, (score, note) in answers.items():
        label = READINESS_AREAS[area][0]
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 4:
            raise Refused(f"{label}: choose an answer from 1 to 4.")
        cleaned[area] = (
            score,
            _clean_text(note, field=f"the note on {label.lower()}", maximum=READINESS_NOTE_MAX),
        )
    assessment = (
        ReadinessAssessment.objects.select_for_update()
        .filter(organisation=organisation, status=ReadinessAssessment.Status.WAITING)
        .first()
    )
    if assessment is None:
        assessment = ReadinessAssessment(organisation=organisation)
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = by
    assessment.save()
    assessment.answers.all().delete()
    ReadinessAnswer.objects.bulk_create(
        ReadinessAnswer(assessment=assessment, area=area, score=score, note=note)
        for area, (score, note) in ((a, cleaned[a]) for a in READINESS_AREAS)
    )
    return assessment


@transaction.atomic
def readiness_review(
    *, assessment: ReadinessAssessment, by, notes: str, reviewed_on: datetime.date | None = None
) -> ReadinessAssessment:
    """A moderator has gone through the assessment with the group: what they agreed would help."""
    assessment = ReadinessAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != ReadinessAssessment.Status.WAITING:
        raise Refused("This assessment has already been reviewed.")
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        raise Refused("The date of the review cannot be in the future.")
    if reviewed_on < timezone.localdate(assessment.submitted_at):
        raise Refused("The review cannot be before the assessment was submitted.")
    assessment.review_notes = _clean_text(
        notes, field="what you agreed with the group", maximum=REVIEW_NOTES_MAX, required=True
    )
    assessment.reviewed_on = reviewed_on
    assessment.reviewed_by = by
    assessment.status = ReadinessAssessment.Status.REVIEWED
    assessment.save(update_fields=["review_notes", "reviewed_on", "reviewed_by", "status"])
    return assessment
