"""The referral API: other systems of a team's make referrals and follow them through.

Every request carries one of the team's API keys (`Authorization: Bearer cgr_…`), issued by
the team's leads; a key sees its own team's referrals only, and anything else does not exist
(404, as on the team's pages). Statuses are FHIR Task codes (referrals.status); the API speaks
as the team that made the referral, so it may cancel a referral or record how it went, and
the group's answers (accept, decline) come from the group. Each change is audited on the
person's record, naming the key's system.
"""

from __future__ import annotations

import json
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from common.forms import plain_text_field
from common.http import MAX_ID
from common.middleware import private_page
from common.site import absolute_url
from matching.models import Person

from . import services
from .forms import ReferForm
from .models import ApiKey, Referral
from .selectors import is_overdue
from .status import FHIR_CODES, REASON_LABELS, Party, Reason, Status, TransitionError

MAX_BODY_BYTES = 16 * 1024
PAGE_SIZE = 50
MAX_PAGE = 10_000
STATUS_FROM_FHIR = {code: status for status, code in FHIR_CODES.items()}

# The shared details, with the most each may hold (as on the team's refer form).
SHARED_FIELDS = {
    "first_name": 80,
    "contact": 200,
    "help_with": 1000,
    "access_needs": 500,
}


class ApiError(Exception):
    def __init__(self, message: str, field: str | None = None, status: int = 400):
        self.message, self.field, self.status = message, field, status
        super().__init__(message)


