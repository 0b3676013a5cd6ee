"""The moderators' review queue: everything waiting for a decision, in one place.

The queue is made of sections, one per kind of thing to decide, each from a provider in
SECTION_PROVIDERS. A provider is an object with:

    key                      a short word for its URLs: /admin/review/<key>/<pk>/approve/
    section(user) -> Section its title, its items (ReviewItem) and the template that shows them
    count(user) -> int       how many wait (the menu's "Review queue (N)")
    approve(pk=, user=) -> str                    decide; return a sentence for the screen
    request_changes(pk=, user=, reason=) -> str   the same; raise ReviewError if it cannot

Providers call services for every write; the views only dispatch to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import date_format
from wagtail.models import Page, TaskState

from . import services
from .changes import ChangeDescription, FieldChange, describe_page_revision
from .models import GroupRegistration, ListingClaim, Venue
from .selectors import organisation_has_active_editors, pending_claims, venues_to_check
from .services import ReviewError


@dataclass(frozen=True)
class ReviewItem:
    key: str  # the provider's key
    pk: int
    title: str
    summary: str  # who sent it and when, in a sentence
    description: ChangeDescription
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, admin URL)
    approve_label: str = "Approve"
    changes_label: str = "Request changes"
    reason_help: str = "Say what needs changing. The group will be sent this."


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: list[ReviewItem]
    template: str = "assets_directory/admin/review_section.html"
    empty: str = "Nothing waiting."


class PageChangesProvider:
    """Activities and organisations sent for approval: Wagtail's workflow tasks in progress."""

    key = "page"

    def _task_states(self, user):
        return (
            TaskState.objects.reviewable_by(user)
            .select_related("workflow_state", "revision", "workflow_state__requested_by")
            .order_by("started_at")
        )

    def count(self, user) -> int:
        return self._task_states(user).count()

    def section(self, user) -> Section:
        items = []
        for task_state in self._task_states(user):
            page = Page.objects.filter(pk=task_state.workflow_state.object_id).first()
            if page is None:
                continue
            page = page.specific
            description = describe_page_revision(page=page, revision=task_state.revision)
            requested_by = task_state.workflow_state.requested_by
            who = (
                (requested_by.get_full_name() or requested_by.get_username())
                if requested_by
                else ""
            )
            parent = page.get_parent()
            where = f" for {parent.title}" if parent and not description.new else ""
            what = "New listing" if description.new else "Change"
            summary = (
                f"{what}{where}"
                + (f", sent by {who}" if who else "")
                + f" on {date_format(task_state.started_at, 'j F Y')}."
            )
            items.append(
                ReviewItem(
                    key=self.key,
                    pk=page.pk,
                    title=page.get_admin_display_title(),
                    summary=summary,
                    description=description,
                    links=[
                        (
                            "Preview it",
                            reverse(
                                "wagtailadmin_pages:workflow_preview",
                                args=[page.pk, task_state.task_id],
                            ),
                        ),
                        (
                            "Open it in the editor",
                            reverse("wagtailadmin_pages:edit", args=[page.pk]),
                        ),
                    ],
                )
            )
        return Section(key=self.key, title="Listings and changes to check", items=items)

    def _page(self, pk):
        page = Page.objects.filter(pk=pk).first()
        if page is None:
            raise ReviewError("That listing is not there any more.")
        return page.specific

    def approve(self, *, pk, user) -> str:
        page = self._page(pk)
        services.review_approve(page=page, user=user)
        return f'"{page.get_admin_display_title()}" is approved and published.'

    def request_changes(self, *, pk, user, reason) -> str:
        page = self._page(pk)
        services.review_request_changes(page=page, user=user, reason=reason)
        return f'Changes asked for on "{page.get_admin_display_title()}": its group has been told.'


