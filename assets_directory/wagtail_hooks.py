from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.action_menu import PublishMenuItem, SubmitForModerationMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.models import WorkflowState
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView as SnippetChooseResultsView
from wagtail.snippets.views.chooser import ChooseView as SnippetChooseView
from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetCreateView
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from . import selectors, services
from .dashboard import EditorDashboardPanel
from .duplicates import activity_duplicates
from .forms import (
    ClaimDecisionForm,
    RegistrationDecisionForm,
    RequestChangesForm,
    SessionPreviewForm,
    VenueForm,
)
from .models import (
    Activity,
    Category,
    Condition,
    GroupRegistration,
    ListingClaim,
    ListingReport,
    SchoolHoliday,
    Venue,
)
from .permissions import is_moderator, venue_policy
from .review_queue import provider_for, queue_count, queue_sections
from .selectors import organisation_has_active_editors


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "parent", "slug", "sort_order"]
    list_filter = ["parent"]
    search_fields = ["name"]


class ConditionViewSet(SnippetViewSet):
    model = Condition
    icon = "help"
    menu_label = "Health conditions"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class VenueFormForUser:
    """Gives the venue form its user, so a group's editor's new venue is their group's."""

    def get_creation_form_kwargs(self):
        return {**super().get_creation_form_kwargs(), "for_user": self.request.user}


class VenueChooseView(VenueFormForUser, SnippetChooseView):
    """The chooser with its "Add a new venue" tab."""


class VenueChooseResultsView(VenueFormForUser, SnippetChooseResultsView):
    """Search results, which carry the creation form too."""


class VenueChooserCreateView(VenueFormForUser, SnippetCreateView):
    """Adding the venue, and showing the form again with its errors."""


class VenueChooserViewSet(SnippetChooserViewSet):
    # A volunteer halfway through an activity whose hall is not listed adds it here, without
    # leaving (and losing) the activity form.
    choose_view_class = VenueChooseView
    choose_results_view_class = VenueChooseResultsView
    create_view_class = VenueChooserCreateView
    search_tab_label = "Find a venue"
    creation_tab_label = "Add a new venue"
    create_action_label = "Add this venue"
    create_action_clicked_label = "Adding…"

    @cached_property
    def _creation_form_class(self):
        return VENUE_EDIT_HANDLER.bind_to_model(Venue).get_form_class()


class VenueIndexView(IndexView):
    def get_edit_url(self, instance):
        # Editors see every venue (to choose one) but may change only their group's.
        if venue_policy.user_has_permission_for_instance(self.request.user, "change", instance):
            return super().get_edit_url(instance)
        return None


class VenueEditView(EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.refused = not venue_policy.user_has_permission_for_instance(
            request.user, "change", self.object
        )

    def dispatch(self, request, *args, **kwargs):
        if self.refused:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


VENUE_EDIT_HANDLER = ObjectList(Venue.panels, base_form_class=VenueForm)

register_permission_policy(Venue, venue_policy)


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    list_display = ["name", "postcode", "town", "is_private", "organisation"]
    search_fields = ["name", "postcode", "town"]
    edit_handler = VENUE_EDIT_HANDLER
    index_view_class = VenueIndexView
    edit_view_class = VenueEditView
    chooser_viewset_class = VenueChooserViewSet


class SchoolHolidayViewSet(SnippetViewSet):
    model = SchoolHoliday
    icon = "date"
    list_display = ["name", "start_date", "end_date"]


class DecideColumn(Column):
    def get_value(self, instance):
        if not instance.is_pending:
            return ""
        return format_html(
            '<a class="button button-small" href="{}">Approve or reject</a>',
            reverse("registration_decide", args=[instance.pk]),
        )


class GroupRegistrationViewSet(SnippetViewSet):
    model = GroupRegistration
    icon = "group"
    menu_label = "Group registrations"
    list_display = [
        "organisation_name",
        "contact_name",
        "contact_email",
        "postcode",
        "status",
        "created_at",
        DecideColumn("decide", label="Decision"),
    ]
    list_filter = ["status"]
    search_fields = ["organisation_name", "contact_name", "contact_email"]
    inspect_view_enabled = True
    # Registrations come from the public form and are decided on their own page; moderators
    # get no "add" permission, and the edit form only shows what was sent.
    panels = [
        FieldPanel("organisation_name", read_only=True),
        FieldPanel("contact_name", read_only=True),
        FieldPanel("contact_email", read_only=True),
        FieldPanel("status", read_only=True),
    ]


class DecideClaimColumn(Column):
    def get_value(self, instance):
        if not instance.is_pending:
            return ""
        return format_html(
            '<a class="button button-small" href="{}">Approve or decline</a>',
            reverse("claim_decide", args=[instance.pk]),
        )


class ListingClaimViewSet(SnippetViewSet):
    model = ListingClaim
    icon = "user"
    menu_label = "Claims on listings"
    list_display = [
        "organisation",
        "claimant_name",
        "claimant_email",
        "status",
        "created_at",
        DecideClaimColumn("decide", label="Decision"),
    ]
    list_filter = ["status"]
    search_fields = ["claimant_name", "claimant_email"]
    inspect_view_enabled = True
    # Claims come from the public claim page and are decided on their own page (claim_decide);
    # moderators may view and change them, never add or delete.
    panels = [
        FieldPanel("organisation", read_only=True),
        FieldPanel("claimant_name", read_only=True),
        FieldPanel("claimant_email", read_only=True),
        FieldPanel("evidence", read_only=True),
        FieldPanel("status", read_only=True),
    ]


class ListingReportViewSet(SnippetViewSet):
    model = ListingReport
    icon = "warning"
    menu_label = "Problem reports"
    list_display = ["activity", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]
    inspect_view_enabled = True
    panels = [
        FieldPanel("activity", read_only=True),
        FieldPanel("kind", read_only=True),
        FieldPanel("message", read_only=True),
        FieldPanel("reporter_email", read_only=True),
        FieldPanel("status"),
    ]


class DirectoryViewSetGroup(SnippetViewSetGroup):
    menu_label = "Directory"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        GroupRegistrationViewSet,
        ListingClaimViewSet,
        ListingReportViewSet,
        VenueViewSet,
        CategoryViewSet,
        ConditionViewSet,
        SchoolHolidayViewSet,
    )


