"""Registration of groups, and the editors group and collection that come with an organisation."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.html import escape, linebreaks
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from common.mail import mail_send
from common.site import absolute_url

from ..models import GroupRegistration, Organisation
from ..selectors import directory_index, moderator_emails

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
        "review_url": absolute_url(reverse("review_queue")),
    }
    mail_send(
        subject=f"New group to check: {organisation_name}",
        template="assets_directory/emails/registration_moderators.txt",
        context=context,
        to=moderator_emails(),
    )
    mail_send(
        subject=f"We have your request to list {organisation_name}",
        template="assets_directory/emails/registration_received.txt",
        context=context,
        to=[contact_email],
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

    context = {
        "registration": registration,
        "set_password_url": set_password_url(user),
        "username": user.get_username(),
        "organisation_url": absolute_url(organisation.url or "/"),
    }
    mail_send(
        subject=f"{registration.organisation_name} is now listed",
        template="assets_directory/emails/registration_approved.txt",
        context=context,
        to=[user.email],
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
    mail_send(
        subject=f"Your request to list {registration.organisation_name}",
        template="assets_directory/emails/registration_rejected.txt",
        context=context,
        to=[contact_email],
    )
    return registration


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
    return linebreaks(escape(text))[3:-4] if text else ""


def _unique_slug(parent, title: str) -> str:
    base = slugify(title)[:70] or "group"
    slug, n = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def set_password_url(user) -> str:
    """The absolute link with which ``user`` sets their password (Wagtail's reset view)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("wagtailadmin_password_reset_confirm", args=[uid, token]))


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