class RegistrationsProvider:
    """Groups that asked to be listed (services.registration_submit)."""

    key = "registration"

    def _pending(self, user):
        if not user.has_perm("assets_directory.change_groupregistration"):
            return GroupRegistration.objects.none()
        return GroupRegistration.objects.filter(status=GroupRegistration.Status.PENDING).order_by(
            "created_at"
        )

    def count(self, user) -> int:
        return self._pending(user).count()

    def section(self, user) -> Section:
        items = []
        for registration in self._pending(user).select_related("organisation"):
            organisation = registration.organisation and registration.organisation.specific
            rows = [
                ("Group", registration.organisation_name),
                ("What kind", organisation.get_kind_display() if organisation else ""),
                ("Postcode", registration.postcode),
                (
                    "Contact",
                    ", ".join(
                        part
                        for part in (
                            registration.contact_name,
                            registration.contact_role,
                            registration.contact_email,
                            registration.contact_phone,
                        )
                        if part
                    ),
                ),
                ("Their message", registration.message),
            ]
            links = []
            if organisation is not None:
                links.append(
                    (
                        "Open the group's page in the editor",
                        reverse("wagtailadmin_pages:edit", args=[organisation.pk]),
                    )
                )
            items.append(
                ReviewItem(
                    key=self.key,
                    pk=registration.pk,
                    title=registration.organisation_name,
                    summary=(
                        "A new group asked to be listed on "
                        f"{date_format(registration.created_at, 'j F Y')}."
                    ),
                    description=ChangeDescription(
                        new=True,
                        changes=[FieldChange(label, "", value) for label, value in rows if value],
                    ),
                    links=links,
                    changes_label="Turn down",
                    reason_help="Say why. The group's contact will be sent this.",
                )
            )
        return Section(key=self.key, title="Groups asking to be listed", items=items)

    def _registration(self, pk):
        registration = GroupRegistration.objects.filter(pk=pk).first()
        if registration is None or not registration.is_pending:
            raise ReviewError("That registration has already been decided.")
        return registration

    def approve(self, *, pk, user) -> str:
        registration = self._registration(pk)
        services.registration_approve(registration=registration, moderator=user)
        return (
            f"{registration.organisation_name} is published and its contact has been sent a "
            "link to set a password."
        )

    def request_changes(self, *, pk, user, reason) -> str:
        registration = self._registration(pk)
        services.registration_reject(registration=registration, moderator=user, reason=reason)
        return f"{registration.organisation_name} was turned down; its contact has been told why."


class VenuesProvider:
    """Venues a group's editor added or changed: they go on the site without waiting (an
    activity at a new venue is approved as a whole), so a moderator looks afterwards."""

    key = "venue"

    def _allowed(self, user) -> bool:
        return user.has_perm("assets_directory.change_venue")

    def count(self, user) -> int:
        if not self._allowed(user):
            return 0
        return Venue.objects.filter(changed_by_group_at__isnull=False).count()

    def section(self, user) -> Section:
        venues = venues_to_check() if self._allowed(user) else []
        items = []
        for venue in venues:
            rows = [
                ("Name", venue.name),
                ("Address", ", ".join(venue.address_lines)),
                ("Address kept private", "Yes" if venue.is_private else "No"),
                (
                    "Point on the map",
                    f"{venue.latitude:.5f}, {venue.longitude:.5f}" if venue.has_point else "",
                ),
                ("Access", ", ".join(str(f) for f in venue.accessibility.all())),
                ("Access notes", venue.accessibility_notes),
            ]
            group = venue.organisation.title if venue.organisation else "a group"
            items.append(
                ReviewItem(
                    key=self.key,
                    pk=venue.pk,
                    title=venue.name,
                    summary=(
                        f"Added or changed by {group} on "
                        f"{date_format(venue.changed_by_group_at, 'j F Y')}. It is already "
                        "on the site: check it looks right."
                    ),
                    description=ChangeDescription(
                        new=True,
                        changes=[FieldChange(label, "", value) for label, value in rows if value],
                    ),
                    links=[
                        (
                            "Open it to correct it",
                            reverse("wagtailsnippets_assets_directory_venue:edit", args=[venue.pk]),
                        )
                    ],
                    approve_label="Looks right",
                    changes_label="Ask the group to correct it",
                    reason_help="Say what is wrong. The group will be sent this.",
                )
            )
        return Section(
            key=self.key,
            title="Venues groups added or changed",
            items=items,
            empty="No venue waiting.",
        )

    def _venue(self, pk, user):
        venue = Venue.objects.filter(pk=pk, changed_by_group_at__isnull=False).first()
        if venue is None or not self._allowed(user):
            raise ReviewError("That venue has already been checked.")
        return venue

    def approve(self, *, pk, user) -> str:
        venue = self._venue(pk, user)
        services.venue_mark_checked(venue=venue)
        return f"{venue.name} is checked."

    def request_changes(self, *, pk, user, reason) -> str:
        venue = self._venue(pk, user)
        told = services.venue_request_changes(venue=venue, reason=reason)
        return f"{venue.name}: " + (
            "the group has been asked to correct it."
            if told
            else "no group to tell; correct it yourself."
        )


