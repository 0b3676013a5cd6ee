"""What moderators hear about: changes sent to be checked, and problems the public report."""

from django.conf import settings
from django.urls import reverse

from common.mail import mail_send
from common.site import absolute_url

from ..models import Activity, ListingReport
from ..selectors import moderator_emails, organisation_owner_emails


def moderation_acknowledge(*, page, user) -> str:
    """Tell someone who sent a page to be checked that it arrived and what happens next.

    E-mails them (once the submission commits) and returns the same news, in a sentence, for
    the screen.
    """
    page = page.specific
    organisation = page.get_parent().title if isinstance(page, Activity) else ""
    new = page.first_published_at is None
    if user.email:
        context = {
            "name": user.get_short_name() or user.get_username(),
            "title": page.get_admin_display_title(),
            "organisation": organisation,
            "new": new,
            "edit_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk])),
        }
        mail_send(
            subject=f"We have your {'new listing' if new else 'change'}: {context['title']}",
            template="assets_directory/emails/change_received.txt",
            context=context,
            to=[user.email],
        )
    then = (
        f"We will e-mail you at {user.email} when it is published, or if they ask for changes."
        if user.email
        else "It will be published once it is approved."
    )
    return f"A moderator will check it before it goes on the site. {then}"


def report_submit(
    *, activity: Activity, kind: str, message: str, reporter_email: str = ""
) -> ListingReport:
    """Record a public problem report and tell the moderators and the listing's owners."""
    report = ListingReport.objects.create(
        activity=activity, kind=kind, message=message, reporter_email=reporter_email
    )
    context = {
        "report": report,
        "activity": activity,
        "url": absolute_url(activity.url or "/"),
        "admin_url": absolute_url(reverse("wagtailadmin_home")),
    }
    recipients = set(moderator_emails()) | set(
        organisation_owner_emails(activity.get_parent().specific)
    )
    mail_send(
        subject=f"Problem reported: {activity.title}",
        template="assets_directory/emails/problem_report.txt",
        context=context,
        to=sorted(recipients),
    )
    return report


# The review queue -----------------------------------------------------------------------------


class ReviewError(Exception):
    """A decision that cannot be made: nothing waiting, someone else decided, no right to."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def review_approve(*, page, user) -> None:
    """Approve the change waiting on ``page``, through Wagtail's own task action (which
    publishes it, and tells the person who sent it)."""
    task_state = _task_state_to_decide(page=page, user=user, action="approve")
    task_state.task.specific.on_action(task_state, user, "approve", comment="")


def review_request_changes(*, page, user, reason: str) -> None:
    """Send the change on ``page`` back to its group, with the moderator's ``reason``."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Say what needs changing: the group will be told it.")
    task_state = _task_state_to_decide(page=page, user=user, action="reject")
    task_state.task.specific.on_action(task_state, user, "reject", comment=reason)


def _task_state_to_decide(*, page, user, action: str):
    workflow_state = page.current_workflow_state
    task_state = workflow_state and workflow_state.current_task_state
    if task_state is None or task_state.status != task_state.STATUS_IN_PROGRESS:
        raise ReviewError(
            f'"{page.get_admin_display_title()}" is not waiting to be checked any more.'
        )
    actions = {
        name for name, _label, _needs_data in task_state.task.specific.get_actions(page, user)
    }
    if action not in actions:
        raise ReviewError("Only moderators can approve changes or ask for them.")
    return task_state


def review_tell_group(*, page, approved: bool, reason: str = "", requested_by=None) -> bool:
    """Tell the group's editors that a moderator published their change, or asked for changes.

    The person who sent the change hears it from Wagtail's own notice (reworded in
    templates/wagtailadmin/notifications/): everyone else who edits for the group hears it here,
    so nobody is told twice.
    """
    page = page.specific
    organisation = page.get_parent().specific if isinstance(page, Activity) else page
    recipients = set(organisation_owner_emails(organisation))
    if requested_by is not None and requested_by.email:
        recipients.discard(requested_by.email)
    if not recipients:
        return False
    page.refresh_from_db()
    title = page.get_admin_display_title()
    kind = "activity" if isinstance(page, Activity) else "group's page"
    context = {
        "title": title,
        "kind": kind,
        "reason": reason,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "public_url": absolute_url(page.url) if page.live and page.url else "",
        "edit_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk])),
    }
    if approved:
        subject = f'Now live: "{title}"'
        template = "assets_directory/emails/review_approved.txt"
    else:
        subject = f'Changes needed: "{title}"'
        template = "assets_directory/emails/review_changes_requested.txt"
    return mail_send(subject=subject, template=template, context=context, to=sorted(recipients))
