"""Writes to referrals. Each is audited on the person's record and kept in the referral's
history; the status rules are `referrals.status`."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assets_directory.selectors import listed_activities, organisation_owner_emails
from common.mail import mail_send
from common.site import absolute_url
from common.workdays import add_working_days
from matching.models import AuditEvent, Person, PlanItem, TeamMembership
from matching.services import audit_record

from .links import LinkError, group_link, link_days, referral_from_token
from .models import ApiKey, Referral, ReferralEvent, new_link_nonce
from .signals import referral_made
from .status import CLOSED, Party, Status, check

# Defaults of the settings REFERRAL_REPLY_WORKING_DAYS and REFERRAL_RETENTION_DAYS.
REPLY_WORKING_DAYS = 10
RETENTION_DAYS = 365


def reply_working_days() -> int:
    return getattr(settings, "REFERRAL_REPLY_WORKING_DAYS", REPLY_WORKING_DAYS)


def retention_days() -> int:
    return getattr(settings, "REFERRAL_RETENTION_DAYS", RETENTION_DAYS)


@dataclass(frozen=True)
class SharedDetails:
    """What the group is told about the person: the least it needs to welcome them."""

    first_name: str
    contact: str = ""
    contact_by: str = Referral.ContactBy.PHONE
    help_with: str = ""
    access_needs: str = ""


@transaction.atomic
def referral_create(
    *,
    person: Person,
    activity_id: int,
    by,
    shared: SharedDetails,
    consent_to_share: bool,
    consent_method: str = Referral.ConsentMethod.SPOKEN,
    plan_item: PlanItem | None = None,
    api_key: ApiKey | None = None,
    today: datetime.date | None = None,
) -> Referral:
    """Refer `person` to a listed activity's group. ValidationError (by field) if the person
    has not agreed to share these details, the activity is not listed, or a detail is bad.
    `api_key` is the key another system made it with, if it came through the API."""
    if person.current_consent is None:
        raise ValidationError("Record their consent before saving anything about them.")
    if not consent_to_share:
        raise ValidationError(
            {
                "consent_to_share": "They need to agree that these details are shared with "
                "the group; without it the referral cannot be made."
            }
        )
    activity = listed_activities().filter(pk=activity_id).first()
    if activity is None:
        raise ValidationError(
            {"activity": "That activity is not listed any more: choose another one."}
        )
    if activity.referral_route != activity.ReferralRoute.TAKES_REFERRALS:
        raise ValidationError(
            {
                "activity": f"{activity.title} does not take referrals "
                f"({activity.get_referral_route_display().split(':')[0].lower()}): tell "
                f"{person.display_name} how to join it instead."
            }
        )
    organisation = activity.get_parent().specific
    recipients = organisation_owner_emails(organisation)
    if not recipients:
        raise ValidationError(
            {
                "activity": f"{organisation.title} has no e-mail address to send a referral "
                "to: get in touch with them another way."
            }
        )
    today = today or timezone.localdate()
    referral = Referral(
        team=person.team,
        person=person,
        plan_item=plan_item,
        activity=activity,
        organisation=organisation,
        activity_title=activity.title[:255],
        organisation_title=organisation.title[:255],
        first_name=shared.first_name.strip(),
        contact=shared.contact.strip(),
        contact_by=shared.contact_by,
        help_with=shared.help_with.strip(),
        access_needs=shared.access_needs.strip(),
        consent_to_share=True,
        consent_method=consent_method,
        referred_by=by,
        due_by=add_working_days(today, reply_working_days()),
    )
    referral.full_clean()
    referral.save()
    ReferralEvent.objects.create(
        referral=referral, status=Status.REQUESTED, by=by, by_api_key=api_key
    )
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CREATE,
                 what=_through(f"Referral to {referral.activity_title}", api_key))  # fmt: skip
    _mail_group(referral, recipients=recipients, template="referrals/emails/new_referral.txt",
                subject=f"A referral to {referral.activity_title}")  # fmt: skip
    referral_made.send(sender=Referral, referral=referral, by=by)
    return referral


def _mail_group(referral: Referral, *, recipients, template: str, subject: str) -> None:
    """E-mail the group a link to answer: nothing about the person but their first name."""
    referrer = referral.referred_by
    mail_send(
        subject=subject,
        template=template,
        context={
            "referral": referral,
            "link": group_link(referral),
            "link_days": link_days(),
            "team": referral.team.name,
        },
        to=recipients,
        reply_to=[referrer.email] if referrer is not None and referrer.email else [],
    )


@transaction.atomic
def referral_group_answer(*, token: str, status: str, reason: str = "", note: str = "") -> Referral:
    """The group's answer through the link in its e-mail. LinkError if the link cannot be
    used (checked again under the referral's lock, so a link works once even when sent twice
    at the same moment); TransitionError if the rules refuse the answer. The link is spent; a
    referral still open is sent a new one, for the group to say later how it went."""
    referral = referral_from_token(token)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.link_nonce != referral.link_nonce:
        raise LinkError("This link has been used already.", 410)
    referral = referral_status_change(
        referral=locked, party=Party.GROUP, status=status, reason=reason, note=note,
        by_group_link=True,
    )  # fmt: skip
    referral.link_nonce = new_link_nonce()
    referral.save(update_fields=["link_nonce"])
    if referral.is_open and referral.organisation is not None:
        _mail_group(
            referral,
            recipients=organisation_owner_emails(referral.organisation),
            template="referrals/emails/how_it_went.txt",
            subject=f"How is {referral.first_name} getting on at {referral.activity_title}?",
        )
    referrer = referral.referred_by
    if referrer is not None and referrer.email:
        mail_send(
            subject=f"{referral.organisation_title or 'The group'} answered your referral",
            template="referrals/emails/group_answered.txt",
            context={"referral": referral},
            to=[referrer.email],
        )
    return referral


@transaction.atomic
def referral_status_change(
    *,
    referral: Referral,
    party: Party,
    by=None,
    status: str,
    reason: str = "",
    note: str = "",
    by_group_link: bool = False,
    api_key: ApiKey | None = None,
) -> Referral:
    """Move the referral on, as `party` asks. TransitionError (from referrals.status) when
    the rules refuse it; the referral is read again under a lock first, so that two answers
    at once cannot both apply."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    change = check(referral.status, status, party=party, reason=reason, note=note)
    now = timezone.now()
    if referral.status == Status.REQUESTED and change.status != Status.CANCELLED:
        referral.answered_at = now
    referral.status = change.status.value
    referral.reason = str(change.reason)
    if change.status in CLOSED:
        referral.closed_at = now
    referral.save(update_fields=["status", "reason", "answered_at", "closed_at"])
    ReferralEvent.objects.create(
        referral=referral,
        status=change.status,
        reason=str(change.reason),
        note=note.strip()[:500],
        by=by,
        by_group_link=by_group_link,
        by_api_key=api_key,
    )
    if party is Party.REFERRER:
        audit_record(
            team=referral.team,
            person=referral.person,
            actor=by,
            action=AuditEvent.Action.CHANGE,
            what=_through(
                f"Referral to {referral.activity_title}: {referral.status_label}", api_key
            ),
        )
    return referral