register_snippet(DirectoryViewSetGroup)


@permission_required("assets_directory.change_groupregistration", raise_exception=True)
def registration_decide(request, pk):
    registration = get_object_or_404(
        GroupRegistration.objects.select_related("organisation", "user"), pk=pk
    )
    form = RegistrationDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and registration.is_pending and form.is_valid():
        if form.cleaned_data["decision"] == "approve":
            services.registration_approve(registration=registration, moderator=request.user)
            messages.success(
                request,
                f"{registration.organisation_name} is published and its contact has been "
                "sent a link to set a password.",
            )
        else:
            services.registration_reject(
                registration=registration,
                moderator=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, f"{registration.organisation_name} was rejected.")
        return redirect("wagtailsnippets_assets_directory_groupregistration:list")
    return TemplateResponse(
        request,
        "assets_directory/admin/registration_decide.html",
        {"registration": registration, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def session_preview(request):
    """A session time from the activity editor in words, with its next three dates (JSON).

    Anyone who may use the admin may ask (Wagtail checks that for every admin URL): it reads no
    stored data but the school holidays, which are public.
    """
    form = SessionPreviewForm(request.GET)
    if not form.is_valid() or "recurrence" not in form.cleaned_data:
        errors = {name: [str(e) for e in messages_] for name, messages_ in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    preview = selectors.session_preview(recurrence=form.cleaned_data["recurrence"])
    return JsonResponse({"description": preview.description, "next_dates": preview.next_dates})


def _moderators_only(request):
    if not is_moderator(request.user):
        raise PermissionDenied


def review_queue(request, *, bound=None, status=200):
    """Everything waiting for a moderator, each with its changes in words and both decisions.

    ``bound`` is the one "request changes" form sent back with its errors, as (key, pk, form).
    """
    _moderators_only(request)
    shown = []
    for section in queue_sections(request.user):
        entries = []
        for item in section.items:
            if bound and bound[:2] == (item.key, item.pk):
                form = bound[2]
            else:
                form = RequestChangesForm(prefix=f"{item.key}-{item.pk}")
            entries.append({"item": item, "form": form})
        shown.append({"section": section, "entries": entries})
    return TemplateResponse(
        request,
        "assets_directory/admin/review_queue.html",
        {"sections": shown, "count": sum(len(s["entries"]) for s in shown)},
        status=status,
    )


def review_decide(request, key, pk, decision):
    """One decision from the review queue: a POST, then back to the queue."""
    _moderators_only(request)
    provider = provider_for(key)
    if provider is None:
        raise Http404
    try:
        if decision == "approve":
            done = provider.approve(pk=pk, user=request.user)
        else:
            form = RequestChangesForm(request.POST, prefix=f"{key}-{pk}")
            if not form.is_valid():
                messages.error(request, "Say what needs changing before sending it back.")
                return review_queue(request, bound=(key, pk, form), status=400)
            done = provider.request_changes(
                pk=pk, user=request.user, reason=form.cleaned_data["reason"]
            )
    except (services.ReviewError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("review_queue")
    messages.success(request, done)
    return redirect("review_queue")


@permission_required("assets_directory.change_listingclaim", raise_exception=True)
def claim_decide(request, pk):
    """Approve a claim (the claimant becomes the listing's editor) or decline it with a reason,
    in one step."""
    claim = get_object_or_404(ListingClaim.objects.select_related("organisation"), pk=pk)
    form = ClaimDecisionForm(request.POST if request.method == "POST" else None)
    context = {
        "claim": claim,
        "form": form,
        "looked_after": organisation_has_active_editors(claim.organisation),
    }
    if request.method == "POST" and claim.is_pending and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.claim_approve(claim=claim, moderator=request.user)
                messages.success(
                    request,
                    f"{claim.claimant_name} now looks after {claim.organisation.title} and has "
                    "been sent a link to sign in.",
                )
            else:
                services.claim_decline(
                    claim=claim, moderator=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, f"The claim on {claim.organisation.title} was declined.")
        except services.ClaimRefused as exc:
            context["refused"] = exc.message
            return TemplateResponse(
                request, "assets_directory/admin/claim_decide.html", context, status=409
            )
        return redirect("wagtailsnippets_assets_directory_listingclaim:list")
    return TemplateResponse(
        request,
        "assets_directory/admin/claim_decide.html",
        context,
        status=400 if form.errors else 200,
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("registrations/<int:pk>/decide/", registration_decide, name="registration_decide"),
        path("directory/session-preview/", session_preview, name="session_preview"),
        path("review/", review_queue, name="review_queue"),
        path(
            "review/<slug:key>/<int:pk>/approve/",
            require_POST(review_decide),
            {"decision": "approve"},
            name="review_approve",
        ),
        path(
            "review/<slug:key>/<int:pk>/request-changes/",
            require_POST(review_decide),
            {"decision": "request_changes"},
            name="review_request_changes",
        ),
        path("claims/<int:pk>/decide/", claim_decide, name="claim_decide"),
    ]


@hooks.register("register_admin_menu_item")
def register_review_queue_menu_item():
    class ReviewQueueMenuItem(MenuItem):
        def is_shown(self, request):
            return is_moderator(request.user)

        def render_component(self, request):
            # The label carries the count: "Review queue (3)".
            component = super().render_component(request)
            component.label = f"Review queue ({queue_count(request.user)})"
            return component

    return ReviewQueueMenuItem(
        "Review queue", reverse("review_queue"), icon_name="tasks", order=140
    )


@hooks.register("register_admin_menu_item")
def register_pending_registrations_menu_item():
    class PendingMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm("assets_directory.change_groupregistration")

    return PendingMenuItem(
        "Groups to approve",
        reverse("wagtailsnippets_assets_directory_groupregistration:list") + "?status=pending",
        icon_name="group",
        order=150,
    )


@hooks.register("register_admin_menu_item")
def register_pending_claims_menu_item():
    class PendingMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm("assets_directory.change_listingclaim")

    return PendingMenuItem(
        "Claims to decide",
        reverse("wagtailsnippets_assets_directory_listingclaim:list") + "?status=pending",
        icon_name="user",
        order=151,
    )


class SubmitForApprovalMenuItem(SubmitForModerationMenuItem):
    """Wagtail's "Submit to Moderators approval", in the words of someone listing an activity."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        state = context.get("page") and context["page"].current_workflow_state
        needs_changes = state and state.status == state.STATUS_NEEDS_CHANGES
        context["label"] = "Send again for approval" if needs_changes else "Submit for approval"
        return context


@hooks.register("construct_page_action_menu")
def submit_for_approval_first(menu_items, request, context):
    # Someone who cannot publish has one thing to do when the form is done: send it to be
    # checked. Wagtail makes that the second item behind a caret, after "Save draft"; the
    # first item is the button. People who can publish keep "Publish" first.
    for index, item in enumerate(menu_items):
        if isinstance(item, SubmitForModerationMenuItem):
            plain = SubmitForApprovalMenuItem(order=item.order)
            menu_items[index] = plain
            if not any(isinstance(other, PublishMenuItem) for other in menu_items):
                menu_items.insert(0, menu_items.pop(index))
            return


# First: a later hook may answer with a redirect, and then the hooks after it do not run. It
# only adds a message, which acknowledge_submission keeps.
@hooks.register("after_create_page", order=-10)
def warn_of_duplicates(request, page):
    """'Is this already listed?' for a new activity: likely duplicates on the site (much the
    same title, at a venue within 100 m), each with a link, so the volunteer can check."""
    if not isinstance(page.specific, Activity):
        return None
    duplicates = activity_duplicates(activity=page.specific)
    if not duplicates:
        return None
    titles = "; ".join(f'"{d.page.title}" ({d.reason_text.lower()})' for d in duplicates)
    buttons = [
        admin_messages.button(
            reverse("wagtailadmin_pages:edit", args=[d.page.pk])
            if is_moderator(request.user)
            else d.page.url,
            f"See {d.page.title}",
            new_window=True,
        )
        for d in duplicates
    ]
    admin_messages.warning(
        request,
        f"Is this already listed? These activities look alike: {titles}. If one is the same "
        "activity, update that listing instead and delete this one.",
        buttons=buttons,
    )
    return None


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def acknowledge_submission(request, page):
    # Wagtail says only that the page "has been submitted for moderation"; an editor needs to
    # know what happens next, here and by e-mail, and to land where they can see it waiting.
    if "action-submit" not in request.POST:
        return None
    # Asked of the database: the view's page has its workflow states cached from before.
    if not page.workflow_states.filter(status=WorkflowState.STATUS_IN_PROGRESS).exists():
        return None
    # Reading the messages marks them shown; every one but Wagtail's own is queued again, so
    # the volunteer reads one message, not two that say the same in different words.
    kept = [m for m in messages.get_messages(request) if WAGTAIL_SUBMITTED not in str(m)]
    for message in kept:
        messages.add_message(request, message.level, message.message, message.extra_tags)
    title = page.get_admin_display_title()
    messages.success(
        request,
        f'Thank you: "{title}" is sent for approval. '
        + services.moderation_acknowledge(page=page, user=request.user),
    )
    # Their dashboard shows it "waiting for approval" with their other listings; a moderator
    # goes back where Wagtail would take them.
    if _editor_panel(request) is not None and not is_moderator(request.user):
        return redirect("wagtailadmin_home")
    return None


WAGTAIL_SUBMITTED = "submitted for moderation"


@hooks.register("before_delete_snippet")
def refuse_deleting_venues_in_use(request, instances):
    # Runs before the confirmation page and before the deletion itself, for one venue or many.
    refusals = []
    for instance in instances:
        if not isinstance(instance, Venue):
            return None
        try:
            services.venue_ensure_unused(venue=instance)
        except services.VenueInUse as exc:
            refusals.append(exc.message)
    if not refusals:
        return None
    for message in refusals:
        messages.error(request, message)
    return redirect("wagtailsnippets_assets_directory_venue:list")


@hooks.register("insert_editor_js")
def venue_map_js():
    return format_html(
        '<div id="map-config" hidden data-tiles="{}" data-attribution="{}"></div>'
        '<link rel="stylesheet" href="{}"><script src="{}"></script><script src="{}"></script>'
        '<script src="{}"></script>',
        settings.MAP_TILE_URL,
        settings.MAP_TILE_ATTRIBUTION,
        static("leaflet/leaflet.css"),
        static("leaflet/leaflet.js"),
        # The set-up every map shares (scale, tiles, zoom limit): the picker builds on it.
        static("js/map-base.js"),
        static("js/venue-map-admin.js"),
    )


@hooks.register("insert_global_admin_css")
def admin_editor_css():
    # Wagtail 8 has no editor-only CSS hook; these rules only touch the editor's date picker.
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-editor.css"))


@hooks.register("insert_editor_js")
def session_times_js():
    return format_html(
        '<script src="{}" data-preview-url="{}"></script><script src="{}"></script>',
        static("js/session-times-admin.js"),
        reverse("session_preview"),
        # Names for Wagtail's own widgets that have none (rich text, tags, date pickers).
        static("js/admin-accessible-names.js"),
    )


def _editor_panel(request) -> EditorDashboardPanel | None:
    # Both dashboard hooks ask; the panel's queries run once a request.
    if not hasattr(request, "_editor_dashboard_panel"):
        request._editor_dashboard_panel = EditorDashboardPanel.for_user(request.user)
    return request._editor_dashboard_panel


@hooks.register("construct_homepage_panels")
def editor_dashboard_first(request, panels):
    panel = _editor_panel(request)
    if panel is None:
        return
    if not is_moderator(request.user):
        # Their own panel already says where each activity is, in plain words; Wagtail's
        # "pages in a workflow" and "most recent edits" repeat it as "Awaiting Moderators
        # approval" and "IN MODERATION".
        panels[:] = [p for p in panels if getattr(p, "name", "") not in WAGTAIL_WORKFLOW_PANELS]
    panels.insert(0, panel)


WAGTAIL_WORKFLOW_PANELS = {"user_objects_in_workflow_moderation", "recent_edits", "locked_pages"}


# Last, after Wagtail's own apps have added their counts.
@hooks.register("construct_homepage_summary_items", order=1000)
def no_page_counts_for_group_editors(request, summary_items):
    # "1 Page, 0 Images" means nothing to a group's volunteer; moderators keep the counts.
    if _editor_panel(request) is not None and not is_moderator(request.user):
        summary_items.clear()
