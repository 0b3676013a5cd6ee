"""GENIE step 2 (interests and practical limits, then the top three) and PLANS needs, in the
facilitated flow. Each page saves and moves on to the next step."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..access import facilitator_required, person_for
from ..forms.preferences import NeedsForm, PreferencesForm, TopThreeForm
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
    if request.method == "POST":
        form = PreferencesForm(request.POST)
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
        form = PreferencesForm(initial=PreferencesForm.initial_from_record(person))
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
    if request.method == "POST":
        form = TopThreeForm(request.POST, interests=interests)
        if form.is_valid() and _save(
            form,
            lambda: preferences_save(person=person, by=request.user, **form.preferences_fields()),
        ):
            messages.success(request, "Top three saved.")
            return redirect("matching:needs", reference=person.reference)
    else:
        form = TopThreeForm(interests=interests, initial=TopThreeForm.initial_from_record(person))
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
            return redirect("matching:suggestions", reference=person.reference)
    else:
        form = NeedsForm(initial=NeedsForm.initial_from_record(person))
    return render(
        request, "matching/needs_edit.html", {"person": person, "form": form, "step": "needs"}
    )