class ClaimsProvider:
    """People asking to look after a listing nobody looks after (services.claim_submit)."""

    key = "claim"

    def _allowed(self, user) -> bool:
        return user.has_perm("assets_directory.change_listingclaim")

    def count(self, user) -> int:
        return pending_claims().count() if self._allowed(user) else 0

    def section(self, user) -> Section:
        items = []
        for claim in pending_claims() if self._allowed(user) else []:
            organisation = claim.organisation
            rows = [
                ("Listing", organisation.title),
                (
                    "Who asks",
                    ", ".join(
                        part
                        for part in (claim.claimant_name, claim.claimant_role, claim.claimant_email)
                        if part
                    ),
                ),
                ("How they are part of it", claim.evidence),
            ]
            if organisation_has_active_editors(organisation):
                rows.append(
                    ("Note", "Someone looks after this listing now: it cannot be handed on.")
                )
            items.append(
                ReviewItem(
                    key=self.key,
                    pk=claim.pk,
                    title=f"{organisation.title}: claimed by {claim.claimant_name}",
                    summary=f"Asked on {date_format(claim.created_at, 'j F Y')}.",
                    description=ChangeDescription(
                        new=True,
                        changes=[FieldChange(label, "", value) for label, value in rows if value],
                    ),
                    links=[
                        (
                            "Open the listing in the editor",
                            reverse("wagtailadmin_pages:edit", args=[organisation.pk]),
                        ),
                        ("Decide on its own page", reverse("claim_decide", args=[claim.pk])),
                    ],
                    approve_label="Hand the listing to them",
                    changes_label="Decline",
                    reason_help="Say why. The person who asked will be sent this.",
                )
            )
        return Section(
            key=self.key,
            title="Claims to look after a listing",
            items=items,
            empty="No claim waiting.",
        )

    def _claim(self, pk, user):
        claim = ListingClaim.objects.select_related("organisation").filter(pk=pk).first()
        if claim is None or not self._allowed(user):
            raise ReviewError("That claim is not there any more.")
        return claim

    def approve(self, *, pk, user) -> str:
        claim = self._claim(pk, user)
        try:
            services.claim_approve(claim=claim, moderator=user)
        except services.ClaimRefused as exc:
            raise ReviewError(exc.message) from exc
        return (
            f"{claim.claimant_name} now looks after {claim.organisation.title} and has been "
            "sent a link to sign in."
        )

    def request_changes(self, *, pk, user, reason) -> str:
        claim = self._claim(pk, user)
        try:
            services.claim_decline(claim=claim, moderator=user, reason=reason)
        except services.ClaimRefused as exc:
            raise ReviewError(exc.message) from exc
        return f"The claim on {claim.organisation.title} was declined; they have been told why."


SECTION_PROVIDERS: list = [
    PageChangesProvider(),
    RegistrationsProvider(),
    ClaimsProvider(),
    VenuesProvider(),
]


def provider_for(key: str):
    for provider in SECTION_PROVIDERS:
        if provider.key == key:
            return provider
    return None


def queue_sections(user) -> list[Section]:
    return [provider.section(user) for provider in SECTION_PROVIDERS]


def queue_count(user) -> int:
    return sum(provider.count(user) for provider in SECTION_PROVIDERS)
