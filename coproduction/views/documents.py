"""A partnership's documents: kept by its partners, opened by whoever can see the partnership.

Files live in private storage (common.storage) and are only ever sent by `document_download`,
as an attachment, with the type their name says and never one a browser would guess.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from common.middleware import mark_private

from .. import access
from ..forms import DocumentForm
from ..models import PartnershipDocument
from ..services import DOCUMENT_TYPES, document_add, document_extension, document_remove
from .core import _act


def _require_partner(request, partnership) -> None:
    if access.partner_organisation(request.user, partnership) is None:
        raise PermissionDenied("Only the partners can keep documents with a partnership.")


@access.coproduction_required
@require_POST
def document_upload(request, pk):
    partnership = access.partnership_for(request, pk)
    _require_partner(request, partnership)
    form = DocumentForm(request.POST, request.FILES)
    return _act(
        request,
        partnership,
        form,
        name="document",
        action=lambda: document_add(
            partnership=partnership,
            by=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        ),
        done=lambda: f"“{form.cleaned_data['title']}” is kept with the partnership.",
    )


@access.coproduction_required
def document_download(request, pk, document_id):
    partnership = access.partnership_for(request, pk)
    document = get_object_or_404(PartnershipDocument, pk=document_id, partnership=partnership)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("That document's file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.filename,
        content_type=DOCUMENT_TYPES.get(
            document_extension(document.filename), "application/octet-stream"
        ),
    )
    # Opened in a tab by mistake, it still cannot run script or reach the site's cookies.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return mark_private(response)


@access.coproduction_required
@require_POST
def document_delete(request, pk, document_id):
    partnership = access.partnership_for(request, pk)
    _require_partner(request, partnership)
    document = get_object_or_404(PartnershipDocument, pk=document_id, partnership=partnership)
    if document.uploaded_by_id != request.user.pk and not access.in_team(
        request.user, partnership.team
    ):
        raise PermissionDenied("Only whoever added it, or the service team, can remove it.")
    title = document.title
    document_remove(document=document)
    messages.success(request, f"“{title}” is removed.")
    return redirect("coproduction:partnership", pk=partnership.pk)
