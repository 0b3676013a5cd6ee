"""Kiosk mode: the matching flow for anyone at a library or hub screen, without signing in.

Nothing about the person is kept on the server: no rows, no session, no logs of answers. The
answers live in the browser, sealed (matching.kiosk): in each page's forms, and in one cookie.
Every form posts, and every successful post is answered with a 303 to the address of the page
that comes next, which draws itself from the cookie: so Back, Forward and reload work without
"Confirm form resubmission", and the address bar always names the step on screen. Addresses
carry no answers. Every page is sent with ``Cache-Control: no-store``; Finish deletes the
cookie. Only if the person asks is their list printed, or e-mailed to an address that is
used once and not kept (never put in the cookie).
"""

from __future__ import annotations

import functools
import logging
from smtplib import SMTPException

from django.conf import settings
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from common.http import parse_id
from common.ratelimit import limits_exceeded, limits_record, public_form_limits

from ..engine import MatchOutcome, match_outcome
from ..forms.preferences import NEED_LABELS
from ..kiosk import (
    COOKIE_NAME,
    IDLE_SECONDS,
    MAX_COOKIE_CHARS,
    PAGE_SECONDS,
    STATE_FIELD,
    WARNING_SECONDS,
    EmailListForm,
    KioskStateError,
    KioskVisit,
    state_open,
    state_seal,
    visit_open,
    visit_seal,
)
from ..kiosk_steps import STEPS, KioskStep
from ..printed import entries_from_cards
from ..services import kiosk_list_email
from ..suggestions import Card

logger = logging.getLogger(__name__)

# What a step's post holds besides the step's own fields: never kept in a draft.
NOT_DRAFT = frozenset({"csrfmiddlewaretoken", STATE_FIELD, "go", "add_row", "activities"})


