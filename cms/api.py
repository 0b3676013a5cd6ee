"""The project's OpenAPI document: every app's API in one place, at /api/schema/."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from insights import openapi as insights_openapi
from matching import openapi as matching_openapi
from referrals import openapi as referrals_openapi
from search.openapi import openapi_document


def api_document(server_url: str = "/") -> dict:
    document = openapi_document(server_url)
    document["info"]["title"] = "Common Ground API"
    document["info"]["description"] = (
        "Find community activities by what, where and when, match people to them, and "
        "refer them to groups."
    )
    document["paths"].update(matching_openapi.PATHS)
    document["components"]["schemas"].update(matching_openapi.SCHEMAS)
    document["paths"].update(referrals_openapi.PATHS)
    document["components"]["schemas"].update(referrals_openapi.SCHEMAS)
    document["components"]["securitySchemes"] = referrals_openapi.SECURITY_SCHEMES
    document["paths"].update(insights_openapi.PATHS)
    document["components"]["schemas"].update(insights_openapi.SCHEMAS)
    return document


@require_GET
def schema(request):
    return JsonResponse(api_document(request.build_absolute_uri("/")))
