from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from common.ratelimit import limits_exceeded, limits_record, public_form_limits

from . import ical, selectors, services
from .duplicates import organisation_duplicates
from .forms import GroupRegistrationForm, ListingClaimForm, ProblemReportForm
from .models import Activity, Organisation
from .selectors import organisation_has_active_editors


def _too_many(request, template, context):
    context["rate_limited"] = True
    return render(request, template, context, status=429)


def _possible_duplicates(form) -> list:
    """'Is this already listed?': listings like the one being registered, once it has a name."""
    name = form.cleaned_data.get("organisation_name") or form.data.get("organisation_name", "")
    if not isinstance(name, str) or not name.strip():
        return []
    return organisation_duplicates(name=name[:255], postcode=form.cleaned_data.get("postcode", ""))


@require_http_methods(["GET", "POST"])
def register_group(request):
    form = GroupRegistrationForm(request.POST if request.method == "POST" else None)
    template = "assets_directory/register_group.html"
    if request.method == "POST":
        valid = form.is_valid()
        if not form.is_spam:
            duplicates = _possible_duplicates(form)
            # A step of its own, without JavaScript: the answers come back with the likely
            # matches above them, each to claim, and "Not us, carry on" sends them as they are.
            if duplicates and not (valid and request.POST.get("not_listed")):
                context = {"form": form, "duplicates": duplicates}
                return render(request, template, context, status=200 if valid else 400)
        if valid:
            # Limited per address and per contact e-mail address (each registration e-mails it).
            limits = public_form_limits(
                request, scope="register", target=form.cleaned_data["contact_email"]
            )
            if limits_exceeded(limits):
                return _too_many(request, template, {"form": form})
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("agree", "website_url")}
            services.registration_submit(**data)
            limits_record(limits)
            return redirect("assets_directory:register_done")
        if form.is_spam:
            # Answer a bot as if it worked, and keep nothing.
            return redirect("assets_directory:register_done")
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def claim_listing(request, uuid):
    """'This is us': ask to look after a listing that no group looks after."""
    organisation = get_object_or_404(Organisation.objects.live(), uuid=uuid)
    template = "assets_directory/claim_listing.html"
    form = ListingClaimForm(request.POST if request.method == "POST" else None)
    context = {"organisation": organisation, "form": form}
    if organisation_has_active_editors(organisation):
        # Its group looks after it: nothing to claim. Answered as a conflict with the
        # listing's state, in words, to anyone who follows an old link.
        context["refused"] = services.CLAIM_LOOKED_AFTER
        return render(request, template, context, status=409)
    if request.method == "POST":
        if form.is_valid():
            # Limited per address and per claimant's address (each claim e-mails it).
            limits = public_form_limits(
                request, scope="claim", target=form.cleaned_data["claimant_email"]
            )
            if limits_exceeded(limits):
                return _too_many(request, template, context)
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("agree", "website_url")}
            try:
                services.claim_submit(organisation=organisation, **data)
            except services.ClaimRefused as exc:
                context["refused"] = exc.message
                return render(request, template, context, status=409)
            limits_record(limits)
            messages.success(
                request,
                "Thank you. We will check your request, usually within a week, and e-mail you.",
            )
            return HttpResponseRedirect(organisation.url)
        if form.is_spam:
            messages.success(
                request,
                "Thank you. We will check your request, usually within a week, and e-mail you.",
            )
            return HttpResponseRedirect(organisation.url)
    return render(request, template, context, status=400 if form.errors else 200)


def register_done(request):
    return render(request, "assets_directory/register_done.html")


@require_http_methods(["GET", "POST"])
def report_problem(request, uuid):
    activity = get_object_or_404(Activity.objects.visible(), uuid=uuid)
    form = ProblemReportForm(request.POST if request.method == "POST" else None)
    template = "assets_directory/report_problem.html"
    context = {"activity": activity, "form": form}
    if request.method == "POST":
        if form.is_valid():
            # Limited per address and per listing: one listing cannot be flooded with reports.
            limits = public_form_limits(request, scope="report", target=str(activity.uuid))
            if limits_exceeded(limits):
                return _too_many(request, template, context)
            limits_record(limits)
            services.report_submit(
                activity=activity,
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
                reporter_email=form.cleaned_data["reporter_email"],
            )
            messages.success(request, "Thank you. We will check the listing.")
            return HttpResponseRedirect(activity.url)
        if form.is_spam:
            messages.success(request, "Thank you. We will check the listing.")
            return HttpResponseRedirect(activity.url)
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def freshness(request, token):
    """A reminder's link. GET only shows what will happen: mail scanners follow links."""
    template = "assets_directory/freshness.html"
    try:
        reminder, action = services.freshness_read_link(token=token)
    except services.FreshnessLinkError as exc:
        return render(request, template, {"error": exc.message}, status=400)
    if request.method == "POST":
        try:
            services.freshness_respond(token=token)
        except services.FreshnessLinkError as exc:
            return render(request, template, {"error": exc.message}, status=400)
        return render(
            request,
            template,
            {"done": True, "action": action, "activity": reminder.activity},
        )
    return render(
        request,
        template,
        {
            "action": action,
            "activity": reminder.activity,
            "post_url": reverse("assets_directory:freshness", args=[token]),
        },
    )


def _calendar_response(calendar_file: ical.CalendarFile) -> HttpResponse:
    response = HttpResponse(calendar_file.body, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{calendar_file.filename}"'
    return response


@require_http_methods(["GET", "HEAD"])
def activity_calendar(request, uuid):
    """An activity's session times as a calendar file (.ics); 404 unless its page is public."""
    activity = get_object_or_404(selectors.calendar_activities(), uuid=uuid)
    return _calendar_response(ical.activity_calendar(activity, holidays=selectors.holiday_ranges()))


@require_http_methods(["GET", "HEAD"])
def organisation_calendar(request, uuid):
    """The session times of all of an organisation's listed activities, as one calendar file."""
    organisation = get_object_or_404(selectors.calendar_organisations(), uuid=uuid)
    return _calendar_response(
        ical.organisation_calendar(
            organisation,
            selectors.organisation_calendar_activities(organisation),
            holidays=selectors.holiday_ranges(),
        )
    )