def kiosk_page(view):
    """No copy of a kiosk page may be kept (Back after Finish must not show the answers), and
    none should be indexed."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _page(request, template, context, *, address: str, status=200):
    """A kiosk page. `address` is the page's own GET address: kiosk.js puts it in the address
    bar of a page that answered a post directly (a mistake shown where it was made), so that
    Back and reload fetch it rather than post again."""
    context = {
        "idle_seconds": IDLE_SECONDS,
        "warning_seconds": WARNING_SECONDS,
        "steps": STEPS,
        "kiosk_address": address,
        **context,
    }
    return render(request, template, context, status=status)


# The visit in its cookie --------------------------------------------------------------------


def _cookie_path() -> str:
    return reverse("matching:kiosk")


def _visit(request) -> KioskVisit | None:
    """The visit in the cookie; None if there is none. KioskStateError if it is not ours or
    the person has gone quiet for too long."""
    token = request.COOKIES.get(COOKIE_NAME)
    return visit_open(token) if token else None


def _keep(response, visit: KioskVisit) -> bool:
    """Put the visit in the cookie (sealed afresh, so it opens pages for REOPEN_SECONDS from
    now). False if it is too big for a cookie: the caller shows its page directly."""
    token = visit_seal(visit)
    if len(token) > MAX_COOKIE_CHARS:
        return False
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=PAGE_SECONDS,
        path=_cookie_path(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return True


def _forget(response):
    response.delete_cookie(COOKIE_NAME, path=_cookie_path(), samesite="Strict")
    return response


def _go(address: str, visit: KioskVisit, direct):
    """Answer a post with a 303 to `address`, the visit in the cookie. A visit too big for a
    cookie is shown directly by `direct()` (that page is then only reached by posting)."""
    response = redirect(address)
    response.status_code = 303
    if _keep(response, visit):
        return response
    return _forget(direct())


def _start_again(request, error: KioskStateError):
    return _forget(
        _page(
            request,
            "matching/kiosk/start_again.html",
            {"expired": error.expired},
            address=reverse("matching:kiosk"),
            status=400,
        )
    )


def _step_address(step: KioskStep) -> str:
    return reverse("matching:kiosk_step", args=[step.slug])


# The steps --------------------------------------------------------------------------------


def _step_page(request, step: KioskStep, answers: dict, form=None):
    if form is None:
        form = step.form(None, answers)
    context = {
        "step": step,
        "number": STEPS.number(step),
        "total": len(STEPS),
        "previous": STEPS.before(step),
        "last": STEPS.after(step) is None,
        "form": form,
        "state": state_seal(answers),
        "has_answers": bool(answers),
        **step.context(form, answers),
    }
    return _page(request, step.template, context, address=_step_address(step))


def _draft_form(step: KioskStep, visit: KioskVisit):
    """The step's form as it was posted with mistakes (errors and all), or with a row added,
    if that is what the cookie holds for this step."""
    draft = visit.draft
    if not draft or draft.get("step") != step.slug:
        return None
    data = QueryDict(mutable=True)
    for name, values in draft["data"].items():
        data.setlist(name, values)
    form = step.form(data, visit.answers)
    if draft.get("add_row"):
        extra = step.with_extra_row(form)
        if extra is not None:
            return extra
    step.complete(form)  # as when it was posted: the errors to show
    return form


def _draft(step: KioskStep, request, *, add_row: bool = False) -> dict:
    data = {name: request.POST.getlist(name) for name in request.POST if name not in NOT_DRAFT}
    return {"step": step.slug, "data": data, "add_row": add_row}


def _next_address(step: KioskStep) -> str:
    after = STEPS.after(step)
    return _step_address(after) if after else reverse("matching:kiosk_results")


def _shown_after(request, step: KioskStep, answers: dict):
    """The page after `step`, drawn directly (for a visit too big for the cookie)."""
    after = STEPS.after(step)
    return _step_page(request, after, answers) if after else _results_page(request, answers)


@kiosk_page
@require_http_methods(["GET", "HEAD"])
def kiosk_start(request):
    """The way in, from the home page or "Start again": always a fresh start."""
    response = redirect("matching:kiosk_step", step=STEPS.first.slug)
    return _forget(response) if COOKIE_NAME in request.COOKIES else response


@kiosk_page
@require_http_methods(["GET", "HEAD", "POST"])
def kiosk_step(request, step):
    current = STEPS.get(step)
    if current is None:
        raise Http404("No such step.")
    if request.method == "POST":
        return _step_post(request, current)
    try:
        visit = _visit(request)
    except KioskStateError as error:
        return _start_again(request, error)
    if visit is None:
        if current is STEPS.first:
            return _step_page(request, current, {})
        # A step is only ever reached with the answers so far.
        return redirect("matching:kiosk")
    response = _step_page(request, current, visit.answers, form=_draft_form(current, visit))
    _keep(response, visit)
    return response


def _step_post(request, current: KioskStep):
    try:
        answers = state_open(request.POST.get(STATE_FIELD))
    except KioskStateError as error:
        return _start_again(request, error)
    chosen = _posted_ids(request)[0]

    def go(step: KioskStep | None, answers: dict, *, draft=None, form=None):
        visit = KioskVisit(answers=answers, chosen=chosen, draft=draft)
        if step is None:
            return _go(
                _next_address(current), visit, lambda: _shown_after(request, current, answers)
            )
        return _go(
            _step_address(step), visit, lambda: _step_page(request, step, answers, form=form)
        )

    action = request.POST.get("go", "next")
    if action == "show":
        return go(current, answers)
    if action == "skip" and current.optional:
        return go(None, answers)

    form = current.form(request.POST, answers)
    if "add_row" in request.POST:
        extra = current.with_extra_row(form)
        if extra is not None:
            return go(current, answers, draft=_draft(current, request, add_row=True), form=extra)
    valid = current.complete(form)
    if valid:
        answers = current.merge(form, answers)
    previous = STEPS.before(current)
    if action == "back" and previous is not None:
        # Going back keeps this page's answers if they are complete, and never blocks.
        return go(previous, answers)
    if valid:
        return go(None, answers)
    return go(current, answers, draft=_draft(current, request), form=form)


# Results, print and e-mail ----------------------------------------------------------------


def _posted_ids(request) -> tuple[list[int], bool]:
    """The ticked activities as numbers, and whether every value posted was one."""
    values = request.POST.getlist("activities")
    ids = [parse_id(value) for value in values]
    return list(dict.fromkeys(pk for pk in ids if pk is not None)), None not in ids


def _points(cards: list[Card]) -> list[dict]:
    points = []
    for card in cards:
        point = card.point
        if point:
            # The map's links go to the item in the list: leaving the page would lose it all.
            points.append({**point, "url": f"#suggestion-{card.activity.pk}"})
    return points


def _results_page(
    request,
    answers: dict,
    *,
    outcome: MatchOutcome | None = None,
    chosen=(),
    email_form=None,
    choice_error: str = "",
    sent: bool = False,
    status: int = 200,
):
    outcome = outcome or match_outcome(answers)
    if outcome.unavailable:
        status = 503
    known = outcome.cards_by_id
    return _page(
        request,
        "matching/kiosk/results.html",
        {
            "outcome": outcome,
            "cards": outcome.cards,
            "network": outcome.network,
            "points": _points(outcome.cards),
            "chosen_ids": {pk for pk in chosen if pk in known},
            "email_form": email_form or EmailListForm(),
            "choice_error": choice_error,
            "sent": sent,
            "state": state_seal(answers),
            "total": len(STEPS),
        },
        address=reverse("matching:kiosk_results"),
        status=status,
    )


def _chosen_cards(request, outcome: MatchOutcome) -> tuple[list[Card], str]:
    """The ticked suggestions in list order, or a message saying what is wrong."""
    ids, all_numbers = _posted_ids(request)
    return _cards_for(ids, all_numbers, outcome)


def _cards_for(ids: list[int], all_numbers: bool, outcome: MatchOutcome) -> tuple[list[Card], str]:
    cards = outcome.cards_by_id
    if not all_numbers or any(pk not in cards for pk in ids):
        return [], "Something you chose is not on your list any more. Please choose again."
    if not ids:
        return [], "Tick at least one thing you would like to try."
    return sorted((cards[pk] for pk in ids), key=lambda card: card.number), ""


def _visit_or_start(request):
    """The visit for a GET page, or the response that sends the person back to the start."""
    try:
        visit = _visit(request)
    except KioskStateError as error:
        return None, _start_again(request, error)
    if visit is None:
        return None, redirect("matching:kiosk")
    return visit, None


@kiosk_page
@require_http_methods(["GET", "HEAD"])
def kiosk_results(request):
    visit, elsewhere = _visit_or_start(request)
    if elsewhere:
        return elsewhere
    response = _results_page(request, visit.answers, chosen=visit.chosen, sent=visit.sent)
    # "We have sent your list" is news once; Back or reload shows the list without it.
    visit.sent = False
    _keep(response, visit)
    return response


def _print_page(request, answers: dict, chosen: list[Card]):
    return _page(
        request,
        "matching/kiosk/print.html",
        {
            "cards": chosen,
            "entries": entries_from_cards(chosen),
            "needs": _need_notes(answers),
        },
        address=reverse("matching:kiosk_print"),
    )


@kiosk_page
@require_http_methods(["GET", "HEAD", "POST"])
def kiosk_print(request):
    if request.method == "POST":
        try:
            answers = state_open(request.POST.get(STATE_FIELD))
        except KioskStateError as error:
            return _start_again(request, error)
        outcome = match_outcome(answers)
        chosen, problem = _chosen_cards(request, outcome)
        if problem:
            return _results_page(
                request, answers, outcome=outcome, choice_error=problem, status=400
            )
        visit = KioskVisit(answers=answers, chosen=[card.activity.pk for card in chosen])
        return _go(
            reverse("matching:kiosk_print"), visit, lambda: _print_page(request, answers, chosen)
        )
    visit, elsewhere = _visit_or_start(request)
    if elsewhere:
        return elsewhere
    chosen, problem = _cards_for(visit.chosen, True, match_outcome(visit.answers))
    if problem:
        # The list changed since (an activity was unpublished): choose again.
        return redirect("matching:kiosk_results")
    response = _print_page(request, visit.answers, chosen)
    _keep(response, visit)
    return response


def _need_notes(answers: dict) -> list[dict]:
    """The needs, most important first, with the person's words where they gave some."""
    needs = [n for n in answers.get("needs", []) if n in NEED_LABELS]
    notes = {
        note.get("need"): note for note in answers.get("need_notes", []) if isinstance(note, dict)
    }
    return [
        {
            "label": NEED_LABELS[need],
            "in_their_words": notes.get(need, {}).get("in_their_words", ""),
            "who_will_help": notes.get(need, {}).get("who_will_help", ""),
        }
        for need in needs
    ]


