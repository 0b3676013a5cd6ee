"""The moderators' pages for harvesting, in Wagtail's admin (mounted by wagtail_hooks).

Wagtail lets only people with admin access reach these addresses (anyone else is sent to sign
in); each view then lets in moderators and administrators only, whatever the request. Views
are thin: reads come from selectors, writes go through services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from assets_directory.permissions import is_moderator

from . import selectors, services, tasks
from .forms import FeedSourceForm, HarvestUploadForm, TermCategoryForm
from .models import FeedSource, HarvestConflict, HarvestedRecord, HarvestRun, TermMapping

PER_PAGE = 50
RUNS_PER_PAGE = 20


def moderators_only(view):
    def wrapped(request, *args, **kwargs):
        if not is_moderator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _page(request, items, per_page=PER_PAGE):
    return Paginator(items, per_page).get_page(request.GET.get("p"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("p", None)
    return query.urlencode()


# Feeds --------------------------------------------------------------------------------------


@moderators_only
def feeds(request):
    shown = list(selectors.feeds_overview())
    for source in shown:
        source.health = selectors.feed_health(source)
        source.latest_run_words = (
            HarvestRun.State(source.latest_run_state).label if source.latest_run_state else ""
        )
    return TemplateResponse(
        request,
        "harvest/admin/feeds.html",
        {
            "feeds": shown,
            "terms_waiting": selectors.terms_waiting_count(),
            "conflicts_waiting": selectors.conflicts_waiting_count(),
        },
    )


@moderators_only
def feed_edit(request, pk=None):
    source = get_object_or_404(FeedSource, pk=pk) if pk is not None else None
    form = FeedSourceForm(request.POST if request.method == "POST" else None, instance=source)
    if request.method == "POST" and form.is_valid():
        source = form.save()
        messages.success(request, f"“{source.name}” is saved.")
        return redirect("harvest_feed", source.pk)
    return TemplateResponse(
        request,
        "harvest/admin/feed_form.html",
        {"form": form, "source": source},
        status=400 if form.errors else 200,
    )


def _feed_page(request, source, *, upload_form=None, status=200):
    runs = _page(request, source.runs.all(), RUNS_PER_PAGE)
    return TemplateResponse(
        request,
        "harvest/admin/feed.html",
        {
            "source": source,
            "runs": runs,
            "upload_form": upload_form or HarvestUploadForm(),
            "health": selectors.feed_health(source),
            "overview": selectors.feeds_overview().get(pk=source.pk),
        },
        status=status,
    )


@moderators_only
def feed(request, pk):
    """A feed's health, its harvests (newest first) and the two ways to harvest it now."""
    return _feed_page(request, get_object_or_404(FeedSource, pk=pk))


@moderators_only
@require_POST
def feed_harvest(request, pk):
    """Harvest now: from the feed's address, or from a file a moderator uploads. The run goes
    to the worker (in development it runs in this request) and its page follows it."""
    source = get_object_or_404(FeedSource, pk=pk)
    busy = selectors.run_under_way(source=source)
    if busy is not None:
        messages.warning(
            request,
            f"{source.name} is being harvested already: this is that harvest. Start another "
            "once it has ended.",
        )
        return redirect("harvest_run", busy.pk)
    if request.POST.get("from") == "file":
        form = HarvestUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _feed_page(request, source, upload_form=form, status=400)
        run = services.harvest_run_create_from_upload(
            source=source, upload=form.cleaned_data["file"], started_by=request.user
        )
    else:
        if not source.url:
            messages.error(
                request, f"“{source.name}” has no feed address: add one, or upload a file."
            )
            return redirect("harvest_feed", source.pk)
        run = services.harvest_run_create(source=source, origin=source.url, started_by=request.user)
    tasks.harvest_enqueue(run)
    return redirect("harvest_run", run.pk)


@moderators_only
def run(request, pk):
    run = get_object_or_404(HarvestRun.objects.select_related("source", "started_by"), pk=pk)
    active = run.state in (HarvestRun.State.QUEUED, HarvestRun.State.RUNNING)
    refreshing = active and request.GET.get("refresh") != "off"
    response = TemplateResponse(
        request,
        "harvest/admin/run.html",
        {
            "run": run,
            "active": active,
            "refreshing": refreshing,
            "summary": selectors.run_summary(run),
            "problems": _page(request, run.problems.all()),
        },
    )
    if refreshing:
        # Reloads itself without JavaScript until the harvest ends (the page says so, and
        # offers to stop). A header rather than <meta>: the page is the same either way.
        response["Refresh"] = "2"
    return response


# Records ------------------------------------------------------------------------------------


@moderators_only
def records(request, pk, gone=False):
    source = get_object_or_404(FeedSource, pk=pk)
    return TemplateResponse(
        request,
        "harvest/admin/records.html",
        {
            "source": source,
            "gone": gone,
            "records": _page(request, selectors.records_list(source=source, gone=gone)),
        },
    )


