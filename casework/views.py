"""A person's wellbeing over time, and recording a new score: a page of their record, behind
matching's team-scoped access (another team's person is 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from matching.access import facilitator_required, person_for
from matching.selectors import led_teams

from . import services
from .forms import CaseForm, CaseNoteForm, HandOverForm, WellbeingScoreForm
from .models import Case, WellbeingScore
from .selectors import (
    FOLLOW_UP_DUE,
    case_notes,
    caseload,
    measures_for_team,
    team_load,
    wellbeing_history,
)


@facilitator_required
@require_http_methods(["GET", "POST"])
def wellbeing(request, reference):
    person = person_for(request, reference, what="Wellbeing")
    measures = list(measures_for_team(person.team)) or [services.wellbeing_measure_ons4()]
    chosen = request.POST.get("measure") or request.GET.get("measure")
    measure = next((m for m in measures if m.slug == chosen), measures[0])
    history = wellbeing_history(person)
    if request.method == "POST":
        form = WellbeingScoreForm(measure, request.POST)
        if form.is_valid():
            try:
                services.wellbeing_score_record(
                    person=person,
                    by=request.user,
                    measure=measure,
                    answers=form.answers(),
                    taken_on=form.cleaned_data["taken_on"],
                    occasion=form.cleaned_data["occasion"],
                )
            except ValidationError as error:
                for field, found in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, found)
            else:
                messages.success(request, f"{measure.name} recorded.")
                return redirect("casework:wellbeing", reference=person.reference)
    else:
        occasion = WellbeingScore.Occasion.FOLLOW_UP if history else WellbeingScore.Occasion.START
        form = WellbeingScoreForm(measure, initial={"occasion": occasion})
    return render(
        request,
        "casework/wellbeing.html",
        {
            "person": person,
            "history": history,
            "measure": measure,
            "measures": measures,
            "form": form,
            "question_fields": [form[key] for key in form.question_keys],
            "step": "record",
        },
    )


# Caseload -----------------------------------------------------------------------------------


@facilitator_required
def caseload_list(request):
    """The people of the user's teams and where their support stands; a facilitator starts
    with their own, a team lead with the whole team's and each link worker's load."""
    leads = list(led_teams(request.user))
    worker = request.GET.get("worker", "" if leads else "mine")
    stage = request.GET.get("stage", "")
    sort = request.GET.get("sort", "follow_up")
    people = caseload(user=request.user, stage=stage, worker=worker, sort=sort)
    return render(
        request,
        "casework/caseload.html",
        {
            "people": people,
            "stage": stage,
            "worker": worker,
            "sort": sort,
            "stages": [*Case.Stage.choices, (FOLLOW_UP_DUE, "Follow-up due")],
            "load": team_load(teams=leads) if leads else None,
            "today": timezone.localdate(),
        },
    )


@facilitator_required
@require_http_methods(["GET", "POST"])
def case_page(request, reference):
    person = person_for(request, reference, what="Casework")
    case = services.case_for(person)
    case_form = CaseForm(initial=_case_initial(case), prefix="case")
    note_form = CaseNoteForm(prefix="note")
    hand_over_form = HandOverForm(person.team, prefix="handover")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "case":
                case_form = CaseForm(request.POST, prefix="case")
                if case_form.is_valid():
                    services.case_update(person=person, by=request.user, **case_form.cleaned_data)
                    messages.success(request, "Saved.")
                    return redirect("casework:case", reference=person.reference)
            elif action == "note":
                note_form = CaseNoteForm(request.POST, prefix="note")
                if note_form.is_valid():
                    services.case_note_add(person=person, by=request.user, **note_form.cleaned_data)
                    messages.success(request, "Note added.")
                    return redirect("casework:case", reference=person.reference)
            elif action == "handover":
                hand_over_form = HandOverForm(person.team, request.POST, prefix="handover")
                if hand_over_form.is_valid():
                    services.case_hand_over(
                        person=person, by=request.user, to=hand_over_form.cleaned_data["to"]
                    )
                    messages.success(request, "Handed over.")
                    return redirect("casework:case", reference=person.reference)
            else:
                return HttpResponseBadRequest("Unknown action.")
        except ValidationError as error:
            form = {"case": case_form, "note": note_form, "handover": hand_over_form}[action]
            for field, found in error.message_dict.items():
                form.add_error(field if field in form.fields else None, found)
    return render(
        request,
        "casework/case.html",
        {
            "person": person,
            "case": case,
            "notes": case_notes(person),
            "case_form": case_form,
            "note_form": note_form,
            "hand_over_form": hand_over_form,
            "step": "record",
        },
    )


def _case_initial(case) -> dict:
    return {
        "stage": case.stage,
        "closed_reason": case.closed_reason,
        "last_contact_on": case.last_contact_on,
        "next_step": case.next_step,
        "follow_up_on": case.follow_up_on,
    }
