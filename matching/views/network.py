"""GENIE step 1: the person's network map, saved as dated versions, and two versions compared."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from common.http import parse_id

from ..access import facilitator_required, person_for
from ..diagram import kind_table, member_text, network_diagram
from ..forms.network import NetworkNoteForm, member_formset
from ..models import NetworkMap
from ..network import CIRCLE_NAMES, compare_networks
from ..sections import network_suggestion, network_suggestions
from ..selectors import latest_network
from ..services import network_map_save, network_member_add

WHAT = "Network map"
COMPARE_WHAT = "Network map comparison"
# An empty map gets a few blank rows, so that without JavaScript most people need no extra
# round trip for "Add another".
EMPTY_MAP_ROWS = 3


def _map_of(person, map_id) -> NetworkMap:
    """One of this person's maps; 404 for anyone else's, and for an id that is not a number."""
    pk = parse_id(map_id)
    if pk is None:
        raise Http404("No such map.")
    try:
        return person.network_maps.get(pk=pk)
    except NetworkMap.DoesNotExist:
        raise Http404("No such map.") from None


@facilitator_required
@require_http_methods(["GET", "POST"])
def network_edit(request, reference):
    source = None
    save_errors: list[str] = []
    # The save logs the change and redirects; a post that only shows the form again is a view.
    person = person_for(request, reference, what=WHAT)
    if request.method == "POST":
        formset = member_formset(request.POST)
        note_form = NetworkNoteForm(request.POST, prefix="map")
        if "add_row" in request.POST:
            formset = formset.with_extra_row()
            note_form = NetworkNoteForm(
                initial={"note": request.POST.get("map-note", "")}, prefix="map"
            )
        elif formset.is_valid() and note_form.is_valid():
            try:
                network_map_save(
                    person=person,
                    by=request.user,
                    members=formset.members(),
                    note=note_form.cleaned_data["note"],
                )
            except ValidationError as error:
                save_errors = error.messages
            else:
                messages.success(
                    request, "Network map saved as a new version. Earlier versions are kept."
                )
                if "save_and_record" in request.POST:
                    return redirect("matching:person", reference=person.reference)
                return redirect("matching:network", reference=person.reference)
    else:
        if "from" in request.GET:
            source = _map_of(person, request.GET["from"])
        else:
            source = latest_network(person)
        members = source.member_objects() if source else []
        formset = member_formset(members=members, extra=1 if members else EMPTY_MAP_ROWS)
        note_form = NetworkNoteForm(prefix="map")

    latest = latest_network(person)
    versions = person.network_maps.select_related("created_by")
    return render(
        request,
        "matching/network_edit.html",
        {
            "person": person,
            "step": "network",
            "formset": formset,
            "note_form": note_form,
            "save_errors": save_errors,
            "has_errors": bool(save_errors or note_form.errors or formset.total_error_count()),
            "diagram": network_diagram(formset.draft_members()),
            "kinds": kind_table(),
            "source": source,
            "copying": source is not None and latest is not None and source.pk != latest.pk,
            "latest": latest,
            "metrics": latest.metrics() if latest else None,
            "version_count": versions.count(),
            "has_consent": person.current_consent is not None,
            "suggested": network_suggestions(person, latest.member_objects() if latest else []),
        },
    )


@facilitator_required
def network_add_suggested(request, reference):
    """Add one of the suggestions on the network page (a group they joined) to a new version
    of their map, in one step and without JavaScript."""
    # Team scope first: another team's reference gets the same 404 whatever the method.
    person = person_for(request, reference, what=WHAT, action=None)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    latest = latest_network(person)
    members = latest.member_objects() if latest else []
    # Only what is offered now can be added: the key names it, nothing else posted is used.
    chosen = network_suggestion(person, members, request.POST.get("suggestion", ""))
    if chosen is None:
        messages.info(request, "That is on their map already, or no longer suggested.")
        return redirect("matching:network", reference=person.reference)
    try:
        network_member_add(person=person, by=request.user, member=chosen.member(),
                           note=chosen.why)  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{chosen.label} is on their map now, in the {CIRCLE_NAMES[chosen.circle]} circle. "
            "Move it or say what it gives them below, then save.",
        )
    return redirect("matching:network", reference=person.reference)


@facilitator_required
def network_compare(request, reference):
    # Team scope first: another team's reference gets the same 404 whatever the method.
    person = person_for(request, reference, what=COMPARE_WHAT)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    versions = list(person.network_maps.select_related("created_by"))  # newest first
    context = {"person": person, "step": "network", "versions": versions}
    if versions:
        before = _map_of(person, request.GET["before"]) if "before" in request.GET else versions[-1]
        after = _map_of(person, request.GET["after"]) if "after" in request.GET else versions[0]
        before_members, after_members = before.member_objects(), after.member_objects()
        change = compare_networks(before_members, after_members)
        context.update(
            before=before,
            after=after,
            before_diagram=network_diagram(before_members),
            after_diagram=network_diagram(after_members),
            change=change,
            added=[member_text(m) for m in change.added],
            removed=[member_text(m) for m in change.removed],
            moved=[
                {
                    "text": member_text(now),
                    "from": CIRCLE_NAMES[was.circle],
                    "to": CIRCLE_NAMES[now.circle],
                }
                for was, now in change.moved
            ],
            latest=versions[0],
        )
    return render(request, "matching/network_compare.html", context)
