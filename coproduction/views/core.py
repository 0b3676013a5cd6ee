"""The coproduction pages: a team's asks, the groups that fit an ask, partnerships.

Views check who may see and do what (coproduction.access), then call a selector or a service;
a service's refusal is shown to the person in its own words.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from common import deprivation
from common.csv_export import csv_response
from common.middleware import mark_private

from .. import access
from ..forms import (
    AcceptForm,
    AskForm,
    DeliveryForm,
    DocumentForm,
    EvidenceForm,
    MatrixFilterForm,
    MoveForm,
    ProfileForm,
    ProposeForm,
    ReviewForm,
    SurveyForm,
    VerifyForm,
)
from ..models import (
    Ask,
    CapabilityItem,
    CapabilityProfile,
    CapabilityTerm,
    Partnership,
    SurveyResponse,
)
from ..selectors import candidates_for, capability_matrix, leaders_shown, survey_summary
from ..services import (
    DELIVERY_STATUSES,
    PartnershipRefused,
    Refused,
    delivery_record,
    item_unverify,
    item_verify,
    partnership_accept,
    partnership_move,
    partnership_propose,
    profile_save,
    review_record,
    survey_answer,
)

CANDIDATES_SHOWN = 25


@access.coproduction_required
def home(request):
    user = request.user
    return render(
        request,
        "coproduction/home.html",
        {
            "teams": access.teams_for_user(user),
            "asks": access.visible_asks(user)[:100],
            "partnerships": access.visible_partnerships(user).prefetch_related(
                "groups__organisation"
            )[:100],
            "sees_all": access.sees_all(user),
            "groups": access.organisations_edited_by(user).live().order_by("title"),
            "verifies": access.can_verify(user),
        },
    )


def _grouped(form, name):
    """The form's tick boxes of one field, grouped by the kind of term, for fieldsets."""
    kinds = dict(CapabilityTerm.Kind.choices)
    terms = {str(t.pk): t.kind for t in form.fields[name].queryset}
    groups: dict[str, list] = {}
    for box in form[name]:
        groups.setdefault(kinds[terms[str(box.data["value"])]], []).append(box)
    return list(groups.items())


@access.coproduction_required
@require_http_methods(["GET", "POST"])
def ask_add(request, team_slug):
    team = access.team_from_slug(request, team_slug)
    form = AskForm(
        request.POST if request.method == "POST" else None,
        initial={"service_line": team.service_line_id, "areas_text": ", ".join(team.areas)},
    )
    if request.method == "POST" and form.is_valid():
        form.instance.team = team
        form.instance.created_by = request.user
        ask = form.save()
        messages.success(request, "Ask saved. These are the groups that fit it best.")
        return redirect("coproduction:ask", pk=ask.pk)
    return render(
        request,
        "coproduction/ask_form.html",
        {
            "form": form,
            "team": team,
            "communities": _grouped(form, "communities"),
            "capabilities": _grouped(form, "capabilities"),
        },
    )


@access.coproduction_required
def ask_detail(request, pk):
    ask = access.ask_for(request, pk)
    candidates = candidates_for(ask, limit=CANDIDATES_SHOWN)
    acts = access.in_team(request.user, ask.team)
    # No partnership is proposed from a closed ask (ask_propose refuses it too).
    proposes = acts and ask.status != Ask.Status.CLOSED
    return render(
        request,
        "coproduction/ask_detail.html",
        {
            "ask": ask,
            "candidates": candidates,
            "acts": acts,
            "edits": access.can_edit_ask(request.user, ask),
            "propose": ProposeForm(candidates=candidates) if proposes else None,
            "partnerships": ask.partnerships.all(),
            "attribution": deprivation.ATTRIBUTION,
        },
    )


@access.coproduction_required
@require_POST
def ask_propose(request, pk):
    ask = access.ask_for(request, pk)
    access.require_team(request.user, ask.team)
    candidates = candidates_for(ask, limit=CANDIDATES_SHOWN)
    form = ProposeForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            partnership = partnership_propose(
                team=ask.team,
                organisations=form.chosen(),
                by=request.user,
                title=form.cleaned_data["title"],
                ask=ask,
            )
        except PartnershipRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, "Partnership proposed. Each group's editors are asked to accept it."
            )
            return redirect("coproduction:partnership", pk=partnership.pk)
    closed = ask.status == Ask.Status.CLOSED
    return render(
        request,
        "coproduction/ask_detail.html",
        {
            "ask": ask,
            "candidates": candidates,
            "acts": True,
            "edits": True,
            # A closed ask shows the refusal, and no form to try again with.
            "propose": None if closed else form,
            "refusal": form.non_field_errors() if closed else None,
            "partnerships": ask.partnerships.all(),
            "attribution": deprivation.ATTRIBUTION,
        },
        status=400,
    )


