"""POST /api/match and GET /api/match/vocabulary.

The match endpoint stores nothing, so a library kiosk may call it without signing in; it is
rate-limited per address instead.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from assets_directory.models import AccessibilityFeature, Category
from common.http import client_address
from common.middleware import private_page
from common.ratelimit import rate_limit_hit
from common.vocabulary import DELIVERY, WEEKDAY_SLUGS
from search.selectors import SearchBackendError

from . import vocabulary
from .answers import MatchInputError
from .engine import match_answers
from .selectors import condition_names

MAX_BODY_BYTES = 64 * 1024


def _error(field, message, status=400):
    return JsonResponse({"error": message, "field": field}, status=status)


@csrf_exempt  # stores nothing and reads no session: there is nothing to forge
@private_page  # the answers and suggestions describe a person
@require_POST
def match(request):
    if not rate_limit_hit(
        scope="match",
        key=client_address(request),
        limit=settings.MATCH_API_RATE_LIMIT,
        window_seconds=60,
    ):
        return _error(None, "Too many requests. Wait a minute and try again.", status=429)
    if len(request.body) > MAX_BODY_BYTES:
        return _error(None, "The request is too large.", status=413)
    try:
        data = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(None, "Send a JSON object (Content-Type: application/json).")
    try:
        result = match_answers(data)
    except MatchInputError as exc:
        return _error(exc.field, exc.message)
    except SearchBackendError:
        return _error(None, "Search is not available just now. Try again soon.", status=503)
    return JsonResponse(
        {
            "network": result.network.as_dict() if result.network else None,
            "suggestions": [
                {
                    "id": s.candidate.id,
                    "title": s.candidate.title,
                    "url": s.candidate.url,
                    "distance_m": round(s.candidate.distance_m)
                    if s.candidate.distance_m is not None
                    else None,
                    "next_session": s.candidate.next_session.isoformat()
                    if s.candidate.next_session
                    else None,
                    "score": round(s.score, 1),
                    "reasons": list(s.reasons),
                    "organisation": s.candidate.organisation,
                    "referral": s.candidate.referral,
                    "other_listings": [
                        {
                            "id": other.id,
                            "url": other.url,
                            "next_session": other.next_session.isoformat()
                            if other.next_session
                            else None,
                        }
                        for other in s.others
                    ],
                }
                for s in result.suggestions
            ],
        }
    )


@require_GET
def match_vocabulary(request):
    return JsonResponse(
        {
            "circles": [{"circle": n, "label": label} for n, label in vocabulary.CIRCLES.items()],
            "kinds": [{"slug": s, "label": label} for s, label in vocabulary.MEMBER_KINDS],
            "support": [{"slug": s, "label": label} for s, label in vocabulary.SUPPORT_TYPES],
            "frequencies": [
                {"slug": s, "label": label} for s, label in vocabulary.CONTACT_FREQUENCIES
            ],
            "needs": [{"slug": s, "label": label} for s, label, _ in vocabulary.NEEDS],
            "categories": [
                {"slug": c.slug, "name": c.name, "parent": c.parent.slug if c.parent else None}
                for c in Category.objects.in_tree_order()
            ],
            "access": [
                {"slug": f.slug, "name": f.name} for f in AccessibilityFeature.objects.all()
            ],
            "delivery": list(DELIVERY),
            "days": list(WEEKDAY_SLUGS),
            "age_bands": [{"slug": s, "label": label} for s, label, _, _ in vocabulary.AGE_BANDS],
            "conditions": [
                {"slug": slug, "name": name} for slug, name in condition_names().items()
            ],
            "single_sex": [
                {"slug": s, "label": label} for s, label in vocabulary.SINGLE_SEX_GROUPS
            ],
        }
    )
