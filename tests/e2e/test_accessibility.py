"""Automated WCAG 2.2 A and AA checks (axe-core) on the public, facilitator and kiosk pages.

axe finds about a third of accessibility problems (contrast, names, labels, landmarks, ARIA);
the rest is in the other browser tests (keyboard, no JavaScript, phone widths) and by hand.
"""

from pathlib import Path

import pytest

from assets_directory.models import Activity
from matching.network import members_from_dicts
from matching.services import NeedAnswer, needs_save, network_map_save, preferences_save
from search.services import index_rebuild
from tests.factories import OrganisationFactory, PersonFactory, TeamFactory, make_facilitator
from tests.factories.places import local_activity, phone_befriender

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Map markers can sit close together or on top of each other (one venue, several activities).
# WCAG 2.5.8 exempts a target whose function another control on the page offers: every
# marker's activity is also a link in the list beside the map.
EXCLUDE_MAP_TARGETS = {"exclude": [[".leaflet-container"]]}


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: `make test` installs axe-core with npm (package.json).")
    return AXE.read_text()


# Animations that will end (a looping one never does), each taken to its end at once: waiting
# for them cost 25 s a page in Wagtail's admin, whose animations run that long.
ANIMATIONS_ENDED = """() => { document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
    .forEach(a => a.finish()); }"""


def violations(page, axe_source) -> list[str]:
    # What a page looks like once still: axe measures the contrast of text half faded in (as
    # Wagtail's messages fade in) as if that were its colour.
    page.evaluate(ANIMATIONS_ENDED)
    # Evaluated through the browser's debugging protocol, not a <script> tag: the pages' own
    # Content-Security-Policy allows no inline script, and must stay on while they are checked.
    page.evaluate(axe_source)
    result = page.evaluate(
        """async ([tags, exclude]) => {
            const everything = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            const targets = await axe.run(exclude, {runOnly: {type: "rule",
                                                             values: ["target-size"]}});
            const outside = everything.violations.filter(v => v.id !== "target-size");
            return outside.concat(targets.violations);
        }""",
        [TAGS, EXCLUDE_MAP_TARGETS],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result
    ]


@pytest.fixture
def record(live_site):
    organisation = OrganisationFactory(title="Wandsworth Community")
    local_activity(organisation, "Community choir", "choirs-and-singing")
    local_activity(organisation, "Lunch club", "lunch-clubs", day="wed")
    phone_befriender(organisation)
    index_rebuild()
    team = TeamFactory(name="Battersea PCN", slug="battersea-pcn")
    facilitator = make_facilitator(team, username="lin", role="lead")
    person = PersonFactory(team=team, display_name="A.M.", postcode="SW18 1AA")
    members = members_from_dicts(
        [
            {"circle": 1, "kind": "family", "support": ["emotional"], "label": "Ray"},
            {"circle": 3, "kind": "group", "support": ["company"], "label": "Choir"},
        ]
    )
    network_map_save(person=person, by=facilitator, members=members)
    preferences_save(
        person=person, by=facilitator, interests=["choirs-and-singing"],
        top_three=["choirs-and-singing"],
    )  # fmt: skip
    needs_save(person=person, by=facilitator, needs=[NeedAnswer("lonely", "Quiet since May")])
    return person


def sign_in(page, username):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in").click()


def test_public_pages_pass_axe(page, axe_source, record):
    problems = {}
    activity = Activity.objects.live().first()
    for path in (
        "/", "/search/?q=choir&near=SW18", "/search/?audience=everyone", "/list-your-group/",
        "/sign-in/", activity.url, activity.get_parent().url,
    ):  # fmt: skip
        page.goto(path)
        page.wait_for_load_state("networkidle")
        problems[path] = violations(page, axe_source)
    assert problems == {path: [] for path in problems}


def test_facilitator_pages_pass_axe(page, axe_source, record):
    sign_in(page, "lin")
    base = f"/support/people/{record.reference}/"
    paths = [
        "/support/",
        "/support/people/new/",
        base,
        *(
            base + step
            for step in (
                "network/", "network/compare/", "preferences/", "top-three/", "needs/",
                "about/", "suggestions/", "follow-up/", "consent/", "export/", "erase/",
            )
        ),
        "/support/teams/battersea-pcn/audit/",
        "/support/teams/battersea-pcn/api-keys/",
    ]  # fmt: skip
    problems = {}
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        problems[path] = violations(page, axe_source)
    # A new API key, shown once, and the table of keys with one revoked (no button left in it).
    page.goto("/support/teams/battersea-pcn/api-keys/")
    for name in ("Practice record", "Old system"):
        page.get_by_label("Which system will use it?").fill(name)
        page.get_by_role("button", name="Make a key").click()
    problems["new key"] = violations(page, axe_source)
    page.get_by_role("button", name="Revoke the key for Old system").click()
    assert "Revoked the key for Old system" in page.get_by_role("status").inner_text()
    problems["revoked key"] = violations(page, axe_source)
    assert problems == {path: [] for path in problems}


def test_a_form_with_errors_passes_axe(page, axe_source, record):
    sign_in(page, "lin")
    page.goto("/support/people/new/")
    page.get_by_role("button", name="Record consent and add").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert violations(page, axe_source) == []


def test_kiosk_pages_pass_axe(page, axe_source, record):
    page.goto("/kiosk/")
    problems = {"/kiosk/": violations(page, axe_source)}
    page.get_by_label("What is your postcode?").fill("SW18 1AA")
    page.get_by_role("button", name="Start").click()
    page.wait_for_load_state("networkidle")
    for step in ("your people", "what you enjoy", "top three", "needs", "about you"):
        problems[step] = violations(page, axe_source)
        page.get_by_role("button", name="Skip this step").click()
        page.wait_for_load_state("networkidle")
    problems["results"] = violations(page, axe_source)
    assert page.get_by_role("heading", level=1).inner_text() != ""
    assert problems == {step: [] for step in problems}


def test_axe_sees_a_page_once_its_animations_have_ended(page, axe_source):
    # Text fading in from pale grey: mid-fade it is too faint to read, at the end it is black.
    page.set_content(
        """<!doctype html><html lang="en"><head><title>Fading in</title><style>
        @keyframes fade-in { from { color: #eee; } to { color: #000; } }
        p { animation: fade-in 1.5s linear forwards; }
        </style></head><body><main><h1>Saved</h1><p>The listing was saved.</p></main></body>
        </html>"""
    )
    assert violations(page, axe_source) == []