def _partnership_page(request, partnership, *, status=200, survey_for=None, **forms):
    """The partnership's page, with the forms this person may use (`forms` replaces one that
    was posted with errors: move, accept, delivery, review, survey, evidence)."""
    acts = access.in_team(request.user, partnership.team)
    waiting = access.waiting_groups_of(request.user, partnership)
    current = Partnership.Status(partnership.status)
    reviews = list(partnership.reviews.prefetch_related("responses"))
    partner = access.partner_organisation(request.user, partnership)
    answered = set(
        SurveyResponse.objects.filter(review__in=reviews, respondent=request.user).values_list(
            "review_id", flat=True
        )
    )
    if survey_for is None and partner is not None and reviews and reviews[-1].pk not in answered:
        survey_for = reviews[-1]
    delivering = current in DELIVERY_STATUSES
    keeps_documents = partner is not None
    defaults = {
        "move": MoveForm(partnership=partnership) if acts and Partnership.MOVES[current] else None,
        "accept": AcceptForm(organisations=waiting) if waiting else None,
        "delivery": DeliveryForm() if acts and delivering else None,
        "review": ReviewForm() if acts and current == Partnership.Status.REVIEWING else None,
        "survey": SurveyForm() if survey_for else None,
        "document": DocumentForm() if keeps_documents else None,
        "evidence": EvidenceForm() if access.records_evidence(request.user, partnership) else None,
    }
    shown = {name: forms.get(name) or form for name, form in defaults.items()}
    return render(
        request,
        "coproduction/partnership_detail.html",
        {
            "partnership": partnership,
            "groups": partnership.groups.select_related("organisation", "accepted_by"),
            "events": partnership.events.select_related("by", "organisation"),
            "deliveries": partnership.deliveries.all(),
            "documents": partnership.documents.select_related("uploaded_by"),
            "reviews": [(review, survey_summary(review)) for review in reviews],
            "principle_evidence": partnership.principle_evidence.select_related("recorded_by"),
            "acts": acts,
            "waiting": waiting,
            "survey_for": survey_for,
            "review_form": shown.pop("review"),
            **shown,
        },
        status=status,
    )


def _act(request, partnership, form, *, name, action, done, **page):
    """Run `action` (a service call) once the posted `form` is valid, and go back to the
    partnership's page saying `done`; a refusal becomes the form's error, shown with the form
    again (as the page's form `name`)."""
    if form.is_valid():
        try:
            action()
        except Refused as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, str(refused))
        else:
            messages.success(request, done() if callable(done) else done)
            return redirect("coproduction:partnership", pk=partnership.pk)
    return _partnership_page(request, partnership, status=400, **{name: form}, **page)


@access.coproduction_required
def partnership_detail(request, pk):
    return _partnership_page(request, access.partnership_for(request, pk))


@access.coproduction_required
@require_POST
def partnership_move_view(request, pk):
    partnership = access.partnership_for(request, pk)
    access.require_team(request.user, partnership.team)
    form = MoveForm(request.POST, partnership=partnership)
    return _act(
        request,
        partnership,
        form,
        name="move",
        action=lambda: partnership_move(
            partnership=partnership,
            to=form.cleaned_data["to"],
            by=request.user,
            note=form.cleaned_data["note"],
        ),
        done="Partnership moved on.",
    )


@access.coproduction_required
@require_POST
def partnership_accept_view(request, pk):
    partnership = access.partnership_for(request, pk)
    waiting = access.waiting_groups_of(request.user, partnership)
    if not waiting:
        raise PermissionDenied("Only an editor of a group invited can accept.")
    form = AcceptForm(request.POST, organisations=waiting)
    return _act(
        request,
        partnership,
        form,
        name="accept",
        action=lambda: partnership_accept(
            partnership=partnership, organisation=form.chosen(), by=request.user
        ),
        done=lambda: f"{form.chosen().title} has accepted the partnership.",
    )


@access.coproduction_required
@require_POST
def partnership_delivery(request, pk):
    partnership = access.partnership_for(request, pk)
    access.require_team(request.user, partnership.team)
    form = DeliveryForm(request.POST)
    return _act(
        request,
        partnership,
        form,
        name="delivery",
        action=lambda: delivery_record(
            partnership=partnership, by=request.user, **form.cleaned_data
        ),
        done="Delivery logged.",
    )


@access.coproduction_required
@require_POST
def partnership_review(request, pk):
    partnership = access.partnership_for(request, pk)
    access.require_team(request.user, partnership.team)
    form = ReviewForm(request.POST)
    return _act(
        request,
        partnership,
        form,
        name="review",
        action=lambda: review_record(partnership=partnership, by=request.user, **form.cleaned_data),
        done="Review recorded. Each partner can now answer the survey.",
    )


