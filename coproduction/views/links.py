"""A group's links with other groups (shared members, joint activities, referrals), kept by the
group's editors and by moderators, for the whole-system network map.

Who may see and change them is the capability profile's rule (`access.profile_organisation`):
the group's editors and moderators; anyone else is told there is no such group.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from .. import access
from ..forms import LinkEndForm, LinkForm
from ..models import GroupLink
from ..selectors import group_links
from ..services import Refused, link_end, link_record


def _links_page(request, organisation, *, form=None, ending=None, end_form=None, status=200):
    """The group's links and the form to add one; `ending` is the link whose end form was
    posted with errors (`end_form`), shown again open."""
    return render(
        request,
        "coproduction/links.html",
        {
            "organisation": organisation,
            "rows": group_links(organisation),
            "form": form or LinkForm(organisation=organisation),
            "ending": ending,
            "end_form": end_form,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _show_refusal(form, refused: Refused) -> None:
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, str(refused))


@login_required
@require_http_methods(["GET", "POST"])
def links(request, organisation_id):
    organisation = access.profile_organisation(request, organisation_id)
    if request.method == "GET":
        return _links_page(request, organisation)
    form = LinkForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            link = link_record(
                from_organisation=organisation,
                to_organisation=form.cleaned_data["to_organisation"],
                kind=form.cleaned_data["kind"],
                started_on=form.cleaned_data["started_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except Refused as refused:
            _show_refusal(form, refused)
        else:
            messages.success(request, f"Link with {link.to_organisation.title} added.")
            return redirect("coproduction:links", organisation_id=organisation.pk)
    return _links_page(request, organisation, form=form, status=400)


@login_required
@require_POST
def link_end_view(request, organisation_id, link_id):
    organisation = access.profile_organisation(request, organisation_id)
    link = (
        GroupLink.objects.select_related("from_organisation", "to_organisation")
        .filter(Q(from_organisation=organisation) | Q(to_organisation=organisation), pk=link_id)
        .first()
    )
    if link is None:
        raise Http404("No such link.")
    form = LinkEndForm(request.POST, prefix=f"end-{link.pk}")
    if form.is_valid():
        try:
            link_end(link=link, ended_on=form.cleaned_data["ended_on"], by=request.user)
        except Refused as refused:
            _show_refusal(form, refused)
        else:
            messages.success(
                request, f"Link with {link.other_than(organisation).title} marked as ended."
            )
            return redirect("coproduction:links", organisation_id=organisation.pk)
    return _links_page(request, organisation, ending=link, end_form=form, status=400)
