"""A person's wellbeing over time, and recording a new score: a page of their record, behind
matching's team-scoped access (another team's person is 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from matching.access import facilitator_required, person_for

from . import services
from .forms import WellbeingScoreForm
from .models import WellbeingScore
from .selectors import measures_for_team, wellbeing_history


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
