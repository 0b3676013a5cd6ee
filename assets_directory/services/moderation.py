"""What moderators hear about: changes sent to be checked, and problems the public report."""

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
