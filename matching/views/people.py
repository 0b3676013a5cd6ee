"""A team's people: list, add (with consent), details, consent, export, erase; the audit log
for team leads; anonymised figures for commissioners."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from common.http import same_site_path
from common.signin import SignInForm
from common.text import normalise_text, strip_forbidden

from ..access import facilitator_required, led_team_for, person_for
from ..forms.people import ConsentForm, EraseForm, PersonForm, TeamChoiceForm
from ..models import AuditEvent
from ..sections import (
    export_parts,
    figure_pages,
    led_team_links,
    record_sections,
    support_links,
)
from ..selectors import (
    aggregates_by_area,
    category_names,
    is_facilitator,
    latest_network,
    led_teams,
    people_for_user,
    person_export,
    person_export_readable,
    teams_for_user,
)
from ..services import consent_update, person_create, person_erase, person_update


class SignInView(LoginView):
    template_name = "matching/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        """Where `next` asks to go, if it is a path on this site; otherwise "" (the default
        below). Never another site, nor a word Django could take for a view's name."""
        value = self.request.POST.get(
            self.redirect_field_name, self.request.GET.get(self.redirect_field_name)
        )
        return same_site_path(self.request, value, default="")

    def get_default_redirect_url(self):
        user = self.request.user
        if is_facilitator(user):
            return reverse("matching:people")
        if user.has_perm("wagtailadmin.access_admin"):
            return reverse("wagtailadmin_home")
        if user.has_perm("matching.view_aggregates"):
            return reverse("matching:insights")
        return "/"


@facilitator_required
def people_list(request):
    search = normalise_text(strip_forbidden(request.GET.get("q", "")))[:80]
    people = people_for_user(request.user, search=search)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/people_list.html",
        {
            "page_obj": page,
            "search": search,
            "teams": teams_for_user(request.user),
            "led_teams": led_team_links(led_teams(request.user)),
            "support_links": support_links(),
        },
    )


@facilitator_required
@require_http_methods(["GET", "POST"])
def person_add(request):
    data = request.POST if request.method == "POST" else None
    details = PersonForm(data, prefix="person")
    consent = ConsentForm(data, prefix="consent")
    team = TeamChoiceForm(data, user=request.user, prefix="team")
    if data is not None and details.is_valid() and consent.is_valid() and team.is_valid():
        person = person_create(
            team=team.cleaned_data["team"],
            by=request.user,
            consent=consent.answers(),
            **details.cleaned_data,
        )
        messages.success(request, f"Consent recorded and {person.display_name} added.")
        return redirect("matching:person", reference=person.reference)
    return render(
        request,
        "matching/person_add.html",
        {
            "details": details,
            "consent": consent,
            "team_form": team,
            "forms": [consent, details, team],
            "show_team": team.fields["team"].queryset.count() > 1,
        },
    )


@facilitator_required
def person_detail(request, reference):
    person = person_for(request, reference, what="Record")
    network = latest_network(person)
    preferences = getattr(person, "preferences", None)
    names = category_names()
    return render(
        request,
        "matching/person_detail.html",
        {
            "person": person,
            "consent": person.current_consent,
            "network": network,
            "metrics": network.metrics() if network else None,
            "preferences": preferences,
            "top_three": [names.get(s, s) for s in preferences.top_three] if preferences else [],
            "interests": [names.get(s, s) for s in preferences.interests] if preferences else [],
            "map_count": person.network_maps.count(),
            "needs": person.needs.all(),
            "plans": person.plans.prefetch_related("items__follow_ups"),
            "sections": record_sections(request, person),
            "step": "record",
        },
    )


@facilitator_required
@require_http_methods(["GET", "POST"])
def person_edit(request, reference):
    person = person_for(request, reference, what="Details")
    if request.method == "POST":
        form = PersonForm(request.POST, instance=person, prefix="person")
        if form.is_valid():
            person_update(person=person, by=request.user, **form.cleaned_data)
            messages.success(request, "Details saved.")
            return redirect("matching:person", reference=person.reference)
        person.refresh_from_db()
    else:
        form = PersonForm(instance=person, prefix="person")
    return render(
        request, "matching/person_edit.html", {"person": person, "form": form, "step": "record"}
    )


@facilitator_required
@require_http_methods(["GET", "POST"])
def consent_edit(request, reference):
    person = person_for(request, reference, what="Consent")
    current = person.current_consent
    if request.method == "POST":
        form = ConsentForm(request.POST, prefix="consent")
        if form.is_valid():
            consent_update(person=person, by=request.user, consent=form.answers())
            messages.success(request, "Consent recorded.")
            return redirect("matching:person", reference=person.reference)
    else:
        initial = {}
        if current is not None:
            initial = {
                "keep_record": current.keep_record,
                "contact_by_email": current.contact_by_email,
                "count_in_statistics": current.count_in_statistics,
                "health_conditions": current.health_conditions,
                "method": current.method,
            }
        form = ConsentForm(prefix="consent", initial=initial)
    return render(
        request,
        "matching/consent_edit.html",
        {"person": person, "form": form, "history": person.consents.select_related(
            "recorded_by"), "step": "record"},
    )  # fmt: skip


@facilitator_required
def person_export_json(request, reference):
    person = person_for(request, reference, what="Everything held (JSON)",
                        action=AuditEvent.Action.EXPORT)  # fmt: skip
    response = HttpResponse(
        json.dumps(person_export(person), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="record-{person.reference}.json"'
    response["Cache-Control"] = "no-store"
    return response


@facilitator_required
def person_export_print(request, reference):
    person = person_for(request, reference, what="Everything held (printable)",
                        action=AuditEvent.Action.EXPORT)  # fmt: skip
    return render(
        request,
        "matching/person_export.html",
        {
            "person": person,
            "record": person_export_readable(person_export(person), export_parts(person)),
            "step": "record",
        },  # fmt: skip
    )


@facilitator_required
@require_http_methods(["GET", "POST"])
def person_erase_view(request, reference):
    person = person_for(request, reference, what="Erase")
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = person.display_name
        person_erase(person=person, by=request.user)
        messages.success(request, f"Everything held on {name} has been erased.")
        return redirect("matching:people")
    return render(
        request, "matching/person_erase.html", {"person": person, "form": form, "step": "record"}
    )


@facilitator_required
def audit_log(request, team_slug):
    team = led_team_for(request, team_slug)
    page = Paginator(team.audit_events.select_related("actor", "person"), 100).get_page(
        request.GET.get("page")
    )
    return render(request, "matching/audit_log.html", {"team": team, "page_obj": page})


@login_required
@permission_required("matching.view_aggregates", raise_exception=True)
def insights(request):
    return render(
        request,
        "matching/insights.html",
        {"areas": aggregates_by_area(), "more_figures": figure_pages()},
    )
