"""Writes for the directory: registration and moderation, freshness, problem reports."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from common.site import absolute_url

from .models import (
    Activity,
    FreshnessReminder,
    GroupRegistration,
    ListingReport,
    Organisation,
    Venue,
)
from .selectors import (
    directory_index,
    moderator_emails,
    organisation_owner_emails,
    venue_activities,
)

logger = logging.getLogger(__name__)

# What an organisation's editors may do on their own subtree. No "publish": their changes go
# through the moderation workflow.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
EDITOR_IMAGE_PERMISSIONS = ("add_image", "choose_image", "change_image")
EDITOR_DOCUMENT_PERMISSIONS = ("add_document", "choose_document", "change_document")
EDITOR_MODEL_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("assets_directory", "add_venue"),
    ("assets_directory", "view_venue"),
)

FRESHNESS_SALT = "assets_directory.freshness"


def _send(*, subject: str, template: str, context: dict, to: list[str]) -> None:
    if not to:
        logger.warning("No recipients for %r; nothing sent.", subject)
        return
    body = render_to_string(template, context)
    send_mail(subject, body, None, to)


# Registration and moderation -----------------------------------------------------------------


@transaction.atomic
def registration_submit(
    *,
    organisation_name: str,
    kind: str,
    description: str,
    website: str,
    email: str,
    phone: str,
    postcode: str,
    areas_served: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    contact_role: str = "",
    message: str = "",
) -> GroupRegistration:
    """Create the unpublished organisation page, the inactive account and the registration."""
    index = directory_index()
    if index is None:
        raise RuntimeError("The site has no live directory page to list organisations under.")
    organisation = Organisation(
        title=organisation_name,
        slug=_unique_slug(index, organisation_name),
        kind=kind,
        description=f"<p>{_escape(description)}</p>" if description else "",
        website=website,
        email=email,
        phone=phone,
        areas_served=areas_served,
        live=False,
    )
    index.add_child(instance=organisation)
    organisation.save_revision(log_action=True)

    User = get_user_model()
    user = User(
        username=_unique_username(contact_email),
        email=contact_email,
        first_name=contact_name.split(" ", 1)[0][:150],
        last_name=contact_name.split(" ", 1)[1][:150] if " " in contact_name else "",
        is_active=False,
    )
    user.set_unusable_password()
    user.save()

    registration = GroupRegistration.objects.create(
        organisation=organisation,
        organisation_name=organisation_name,
        user=user,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        contact_role=contact_role,
        postcode=postcode,
        message=message,
    )
    context = {
        "registration": registration,
        "admin_url": absolute_url(reverse("wagtailadmin_home")),
    }
    transaction.on_commit(
        lambda: (
            _send(
                subject=f"New group to check: {organisation_name}",
                template="assets_directory/emails/registration_moderators.txt",
                context=context,
                to=moderator_emails(),
            ),
            _send(
                subject=f"We have your request to list {organisation_name}",
                template="assets_directory/emails/registration_received.txt",
                context=context,
                to=[contact_email],
            ),
        )
    )
    return registration


@transaction.atomic
def registration_approve(*, registration: GroupRegistration, moderator) -> GroupRegistration:
    """Publish the organisation and give its contact an account that can edit it, and only it."""
    registration = GroupRegistration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_pending:
        raise ValueError("This registration has already been decided.")
    organisation = registration.organisation.specific
    organisation_grant_editors(organisation=organisation)

    user = registration.user
    user.is_active = True
    user.save(update_fields=["is_active"])
    user.groups.add(organisation.editors_group)

    revision = organisation.latest_revision or organisation.save_revision(user=moderator)
    revision.publish(user=moderator)

    registration.status = GroupRegistration.Status.APPROVED
    registration.decided_by = moderator
    registration.decided_at = timezone.now()
    registration.save(update_fields=["status", "decided_by", "decided_at"])

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "registration": registration,
        "set_password_url": absolute_url(
            reverse("wagtailadmin_password_reset_confirm", args=[uid, token])
        ),
        "username": user.get_username(),
        "organisation_url": absolute_url(organisation.url or "/"),
    }
    transaction.on_commit(
        lambda: _send(
            subject=f"{registration.organisation_name} is now listed",
            template="assets_directory/emails/registration_approved.txt",
            context=context,
            to=[user.email],
        )
    )
    return registration


@transaction.atomic
def registration_reject(
    *, registration: GroupRegistration, moderator, reason: str
) -> GroupRegistration:
    """Turn a registration down, telling the contact why; the draft page and account go."""
    if not reason.strip():
        raise ValueError("Give a reason: the group will be told it.")
    registration = GroupRegistration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_pending:
        raise ValueError("This registration has already been decided.")
    contact_email = registration.contact_email
    if registration.organisation is not None:
        registration.organisation.delete()
        registration.organisation = None
    if registration.user is not None and not registration.user.is_active:
        registration.user.delete()
        registration.user = None
    registration.status = GroupRegistration.Status.REJECTED
    registration.rejection_reason = reason.strip()
    registration.decided_by = moderator
    registration.decided_at = timezone.now()
    registration.save()
    context = {"registration": registration}
    transaction.on_commit(
        lambda: _send(
            subject=f"Your request to list {registration.organisation_name}",
            template="assets_directory/emails/registration_rejected.txt",
            context=context,
            to=[contact_email],
        )
    )
    return registration


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
        transaction.on_commit(
            lambda: _send(
                subject=f"We have your {'new listing' if new else 'change'}: {context['title']}",
                template="assets_directory/emails/change_received.txt",
                context=context,
                to=[user.email],
            )
        )
    then = (
        f"We will e-mail you at {user.email} when it is published, or if they ask for changes."
        if user.email
        else "It will be published once it is approved."
    )
    return f"A moderator will check it before it goes on the site. {then}"


def organisation_grant_editors(*, organisation: Organisation) -> Group:
    """Create (or reuse) the organisation's editors group with rights on its subtree only."""
    if organisation.editors_group_id:
        group = organisation.editors_group
    else:
        group = Group.objects.create(name=_unique_group_name(organisation.title))
        organisation.editors_group = group
        Organisation.objects.filter(pk=organisation.pk).update(editors_group=group)

    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=organisation,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )

    collection = organisation_collection(organisation=organisation)
    for app_label, codenames in (
        ("wagtailimages", EDITOR_IMAGE_PERMISSIONS),
        ("wagtaildocs", EDITOR_DOCUMENT_PERMISSIONS),
    ):
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
    for app_label, codename in EDITOR_MODEL_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


