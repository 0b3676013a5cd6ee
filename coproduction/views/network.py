"""The whole-system network map: groups, their consented leaders, service teams, partnerships and
the links between them,
as they were on a day, narrowed by a filter form; drawn by static/js/system-map.js, listed in a
table with each node's measures, and exported as CSV or GraphML.

Commissioners see every partnership by name. Everyone else who takes part in coproduction sees
the same map, but a partnership they may not open is "a partnership": where it sits in the
network, not what it is. The only people on the map are leaders and connectors who have agreed
to be, by their display name.
"""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from common.csv_export import csv_response
from common.middleware import mark_private

from .. import access, network
from ..forms import NetworkFilterForm, network_day
from ..selectors import network_graph, network_map

FORMATS = ("csv", "graphml")
EXPORT_NAME = "coproduction-network"

# How each kind of node is drawn, on the map and in its legend. Colours keep at least 3:1
# against white (WCAG 1.4.11) and differ in shape too, so no one needs to tell them by colour.
KIND_STYLES = {
    network.GROUP: ("circle", "#1d70b8"),
    network.TEAM: ("square", "#d4351c"),
    network.PARTNERSHIP: ("diamond", "#00703c"),
}
# Kinds the map does not know yet (leaders, and whatever comes after) take these in turn.
OTHER_STYLES = (
    ("triangle", "#6f2a8f"),
    ("triangle", "#a14600"),
    ("triangle", "#505a5f"),
    ("triangle", "#0b0c0c"),
)
LINK_WORDS = {
    network.SHARED_VENUE: "meet at the same venue",
    network.IN_PARTNERSHIP: "in a partnership",
    "shared_members": "share members",
    "joint_activity": "run activities together",
    "referrals": "refer people to each other",
    "other": "linked",
}


def kind_styles(kinds: list[str]) -> list[dict]:
    """[{kind, words, shape, colour}] for each kind, in the order given."""
    styles, others = [], iter(OTHER_STYLES * (len(kinds) // len(OTHER_STYLES) + 1))
    for kind in kinds:
        shape, colour = KIND_STYLES.get(kind) or next(others)
        styles.append(
            {
                "kind": kind,
                "words": network.kind_words(kind, plural=True).capitalize(),
                "shape": shape,
                "colour": colour,
            }
        )
    return styles


def focus_choices(graph) -> list[tuple[str, str]]:
    """Each node as a choice of what to focus on: "Tooting Tamil Women (community group)"; a
    partnership the reader may not open is told from the others by its team, which the map
    shows anyway: "a partnership of the Memory Service (partnership)"."""
    choices = []
    for node, data in graph.nodes(data=True):
        label = str(data.get("label") or node)
        if data.get("kind") == network.PARTNERSHIP and label == network.HIDDEN_PARTNERSHIP:
            teams = sorted(
                str(graph.nodes[m].get("label"))
                for m in graph[node]
                if graph.nodes[m].get("kind") == network.TEAM
            )
            if teams:
                label = f"{label} of the {' and the '.join(teams)}"
        kind = network.kind_words(str(data.get("kind") or "node"))
        choices.append((str(node), f"{label} ({kind})"))
    return sorted(choices, key=lambda choice: (choice[1].lower(), choice[0]))


def _options(choices, chosen: str) -> str:
    """<option>s of a select, each value and text escaped."""
    selected = mark_safe(" selected")  # a constant: nothing typed reaches it
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, selected if value == chosen else "", text) for value, text in choices),
    )


def _bad_request(message: str) -> HttpResponse:
    return mark_private(HttpResponse(message, status=400, content_type="text/plain; charset=utf-8"))


@access.coproduction_required
def network_map_view(request):
    user = request.user
    asked = request.GET.get("format", "")
    if asked and asked not in FORMATS:
        return _bad_request(
            "We cannot make that download. Ask for format=csv or format=graphml, or leave the "
            "format out to see the map."
        )
    try:
        day = network_day(request.GET.get("on"))
    except ValidationError:  # the form below says what is wrong with it
        day = network_day(None)
    visible = (
        None
        if access.sees_all(user)
        else set(access.visible_partnerships(user).values_list("pk", flat=True))
    )
    whole = network_graph(on=day, visible_partnerships=visible)
    kinds = network.node_kinds(whole)
    form = NetworkFilterForm(
        request.GET or None,
        kinds=[(k, network.kind_words(k, plural=True).capitalize()) for k in kinds],
        nodes=focus_choices(whole),
    )
    if form.is_bound and not form.is_valid():
        if asked:
            return _bad_request(
                "The filters are not right, so there is nothing to download: "
                + " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
        return mark_private(
            render(
                request,
                "coproduction/network.html",
                {
                    "form": form,
                    "day": day,
                    "map": None,
                    "focus_options": _options(
                        form.fields["focus"].choices, str(form["focus"].value() or "")
                    ),
                },
                status=400,
            )
        )
    data = form.cleaned_data if form.is_bound else {}
    narrowed = network.narrow(whole, **(form.filters() if form.is_bound else {}))
    focus = data.get("focus") or None
    shown = network_map(narrowed, focus=focus, steps=data.get("steps") or 1)
    if asked:
        return _download(asked, shown, day=day)

    query = request.GET.copy()
    for name in ("focus", "format"):
        query.pop(name, None)
    base = query.urlencode()

    def focus_href(node) -> str:
        return "?" + (base + "&" if base else "") + "focus=" + _quoted(node)

    styles = kind_styles(kinds)
    return mark_private(
        render(
            request,
            "coproduction/network.html",
            {
                "form": form,
                "day": day,
                "map": shown,
                "focus_options": _options(form.fields["focus"].choices, focus or ""),
                "picture": _picture(shown, styles=styles, day=day, href=focus_href),
                "styles": styles,
                "focus_label": shown.graph.nodes[shown.focus].get("label") if shown.focus else "",
                "focus_missing": bool(focus) and shown.focus is None,
                "rows": [(row, focus_href(row.node)) for row in shown.rows],
                "said": [(row, focus_href(row.node)) for row in shown.rows if row.roles],
                "unfocus": "?" + base,
                "export": (base + "&" if base else "")
                + ("focus=" + _quoted(shown.focus) + "&" if shown.focus else ""),
            },
        )
    )


def _download(asked: str, shown, *, day) -> HttpResponse:
    """What the filters keep, with its measures, as a CSV or GraphML attachment."""
    if asked == "csv":
        rows = network.to_csv_rows(shown.graph, shown.result, shown.roles)
        return mark_private(csv_response(f"{EXPORT_NAME}-{day}.csv", rows[0], rows[1:]))
    response = HttpResponse(
        network.to_graphml(network.with_measures(shown.graph, shown.result, shown.roles)),
        content_type="application/graphml+xml; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_NAME}-{day}.graphml"'
    return mark_private(response)


def _picture(shown, *, styles, day, href) -> dict:
    """What static/js/system-map.js draws, for json_script: how each kind is drawn, the nodes
    (each with the link that focuses on it) and the links, said in words."""
    return {
        "kinds": styles,
        "focus": shown.focus,
        "day": day.isoformat(),
        "nodes": [
            {
                "id": row.node,
                "label": row.label,
                "kind": row.kind,
                "degree": row.degree,
                "href": href(row.node),
            }
            for row in shown.rows
        ],
        "links": [
            {
                "source": str(a),
                "target": str(b),
                "words": ", ".join(LINK_WORDS.get(k, str(k).replace("_", " ")) for k in kinds),
            }
            for a, b, kinds in shown.graph.edges(data="kinds", default=())
        ],
    }


def _quoted(value) -> str:
    return quote(str(value), safe=":")
