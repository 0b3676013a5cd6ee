"""The admin's "Export the directory": the feed's exports (openreferral.export) as downloads,
for moderators and administrators.

A download is streamed as it is made (the whole directory is never held in memory), so its
size is not known in advance; each is named with the day it was made.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from assets_directory.permissions import is_moderator

from . import export
from .serialisers import Context

# Format: (label, help, file name's ending, content type).
DOWNLOADS = {
    "json": (
        "Open Referral UK JSON",
        "Every service fully nested, as /openreferral/services/{id} gives it, in one document "
        '({"services": [...]}): for another directory or the harvester to import.',
        "oruk.json",
        "application/json",
    ),
    "csv": (
        "HSDS tables (CSV, zip)",
        "The HSDS 3.0 tabular datapackage: datapackage.json and a CSV file for each table "
        "(organisations, services, locations, schedules…), linked by their ids: for spreadsheets "
        "and databases.",
        "hsds.zip",
        "application/zip",
    ),
    "geojson": (
        "Map points (GeoJSON)",
        "Each activity held at a venue with a map point, with its organisation and page: for "
        "mapping tools.",
        "geojson",
        "application/geo+json",
    ),
}


def _moderators_only(request) -> None:
    # Moderators and superusers: the same people as the review queue.
    if not is_moderator(request.user):
        raise PermissionDenied


def export_index(request):
    _moderators_only(request)
    downloads = [
        {"url": reverse("openreferral_export_download", args=[fmt]), "label": label, "help": help}
        for fmt, (label, help, _ending, _type) in DOWNLOADS.items()
    ]
    return TemplateResponse(request, "openreferral/admin/export.html", {"downloads": downloads})


def export_download(request, fmt: str):
    _moderators_only(request)
    if fmt not in DOWNLOADS:
        raise Http404
    _label, _help, ending, content_type = DOWNLOADS[fmt]
    response = StreamingHttpResponse(
        export.chunks(fmt, Context(request)), content_type=content_type
    )
    name = f"common-ground-{timezone.localdate().isoformat()}-{ending}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Made afresh for each request: no cache should keep an old copy.
    response["Cache-Control"] = "no-store"
    return response