@kiosk_page
@require_POST
def kiosk_email(request):
    try:
        answers = state_open(request.POST.get(STATE_FIELD))
    except KioskStateError as error:
        return _start_again(request, error)
    outcome = match_outcome(answers)
    form = EmailListForm(request.POST)
    chosen, problem = _chosen_cards(request, outcome)
    keep = [card.activity.pk for card in chosen]

    # A mistake is shown on the page that answers this post, never by way of the cookie:
    # the address typed must not be kept anywhere, not even in the person's own browser.
    def again(status, **kwargs):
        return _results_page(
            request,
            answers,
            outcome=outcome,
            chosen=keep,
            email_form=form,
            status=status,
            **kwargs,
        )

    if problem:
        form.is_valid()
        return again(400, choice_error=problem)
    if not form.is_valid():
        return again(400)
    # Per screen (a library's one address serves a queue of people) and per recipient (nobody's
    # inbox can be flooded from many screens). Only real sends count, so a typing mistake does
    # not use up a shared screen's allowance.
    limits = public_form_limits(
        request,
        scope="kiosk-email",
        target=form.cleaned_data["email"],
        per_address=settings.KIOSK_EMAIL_RATE_LIMIT,
    )
    refused = limits_exceeded(limits)
    if refused is not None:
        form.add_error(
            "email",
            "Too many e-mails have been sent from this screen. Please print your list."
            if refused is limits[0][0]
            else "This address has been sent several lists in the last hour. Please print "
            "your list instead.",
        )
        return again(429)
    try:
        kiosk_list_email(address=form.cleaned_data["email"], cards=chosen)
    except (SMTPException, OSError) as exc:
        # The type only: the error's text can hold the address.
        logger.error("Could not send a kiosk list by e-mail (%s)", type(exc).__name__)
        form.add_error("email", "The e-mail could not be sent just now. Please print your list.")
        return again(503)
    limits_record(limits)
    visit = KioskVisit(answers=answers, chosen=keep, sent=True)
    return _go(
        reverse("matching:kiosk_results"),
        visit,
        lambda: _results_page(request, answers, outcome=outcome, chosen=keep, sent=True),
    )


# Still here -------------------------------------------------------------------------------


@kiosk_page
@require_POST
def kiosk_still_here(request):
    """kiosk.js posts here now and then while someone is using the screen, so that the pages
    they have seen stay open to Back and Forward for REOPEN_SECONDS after their last touch,
    however long they spend on one page. It sends nothing of theirs."""
    response = HttpResponse(status=204)
    try:
        visit = _visit(request)
    except KioskStateError:
        return _forget(response)
    if visit is not None:
        _keep(response, visit)
    return response


# Finish -----------------------------------------------------------------------------------


@kiosk_page
@require_http_methods(["GET", "HEAD", "POST"])
def kiosk_finish(request):
    response = _page(request, "matching/kiosk/finished.html", {}, address=reverse("matching:kiosk"))
    # Not "cookies": a member of staff signed in on the same browser would be signed out. The
    # kiosk's own cookie goes by name.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return _forget(response)
