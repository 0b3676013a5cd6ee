"""GENIE step 2 (interests and practical limits, then the top three) and PLANS needs, in the
facilitated flow. Each page saves and moves on to the next step."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..access import facilitator_required, person_for
from ..forms.about import AboutForm
from ..forms.preferences import NeedsForm, PreferencesForm, TopThreeForm
from ..selectors import category_tree, condition_names, preference_choices, record_answers
from ..services import needs_save, preferences_save


def _person(request, reference, what):
    # A saved POST redirects, and only the change (logged by the service) is recorded.
    return person_for(request, reference, what=what)


def _save(form, save) -> bool:
    """Run a service; a refusal (such as no consent) becomes a form error, not a 500."""
    try:
        save()
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return False
    return True


def _current_top_three(person) -> list[str]:
    preferences = getattr(person, "preferences", None)
    return list(preferences.top_three) if preferences is not None else []


def _interests(person) -> list[str]:
    preferences = getattr(person, "preferences", None)
    return list(preferences.interests) if preferences is not None else []


@facilitator_required
@require_http_methods(["GET", "POST"])
def preferences_edit(request, reference):
    person = _person(request, reference, "Preferences")
    choices = preference_choices()
    if request.method == "POST":
        form = PreferencesForm(request.POST, choices=choices)
        if form.is_valid() and _save(
            form,
            lambda: preferences_save(
                person=person,
                by=request.user,
                **form.preferences_fields(top_three=_current_top_three(person)),
            ),
        ):
            messages.success(request, "Interests and practical limits saved.")
            return redirect("matching:top_three", reference=person.reference)
    else:
        form = PreferencesForm(
            choices=choices, initial=PreferencesForm.initial_from_answers(record_answers(person))
        )
    return render(
        request,
        "matching/preferences_edit.html",
        {"person": person, "form": form, "step": "preferences"},
    )


@facilitator_required
@require_http_methods(["GET", "POST"])
def top_three_edit(request, reference):
    person = _person(request, reference, "Top three")
    interests = _interests(person)
    categories = category_tree()
    if request.method == "POST":
        form = TopThreeForm(request.POST, categories=categories, interests=interests)
        if form.is_valid() and _save(
            form,
            lambda: preferences_save(person=person, by=request.user, **form.preferences_fields()),
        ):
            messages.success(request, "Top three saved.")
            return redirect("matching:needs", reference=person.reference)
    else:
        form = TopThreeForm(
            categories=categories,
            interests=interests,
            initial=TopThreeForm.initial_from_answers(record_answers(person)),
        )
    return render(
        request,
        "matching/top_three.html",
        {
            "person": person,
            "form": form,
            "step": "preferences",
            "chose_interests": bool(set(interests) & set(form.offered)),
        },
    )


@facilitator_required
@require_http_methods(["GET", "POST"])
def needs_edit(request, reference):
    person = _person(request, reference, "Needs")
    if request.method == "POST":
        form = NeedsForm(request.POST)
        if form.is_valid() and _save(
            form,
            lambda: needs_save(person=person, by=request.user, needs=form.need_answers()),
        ):
            messages.success(request, "Needs saved.")
            return redirect("matching:about", reference=person.reference)
    else:
        form = NeedsForm(initial=NeedsForm.initial_from_answers(record_answers(person)))
    return render(
        request, "matching/needs_edit.html", {"person": person, "form": form, "step": "needs"}
    )


def _may_note_health(person) -> bool:
    consent = person.current_consent
    return consent is not None and consent.health_conditions


@facilitator_required
@require_http_methods(["GET", "POST"])
def about_edit(request, reference):
    person = _person(request, reference, "About them")
    conditions = condition_names()
    ask_health = _may_note_health(person)
    if request.method == "POST":
        form = AboutForm(request.POST, conditions=conditions, ask_health=ask_health)
        if form.is_valid() and _save(
            form,
            lambda: preferences_save(person=person, by=request.user, **form.preferences_fields()),
        ):
            messages.success(request, "Saved what they told you about themselves.")
            return redirect("matching:suggestions", reference=person.reference)
    else:
        form = AboutForm(
            conditions=conditions,
            ask_health=ask_health,
            initial=AboutForm.initial_from_answers(record_answers(person)),
        )
    return render(
        request, "matching/about_edit.html", {"person": person, "form": form, "step": "about"}
    )
