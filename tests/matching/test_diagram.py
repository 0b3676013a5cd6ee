"""The circle diagram's geometry has one home, matching/diagram.py: the server draws the
no-JavaScript map from it, and the edit pages hand its numbers to network-map.js, which keeps
no copy of them. (That the script lays dots out where the server does is checked in a browser:
tests/e2e/test_network_diagram.py.)"""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from matching import diagram, kiosk
from matching.diagram import geometry, network_diagram
from matching.network import Member
from tests.factories import NetworkMapFactory

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "static" / "js" / "network-map.js"
GEOMETRY_SCRIPT = re.compile(
    r'<script id="netmap-geometry" type="application/json">(.*?)</script>', re.S
)


def script_code() -> str:
    """network-map.js without its comments (they may name a number to explain it)."""
    code = re.sub(r"/\*.*?\*/", "", SCRIPT.read_text(), flags=re.S)
    return re.sub(r"(?m)^\s*//.*$|(?<=[;{}),])\s*//.*$", "", code)


def numbers_in(value) -> set[float]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, int | float):
        return {float(value)}
    if isinstance(value, list | tuple):
        return set().union(*(numbers_in(v) for v in value)) if value else set()
    if isinstance(value, dict):
        return numbers_in(list(value.values()))
    return set()


def strings_in(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return set().union(*(strings_in(v) for v in value)) if value else set()
    if isinstance(value, dict):
        return strings_in(list(value.values()))
    return set()


def page_geometry(response) -> dict:
    found = GEOMETRY_SCRIPT.findall(response.content.decode())
    assert len(found) == 1, "the page hands the script its geometry once"
    return json.loads(html.unescape(found[0]))


# The module ---------------------------------------------------------------------------------


def test_the_diagram_module_is_pure():
    """No Django, and only pure parts of matching (which import nothing of Django either)."""
    for name in ("diagram", "network", "vocabulary"):
        tree = ast.parse((ROOT / "matching" / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "django" for a in node.names), name
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert not module.startswith("django"), name
                if node.level:
                    assert module in {"network", "vocabulary"}, (name, module)


def test_geometry_is_what_network_diagram_draws_with():
    members = [Member(circle=1, kind="family", label="Mum"), Member(circle=3, kind="pet")]
    drawn = network_diagram(members)
    numbers = geometry()

    assert numbers["centre"] == drawn.centre
    assert numbers["rings"] == [ring.radius for ring in drawn.rings_inner_first]
    assert numbers["dot"] == drawn.dot_radius
    assert numbers["lines"] == [drawn.name_y, drawn.dots[0].kind_y]
    assert drawn.dots[1].kind_y == drawn.name_y  # no name: the kind takes the first line
    assert numbers["middle"] == drawn.text_middle
    assert numbers["names"] == [ring.name for ring in drawn.rings_inner_first]
    assert network_diagram([]).description == numbers["empty"]


# The script keeps no copy --------------------------------------------------------------------


def test_the_script_has_none_of_the_diagrams_numbers():
    code = script_code()
    literals = {float(n) for n in re.findall(r"(?<![\w.$])\d+(?:\.\d+)?(?![\w.])", code)}

    copied = literals & numbers_in(geometry())

    assert not copied, f"network-map.js writes the diagram's numbers itself: {sorted(copied)}"


def test_the_script_has_none_of_the_diagrams_words():
    # "middle" is also an SVG keyword (text-anchor), which is not a copy of a circle's name.
    code = script_code().replace('"text-anchor": "middle"', "")
    quoted = set(re.findall(r'"((?:[^"\\]|\\.)*)"', code)) | set(
        re.findall(r"'((?:[^'\\]|\\.)*)'", code)
    )

    assert not quoted & strings_in(geometry())


def test_the_script_reads_the_geometry_from_the_page():
    code = script_code()

    assert 'getElementById("netmap-geometry")' in code
    assert "dataset.geometry" not in code


# The pages hand over the module's numbers ----------------------------------------------------


@pytest.fixture
def signed_in(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.mark.django_db
def test_the_network_page_hands_the_script_the_modules_geometry(signed_in, person):
    response = signed_in.get(reverse("matching:network", args=[person.reference]))

    assert page_geometry(response) == geometry()
    assert "data-geometry" not in response.content.decode()


@pytest.mark.django_db
def test_the_kiosk_map_hands_the_script_the_modules_geometry(client):
    client.cookies[kiosk.COOKIE_NAME] = kiosk.visit_seal(kiosk.KioskVisit({"near": "SW18"}))

    response = client.get(reverse("matching:kiosk_step", args=["people"]))

    assert response.status_code == 200
    assert page_geometry(response) == geometry()


@pytest.mark.django_db
def test_the_server_draws_with_the_module(signed_in, person, monkeypatch):
    """Change the module's numbers: the drawing and what the script is given change with them,
    so neither the template nor the script has its own copy."""
    monkeypatch.setattr(diagram, "DOT_RADIUS", 21)
    monkeypatch.setattr(diagram, "TEXT_LINES", (37, 53))
    monkeypatch.setattr(diagram, "RING_RADII", {1: 111, 2: 203, 3: 291})
    monkeypatch.setattr(diagram, "PLACE_RADII", {1: 70, 2: 160, 3: 250})
    monkeypatch.setattr(diagram, "TEXT_MIDDLE", "0.4em")
    NetworkMapFactory(person=person, members=[{"circle": 1, "kind": "family", "label": "Mum"}])

    response = signed_in.get(reverse("matching:network", args=[person.reference]))

    svg = re.search(r"<svg.*?</svg>", response.content.decode(), re.S).group(0)
    assert '<circle r="21"/>' in svg
    assert 'class="netmap__name" y="37"' in svg and 'class="netmap__kind" y="53"' in svg
    assert re.findall(r'class="netmap__ring netmap__ring--\d" [^>]*r="(\d+)"', svg) == [
        "291",
        "203",
        "111",
    ]
    assert 'dy="0.4em"' in svg and 'dy="0.35em"' not in svg
    # Mum alone in the inner ring: half a step after the top, 70 from the centre.
    (mum,) = network_diagram([Member(circle=1, kind="family", label="Mum")]).dots
    assert f'transform="translate({mum.x} {mum.y})"' in svg
    assert mum.y == 300 + 70
    numbers = page_geometry(response)
    assert (numbers["dot"], numbers["lines"], numbers["rings"], numbers["place"]) == (
        21,
        [37, 53],
        [111, 203, 291],
        [70, 160, 250],
    )
