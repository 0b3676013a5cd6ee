"""A group's leaders and connectors: kept by the group's editors, shown (with consent) to
service teams, commissioners and moderators, who write to them through the site.

Nothing here ever puts a leader's e-mail address on a page: the forms ask for it and never
give it back, and a message to a leader is sent by the site with the sender's address to reply
to (coproduction.services.leader_contact).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .. import access
from ..forms import ConsentForm, ContactForm, LeaderForm
from ..models import GroupLeader
from ..services import (
    Refused,
    leader_add,
    leader_consent_record,
    leader_consent_withdraw,
    leader_contact,
    leader_delete,
    leader_update,
)


def _leaders_page(request, organisation, *, form=None, status=200):
    return render(
        request,
        "coproduction/leaders.html",
        {
            "organisation": organisation,
            "leaders": GroupLeader.objects.filter(organisation=organisation),
            "form": form or LeaderForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def leaders(request, organisation_id):
    """The group's leaders, whatever their consent, and a form to add one."""
    organisation = access.leaders_organisation(request, organisation_id)
    if request.method == "GET":
        return _leaders_page(request, organisation)
    form = LeaderForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            leader = leader_add(
                organisation=organisation,
                by=request.user,
                display_name=data["display_name"],
                role=data["role"],
                connects=data["connects"],
                email=data["email"],
                consent_given_on=data["consent_given_on"] if data["consent"] else None,
                consent_wording=data["consent_wording"],
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            shown = (
                "Service teams can now see them and write to them."
                if leader.consented
                else "They are not shown to anyone until you record their consent."
            )
            messages.success(request, f"{leader.display_name} added. {shown}")
            return redirect("coproduction:leaders", organisation_id=organisation.pk)
    return _leaders_page(request, organisation, form=form, status=400)


def _leader_page(request, organisation, leader, *, form=None, consent=None, status=200):
    return render(
        request,
        "coproduction/leader_edit.html",
        {
            "organisation": organisation,
            "leader": leader,
            "form": form
            or LeaderForm(
                editing=True,
                initial={
                    "display_name": leader.display_name,
                    "role": leader.role,
                    "connects": leader.connects,
                },
            ),
            "consent": consent or (None if leader.consented else ConsentForm()),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def leader_edit(request, organisation_id, pk):
    organisation = access.leaders_organisation(request, organisation_id)
    leader = access.leader_of(organisation, pk)
    if request.method == "GET":
        return _leader_page(request, organisation, leader)
    form = LeaderForm(request.POST, editing=True)
    if form.is_valid():
        try:
            leader_update(leader=leader, **form.cleaned_data)
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{leader.display_name}: saved.")
            return redirect("coproduction:leaders", organisation_id=organisation.pk)
    leader.refresh_from_db()
    return _leader_page(request, organisation, leader, form=form, status=400)


@login_required
@require_POST
def leader_consent(request, organisation_id, pk):
    organisation = access.leaders_organisation(request, organisation_id)
    leader = access.leader_of(organisation, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            leader_consent_record(
                leader=leader,
                by=request.user,
                given_on=form.cleaned_data["given_on"],
                wording=form.cleaned_data["wording"],
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, f"{leader.display_name}'s consent is recorded: they are shown now."
            )
            return redirect("coproduction:leaders", organisation_id=organisation.pk)
    leader.refresh_from_db()
    return _leader_page(request, organisation, leader, consent=form, status=400)


@login_required
@require_POST
def leader_withdraw(request, organisation_id, pk):
    organisation = access.leaders_organisation(request, organisation_id)
    leader = access.leader_of(organisation, pk)
    try:
        leader_consent_withdraw(leader=leader, by=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, f"{leader.display_name} has withdrawn: they are no longer shown to anyone."
        )
    return redirect("coproduction:leaders", organisation_id=organisation.pk)


@login_required
@require_POST
def leader_remove(request, organisation_id, pk):
    organisation = access.leaders_organisation(request, organisation_id)
    leader = access.leader_of(organisation, pk)
    name = leader.display_name
    leader_delete(leader=leader)
    messages.success(request, f"{name} and everything kept about them has been deleted.")
    return redirect("coproduction:leaders", organisation_id=organisation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def contact(request, pk):
    """Write to a leader who has agreed to be written to, through the site."""
    leader = access.leader_to_contact(request, pk)
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            leader_contact(leader=leader, sender=request.user, message=form.cleaned_data["message"])
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Your message has been sent to {leader.display_name}. They will reply to your "
                "e-mail address if they want to.",
            )
            return redirect("coproduction:profile", organisation_id=leader.organisation_id)
    return render(
        request,
        "coproduction/leader_contact.html",
        {"leader": leader, "organisation": leader.organisation, "form": form},
        status=400 if form.is_bound else 200,
    )
