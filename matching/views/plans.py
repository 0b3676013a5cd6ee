"""GENIE step 4 and after: explained suggestions on a list and a map, the plan the person
chose (printed or e-mailed), and the follow-up of what they tried."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from smtplib import SMTPException

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from common.http import parse_id
from search.shortlist import shortlist_activities

from ..access import facilitator_required, person_for
from ..engine import SUGGESTION_LIMIT, MatchOutcome, match_outcome
from ..forms.people import FollowUpForm
from ..forms.plans import PlanChoiceForm
from ..models import Person, PlanItem
from ..network import compare_networks
from ..printed import entries_from_items, plan_link_worker
from ..sections import plan_item_notes
from ..selectors import answers_for_person
from ..services import (
    ChosenActivity,
    PlanEmailError,
    follow_up_record,
    plan_create,
    plan_email,
)
from ..suggestions import (
    activity_when,
    activity_where,
    organisation_names,
)

logger = logging.getLogger(__name__)

# Which step of the flow fixes an answer that the matcher refused (MatchInputError.field).
FIX_STEPS = (
    ("near", "matching:person_edit", "Change the postcode on their record"),
    ("network", "matching:network", "Check their network map"),
    ("needs", "matching:needs", "Check their needs"),
    ("top_three", "matching:top_three", "Check their top three"),
)
FIX_DEFAULT = ("matching:preferences", "Check their interests and practical limits")


def match_person(person: Person) -> MatchOutcome:
    return match_outcome(answers_for_person(person), limit=SUGGESTION_LIMIT)


def fix_link(person: Person, field_name: str | None) -> tuple[str, str]:
    for prefix, url_name, label in FIX_STEPS:
        if field_name and field_name.startswith(prefix):
            return reverse(url_name, args=[person.reference]), label
    url_name, label = FIX_DEFAULT
    return reverse(url_name, args=[person.reference]), label


def missing_steps(person: Person) -> list[tuple[str, str]]:
    """The steps not done yet, as (label, url): suggestions work without them, less well."""
    ref = [person.reference]
    steps = []
    if not person.network_maps.exists():
        steps.append(("Map their network", reverse("matching:network", args=ref)))
    preferences = getattr(person, "preferences", None)
    if preferences is None or not (preferences.interests or preferences.top_three):
        steps.append(("Ask what they enjoy", reverse("matching:preferences", args=ref)))
    elif not preferences.top_three:
        steps.append(("Choose their top three", reverse("matching:top_three", args=ref)))
    if not person.needs.exists():
        steps.append(("Record what matters most to them", reverse("matching:needs", args=ref)))
    return steps


# Step 4: suggestions ---------------------------------------------------------------------


@facilitator_required
@require_http_methods(["GET", "POST"])
def suggestions(request, reference):
    # A plan saved redirects, so only a page that shows the suggestions is logged as a view.
    person = person_for(request, reference, what="Suggestions")
    if request.method == "POST":
        form = PlanChoiceForm(request.POST)
        outcome = match_person(person)
        if form.is_valid():
            try:
                plan = plan_create(
                    person=person,
                    by=request.user,
                    chosen=_chosen(form, outcome),
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Plan saved. Print it or send it to them by e-mail.")
                return redirect("matching:plan", reference=person.reference, plan_id=plan.pk)
    else:
        form = PlanChoiceForm()
        outcome = match_person(person)
    return _suggestions_page(request, person, form, outcome)


def _chosen(form: PlanChoiceForm, outcome: MatchOutcome) -> list[ChosenActivity]:
    """The chosen activities in list order (ones no longer suggested after the list), with
    the words copied so the plan still reads well if the listing changes."""
    activities = list(form.cleaned_data["activities"])
    submitted = form.chosen_ids()
    rank = outcome.rank_by_id
    activities.sort(
        key=lambda a: (
            rank.get(a.pk, SUGGESTION_LIMIT + 1),
            submitted.index(a.pk) if a.pk in submitted else 0,
        )
    )
    reasons = outcome.reasons_by_id
    organisations = organisation_names(activities)
    return [
        ChosenActivity(
            activity_id=activity.pk,
            title=activity.title,
            organisation=organisations.get(activity.pk, ""),
            where=activity_where(activity),
            when=activity_when(activity),
            url=activity.url or "",
            reasons=reasons.get(activity.pk, ""),
        )
        for activity in activities
    ]


def _suggestions_page(request, person, form, outcome: MatchOutcome):
    fix_url, fix_label = ("", "")
    if outcome.problem:
        fix_url, fix_label = fix_link(person, outcome.problem_field)
    points = [card.point for card in outcome.cards if card.point]
    return render(
        request,
        "matching/suggestions.html",
        {
            "person": person,
            "step": "suggestions",
            "form": form,
            "outcome": outcome,
            "cards": outcome.cards,
            "network": outcome.network,
            "points": points,
            "chosen_ids": set(form.chosen_ids()),
            # What the facilitator put on their list on the search page, not suggested here.
            "from_list": [
                a
                for a in shortlist_activities(request.session)
                if a.pk not in {card.activity.pk for card in outcome.cards}
            ],
            "missing_steps": missing_steps(person),
            "fix_url": fix_url,
            "fix_label": fix_label,
        },
        status=503 if outcome.unavailable else 200,
    )


# The plan -------------------------------------------------------------------------------


def _plan_for(request, reference, plan_id):
    """The person and one of their plans; 404 unless both are theirs and in the user's team."""
    person = person_for(request, reference, what="Plan")
    plan = get_object_or_404(person.plans.prefetch_related("items"), pk=plan_id)
    return person, plan


