from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.mail import send_mail
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from assets_directory.models import AccessibilityFeature, Activity, Category
from common.http import parse_id, same_site_path
from common.middleware import private_page
from common.ratelimit import limits_exceeded, limits_record, public_form_limits
from common.site import site_url

from . import shortlist
from .api import run_search
from .forms import ShortlistEmailForm
from .params import PAGE_RADIUS_KM, YOUR_LOCATION, is_point, page_search_params
from .query import FACETS, MAX_RADIUS_M

RADII_KM = (1, 2, 5, 10, 20)
# A message about one activity carries this tag and its id ("activity-42").
PLACED_TAG = "activity-"
DAYS = (
    ("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday"), ("thu", "Thursday"),
    ("fri", "Friday"), ("sat", "Saturday"), ("sun", "Sunday"),
)  # fmt: skip
TIMES = (("morning", "Morning"), ("afternoon", "Afternoon"), ("evening", "Evening"))
DELIVERY = (
    ("in_person", "In person"), ("online", "Online"), ("phone", "By phone"),
    ("area_wide", "Comes to you"),
)  # fmt: skip


def _without(params, name, value=None) -> str:
    """The current search's query string with one filter (or one value of it) removed."""
    data = params.copy()
    if value is None:
        data.pop(name, None)
    else:
        data.setlist(name, [v for v in data.getlist(name) if v != value])
    data.pop("page", None)
    return data.urlencode()


def _without_blanks(params) -> str:
    data = params.copy()
    for name in list(data):
        values = [v for v in data.getlist(name) if v.strip()]
        if values:
            data.setlist(name, values)
        else:
            del data[name]
    return data.urlencode()


def _suggestions(params, parsed) -> list[tuple[str, str]]:
    """Ways to widen a search that found nothing, as (label, query string)."""
    query = parsed.query
    suggestions = []
    if query.radius_m and query.radius_m < 20_000:
        wider = params.copy()
        wider["radius_km"] = f"{min(query.radius_m / 1000 * 2, 20):g}"
        suggestions.append((f"Search within {wider['radius_km']} km", wider.urlencode()))
    labels = {
        "category": "the category", "day": "the days", "time_of_day": "the time of day",
        "free": "free only", "max_cost": "the cost limit", "access": "the access needs",
        "delivery": "how it is delivered", "open_now": "open now", "age": "the age",
        "q": "the search words", "time_from": "the start time", "time_to": "the end time",
    }  # fmt: skip
    for name, label in labels.items():
        if params.get(name):
            suggestions.append((f"Remove {label}", _without(params, name)))
    return suggestions


def _radius_field(params, parsed) -> tuple[str, list[str]]:
    """The distance the form shows as chosen, and the choices: the one applied, always.

    With a place, that is the radius searched ("" for any distance). Without one nothing was
    applied, and the form offers what it would search next: the visitor's last choice, or the
    page's default.
    """
    if parsed is not None and parsed.query.near is not None:
        radius_m = parsed.query.radius_m
        chosen = f"{radius_m / 1000:g}" if radius_m else ""
    else:
        chosen = params.get("radius_km", str(PAGE_RADIUS_KM)).strip()
    choices = [str(r) for r in RADII_KM]
    if chosen and chosen not in choices:
        try:
            usable = 0 < float(chosen) <= MAX_RADIUS_M / 1000
        except ValueError:
            usable = False
        if usable:
            choices = sorted({*choices, chosen}, key=float)
        else:
            chosen = str(PAGE_RADIUS_KM)
    return chosen, choices


