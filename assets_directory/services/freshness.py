"""Freshness: reminders to owners of listings not checked lately, and their one-use links."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.links import LinkExpired, LinkInvalid, link_payload, link_token
from common.mail import mail_send
from common.site import absolute_url

from ..models import Activity, FreshnessReminder, ListingReport
from ..selectors import moderator_emails, organisation_owner_emails

FRESHNESS_SALT = "assets_directory.freshness"


@dataclass
class FreshnessSummary:
    reminded: int = 0
    flagged: int = 0
    skipped_no_owner: int = 0


def freshness_due_activities(*, today: date | None = None):
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.FRESHNESS_REVIEW_DAYS)
    return (
        Activity.objects.current().filter(last_reviewed__lte=cutoff).order_by("last_reviewed", "pk")
    )


def freshness_send_reminders(*, today: date | None = None) -> FreshnessSummary:
    """Remind owners of listings not checked for FRESHNESS_REVIEW_DAYS; flag the silent ones.

    Each listing gets at most one reminder every FRESHNESS_REMINDER_INTERVAL_DAYS. After
    FRESHNESS_MAX_REMINDERS unanswered reminders in one review cycle, moderators get a report
    (once per cycle). Safe to run as often as you like.
    """
    now = timezone.now()
    interval = timedelta(days=settings.FRESHNESS_REMINDER_INTERVAL_DAYS)
    summary = FreshnessSummary()
    for activity in freshness_due_activities(today=today):
        cycle = FreshnessReminder.objects.filter(
            activity=activity, reviewed_on=activity.last_reviewed
        )
        sent = cycle.count()
        last = cycle.order_by("-sent_at").first()
        if last is not None and now - last.sent_at < interval:
            continue
        if sent >= settings.FRESHNESS_MAX_REMINDERS:
            # Flag once per review cycle, even if a moderator has since closed the report.
            first_sent = cycle.order_by("sent_at").values_list("sent_at", flat=True).first()
            already = ListingReport.objects.filter(
                activity=activity, kind=ListingReport.Kind.STALE, created_at__gte=first_sent
            ).exists()
            if not already:
                ListingReport.objects.create(
                    activity=activity,
                    kind=ListingReport.Kind.STALE,
                    message=(
                        f"Last checked {activity.last_reviewed:%d %B %Y}. "
                        f"{sent} reminders sent with no answer."
                    ),
                )
                summary.flagged += 1
                mail_send(
                    subject=f"Listing not checked: {activity.title}",
                    template="assets_directory/emails/stale_moderators.txt",
                    context={
                        "activity": activity,
                        "reminders": sent,
                        "url": absolute_url(activity.url or "/"),
                    },
                    to=moderator_emails(),
                )
            continue
        recipients = organisation_owner_emails(activity.get_parent().specific)
        if not recipients:
            summary.skipped_no_owner += 1
            continue
        reminder = FreshnessReminder.objects.create(
            activity=activity, sent_to="\n".join(recipients), reviewed_on=activity.last_reviewed
        )
        mail_send(
            subject=f"Is your listing still right? {activity.title}",
            template="assets_directory/emails/freshness_reminder.txt",
            context={
                "activity": activity,
                "confirm_url": absolute_url(freshness_link(reminder=reminder, action="confirm")),
                "closed_url": absolute_url(freshness_link(reminder=reminder, action="closed")),
                "url": absolute_url(activity.url or "/"),
                "max_age_days": settings.FRESHNESS_LINK_MAX_AGE_DAYS,
            },
            to=recipients,
        )
        summary.reminded += 1
    return summary


def freshness_link(*, reminder: FreshnessReminder, action: str) -> str:
    token = link_token(purpose=FRESHNESS_SALT, payload={"r": reminder.pk, "a": action})
    return reverse("assets_directory:freshness", args=[token])


class FreshnessLinkError(ValueError):
    """A freshness link that is tampered with, expired or already used; `message` says which."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def freshness_read_link(*, token: str) -> tuple[FreshnessReminder, str]:
    """Check a link's signature, age and use; return its reminder and action."""
    max_age = timedelta(days=settings.FRESHNESS_LINK_MAX_AGE_DAYS)
    try:
        data = link_payload(purpose=FRESHNESS_SALT, token=token, max_age=max_age)
    except LinkExpired as exc:
        raise FreshnessLinkError(
            "This link has expired. Sign in to check your listing, or wait for the next reminder."
        ) from exc
    except LinkInvalid as exc:
        raise FreshnessLinkError("This link is not valid. Check you copied all of it.") from exc
    action = data.get("a")
    reminder = FreshnessReminder.objects.select_related("activity").filter(pk=data.get("r")).first()
    if reminder is None or action not in ("confirm", "closed"):
        raise FreshnessLinkError("This link is not valid. Check you copied all of it.")
    if reminder.response:
        raise FreshnessLinkError("This link has already been used. Thank you, nothing more to do.")
    if reminder.reviewed_on != reminder.activity.last_reviewed:
        raise FreshnessLinkError("This listing has been checked since. Nothing more to do.")
    return reminder, action


@transaction.atomic
def freshness_respond(*, token: str) -> FreshnessReminder:
    """Apply a reminder link: mark the listing checked today, or temporarily closed."""
    reminder, action = freshness_read_link(token=token)
    reminder = FreshnessReminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.response:
        raise FreshnessLinkError("This link has already been used. Thank you, nothing more to do.")
    today = timezone.localdate()
    updates = {"last_reviewed": today}
    if action == "closed":
        updates["status"] = Activity.Status.TEMPORARILY_CLOSED
    # A queryset update changes the live listing without publishing any draft waiting in
    # moderation; the next published revision sets both fields again (see signals).
    Activity.objects.filter(pk=reminder.activity_id).update(**updates)
    reminder.response = (
        FreshnessReminder.Response.CLOSED
        if action == "closed"
        else FreshnessReminder.Response.CONFIRMED
    )
    reminder.responded_at = timezone.now()
    reminder.save(update_fields=["response", "responded_at"])
    ListingReport.objects.filter(
        activity_id=reminder.activity_id,
        kind=ListingReport.Kind.STALE,
        status=ListingReport.Status.OPEN,
    ).update(status=ListingReport.Status.RESOLVED, resolved_at=timezone.now())
    return reminder