@moderators_only
def record(request, pk):
    record = get_object_or_404(
        HarvestedRecord.objects.select_related("source", "page", "venue", "taken_over_by"), pk=pk
    )
    return TemplateResponse(
        request,
        "harvest/admin/record.html",
        {
            "record": record,
            "pending": record.conflicts.filter(decision=HarvestConflict.Decision.PENDING).first(),
        },
    )


@moderators_only
@require_POST
def record_take_over(request, pk):
    record = get_object_or_404(HarvestedRecord.objects.select_related("page", "source"), pk=pk)
    services.harvested_record_take_over(record=record, user=request.user)
    messages.success(
        request,
        f"“{_title(record)}” is kept here now: edit it like any listing. Changes from "
        f"{record.source.name} will wait for a decision under “Changes to decide”.",
    )
    return redirect("harvest_record", record.pk)


@moderators_only
@require_POST
def record_give_back(request, pk):
    record = get_object_or_404(HarvestedRecord.objects.select_related("page", "source"), pk=pk)
    services.harvested_record_give_back(record=record, user=request.user)
    messages.success(
        request,
        f"“{_title(record)}” is {record.source.name}'s again: its next harvest writes the "
        "feed's version over any changes made here.",
    )
    return redirect("harvest_record", record.pk)


def _title(record) -> str:
    if record.page_id:
        return record.page.title
    return record.venue.name if record.venue_id else record.external_id


# The crosswalk ------------------------------------------------------------------------------


@moderators_only
def terms(request):
    show = request.GET.get("show", "waiting")
    if show not in selectors.TERM_FILTERS:
        show = "waiting"
    try:
        source_id = int(request.GET["feed"]) if request.GET.get("feed") else None
    except ValueError:
        source_id = None
    page = _page(request, selectors.terms_list(show=show, source_id=source_id))
    return TemplateResponse(
        request,
        "harvest/admin/terms.html",
        {
            "page": page,
            # One list for every row's select (a form per row would ask for it 50 times);
            # what is sent back is checked by TermCategoryForm.
            "categories": TermCategoryForm.base_fields["category"].queryset.all(),
            "show": show,
            "source_id": source_id,
            "feeds": FeedSource.objects.all(),
            "terms_waiting": selectors.terms_waiting_count(),
            "query": _query_without_page(request),
            "filters": [("waiting", "Waiting"), ("mapped", "Mapped"), ("all", "All")],
        },
    )


@moderators_only
@require_POST
def term_decide(request, pk):
    term = get_object_or_404(TermMapping.objects.select_related("source"), pk=pk)
    form = TermCategoryForm(request.POST, prefix=f"term-{term.pk}")
    back = request.POST.get("next") or ""
    if not back.startswith(reverse("harvest_terms")):
        back = reverse("harvest_terms")
    if not form.is_valid():
        messages.error(request, f"“{term.name}”: {form.errors['category'][0]}")
        return redirect(back)
    category = form.cleaned_data["category"]
    changed = services.term_mapping_decide(mapping=term, category=category, user=request.user)
    meaning = f"means “{category}”" if category else "is not mapped to any of our categories"
    messages.success(
        request,
        f"“{term.name}” ({term.source.name}) {meaning}. {changed} harvested "
        f"{'activity has' if changed == 1 else 'activities have'} their categories again.",
    )
    return redirect(back)


# Conflicts ----------------------------------------------------------------------------------


@moderators_only
def conflicts(request):
    return TemplateResponse(
        request,
        "harvest/admin/conflicts.html",
        {"conflicts": _page(request, selectors.conflicts_waiting())},
    )


@moderators_only
def conflict(request, pk):
    conflict = get_object_or_404(
        HarvestConflict.objects.select_related("record__source", "record__page", "decided_by"),
        pk=pk,
    )
    return TemplateResponse(
        request,
        "harvest/admin/conflict.html",
        {
            "conflict": conflict,
            # What differs first: that is what the decision is about.
            "changes": sorted(selectors.conflict_changes(conflict), key=lambda c: not c.differs),
        },
    )


def _conflict_decide(request, pk, decide, done):
    conflict = get_object_or_404(
        HarvestConflict.objects.select_related("record__source", "record__page"), pk=pk
    )
    try:
        decide(conflict=conflict, user=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("harvest_conflict", conflict.pk)
    messages.success(request, done.format(title=_title(conflict.record)))
    return redirect("harvest_conflicts")


@moderators_only
@require_POST
def conflict_accept(request, pk):
    return _conflict_decide(
        request, pk, services.harvest_conflict_accept, "“{title}” now has the feed's version."
    )


@moderators_only
@require_POST
def conflict_refuse(request, pk):
    return _conflict_decide(
        request, pk, services.harvest_conflict_refuse, "“{title}” keeps the version kept here."
    )
