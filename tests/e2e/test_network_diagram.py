"""network-map.js draws the circle diagram exactly where the server does: it lays dots out by
the rule of matching/diagram.py with the numbers the page hands it, so a map redrawn in the
browser matches the one drawn without JavaScript, crowded rings included."""

import re

import pytest

from matching.diagram import geometry, network_diagram
from matching.network import Member
from tests.factories import NetworkMapFactory, PersonFactory, TeamFactory, make_facilitator

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e

# Crowded enough that the inner ring zig-zags; one member without a name.
MEMBERS = [
    *(Member(circle=1, kind="family", label=f"Cousin {n}") for n in range(9)),
    Member(circle=2, kind="friend", label="Sam"),
    Member(circle=2, kind="neighbour"),
    *(Member(circle=3, kind="group", label=f"Club number {n}") for n in range(5)),
]


@pytest.fixture
def person(live_site):
    team = TeamFactory(name="Wandsworth Link Workers", slug="wandsworth-link-workers")
    make_facilitator(team, username="linkworker")
    person = PersonFactory(team=team, display_name="Di")
    NetworkMapFactory(person=person, members=[m.as_dict() for m in MEMBERS])
    return person


def test_the_script_lays_the_map_out_as_the_server_does(page, traffic, person):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("linkworker")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People you support")
    page.goto(f"/support/people/{person.reference}/network/")

    # The script has redrawn the map: its dots name their form row, the server's do not.
    drawn = page.locator("#netmap-edit .netmap__dot[data-row]")
    expect(drawn).to_have_count(len(MEMBERS))
    in_browser = drawn.evaluate_all(
        """dots => dots.map(dot => ({
             row: dot.dataset.row,
             transform: dot.getAttribute("transform"),
             dot: dot.querySelector("circle:not(.netmap__hit)").getAttribute("r"),
             hit: dot.querySelector("circle.netmap__hit").getAttribute("r"),
             name: (dot.querySelector(".netmap__name") || {getAttribute: () => null})
               .getAttribute("y"),
             kind: dot.querySelector(".netmap__kind").getAttribute("y"),
             middle: dot.querySelector(".netmap__code").getAttribute("dy"),
           }))"""
    )

    server = {dot.index: dot for dot in network_diagram(MEMBERS).dots}
    numbers = geometry()
    for got in in_browser:
        expected = server[int(got["row"].rsplit("-", 1)[1])]
        x, y = map(
            float, re.fullmatch(r"translate\(([-\d.]+) ([-\d.]+)\)", got["transform"]).groups()
        )
        assert abs(x - expected.x) < 0.06 and abs(y - expected.y) < 0.06, (got, expected)
        assert float(got["dot"]) == numbers["dot"]
        assert float(got["hit"]) == numbers["hit"]
        assert got["middle"] == numbers["middle"]
        assert float(got["kind"]) == expected.kind_y
        assert (got["name"] is None) == (not expected.name)
        if expected.name:
            assert float(got["name"]) == numbers["lines"][0]
    expect(page.locator("[data-netmap-desc]")).to_have_text(network_diagram(MEMBERS).description)
    assert traffic.errors == []
