"""Changing an ask after it is posted: its team's members, and moderators.

The same form as posting (`AskForm`); the change is saved with who made it and when, and the
ask's page says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import access
from ..forms import AskForm
from ..services import Refused, ask_update
from .core import _grouped

# The ask's own fields the form changes; its terms are set apart (many-to-many).
ASK_FIELDS = (
    "title",
    "description",
    "service_line",
    "most_deprived_fifth",
    "starts_on",
    "ends_on",
    "offers",
    "status",
)


@login_required
@require_http_methods(["GET", "POST"])
def ask_edit(request, pk):
    ask = access.ask_to_edit(request, pk)
    form = AskForm(request.POST if request.method == "POST" else None, instance=ask)
    sees_ask = access.visible_asks(request.user).filter(pk=ask.pk).exists()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ask_update(
                ask=ask,
                by=request.user,
                communities=data["communities"],
                capabilities=data["capabilities"],
                areas=data["areas_text"],
                **{name: data[name] for name in ASK_FIELDS},
            )
        except Refused as refused:
            field = "areas_text" if refused.field == "areas" else refused.field
            form.add_error(field if field in form.fields else None, str(refused))
        else:
            messages.success(request, "Your changes to the ask are saved.")
            if sees_ask:
                return redirect("coproduction:ask", pk=ask.pk)
            # A moderator who is not in coproduction does not see asks' pages: back to the form.
            return redirect("coproduction:ask_edit", pk=ask.pk)
    return render(
        request,
        "coproduction/ask_form.html",
        {
            "form": form,
            "team": ask.team,
            "ask": ask,
            "sees_ask": sees_ask,
            "communities": _grouped(form, "communities"),
            "capabilities": _grouped(form, "capabilities"),
        },
        status=400 if form.is_bound else 200,
    )
