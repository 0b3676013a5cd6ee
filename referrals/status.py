"""A referral's life, as HL7 FHIR's Task models it: pure rules, no database.

FHIR R4 Task.status (https://hl7.org/fhir/R4/valueset-task-status.html) is the shared
vocabulary for work one party asks of another; a referral to a community group is such a
request. Of its codes, the seven below are the ones a referral passes through; `draft`,
`received`, `ready`, `on-hold` and `entered-in-error` are not used (a referral is sent as soon
as it is made, and a mistake is cancelled). Each status is stored as our own value and
published with its FHIR code (`fhir_code`).

The reasons come from practice: why a group says no, why a referral did not work out, how far
the person got. A status that closes a referral for a reason (rejected, failed) needs one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Reason(StrEnum):
    NO_CAPACITY = "no_capacity"
    NOT_ELIGIBLE = "not_eligible"
    COULD_NOT_CONTACT = "could_not_contact"
    NO_LONGER_INTERESTED = "no_longer_interested"
    DID_NOT_ATTEND = "did_not_attend"
    ATTENDED_ONCE = "attended_once"
    ATTENDING_REGULARLY = "attending_regularly"
    NO_REPLY = "no_reply"
    OTHER = "other"


# Who is asking for a change: the group that received the referral (signed in, or through the
# link in its e-mail), or the team that made it.
class Party(StrEnum):
    GROUP = "group"
    REFERRER = "referrer"


LABELS: dict[Status, str] = {
    Status.REQUESTED: "Sent, waiting for the group",
    Status.ACCEPTED: "Accepted by the group",
    Status.REJECTED: "Declined by the group",
    Status.IN_PROGRESS: "Started going",
    Status.COMPLETED: "Going regularly",
    Status.FAILED: "Did not work out",
    Status.CANCELLED: "Cancelled",
}

FHIR_CODES: dict[Status, str] = {
    Status.REQUESTED: "requested",
    Status.ACCEPTED: "accepted",
    Status.REJECTED: "rejected",
    Status.IN_PROGRESS: "in-progress",
    Status.COMPLETED: "completed",
    Status.FAILED: "failed",
    Status.CANCELLED: "cancelled",
}

REASON_LABELS: dict[Reason, str] = {
    Reason.NO_CAPACITY: "No space at the moment",
    Reason.NOT_ELIGIBLE: "The activity is not meant for them",
    Reason.COULD_NOT_CONTACT: "Could not get in touch with them",
    Reason.NO_LONGER_INTERESTED: "They are no longer interested",
    Reason.DID_NOT_ATTEND: "They did not come",
    Reason.ATTENDED_ONCE: "They came once",
    Reason.ATTENDING_REGULARLY: "They come regularly",
    Reason.NO_REPLY: "The group did not reply in time",
    Reason.OTHER: "Another reason (see the note)",
}

# Where each status may go next, and who may take it there. Closed statuses go nowhere.
_NEXT: dict[Status, dict[Status, frozenset[Party]]] = {
    Status.REQUESTED: {
        Status.ACCEPTED: frozenset({Party.GROUP}),
        Status.REJECTED: frozenset({Party.GROUP}),
        Status.CANCELLED: frozenset({Party.REFERRER}),
    },
    Status.ACCEPTED: {
        Status.IN_PROGRESS: frozenset({Party.GROUP, Party.REFERRER}),
        Status.COMPLETED: frozenset({Party.GROUP, Party.REFERRER}),
        Status.FAILED: frozenset({Party.GROUP, Party.REFERRER}),
        Status.CANCELLED: frozenset({Party.REFERRER}),
    },
    Status.IN_PROGRESS: {
        Status.COMPLETED: frozenset({Party.GROUP, Party.REFERRER}),
        Status.FAILED: frozenset({Party.GROUP, Party.REFERRER}),
        Status.CANCELLED: frozenset({Party.REFERRER}),
    },
}
CLOSED = frozenset({Status.REJECTED, Status.COMPLETED, Status.FAILED, Status.CANCELLED})
OPEN = frozenset(Status) - CLOSED

# The reasons each status may be given for; those in _REASON_NEEDED must have one.
_REASONS: dict[Status, frozenset[Reason]] = {
    Status.REJECTED: frozenset({Reason.NO_CAPACITY, Reason.NOT_ELIGIBLE, Reason.OTHER}),
    Status.IN_PROGRESS: frozenset({Reason.ATTENDED_ONCE}),
    Status.COMPLETED: frozenset({Reason.ATTENDING_REGULARLY}),
    Status.FAILED: frozenset(
        {
            Reason.COULD_NOT_CONTACT,
            Reason.NO_LONGER_INTERESTED,
            Reason.DID_NOT_ATTEND,
            Reason.OTHER,
        }
    ),  # fmt: skip
    Status.CANCELLED: frozenset({Reason.NO_LONGER_INTERESTED, Reason.NO_REPLY, Reason.OTHER}),
}
_REASON_NEEDED = frozenset({Status.REJECTED, Status.FAILED})
# Reasons the status says in other words: not repeated beside it.
SELF_EXPLAINED = frozenset({Reason.ATTENDED_ONCE, Reason.ATTENDING_REGULARLY})
# The reason a status stands for when none is given (it says the same thing in other words).
_IMPLIED: dict[Status, Reason] = {
    Status.IN_PROGRESS: Reason.ATTENDED_ONCE,
    Status.COMPLETED: Reason.ATTENDING_REGULARLY,
}


@dataclass(frozen=True)
class Change:
    """A change the rules allow: the new status and its reason ("" when it has none)."""

    status: Status
    reason: str


class TransitionError(ValueError):
    """A change the rules refuse; `message` says why in plain words, `field` which answer."""

    def __init__(self, message: str, field: str = "status"):
        self.message = message
        self.field = field
        super().__init__(message)


def allowed(current: Status, party: Party) -> list[Status]:
    """The statuses `party` may move a referral in `current` to, in a sensible order."""
    return [s for s, who in _NEXT.get(Status(current), {}).items() if party in who]


def reasons_for(status: Status) -> list[Reason]:
    return sorted(_REASONS.get(Status(status), ()), key=list(Reason).index)


def check(current: str, new: str, *, party: Party, reason: str = "", note: str = "") -> Change:
    """The change from `current` to `new` asked for by `party`, if the rules allow it; else
    TransitionError saying why."""
    try:
        current, new = Status(current), Status(new)
    except ValueError:
        raise TransitionError("Choose one of the statuses offered.") from None
    if current in CLOSED:
        raise TransitionError(
            f"This referral is closed ({LABELS[current].lower()}): make a new one instead."
        )
    who = _NEXT[current].get(new)
    if who is None:
        raise TransitionError(
            f"A referral that is {LABELS[current].lower()} cannot become {LABELS[new].lower()}."
        )
    if party not in who:
        doer = "the group" if party is Party.REFERRER else "the team that made the referral"
        raise TransitionError(f"Only {doer} can mark a referral {LABELS[new].lower()}.")
    if not reason:
        if new in _REASON_NEEDED:
            raise TransitionError("Say why, choosing one of the reasons.", field="reason")
        return Change(new, _IMPLIED.get(new, ""))
    try:
        reason = Reason(reason)
    except ValueError:
        raise TransitionError("Choose one of the reasons offered.", field="reason") from None
    if reason not in _REASONS.get(new, ()):
        raise TransitionError(
            f"“{REASON_LABELS[reason]}” is not a reason for {LABELS[new].lower()}.",
            field="reason",
        )
    if reason is Reason.OTHER and not note.strip():
        raise TransitionError("Say what the other reason is in the note.", field="note")
    return Change(new, reason)