def search_page(request):
    has_search = any(request.GET.get(k) for k in request.GET if k != "page")
    # One copy of the parameters, as applied, for the search, the form, the map and the links.
    params = page_search_params(request.GET)
    parsed = results = error = None
    if has_search:
        data = params.copy()
        data.setlist("facets", list(FACETS))
        outcome = run_search(data, record_zero=True)
        parsed, results, error = outcome.parsed, outcome.results, outcome.error
    categories = Category.objects.filter(parent__isnull=True).prefetch_related("children")
    near = params.get("near", "").strip()
    radius, radii = _radius_field(params, parsed)
    context = {
        "params": params,
        # After "Use my location" the box names the place and the point stays out of sight.
        "near_text": YOUR_LOCATION if is_point(near) else near,
        "near_point": near if is_point(near) else "",
        "radius": radius,
        "parsed": parsed,
        "results": results,
        "error": error,
        "has_search": has_search,
        "categories": categories,
        "features": AccessibilityFeature.objects.all(),
        "radii": radii,
        "days": DAYS,
        "times": TIMES,
        "delivery_options": DELIVERY,
        "shortlist_ids": set(shortlist.shortlist_ids(request.session)),
        # The map asks the API, which refuses typed parameters sent empty: leave them out.
        "geojson_query": _without_blanks(params),
        "suggestions": _suggestions(params, parsed) if results and not results.total else [],
        # No empty map when nothing listed has a venue (all online, by phone or area-wide).
        "has_points": bool(results) and any(hit.lat is not None for hit in results.hits),
        "next_url": request.get_full_path(),
    }
    if results is not None:
        context["start_index"] = (results.page - 1) * results.page_size + 1
        # "Added to your list" goes beside the result it is about, where the reader is.
        context["messages"], context["placed_messages"] = _placed(
            request, {hit.id for hit in results.hits}
        )
    if results is not None and results.pages > 1:
        page_params = params.copy()
        page_params.pop("facets", None)
        for name, number in (("previous", results.page - 1), ("next", results.page + 1)):
            if 1 <= number <= results.pages:
                page_params["page"] = str(number)
                context[f"{name}_page_url"] = "?" + page_params.urlencode()
    status = outcome.status if has_search else 200
    return render(request, "search/search_page.html", context, status=status)


def _placed(request, ids) -> tuple[list, dict[int, object]]:
    """This request's messages: those for the page's top, and those about one of `ids` by id,
    to be shown beside it (the base template shows whatever is passed as `messages`)."""
    general, placed = [], {}
    for message in messages.get_messages(request):
        tags = message.extra_tags.split() if message.extra_tags else []
        about = next(
            (parse_id(t.removeprefix(PLACED_TAG)) for t in tags if t.startswith(PLACED_TAG)), None
        )
        if about in ids:
            placed[about] = message
        else:
            general.append(message)
    return general, placed


def _back(request) -> HttpResponseRedirect:
    """Back to the page the button was on, when `next` is a path on this site."""
    default = reverse("search:shortlist")
    return HttpResponseRedirect(same_site_path(request, request.POST.get("next"), default=default))


def _activity_id(request) -> int:
    activity_id = parse_id(request.POST.get("activity"))
    if activity_id is None or not Activity.objects.live().public().filter(pk=activity_id).exists():
        raise Http404("No such activity.")
    return activity_id


@require_POST
def shortlist_add(request):
    activity_id = _activity_id(request)
    # Tagged with the activity, so a page that lists it can say it beside it (see _placed).
    tag = f"{PLACED_TAG}{activity_id}"
    if shortlist.shortlist_add(request.session, activity_id):
        messages.success(request, "Added to your list.", extra_tags=tag)
    else:
        messages.error(
            request, f"Your list is full ({shortlist.MAX_ITEMS} activities).", extra_tags=tag
        )
    return _back(request)


@require_POST
def shortlist_remove(request):
    activity_id = parse_id(request.POST.get("activity"))
    if activity_id is None:
        raise Http404("No such activity.")
    shortlist.shortlist_remove(request.session, activity_id)
    messages.success(request, "Removed from your list.", extra_tags=f"{PLACED_TAG}{activity_id}")
    return _back(request)


@require_POST
def shortlist_clear(request):
    shortlist.shortlist_clear(request.session)
    messages.success(request, "Your list is empty.")
    return redirect("search:shortlist")


@private_page
@require_http_methods(["GET", "POST"])
def shortlist_page(request):
    activities = shortlist.shortlist_activities(request.session)
    form = ShortlistEmailForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and activities:
            # Per address and per recipient, counting lists really sent (see common.ratelimit).
            limits = public_form_limits(
                request, scope="shortlist-email", target=form.cleaned_data["email"]
            )
            if limits_exceeded(limits):
                form.add_error(
                    "email",
                    "Too many lists have been e-mailed from here, or to this address, in the "
                    "last hour. Please wait an hour, or print your list.",
                )
                status = 429
            else:
                body = render_to_string(
                    "search/emails/shortlist.txt",
                    {"activities": activities, "base_url": site_url()},
                )
                send_mail("Your list of activities", body, None, [form.cleaned_data["email"]])
                limits_record(limits)
                messages.success(request, "We have sent your list.")
                return redirect("search:shortlist")
        elif form.is_spam:
            return redirect("search:shortlist")
        elif not activities:
            form.add_error(None, "Your list is empty: add some activities first.")
            status = 400
        else:
            status = 400
    return render(
        request,
        "search/shortlist.html",
        {"activities": activities, "form": form, "search_url": "/search/?" + urlencode({})},
        status=status,
    )
