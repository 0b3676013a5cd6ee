"""The moderators' list of likely duplicates across sources, and their decision on each."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from wagtail.models import Page

from . import services
from .admin_views import moderators_only
from .models import DuplicatePair, HarvestedRecord

PER_PAGE = 20


def _listing(page: Page, records: dict[int, HarvestedRecord]) -> dict:
    specific = page.specific
    record = records.get(page.pk)
    venue = getattr(specific, "venue", None)
    parent = page.get_parent() if page.depth > 1 else None
    return {
        "page": specific,
        "kind": specific._meta.verbose_name,
        "source": record.source.name if record else "This directory",
        "where": f"in {record.source.name}" if record else "on this site",
        "venue": venue,
        "organisation": parent.title if parent and hasattr(specific, "venue") else "",
        "charity_number": getattr(specific, "charity_number", ""),
        "company_number": getattr(specific, "company_number", ""),
    }


def _heading(listings: list[dict]) -> str:
    """What a pair is, in words: "Knit and natter and Knit and natter" says nothing, so a title
    the two share is said once, with where each comes from (this site's last)."""
    first, second = sorted(listings, key=lambda listing: listing["where"] == "on this site")
    title = first["page"].title
    if title.casefold() == second["page"].title.casefold():
        return f"{title} — {first['where']} and {second['where']}"
    return f"“{title}” {first['where']} and “{second['page'].title}” {second['where']}"


@moderators_only
def duplicates(request):
    """Waiting pairs, each listing side by side with where it comes from."""
    pending = DuplicatePair.objects.filter(decision=DuplicatePair.Decision.PENDING)
    page = Paginator(pending.select_related("first", "second"), PER_PAGE).get_page(
        request.GET.get("p")
    )
    ids = {pk for pair in page for pk in (pair.first_id, pair.second_id)}
    records = {
        r.page_id: r
        for r in HarvestedRecord.objects.filter(page_id__in=ids).select_related("source")
    }
    pairs = []
    for pair in page:
        listings = [_listing(pair.first, records), _listing(pair.second, records)]
        pairs.append({"pair": pair, "listings": listings, "heading": _heading(listings)})
    return TemplateResponse(
        request,
        "harvest/admin/duplicates.html",
        {"pairs": pairs, "page_obj": page, "count": pending.count()},
    )


@moderators_only
@require_POST
def duplicate_decide(request, pk: int):
    pair = get_object_or_404(DuplicatePair, pk=pk, decision=DuplicatePair.Decision.PENDING)
    keep = request.POST.get("keep", "")
    if keep == "apart":
        services.duplicate_keep_apart(pair=pair, user=request.user)
        messages.success(request, "Kept apart: the pair will not be suggested again.")
    elif keep.isdigit() and int(keep) in (pair.first_id, pair.second_id):
        kept = Page.objects.get(pk=int(keep))
        services.duplicate_merge(pair=pair, keep=kept, user=request.user)
        messages.success(
            request,
            f"Merged: “{kept.title}” stays; the other is unpublished and its address leads here.",
        )
    else:
        messages.error(request, "Choose which listing to keep, or keep them apart.")
    return redirect("harvest_duplicates")