def _plan_page(request, person, plan, *, email_error: str = "", status: int = 200):
    consent = person.current_consent
    return render(
        request,
        "matching/plan.html",
        {
            "person": person,
            "plan": plan,
            "entries": entries_from_items(plan.items.all()),
            "link_worker": plan_link_worker(plan),
            "needs": person.needs.all(),
            "consent": consent,
            "can_email": bool(person.email and consent and consent.contact_by_email),
            "email_error": email_error,
            "step": "suggestions",
        },
        status=status,
    )


@facilitator_required
def plan_detail(request, reference, plan_id):
    person, plan = _plan_for(request, reference, plan_id)
    return _plan_page(request, person, plan)


@facilitator_required
@require_POST
def plan_email_view(request, reference, plan_id):
    # Sent: the service logs the e-mail and this redirects. Refused: the plan is shown again.
    person, plan = _plan_for(request, reference, plan_id)
    try:
        plan_email(plan=plan, by=request.user)
    except (PlanEmailError, ValidationError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return _plan_page(request, person, plan, email_error=message)
    except (SMTPException, OSError):
        logger.exception("Could not send a plan by e-mail")
        return _plan_page(
            request,
            person,
            plan,
            email_error="The e-mail could not be sent just now. Try again later, or print it.",
            status=503,
        )
    messages.success(request, f"The plan has been sent to {person.email}.")
    return redirect("matching:plan", reference=person.reference, plan_id=plan.pk)


# Follow-up ------------------------------------------------------------------------------


@dataclass
class FollowUpEntry:
    item: PlanItem
    form: FollowUpForm


def _item_prefix(item: PlanItem) -> str:
    return f"item-{item.pk}"


@facilitator_required
@require_http_methods(["GET", "POST"])
def follow_up(request, reference):
    bound_item, bound_form = None, None
    person = person_for(request, reference, what="Follow-up")
    if request.method == "POST":
        item_id = parse_id(request.POST.get("item"))
        if item_id is None:
            raise Http404("No such activity in their plans.")
        bound_item = get_object_or_404(
            PlanItem.objects.select_related("plan__person"), pk=item_id, plan__person=person
        )
        bound_form = FollowUpForm(request.POST, prefix=_item_prefix(bound_item))
        if bound_form.is_valid():
            try:
                follow_up_record(item=bound_item, by=request.user, **bound_form.cleaned_data)
            except ValidationError as exc:
                bound_form.add_error(None, exc)
            else:
                messages.success(request, f"Follow-up saved for {bound_item.title}.")
                url = reverse("matching:follow_up", args=[person.reference])
                return redirect(f"{url}#item-{bound_item.pk}")

    plans = list(person.plans.prefetch_related("items__follow_ups__recorded_by"))
    notes = plan_item_notes([item for plan in plans for item in plan.items.all()])
    for plan in plans:
        for item in plan.items.all():
            item.notes = notes.get(item.pk, [])
        plan.entries = [
            FollowUpEntry(
                item=item,
                form=bound_form
                if bound_item is not None and item.pk == bound_item.pk
                else FollowUpForm(prefix=_item_prefix(item)),
            )
            for item in plan.items.all()
        ]

    maps = list(person.network_maps.order_by("created_at", "id"))
    first, latest = (maps[0], maps[-1]) if maps else (None, None)
    remap_url = reverse("matching:network", args=[person.reference])
    if latest is not None:
        remap_url += f"?from={latest.pk}"
    change = None
    if len(maps) >= 2:
        change = compare_networks(first.member_objects(), latest.member_objects())
    return render(
        request,
        "matching/follow_up.html",
        {
            "person": person,
            "step": "follow_up",
            "plans": plans,
            "maps_count": len(maps),
            "first_map": first,
            "latest_map": latest,
            "change": change,
            "remap_url": remap_url,
        },
    )
