"""The commissioners' report (coverage, gaps, how partnerships are going, and the evidence log
of NHS England's ten principles), and the form that adds to that log from a partnership's page.

The report is read by commissioners and moderators (everyone who sees all of coproduction); it
counts and names groups, teams and partnerships, never a person.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from common import deprivation
from common.csv_export import csv_response
from common.middleware import mark_private

from .. import access
from ..forms import EvidenceForm
from ..models.principles import BY_CODE, GUIDANCE
from ..selectors import (
    CAPABLE_SCORE,
    commissioning_charts,
    commissioning_overview_cached,
    evidence_rows,
    principles_log,
)
from ..services import evidence_record
from .core import _act

FORMATS = ("", "csv", "evidence-csv")


def _gaps_csv(overview):
    header = ["Ask", "Team", "Service line", "Areas", "Best fit", "Best group"]
    rows = (
        [
            gap.ask.title,
            gap.ask.team.name,
            gap.ask.service_line.name,
            " ".join(gap.ask.areas),
            gap.best.fit.score if gap.best else "",
            gap.best.organisation.title if gap.best else "",
        ]
        for gap in overview.gaps
    )
    return csv_response("coproduction-gaps.csv", header, rows)


def _evidence_csv():
    header = ["Principle", "Principle in the guidance", "Partnership", "Team", "Evidence", "Date"]
    rows = (
        [
            f"{BY_CODE[e.principle].number}. {BY_CODE[e.principle].label}",
            BY_CODE[e.principle].wording,
            e.partnership.title,
            e.partnership.team.name,
            e.note,
            e.recorded_on.isoformat(),
        ]
        for e in evidence_rows()
    )
    return csv_response("principles-evidence.csv", header, rows)


@login_required
@require_safe
def commissioning(request):
    """Coverage, gaps, how partnerships are going and the principles they show, for
    commissioners; the gaps (`?format=csv`) or the evidence log (`?format=evidence-csv`) as a
    spreadsheet."""
    if not access.sees_all(request.user):
        raise PermissionDenied("This report is for commissioners and moderators.")
    wanted = request.GET.get("format", "")
    if wanted not in FORMATS:
        return HttpResponseBadRequest(
            "There is no download in that format. Use format=csv for the gaps or "
            "format=evidence-csv for the evidence of the principles.",
            content_type="text/plain; charset=utf-8",
        )
    if wanted == "evidence-csv":
        return mark_private(_evidence_csv())
    overview = commissioning_overview_cached()
    if wanted == "csv":
        return mark_private(_gaps_csv(overview))
    principles = principles_log()
    return mark_private(
        render(
            request,
            "coproduction/commissioning.html",
            {
                "overview": overview,
                "principles": principles,
                "charts": commissioning_charts(overview, principles),
                "capable": CAPABLE_SCORE,
                "attribution": deprivation.ATTRIBUTION,
                "guidance": GUIDANCE,
                "printed_on": timezone.localdate(),
            },
        )
    )


@access.coproduction_required
@require_POST
def partnership_evidence(request, pk):
    """Log evidence that the partnership shows one of the principles (its team's members and
    moderators)."""
    partnership = access.partnership_for(request, pk)
    if not access.records_evidence(request.user, partnership):
        raise PermissionDenied(
            f"Only members of {partnership.team.name} and moderators log evidence of the "
            "principles."
        )
    form = EvidenceForm(request.POST)
    return _act(
        request,
        partnership,
        form,
        name="evidence",
        action=lambda: evidence_record(
            partnership=partnership,
            principle=form.cleaned_data["principle"],
            note=form.cleaned_data["note"],
            by=request.user,
        ),
        done=lambda: (
            f"Evidence logged: principle {BY_CODE[form.cleaned_data['principle']].number}."
        ),
    )