@access.coproduction_required
@require_POST
def review_survey(request, pk, review_id):
    partnership = access.partnership_for(request, pk)
    partner = access.partner_organisation(request.user, partnership)
    if partner is None:
        raise PermissionDenied("Only the partners answer the survey.")
    review = partnership.reviews.filter(pk=review_id).first()
    if review is None:
        raise Http404("No such review.")
    form = SurveyForm(request.POST)
    return _act(
        request,
        partnership,
        form,
        name="survey",
        action=lambda: survey_answer(
            review=review,
            respondent=request.user,
            organisation=partner or None,
            answers=form.answers(),
        ),
        done="Thank you: your answers are saved.",
        survey_for=review,
    )


def _profile_page(request, organisation, *, form=None, verify=None, status=200):
    profile = CapabilityProfile.objects.filter(organisation=organisation).first()
    items = list(profile.items.select_related("term", "verified_by")) if profile else []
    editing = access.edits(request.user, organisation)
    if form is None and editing:
        counts = {f"count_{i.term_id}": i.count for i in items if i.count is not None}
        form = ProfileForm(
            initial={
                "summary": profile.summary if profile else "",
                "areas_text": ", ".join(profile.areas) if profile else "",
                "years_active": profile.years_active if profile else None,
                "terms": [i.term_id for i in items],
                **counts,
            }
        )
    return render(
        request,
        "coproduction/profile.html",
        {
            "organisation": organisation,
            "profile": profile,
            "items": items,
            "form": form,
            "terms": _grouped(form, "terms") if form else [],
            "verifier": access.can_verify(request.user),
            "verify": verify,
            "editing": editing,
            "leaders": leaders_shown(organisation)
            if editing or access.sees_leaders(request.user)
            else None,
            "contacts": access.sees_leaders(request.user),
            "readiness": editing or access.reads_readiness(request.user),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, organisation_id):
    organisation = access.profile_organisation(
        request, organisation_id, reading=request.method == "GET"
    )
    if request.method == "GET":
        return _profile_page(request, organisation)
    if not access.edits(request.user, organisation):
        raise PermissionDenied("Only the group's editors describe what it can do.")
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            profile_save(
                organisation=organisation,
                by=request.user,
                summary=form.cleaned_data["summary"],
                areas=form.cleaned_data["areas_text"],
                years_active=form.cleaned_data["years_active"],
                terms=form.cleaned_data["terms"],
                counts=form.counts(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Saved. A moderator will check what you have ticked.")
            return redirect("coproduction:profile", organisation_id=organisation.pk)
    return _profile_page(request, organisation, form=form, status=400)


@login_required
@require_POST
def profile_verify(request, organisation_id):
    organisation = access.profile_organisation(request, organisation_id)
    if not access.can_verify(request.user):
        raise PermissionDenied("Only moderators verify what groups say they offer.")
    item = CapabilityItem.objects.filter(
        profile__organisation=organisation, pk=request.POST.get("item") or 0
    ).first()
    if item is None:
        raise Http404("No such item.")
    if request.POST.get("action") == "unverify":
        item_unverify(item=item)
        messages.success(request, f"{item.term.name}: no longer verified.")
        return redirect("coproduction:profile", organisation_id=organisation.pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            item_verify(item=item, by=request.user, evidence=form.cleaned_data["evidence"])
        except Refused as refused:
            form.add_error("evidence", str(refused))
        else:
            messages.success(request, f"{item.term.name}: verified.")
            return redirect("coproduction:profile", organisation_id=organisation.pk)
    return _profile_page(request, organisation, verify=form, status=400)


MATRIX_ASKS = 30


@access.coproduction_required
def matrix(request):
    """Community groups against the open asks a person can see: how well each fits each."""
    if not (access.sees_all(request.user) or access.teams_for_user(request.user).exists()):
        raise PermissionDenied("The capability matrix is for service teams and commissioners.")
    form = MatrixFilterForm(request.GET or None)
    asks = access.visible_asks(request.user).filter(status=Ask.Status.OPEN).order_by("title")
    community = sort = None
    if form.is_bound and form.is_valid():
        if form.cleaned_data["service_line"]:
            asks = asks.filter(service_line=form.cleaned_data["service_line"])
        area = form.cleaned_data["area"]
        community = form.cleaned_data["community"]
        sort = form.cleaned_data["sort"]
        asks = [
            a
            for a in asks.prefetch_related("capabilities", "communities")
            if not area or area in a.areas
        ]
    elif form.is_bound:
        asks = []
    else:
        asks = list(asks.prefetch_related("capabilities", "communities"))
    shown = list(asks)[:MATRIX_ASKS]
    table = capability_matrix(shown, community=community, sort_ask=sort)
    if request.GET.get("format") == "csv":
        header = ["Group", *(f"{a.title} ({a.team.name})" for a in table.asks)]
        rows = (
            [row.profile.organisation.title, *(f.score for f in row.fits)] for row in table.rows
        )
        return mark_private(csv_response("capability-matrix.csv", header, rows))
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("format", None)
    return render(
        request,
        "coproduction/matrix.html",
        {
            "form": form,
            "table": table,
            "more_asks": len(asks) > MATRIX_ASKS,
            "query": query.urlencode(),
            "sort": sort,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
