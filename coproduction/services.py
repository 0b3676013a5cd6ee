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
from django.db.models import Q
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
    PartnershipDocument,
    PartnershipEvent,
    PartnershipGroup,
    PrincipleEvidence,
    ReadinessAnswer,
    ReadinessAssessment,
    Review,
    ServiceTeam,
    SurveyResponse,
)
from .models.partnerships import SURVEY_QUESTIONS
from .models.people import CONSENT_WORDING, READINESS_AREAS
from .models.principles import BY_CODE as PRINCIPLES_BY_CODE

Status = Partnership.Status
# Where delivery can be logged: once the work has started.
DELIVERY_STATUSES = (Status.DELIVERING, Status.REVIEWING, Status.SUSTAINED)


class Refused(ValueError):
    """A change coproduction's rules do not allow; the message says why, in words.

    `field` names the form field the refusal is about, when there is one, so that a form can
    show it on that field (`form.add_error(refused.field, ...)`); None for the form as a whole.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


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
    if ask is not None and ask.status == Ask.Status.CLOSED:
        raise PartnershipRefused("This ask is closed: no partnership can be proposed from it.")
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


def _kind_label(kind: str) -> str:
    return GroupLink.Kind(kind).label.lower()


def link_lasting(*, a, b, kind: str, on: datetime.date):
    """The link of `kind` between groups `a` and `b` (either way round) that has not ended by
    `on`, if there is one."""
    return (
        GroupLink.objects.filter(kind=kind)
        .filter(
            Q(from_organisation=a, to_organisation=b) | Q(from_organisation=b, to_organisation=a)
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .order_by("started_on", "pk")
        .first()
    )


@transaction.atomic
def link_record(
    *, from_organisation, to_organisation, kind: str, started_on: datetime.date, by, note: str = ""
) -> GroupLink:
    """A link between two groups, entered by one of them or a moderator (the view checks who).

    Refused, naming the field: a link to itself, to a group not in the directory, of an unknown
    kind, or a second link of one kind between the same two groups while the first lasts.
    """
    if to_organisation is None or from_organisation.pk == to_organisation.pk:
        raise Refused(
            "A group cannot be linked to itself: choose another group.", field="to_organisation"
        )
    if not to_organisation.live:
        raise Refused(
            f"{to_organisation.title} is not published in the directory.", field="to_organisation"
        )
    if kind not in GroupLink.Kind.values:
        raise Refused("Choose what kind of link it is.", field="kind")
    if started_on is None:
        raise Refused("Enter the date the link started.", field="started_on")
    # Two people entering the same link at once: the second waits for the first, then sees it.
    list(
        type(from_organisation)
        .objects.select_for_update(of=("self",))
        .filter(pk__in=[from_organisation.pk, to_organisation.pk])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    lasting = link_lasting(a=from_organisation, b=to_organisation, kind=kind, on=started_on)
    if lasting is not None:
        raise Refused(
            f"A link of this kind ({_kind_label(kind)}) with {to_organisation.title} is already "
            f"recorded from {lasting.started_on:%-d %B %Y}: end that one first, or choose "
            "another kind.",
            field="kind",
        )
    return GroupLink.objects.create(
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        kind=kind,
        started_on=started_on,
        note=(note or "").strip()[:255],
        created_by=by,
    )


# What a partnership's documents may be, and the type each is served as (never the one the
# uploader's browser claimed).
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# The first bytes of the kinds a browser would render, so that a script renamed .png is refused.
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}


def document_extension(filename: str) -> str:
    return filename.rpartition(".")[2].lower() if "." in filename else ""


def _document_name(filename: str) -> str:
    """The name people gave the file, reduced to its last part and plain characters."""
    name = filename.replace("\\", "/").rpartition("/")[2]
    name = "".join(c for c in name if c.isprintable() and c not in '"<>:|?*')
    return name.strip(" .")[:200] or "document"


@transaction.atomic
def document_add(*, partnership: Partnership, by, title: str, upload) -> PartnershipDocument:
    """Keep a file with the partnership's delivery log, in private storage."""
    title = title.strip()
    if not title:
        raise Refused("Give the document a title.", field="title")
    extension = document_extension(upload.name or "")
    if extension not in DOCUMENT_TYPES:
        raise Refused(
            "Upload a PDF, a word-processor, spreadsheet or presentation file, a CSV or text "
            "file, or a PNG or JPEG picture.",
            field="file",
        )
    if upload.size > DOCUMENT_MAX_BYTES:
        raise Refused(
            f"The file is larger than {DOCUMENT_MAX_BYTES // (1024 * 1024)} MB.", field="file"
        )
    if upload.size == 0:
        raise Refused("The file is empty.", field="file")
    signatures = _SIGNATURES.get(extension)
    if signatures:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not head.startswith(signatures):
            raise Refused(
                f"The file is named .{extension} but is not a {extension.upper()} file.",
                field="file",
            )
    document = PartnershipDocument(
        partnership=partnership,
        title=title[:160],
        filename=_document_name(upload.name),
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save(upload.name, upload, save=False)
    try:
        document.save()
    except Exception:
        # No row, no file: nothing is left that no page lists.
        document.file.delete(save=False)
        raise
    return document


def document_remove(*, document: PartnershipDocument) -> None:
    """Delete the document and, once that is committed, its file."""
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


EVIDENCE_NOTE_MAX = PrincipleEvidence._meta.get_field("note").max_length


def evidence_record(
    *,
    partnership: Partnership,
    principle: str,
    note: str,
    by,
    recorded_on: datetime.date | None = None,
) -> PrincipleEvidence:
    """Evidence that a partnership shows one of NHS England's ten principles: what happened, in
    a short note (the view checks who may record it: its team's members and moderators)."""
    if principle not in PRINCIPLES_BY_CODE:
        raise Refused("Choose which of the ten principles this shows.")
    note = (note or "").strip()
    if not note:
        raise Refused("Say what shows the principle, such as what changed because of it.")
    if len(note) > EVIDENCE_NOTE_MAX:
        raise Refused(f"Keep the note to {EVIDENCE_NOTE_MAX} characters or fewer.")
    recorded_on = recorded_on or timezone.localdate()
    if recorded_on > timezone.localdate():
        raise Refused("The date cannot be in the future.")
    if PrincipleEvidence.objects.filter(
        partnership=partnership, principle=principle, note=note
    ).exists():
        raise Refused("That evidence is already in the log.")
    return PrincipleEvidence.objects.create(
        partnership=partnership,
        principle=principle,
        note=note,
        recorded_by=by,
        recorded_on=recorded_on,
    )


@transaction.atomic
def link_end(*, link: GroupLink, ended_on: datetime.date, by) -> GroupLink:
    """A link has ended on a day (recorded with who ended it); refused if it has already ended
    or the day is before it started."""
    # Two people ending one link at once: the second sees that the first has.
    link = GroupLink.objects.select_for_update().get(pk=link.pk)
    if link.ended_on is not None:
        raise Refused(f"This link already ended on {link.ended_on:%-d %B %Y}.")
    if ended_on is None:
        raise Refused("Enter the date the link ended.", field="ended_on")
    if ended_on < link.started_on:
        raise Refused(
            f"The link started on {link.started_on:%-d %B %Y}: it cannot end before that.",
            field="ended_on",
        )
    link.ended_on = ended_on
    link.ended_by = by
    link.save(update_fields=["ended_on", "ended_by"])
    return link


@transaction.atomic
def ask_update(*, ask: Ask, by, communities: Iterable, capabilities: Iterable, **fields) -> Ask:
    """A team's ask as changed by its team or a moderator, recorded as changed now by `by`.

    `fields` are the ask's own fields (title, description, service line, areas, dates, offers,
    status); refused, naming the field, if the ask no longer holds together.
    """
    unknown = set(fields) - {f.name for f in Ask._meta.concrete_fields}
    if unknown:
        raise Refused(f"An ask has no {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(ask, name, value)
    ask.updated_at = timezone.now()
    ask.updated_by = by
    try:
        ask.full_clean(exclude=["team", "created_by", "updated_by"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise Refused(" ".join(messages), field=None if field == "__all__" else field) from None
    ask.save()
    ask.communities.set(communities)
    ask.capabilities.set(capabilities)
    return ask


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
