"""A group's readiness to coproduce ("fertile terrain"): its editors assess it, a moderator
goes through it with them, and the group sees how it has changed since the last time."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .. import access
from ..forms import ReadinessForm, ReadinessReviewForm
from ..models import ReadinessAssessment
from ..selectors import readiness_history, readiness_waiting
from ..services import Refused, readiness_review, readiness_submit


def _current(organisation):
    return (
        ReadinessAssessment.objects.filter(
            organisation=organisation, status=ReadinessAssessment.Status.WAITING
        )
        .prefetch_related("answers")
        .first()
    )


def _initial(assessment) -> dict:
    if assessment is None:
        return {}
    initial = {}
    for answer in assessment.answers.all():
        initial[f"score_{answer.area}"] = answer.score
        initial[f"note_{answer.area}"] = answer.note
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def readiness(request, organisation_id):
    """The group's assessments over time, and (for its editors) the form for a new one, or
    for correcting the one waiting for review."""
    organisation = access.readiness_organisation(request, organisation_id)
    editing = access.edits(request.user, organisation)
    current = _current(organisation)
    form = None
    if request.method == "POST":
        if not editing:
            raise PermissionDenied("Only the group's editors assess its readiness.")
        form = ReadinessForm(request.POST)
        if form.is_valid():
            try:
                assessment = readiness_submit(
                    organisation=organisation, by=request.user, answers=form.answers()
                )
            except Refused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    "Thank you: your assessment is waiting for a moderator, who will go "
                    "through it with you.",
                )
                return redirect("coproduction:readiness_detail", pk=assessment.pk)
    elif editing:
        form = ReadinessForm(initial=_initial(current))
    return render(
        request,
        "coproduction/readiness.html",
        {
            "organisation": organisation,
            "history": readiness_history(organisation),
            "current": current,
            "form": form,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
def readiness_detail(request, pk):
    assessment = access.assessment_for(request, pk)
    return render(
        request,
        "coproduction/readiness_detail.html",
        {
            "assessment": assessment,
            "organisation": assessment.organisation,
            "answers": assessment.answers.all(),
            "editing": access.edits(request.user, assessment.organisation),
            "reviewer": access.can_verify(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """A moderator records what they agreed with the group about its assessment."""
    assessment = access.assessment_for(request, pk)
    access.require_verifier(request.user)
    form = ReadinessReviewForm(
        request.POST if request.method == "POST" else None,
        initial={"reviewed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            readiness_review(
                assessment=assessment,
                by=request.user,
                notes=form.cleaned_data["notes"],
                reviewed_on=form.cleaned_data["reviewed_on"],
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Review of {assessment.organisation.title} recorded.")
            return redirect("coproduction:readiness_waiting")
    return render(
        request,
        "coproduction/readiness_review.html",
        {
            "assessment": assessment,
            "organisation": assessment.organisation,
            "answers": assessment.answers.all(),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def waiting(request):
    """Assessments waiting for a moderator, longest waiting first."""
    access.require_verifier(request.user)
    return render(
        request, "coproduction/readiness_waiting.html", {"assessments": readiness_waiting()}
    )