def organisation_collection(*, organisation: Organisation) -> Collection:
    """The organisation's own collection of images and documents, made on first use.

    Found through the organisation's `collection` link, never by name: an organisation can be
    renamed and its old name taken by another, which must not inherit its files.
    """
    if organisation.collection_id:
        return organisation.collection
    root = Collection.get_first_root_node()
    collection = root.add_child(name=_unique_collection_name(root, organisation.title))
    organisation.collection = collection
    Organisation.objects.filter(pk=organisation.pk).update(collection=collection)
    return collection


def organisation_collection_rename(*, organisation: Organisation) -> None:
    """Keep the collection's name in step with the organisation's, for moderators' lists."""
    collection = organisation.collection
    if collection is None or collection.name == organisation.title:
        return
    parent = collection.get_parent()
    collection.name = _unique_collection_name(parent, organisation.title, exclude=collection.pk)
    collection.save(update_fields=["name"])


def _unique_collection_name(parent: Collection, title: str, *, exclude: int | None = None) -> str:
    # Only for people reading the list: sibling collections with one name are hard to tell
    # apart. Nothing looks a collection up by its name.
    siblings = parent.get_children().exclude(pk=exclude)
    base = title[:240] or "Group"
    name, n = base, 2
    while siblings.filter(name=name).exists():
        name, n = f"{base} ({n})", n + 1
    return name


def _escape(text: str) -> str:
    from django.utils.html import escape, linebreaks

    return linebreaks(escape(text))[3:-4] if text else ""


def _unique_slug(parent, title: str) -> str:
    base = slugify(title)[:70] or "group"
    slug, n = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _unique_username(email: str) -> str:
    User = get_user_model()
    base = email.lower()[:140]
    name, n = base, 2
    while User.objects.filter(username=name).exists():
        name, n = f"{base}-{n}", n + 1
    return name


def _unique_group_name(title: str) -> str:
    base = f"Editors: {title}"[:140]
    name, n = base, 2
    while Group.objects.filter(name=name).exists():
        name, n = f"{base} ({n})", n + 1
    return name


# Venues ------------------------------------------------------------------------------------------

# How many activities a refusal names before it says "and N more".
VENUE_IN_USE_LISTED = 10


class VenueInUse(ValueError):
    """A venue that activities use cannot be deleted; `message` names them."""

    def __init__(self, *, venue: Venue, activities: list[Activity]):
        self.venue = venue
        self.activities = activities
        names = [_venue_user(a, venue) for a in activities[:VENUE_IN_USE_LISTED]]
        if len(activities) > VENUE_IN_USE_LISTED:
            names.append(f"and {len(activities) - VENUE_IN_USE_LISTED} more")
        self.message = (
            f"{venue.name} cannot be deleted because "
            + ("an activity uses" if len(activities) == 1 else f"{len(activities)} activities use")
            + f" it: {'; '.join(names)}. Choose another venue for "
            + ("it" if len(activities) == 1 else "them")
            + " first."
        )
        super().__init__(self.message)


def _venue_user(activity: Activity, venue: Venue) -> str:
    if activity.live and activity.venue_id == venue.pk:
        state = ""
    elif activity.live:
        state = ", in a change not yet published"
    else:
        state = ", not yet published"
    return f"{activity.title} ({activity.get_parent().title}{state})"


def venue_ensure_unused(*, venue: Venue) -> None:
    """Raise VenueInUse if any activity, live or waiting to be published, names the venue."""
    activities = venue_activities(venue=venue)
    if activities:
        raise VenueInUse(venue=venue, activities=activities)


@transaction.atomic
def venue_delete(*, venue: Venue) -> None:
    """Delete a venue no activity uses; deleting one in use would strip its activities of
    their place (and their point on the map)."""
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    venue_ensure_unused(venue=venue)
    venue.delete()


# Freshness -------------------------------------------------------------------------------------


@dataclass
class FreshnessSummary:
    reminded: int = 0
    flagged: int = 0
    skipped_no_owner: int = 0


def freshness_due_activities(*, today: date | None = None):
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.FRESHNESS_REVIEW_DAYS)
    return (
        Activity.objects.live()
        .filter(last_reviewed__lte=cutoff)
        .exclude(status=Activity.Status.ENDED)
        .order_by("last_reviewed", "pk")
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
                _send(
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
        _send(
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
    token = signing.TimestampSigner(salt=FRESHNESS_SALT).sign_object(
        {"r": reminder.pk, "a": action}
    )
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
        data = signing.TimestampSigner(salt=FRESHNESS_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise FreshnessLinkError(
            "This link has expired. Sign in to check your listing, or wait for the next reminder."
        ) from exc
    except signing.BadSignature as exc:
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


# Problem reports ---------------------------------------------------------------------------------


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
    transaction.on_commit(
        lambda: _send(
            subject=f"Problem reported: {activity.title}",
            template="assets_directory/emails/problem_report.txt",
            context=context,
            to=sorted(recipients),
        )
    )
    return report