def _through(what: str, api_key: ApiKey | None) -> str:
    """The audit log's words, saying which system did it when it came through the API."""
    if api_key is None:
        return what
    return f"{what} (through the API: {api_key.name})"


def referral_shared_details_erase_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete what was shared with groups on referrals closed longer ago than the retention
    period (REFERRAL_RETENTION_DAYS, default a year); the referral's status, dates and history
    stay, without notes. Returns how many referrals were cleared."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    due = Referral.objects.filter(closed_at__lt=cutoff, shared_erased_at__isnull=True)
    with transaction.atomic():
        ids = list(due.select_for_update().values_list("pk", flat=True))
        ReferralEvent.objects.filter(referral_id__in=ids).update(note="")
        Referral.objects.filter(pk__in=ids).update(
            first_name="", contact="", help_with="", access_needs="", shared_erased_at=now
        )
    return len(ids)


# Days before the due day on which the group is reminded.
REMIND_WORKING_DAYS_BEFORE = 2


def referrals_remind_and_alert(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Daily (Celery beat): remind each group whose answer is due within two working days,
    and tell the team of each referral whose day has passed unanswered; each once. Returns
    (groups reminded, teams told)."""
    today = today or timezone.localdate()
    waiting = Referral.objects.filter(status=Status.REQUESTED).select_related(
        "team", "organisation", "referred_by"
    )
    reminded = 0
    soon = add_working_days(today, REMIND_WORKING_DAYS_BEFORE)
    for referral in waiting.filter(reminded_at__isnull=True, due_by__gte=today, due_by__lte=soon):
        with transaction.atomic():
            if referral.organisation is not None:
                _mail_group(
                    referral,
                    recipients=organisation_owner_emails(referral.organisation),
                    template="referrals/emails/reminder.txt",
                    subject=f"Reminder: a referral to {referral.activity_title}",
                )
            Referral.objects.filter(pk=referral.pk).update(reminded_at=timezone.now())
        reminded += 1
    told = 0
    for referral in waiting.filter(overdue_alerted_at__isnull=True, due_by__lt=today):
        with transaction.atomic():
            mail_send(
                subject=f"No answer yet from {referral.organisation_title or 'the group'}",
                template="referrals/emails/overdue.txt",
                context={"referral": referral, "link": _detail_link(referral)},
                to=_team_addresses(referral),
            )
            Referral.objects.filter(pk=referral.pk).update(overdue_alerted_at=timezone.now())
        told += 1
    return reminded, told


def _team_addresses(referral: Referral) -> list[str]:
    """Who made the referral; if they have gone, the team's leads."""
    referrer = referral.referred_by
    if referrer is not None and referrer.is_active and referrer.email:
        return [referrer.email]
    return list(
        referral.team.memberships.filter(role=TeamMembership.Role.LEAD, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def _detail_link(referral: Referral) -> str:
    return absolute_url(
        reverse("referrals:detail", args=[referral.person.reference, referral.reference])
    )


# API keys ---------------------------------------------------------------------------------

API_KEY_PREFIX = "cgr_"
# How often a key's "last used" is written: often enough to tell a live key from a dead one,
# seldom enough that a busy system does not write on every request.
LAST_USED_EVERY = datetime.timedelta(minutes=5)


def _key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_key_issue(*, team, by, name: str) -> tuple[ApiKey, str]:
    """A new key for `team`'s systems, named `name`. Returns the key and its secret, which is
    not kept and cannot be shown again. Audited on the team's log."""
    raw = API_KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        team=team, name=name.strip(), prefix=raw[:12], key_hash=_key_hash(raw), created_by=by
    )
    audit_record(team=team, actor=by, action=AuditEvent.Action.CREATE,
                 what=f"API key {key.prefix}… for {key.name}")  # fmt: skip
    return key, raw


@transaction.atomic
def api_key_revoke(*, key: ApiKey, by) -> ApiKey:
    """Stop the key working at once. Revoking a revoked key changes nothing."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.revoked_by = by
        key.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(team=key.team, actor=by, action=AuditEvent.Action.CHANGE,
                     what=f"API key {key.prefix}… for {key.name} revoked")  # fmt: skip
    return key


def api_key_authenticate(raw: str) -> ApiKey | None:
    """The live key `raw` is, or None. Notes when it was last used (at most every few
    minutes)."""
    if not raw.startswith(API_KEY_PREFIX) or len(raw) > 100:
        return None
    key = (
        ApiKey.objects.select_related("team")
        .filter(key_hash=_key_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
