"""Kiosk mode: the matching flow for anyone at a library or hub screen, without signing in.

Nothing about the person is kept on the server: no rows, no session, no logs of answers. The
answers so far ride along in each page as signed JSON (matching.kiosk), every page is POSTed
(so answers never sit in a URL) and sent with ``Cache-Control: no-store``. Only if the person
asks is their list printed, or e-mailed to an address that is used once and not kept.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from common.http import client_address
from common.ratelimit import rate_limit_hit
from search.selectors import SearchBackendError

from ..answers import MatchInputError
from ..engine import match_answers
from ..forms.network import kind_table, member_formset, network_diagram
from ..forms.preferences import NEED_LABELS, NeedsForm, PreferencesForm, TopThreeForm
from ..kiosk import (
    STATE_FIELD,
    EmailListForm,
    KioskStateError,
    PlaceForm,
    state_read,
    state_sign,
)
from ..network import members_from_dicts
from ..suggestions import (
    Card,
    suggestion_cards,
)

logger = logging.getLogger(__name__)

SUGGESTION_LIMIT = 10
# How long a screen may sit untouched before kiosk.js asks "Still there?", then how long it
# waits for an answer before it presses Finish itself.
IDLE_SECONDS = 5 * 60
WARNING_SECONDS = 60
# An empty map gets a few blank rows, so that without JavaScript most people need no extra
# round trip for "Add another".
EMPTY_MAP_ROWS = 3
UNUSABLE_ANSWERS = "Some of your answers could not be used."


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    template: str
    optional: bool = True


STEPS = (
    Step("place", "Where you are", "matching/kiosk/start.html", optional=False),
    Step("people", "Your people", "matching/kiosk/people.html"),
    Step("enjoy", "What you enjoy", "matching/kiosk/enjoy.html"),
    Step("top-three", "Your top three", "matching/kiosk/top_three.html"),
    Step("needs", "What matters to you", "matching/kiosk/needs.html"),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}


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


def _page(request, template, context, *, status=200):
    context = {
        "idle_seconds": IDLE_SECONDS,
        "warning_seconds": WARNING_SECONDS,
        "steps": STEPS,
        **context,
    }
    return render(request, template, context, status=status)


def _start_again(request, error: KioskStateError):
    return _page(
        request,
        "matching/kiosk/start_again.html",
        {"expired": error.expired},
        status=400,
    )


# The steps --------------------------------------------------------------------------------


def _members(answers: dict) -> list:
    network = answers.get("network")
    rows = network.get("members", []) if isinstance(network, dict) else []
    try:
        return members_from_dicts(rows if isinstance(rows, list) else [])
    except ValueError:
        # Signed by us, so only a change in the rules can get here: start the map afresh.
        return []


def _form(step: Step, data, answers: dict):
    if step.slug == "place":
        return PlaceForm(data, initial={"near": answers.get("near", "")})
    if step.slug == "people":
        if data is not None:
            return member_formset(data)
        members = _members(answers)
        return member_formset(members=members, extra=1 if members else EMPTY_MAP_ROWS)
    if step.slug == "enjoy":
        return PreferencesForm(data, initial=PreferencesForm.initial_from_answers(answers))
    if step.slug == "top-three":
        return TopThreeForm(
            data,
            interests=answers.get("interests", []),
            initial=TopThreeForm.initial_from_answers(answers),
        )
    return NeedsForm(data, initial=NeedsForm.initial_from_answers(answers))


def _valid(step: Step, form) -> bool:
    if step.slug != "people":
        return form.is_valid()
    if form.is_valid():
        return True
    # The map is optional here: nobody on it is an answer, not a mistake.
    return not any(form.errors) and all(
        error.code == "empty" for error in form.non_form_errors().as_data()
    )


def _merge(step: Step, form, answers: dict) -> dict:
    answers = dict(answers)
    if step.slug == "place":
        answers["near"] = form.cleaned_data["near"]
    elif step.slug == "people":
        members = form.members()
        if members:
            answers["network"] = {"members": [member.as_dict() for member in members]}
        else:
            answers.pop("network", None)
    elif step.slug == "enjoy":
        answers.update(form.answers())
        interests = set(answers["interests"])
        if interests and answers.get("top_three"):
            # As in the facilitated flow: a top three no longer among the interests goes.
            answers["top_three"] = [s for s in answers["top_three"] if s in interests]
    else:
        answers.update(form.answers())
    return answers


def _step_page(request, step: Step, answers: dict, form=None):
    if form is None:
        form = _form(step, None, answers)
    index = STEPS.index(step)
    context = {
        "step": step,
        "number": index + 1,
        "total": len(STEPS),
        "previous": STEPS[index - 1] if index else None,
        "last": index == len(STEPS) - 1,
        "form": form,
        "state": state_sign(answers),
    }
    if step.slug == "people":
        context.update(
            formset=form,
            diagram=network_diagram(form.draft_members()),
            kinds=kind_table(),
            has_errors=form.is_bound and bool(form.total_error_count()),
        )
    elif step.slug == "top-three":
        context["chose_interests"] = bool(set(answers.get("interests", [])) & set(form.offered))
    return _page(request, step.template, context)


def _after(request, step: Step, answers: dict):
    index = STEPS.index(step)
    if index + 1 < len(STEPS):
        return _step_page(request, STEPS[index + 1], answers)
    return _results_page(request, answers)


def _answers(request) -> dict:
    return state_read(request.POST.get(STATE_FIELD))


@kiosk_page
@require_http_methods(["GET", "HEAD"])
def kiosk_start(request):
    return _step_page(request, STEPS[0], {})


@kiosk_page
@require_http_methods(["GET", "HEAD", "POST"])
def kiosk_step(request, step):
    current = STEP_BY_SLUG.get(step)
    if current is None:
        raise Http404("No such step.")
    if request.method != "POST":
        # A step is only ever reached with the answers so far, which are never in a URL.
        return redirect("matching:kiosk")
    try:
        answers = _answers(request)
    except KioskStateError as error:
        return _start_again(request, error)

    go = request.POST.get("go", "next")
    if go == "show":
        return _step_page(request, current, answers)
    if go == "skip" and current.optional:
        return _after(request, current, answers)

    form = _form(current, request.POST, answers)
    if current.slug == "people" and "add_row" in request.POST:
        return _step_page(request, current, answers, form=form.with_extra_row())
    valid = _valid(current, form)
    if valid:
        answers = _merge(current, form, answers)
    index = STEPS.index(current)
    if go == "back" and index:
        # Going back keeps this page's answers if they are complete, and never blocks.
        return _step_page(request, STEPS[index - 1], answers)
    if valid:
        return _after(request, current, answers)
    return _step_page(request, current, answers, form=form)


# Results, print and e-mail ----------------------------------------------------------------


@dataclass
class Outcome:
    cards: list[Card]
    network: object = None
    problem: str = ""
    unavailable: bool = False

    def by_id(self) -> dict[int, Card]:
        return {card.activity.pk: card for card in self.cards}


def _match(answers: dict) -> Outcome:
    try:
        result = match_answers(answers, limit=SUGGESTION_LIMIT)
    except MatchInputError as exc:
        # The postcode's messages are written for the public; the others name API fields.
        message = exc.message if exc.field == "near" else UNUSABLE_ANSWERS
        return Outcome(cards=[], problem=message)
    except SearchBackendError:
        # The exception only: its arguments could carry the search, and so the answers.
        logger.error("Search backend failed while suggesting activities at a kiosk")
        return Outcome(cards=[], unavailable=True)
    cards = suggestion_cards(result)
    return Outcome(cards=cards, network=result.network)


def _posted_ids(request) -> tuple[list[int], bool]:
    """The ticked activities as numbers, and whether every value posted was one."""
    values = request.POST.getlist("activities")
    ids = [int(value) for value in values if value.isdigit()]
    return list(dict.fromkeys(ids)), len(ids) == len(values)


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
    outcome: Outcome | None = None,
    chosen=(),
    email_form=None,
    choice_error: str = "",
    sent: bool = False,
    status: int = 200,
):
    outcome = outcome or _match(answers)
    if outcome.unavailable:
        status = 503
    return _page(
        request,
        "matching/kiosk/results.html",
        {
            "outcome": outcome,
            "cards": outcome.cards,
            "network": outcome.network,
            "points": _points(outcome.cards),
            "chosen_ids": set(chosen),
            "email_form": email_form or EmailListForm(),
            "choice_error": choice_error,
            "sent": sent,
            "state": state_sign(answers),
            "total": len(STEPS),
        },
        status=status,
    )


def _chosen_cards(request, outcome: Outcome) -> tuple[list[Card], str]:
    """The ticked suggestions in list order, or a message saying what is wrong."""
    ids, all_numbers = _posted_ids(request)
    cards = outcome.by_id()
    if not all_numbers or any(pk not in cards for pk in ids):
        return [], "Something you chose is not on your list any more. Please choose again."
    if not ids:
        return [], "Tick at least one thing you would like to try."
    return sorted((cards[pk] for pk in ids), key=lambda card: card.number), ""


@kiosk_page
@require_POST
def kiosk_results(request):
    try:
        answers = _answers(request)
    except KioskStateError as error:
        return _start_again(request, error)
    outcome = _match(answers)
    known = outcome.by_id()
    chosen = [pk for pk in _posted_ids(request)[0] if pk in known]
    return _results_page(request, answers, outcome=outcome, chosen=chosen)


@kiosk_page
@require_POST
def kiosk_print(request):
    try:
        answers = _answers(request)
    except KioskStateError as error:
        return _start_again(request, error)
    outcome = _match(answers)
    chosen, problem = _chosen_cards(request, outcome)
    if problem:
        return _results_page(request, answers, outcome=outcome, choice_error=problem, status=400)
    return _page(
        request,
        "matching/kiosk/print.html",
        {
            "cards": chosen,
            "needs": _need_notes(answers),
            "state": state_sign(answers),
        },
    )


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
        answers = _answers(request)
    except KioskStateError as error:
        return _start_again(request, error)
    outcome = _match(answers)
    form = EmailListForm(request.POST)
    chosen, problem = _chosen_cards(request, outcome)
    keep = [card.activity.pk for card in chosen]

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
    # Only real sends count, so a typing mistake does not use up a shared screen's allowance.
    if not rate_limit_hit(
        scope="kiosk-email",
        key=client_address(request),
        limit=settings.KIOSK_EMAIL_RATE_LIMIT,
    ):
        form.add_error(
            "email", "Too many e-mails have been sent from this screen. Please print your list."
        )
        return again(429)
    body = render_to_string(
        "matching/kiosk/email.txt",
        {"cards": chosen, "base_url": settings.WAGTAILADMIN_BASE_URL},
    )
    try:
        send_mail("Your list of things to try", body, None, [form.cleaned_data["email"]])
    except (SMTPException, OSError) as exc:
        # The type only: the error's text can hold the address.
        logger.error("Could not send a kiosk list by e-mail (%s)", type(exc).__name__)
        form.add_error("email", "The e-mail could not be sent just now. Please print your list.")
        return again(503)
    return _results_page(request, answers, outcome=outcome, chosen=keep, sent=True)


# Finish -----------------------------------------------------------------------------------


@kiosk_page
@require_http_methods(["GET", "HEAD", "POST"])
def kiosk_finish(request):
    response = _page(request, "matching/kiosk/finished.html", {})
    # Not "cookies": a member of staff signed in on the same browser would be signed out.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response
