"""The report of searches that found nothing, for commissioners and moderators.

Commissioners are those with matching's `view_aggregates` right (the Commissioners group): it is
checked by name, so search needs nothing from matching, which sits above it. Moderators look
after the directory, and see the raw list in the admin already.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assets_directory.permissions import is_moderator
from common.csv_export import csv_response
from common.middleware import mark_private

from .forms import ZeroResultPeriodForm
from .selectors import MIN_WORD_SEARCHES, ZeroResultReport, zero_result_period, zero_result_report

# Matching's permission for anonymised figures, named rather than imported (see above).
COMMISSIONERS = "matching.view_aggregates"
# Whoever may read the raw list in the admin may read the report of it.
RAW_LIST = "search.view_zeroresultsearch"


def sees_zero_result_report(user) -> bool:
    return user.is_authenticated and (
        is_moderator(user) or user.has_perm(COMMISSIONERS) or user.has_perm(RAW_LIST)
    )


def _count_csv(name: str, heading: str, rows) -> object:
    return csv_response(
        f"searches-with-no-results-by-{name}.csv",
        [heading, "Searches"],
        ([row.label, row.searches] for row in rows),
    )


def _trend_csv(report: ZeroResultReport, heading: str):
    return csv_response(
        f"searches-with-no-results-by-{report.period.grouping}.csv",
        [heading, "Searches", f"Most searched words (each at least {MIN_WORD_SEARCHES} times)"],
        (
            [row.label, row.searches, "; ".join(f"{w.label} ({w.searches})" for w in row.top_words)]
            for row in report.trend
        ),
    )


DOWNLOADS = {
    "words-csv": lambda r: _count_csv("words", "Words", r.words),
    "categories-csv": lambda r: _count_csv("category", "Category", r.categories),
    "areas-csv": lambda r: _count_csv("area", "Outward code", r.areas),
    "trend-csv": lambda r: _trend_csv(r, r.period.grouping.capitalize()),
}


@login_required
@require_safe
def zero_results_report(request):
    """Searches with no results over a period, by words, category, outward code and month or
    quarter; each table as CSV with `?format=words-csv` (and categories-, areas-, trend-)."""
    if not sees_zero_result_report(request.user):
        raise PermissionDenied("This report is for commissioners and moderators.")
    wanted = request.GET.get("format", "")
    if wanted and wanted not in DOWNLOADS:
        return HttpResponseBadRequest(
            "There is no download in that format. Use format=words-csv, categories-csv, "
            "areas-csv or trend-csv.",
            content_type="text/plain; charset=utf-8",
        )
    form = ZeroResultPeriodForm.from_query(request.GET)
    period = zero_result_period(
        months=form.cleaned_data["months"], grouping=form.cleaned_data["by"]
    )
    report = zero_result_report(period)
    if wanted:
        return mark_private(DOWNLOADS[wanted](report))
    query = f"months={form.cleaned_data['months']}&by={form.cleaned_data['by']}"
    return mark_private(
        render(
            request,
            "search/zero_results_report.html",
            {
                "form": form,
                "report": report,
                "query": query,
                "grouping": period.grouping,
                "min_word_searches": MIN_WORD_SEARCHES,
            },
        )
    )
