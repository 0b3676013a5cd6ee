"""Referral pages: the team's (refer from a plan, follow a referral through) and the group's.

The group's page is reached by the signed link in its e-mail, with no sign-in: the link is
the key (referrals.links). It shows what was shared with the group, so it is never stored by
a browser or proxy (private_page), and opening it changes nothing; only its form does. The
team's pages are a person's record's, behind matching's team-scoped access.
"""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from assets_directory.models import Activity
from assets_directory.selectors import listed_activities
from common.http import parse_id
from common.middleware import mark_private, private_page
from common.text import normalise_text, strip_forbidden
from matching.access import facilitator_required, led_team_for, person_for
from matching.models import AuditEvent, PlanItem
from matching.selectors import people_for_user

from . import services
from .forms import ApiKeyForm, GroupAnswerForm, OutcomeForm, ReferForm
from .gp_message import gp_message
from .links import LinkError, referral_from_token
from .models import ApiKey, Referral
from .selectors import is_overdue, referral_figures
from .status import Party, TransitionError


def _link_problem(request, error: LinkError):
    return render(
        request, "referrals/link_problem.html", {"message": error.message}, status=error.status
    )


@private_page
@require_http_methods(["GET", "POST"])
def group_answer(request, token: str):
    try:
        referral = referral_from_token(token)
    except LinkError as error:
        return _link_problem(request, error)
    form = GroupAnswerForm(referral, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_group_answer(
                token=token,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason", ""),
                note=form.cleaned_data["note"],
            )
        except LinkError as error:
            return _link_problem(request, error)
        except TransitionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return render(request, "referrals/group_answered.html", {"referral": referral})
    return render(request, "referrals/group_answer.html", {"referral": referral, "form": form})


# The team's side --------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What is being referred to: a plan item's activity, or an activity chosen on its page."""

    activity_id: int
    title: str
    organisation: str
    item: PlanItem | None = None

    @property
    def field(self) -> tuple[str, int]:
        """The hidden field that carries it through the form."""
        return ("item", self.item.pk) if self.item else ("activity", self.activity_id)


def _target(person, data) -> Target:
    """From `item` (one of the person's plan items) or `activity` (a listed activity that takes
    referrals); 404 for anything else."""
    if data.get("item"):
        item_id = parse_id(data.get("item"))
        item = get_object_or_404(
            PlanItem, pk=item_id or 0, plan__person=person, activity__isnull=False
        )
        return Target(item.activity_id, item.title, item.organisation, item)
    activity = _referrable(data.get("activity"))
    return Target(activity.pk, activity.title, activity.get_parent().title)


def _referrable(raw):
    activity = (
        listed_activities()
        .filter(referral_route=Activity.ReferralRoute.TAKES_REFERRALS, pk=parse_id(raw) or 0)
        .first()
    )
    if activity is None:
        raise Http404("No activity that takes referrals has that id.")
    return activity


@facilitator_required
@require_http_methods(["GET", "POST"])
def refer(request, reference):
    person = person_for(request, reference, what="Referral form")
    target = _target(person, request.POST if request.method == "POST" else request.GET)
    if request.method == "POST":
        form = ReferForm(request.POST)
        if form.is_valid():
            try:
                referral = services.referral_create(
                    person=person,
                    activity_id=target.activity_id,
                    by=request.user,
                    shared=form.shared(),
                    consent_to_share=form.cleaned_data["consent_to_share"],
                    consent_method=form.cleaned_data["consent_method"],
                    plan_item=target.item,
                )
            except ValidationError as error:
                for field, messages_ in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                messages.success(
                    request,
                    f"Referral sent to {referral.organisation_title}. They are asked to "
                    f"answer by {date_format(referral.due_by, 'l j F')}.",
                )
                return redirect(
                    "referrals:detail", reference=person.reference, referral=referral.reference
                )
    else:
        first = person.display_name.split()[0] if person.display_name.split() else ""
        form = ReferForm(
            initial={
                "first_name": first,
                "contact": person.phone or person.email,
                "contact_by": "phone" if person.phone else "email" if person.email else "phone",
            }
        )
    return render(
        request,
        "referrals/refer.html",
        {"person": person, "target": target, "form": form, "step": "record"},
    )


@facilitator_required
@require_GET
def refer_choose_person(request, activity_id: int):
    """From an activity's page: which of the people the link worker supports to refer."""
    activity = _referrable(activity_id)
    search = normalise_text(strip_forbidden(request.GET.get("q", "")))[:80]
    page = Paginator(people_for_user(request.user, search=search), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "referrals/refer_choose_person.html",
        {
            "activity": activity,
            "organisation": activity.get_parent().title,
            "page_obj": page,
            "search": search,
        },
    )


@facilitator_required
@require_http_methods(["GET", "POST"])
def referral_detail(request, reference, referral):
    person = person_for(request, reference, what="Referral")
    found = get_object_or_404(Referral, person=person, reference=referral)
    form = OutcomeForm(found, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_status_change(
                referral=found,
                party=Party.REFERRER,
                by=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason", ""),
                note=form.cleaned_data["note"],
            )
        except TransitionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Saved.")
            return redirect("referrals:detail", reference=person.reference, referral=referral)
    found.overdue = is_overdue(found)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "person": person,
            "referral": found,
            "events": found.events.select_related("by"),
            "form": form,
            "step": "record",
        },
    )


@facilitator_required
def referral_gp_message(request, reference, referral):
    person = person_for(request, reference, what="Referral message for the GP record",
                        action=AuditEvent.Action.EXPORT)  # fmt: skip
    found = get_object_or_404(Referral, person=person, reference=referral)
    response = HttpResponse(
        json.dumps(gp_message(found), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="referral-{found.reference}.json"'
    return mark_private(response)


@login_required
@permission_required("matching.view_aggregates", raise_exception=True)
def figures(request):
    outcomes, groups = referral_figures()
    return render(request, "referrals/figures.html", {"outcomes": outcomes, "groups": groups})


@facilitator_required
@private_page  # the page shows a new key once; no browser or proxy may keep it
@require_http_methods(["GET", "POST"])
def api_keys(request, team_slug):
    """A team lead makes and revokes the keys the team's other systems use for the referral
    API. A new key is shown once, on the answer to the form that made it."""
    team = led_team_for(request, team_slug)
    form = ApiKeyForm()
    new_key = None
    if request.method == "POST" and "revoke" in request.POST:
        key = get_object_or_404(ApiKey, team=team, pk=parse_id(request.POST["revoke"]) or 0)
        services.api_key_revoke(key=key, by=request.user)
        messages.success(request, f"Revoked the key for {key.name}. It no longer works.")
        return redirect("referrals:api_keys", team_slug=team.slug)
    if request.method == "POST":
        form = ApiKeyForm(request.POST)
        if form.is_valid():
            key, new_key = services.api_key_issue(
                team=team, by=request.user, name=form.cleaned_data["name"]
            )
            form = ApiKeyForm()
    return render(
        request,
        "referrals/api_keys.html",
        {
            "team": team,
            "keys": team.api_keys.select_related("created_by", "revoked_by"),
            "form": form,
            "new_key": new_key,
        },
    )