def _error(error: ApiError) -> JsonResponse:
    response = JsonResponse({"error": error.message, "field": error.field}, status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="referrals"'
    return response


def api_view(methods: tuple[str, ...]):
    """Authenticate the key, allow only `methods`, keep every answer out of caches, and turn
    ApiError into its JSON answer. The view is called with the key."""

    def decorate(view):
        @csrf_exempt  # a bearer key, not a cookie: a browser cannot be made to send it
        @private_page  # referrals describe a person
        def wrapped(request, *args, **kwargs):
            try:
                if request.method not in methods:
                    response = _error(ApiError("Method not allowed.", status=405))
                    response["Allow"] = ", ".join(methods)
                    return response
                key = _authenticate(request)
                return view(request, key, *args, **kwargs)
            except ApiError as error:
                return _error(error)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate


def _authenticate(request) -> ApiKey:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ApiError(
            "Send one of your team's API keys as 'Authorization: Bearer <key>'. A team lead "
            "can make one on the team's API keys page.",
            status=401,
        )
    key = services.api_key_authenticate(raw.strip())
    if key is None:
        raise ApiError("That API key is not known, or it has been revoked.", status=401)
    return key


def _json_body(request) -> dict:
    if len(request.body) > MAX_BODY_BYTES:
        raise ApiError("The request is too large.", status=413)
    try:
        data = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError("Send a JSON object (Content-Type: application/json).") from None
    if not isinstance(data, dict):
        raise ApiError("Send a JSON object (Content-Type: application/json).")
    return data


def _uuid(value, field: str) -> uuid.UUID:
    if not isinstance(value, str):
        raise ApiError(f"{field} must be a reference (a UUID).", field)
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ApiError(f"{field} must be a reference (a UUID).", field) from None


def _string(data: dict, field: str, *, required: bool = False, choices=None) -> str:
    value = data.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ApiError(f"{field} must be a string.", field)
    if choices is not None and value not in choices:
        raise ApiError(f"{field} must be one of: {', '.join(choices)}.", field)
    return value


def _plain_text(value: str, *, field: str, max_length: int) -> str:
    """`value` as the team's forms would take it: normalised, without control characters."""
    try:
        return plain_text_field(
            forms.CharField(max_length=max_length, required=False, widget=forms.Textarea),
            name=field,
        ).clean(value)
    except ValidationError as error:
        raise ApiError(f"{field}: {error.messages[0]}", field) from None


def _referral_for(key: ApiKey, reference: str) -> Referral:
    try:
        reference = uuid.UUID(reference)
    except ValueError:
        raise ApiError("No referral of your team has that id.", "id", status=404) from None
    found = (
        Referral.objects.filter(team=key.team, reference=reference).select_related("person").first()
    )
    if found is None:
        raise ApiError("No referral of your team has that id.", "id", status=404)
    return found


def referral_json(referral: Referral) -> dict:
    """A referral as the API shows it."""
    erased = referral.shared_erased_at is not None
    return {
        "id": str(referral.reference),
        "person": str(referral.person.reference),
        "activity": {"id": referral.activity_id, "title": referral.activity_title},
        "organisation": referral.organisation_title,
        "status": FHIR_CODES[Status(referral.status)],
        "status_label": referral.status_label,
        "status_reason": referral.reason or None,
        "status_reason_label": REASON_LABELS[Reason(referral.reason)] if referral.reason else None,
        "shared": None
        if erased
        else {
            "first_name": referral.first_name,
            "contact": referral.contact,
            "contact_by": referral.contact_by,
            "help_with": referral.help_with,
            "access_needs": referral.access_needs,
        },
        "consent_to_share": referral.consent_to_share,
        "consent_method": referral.consent_method,
        "authored_on": referral.created_at.isoformat(),
        "due_by": referral.due_by.isoformat(),
        "overdue": is_overdue(referral),
        "answered_at": referral.answered_at.isoformat() if referral.answered_at else None,
        "closed_at": referral.closed_at.isoformat() if referral.closed_at else None,
        "history": [
            {
                "status": FHIR_CODES[Status(event.status)],
                "status_reason": event.reason or None,
                "note": event.note,
                "at": event.at.isoformat(),
                "by": "group" if event.by_group_link else "team",
            }
            for event in referral.events.all()
        ],
        "web_url": absolute_url(
            reverse("referrals:detail", args=[referral.person.reference, referral.reference])
        ),
    }


@api_view(("GET", "POST"))
def referrals(request, key: ApiKey):
    """GET: the team's referrals, newest first. POST: make a referral."""
    if request.method == "POST":
        return _create(request, key)
    found = Referral.objects.filter(team=key.team)
    status = request.GET.get("status")
    if status is not None:
        if status not in STATUS_FROM_FHIR:
            raise ApiError(f"status must be one of: {', '.join(STATUS_FROM_FHIR)}.", "status")
        found = found.filter(status=STATUS_FROM_FHIR[status])
    person = request.GET.get("person")
    if person is not None:
        found = found.filter(person__reference=_uuid(person, "person"))
    raw_page = request.GET.get("page", "1")
    if not raw_page.isascii() or not raw_page.isdigit() or not 1 <= int(raw_page) <= MAX_PAGE:
        raise ApiError(f"page must be a whole number from 1 to {MAX_PAGE}.", "page")
    paginator = Paginator(
        found.select_related("person").prefetch_related("events"), PAGE_SIZE
    )  # fmt: skip
    number = int(raw_page)
    results = (
        paginator.page(number).object_list
        if number <= paginator.num_pages
        else Referral.objects.none()
    )
    return JsonResponse(
        {
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages if paginator.count else 0,
            "results": [referral_json(r) for r in results],
        }
    )


def _create(request, key: ApiKey):
    data = _json_body(request)
    reference = _uuid(data.get("person"), "person")
    activity_id = data.get("activity_id")
    if isinstance(activity_id, bool) or not isinstance(activity_id, int):
        raise ApiError("activity_id must be a whole number.", "activity_id")
    if not 1 <= activity_id <= MAX_ID:
        raise ApiError("No activity has that id.", "activity_id")
    form_data = {name: _string(data, name, required=name == "first_name") for name in SHARED_FIELDS}
    form_data["contact_by"] = (
        _string(data, "contact_by", choices=Referral.ContactBy.values) or Referral.ContactBy.PHONE
    )
    form_data["consent_method"] = (
        _string(data, "consent_method", choices=Referral.ConsentMethod.values)
        or Referral.ConsentMethod.SPOKEN
    )
    consent = data.get("consent_to_share")
    if consent is not True:
        raise ApiError(
            "consent_to_share must be true: the person has agreed that these details are "
            "shared with the group. Without it the referral cannot be made.",
            "consent_to_share",
        )
    form_data["consent_to_share"] = True
    form = ReferForm(form_data)
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        raise ApiError(f"{field}: {messages[0]}", None if field == "__all__" else field)
    person = Person.objects.filter(team=key.team, reference=reference).first()
    if person is None:
        raise ApiError("No person of your team has that reference.", "person")
    try:
        referral = services.referral_create(
            person=person,
            activity_id=activity_id,
            by=None,
            shared=form.shared(),
            consent_to_share=True,
            consent_method=form.cleaned_data["consent_method"],
            api_key=key,
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        field = {"activity": "activity_id", "__all__": "person"}.get(field, field)
        raise ApiError(messages[0], field) from None
    response = JsonResponse(referral_json(referral), status=201)
    response["Location"] = reverse("referrals:api_referral", args=[referral.reference])
    return response


@api_view(("GET", "PATCH"))
def referral(request, key: ApiKey, reference):
    """GET: one referral. PATCH: change its status, as the team that made it."""
    found = _referral_for(key, reference)
    if request.method == "PATCH":
        data = _json_body(request)
        code = _string(data, "status", required=True, choices=list(STATUS_FROM_FHIR))
        reason = _string(data, "status_reason", choices=[r.value for r in Reason])
        note = _plain_text(_string(data, "note"), field="note", max_length=500)
        try:
            found = services.referral_status_change(
                referral=found,
                party=Party.REFERRER,
                status=STATUS_FROM_FHIR[code],
                reason=reason,
                note=note,
                api_key=key,
            )
        except TransitionError as error:
            # A change the referral's state does not allow conflicts with it (409); a reason
            # that does not go with the status is a bad request.
            if error.field == "status":
                raise ApiError(error.message, "status", status=409) from None
            field = {"reason": "status_reason"}.get(error.field, error.field)
            raise ApiError(error.message, field) from None
        found = _referral_for(key, reference)
    return JsonResponse(referral_json(found))


@csrf_exempt
@private_page
def not_found(request, rest: str = ""):
    """Anything else under /api/referrals/: a JSON 404, as the API's clients expect."""
    return _error(ApiError("There is nothing at this address.", status=404))
