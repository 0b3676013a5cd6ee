from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from assets_directory.models import AccessibilityFeature, Activity, Category
from assets_directory.selectors import activity_card_photos
from common.http import parse_id, same_site_path
from common.middleware import private_page
from common.ratelimit import limits_exceeded, limits_record, public_form_limits
from common.vocabulary import AUDIENCE_LABELS, DAY_CHOICES, DELIVERY_LABELS, TIME_OF_DAY_CHOICES

from . import shortlist
from .api import run_search
from .forms import ShortlistEmailForm
from .params import PAGE_RADIUS_KM, YOUR_LOCATION, is_point, page_search_params
from .query import FACETS, MAX_RADIUS_M
from .understanding import understood_page_params
from .widening import wider_searches

RADII_KM = (1, 2, 5, 10, 20)
# A message about one activity carries this tag and its id ("activity-42").
PLACED_TAG = "activity-"
DAYS = DAY_CHOICES
TIMES = TIME_OF_DAY_CHOICES
DELIVERY = tuple(DELIVERY_LABELS.items())
AUDIENCE = tuple(AUDIENCE_LABELS.items())


def _as_typed(params) -> str:
    """The same search with the words searched as they are, nothing read from them."""
    data = params.copy()
    data.pop("page", None)
    data["understand"] = "false"
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
    # The parameters as the person gave them, for the form and the page links: the words are
    # read afresh each time, so a place or a day typed in "What" is never stuck in a field.
    params = page_search_params(request.GET)
    # And as applied, the words read (search.understanding), for the search, the map and the
    # wider searches.
    applied, understanding = understood_page_params(request.GET)
    applied.pop("understand", None)
    parsed = results = error = None
    if has_search:
        data = applied.copy()
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
        "audience_options": AUDIENCE,
        "shortlist_ids": set(shortlist.shortlist_ids(request.session)),
        # The map asks the API, which refuses typed parameters sent empty: leave them out.
        "geojson_query": _without_blanks(applied),
        "understanding": understanding,
        "as_typed_query": _as_typed(request.GET) if understanding.understood else "",
        "suggestions": wider_searches(applied, parsed) if results and not results.total else [],
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
        # The results' photos, all in three queries (the index holds no pictures).
        context["photos"] = activity_card_photos([hit.id for hit in results.hits])
    if results is not None and results.did_you_mean:
        # The corrected words, searched as such, with every filter kept: from the first page.
        corrected = params.copy()
        corrected["q"] = results.did_you_mean
        corrected.pop("page", None)
        context["did_you_mean_url"] = "?" + corrected.urlencode()
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
    if activity_id is None or not Activity.objects.visible().filter(pk=activity_id).exists():
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
                shortlist.shortlist_email(activities=activities, to=form.cleaned_data["email"])
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
