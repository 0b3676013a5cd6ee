"""A standing guard: one map set-up and one print script, used by every page that needs them.

Every Leaflet map on the site (the public maps and the admin's venue picker) is built by
static/js/map-base.js's commonGroundMap, so tiles, scale and zoom limit are set in one place;
every Print button is a .js-print button wired by static/js/print-button.js. This reads each
script under static/js and fails when another file sets up a map or calls the browser's print
itself, and reads the templates and admin hooks to check that a page loading a script that
needs map-base.js or print-button.js loads it too (map-base.js first).
"""

import re
from pathlib import Path

import pytest

from tests.test_javascript_sinks import strip_comments

ROOT = Path(__file__).resolve().parents[1]
JS_DIR = ROOT / "static" / "js"
MAP_BASE = "map-base.js"
PRINT_BUTTON = "print-button.js"

# Each call, and the one file allowed to make it. The class forms (new L.Map, L.TileLayer,
# L.Control.Scale) and a bare reference to window.print (handed to addEventListener) count too.
ONLY_IN = {
    r"\bL\s*\.\s*map\s*\(|\bL\s*\.\s*Map\b": MAP_BASE,
    r"\bL\s*\.\s*(?:tileLayer|TileLayer)\b": MAP_BASE,
    r"\bL\s*\.\s*(?:control\s*\.\s*scale|Control\s*\.\s*Scale)\b": MAP_BASE,
    r"\bwindow\s*\.\s*print\b": PRINT_BUTTON,
}


def misplaced(source: str, name: str) -> list[str]:
    """Each shared set-up call in a script that is not its owner, as 'line N: call (owner)'."""
    code = strip_comments(source)
    found = []
    for pattern, owner in ONLY_IN.items():
        if name == owner:
            continue
        for match in re.finditer(pattern, code):
            line = code.count("\n", 0, match.start()) + 1
            found.append(f"line {line}: {match.group()!r} belongs in {owner}")
    return found


SCRIPTS = sorted(JS_DIR.glob("**/*.js"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_only_map_base_sets_up_maps_and_only_print_button_prints(script):
    assert misplaced(script.read_text(), script.name) == []


def test_the_shared_scripts_hold_what_the_others_are_sent_to():
    # If map-base.js or print-button.js were renamed or emptied, the guard above would pass on
    # every file while guarding nothing.
    for pattern, owner in ONLY_IN.items():
        assert re.search(pattern, strip_comments((JS_DIR / owner).read_text())), (owner, pattern)


@pytest.mark.parametrize(
    "snippet",
    [
        "var map = L.map(box).setView(start, lat.value ? 15 : 12);",
        "var map = new L.Map(el, { maxZoom: 19 });",
        "L.tileLayer(config.dataset.tiles, { maxZoom: 19 }).addTo(map);",
        "L.tileLayer.wms(url, {}).addTo(map);",
        "L.control.scale({ imperial: false }).addTo(map);",
        "map.addControl(new L.Control.Scale());",
        'button.addEventListener("click", function () { window.print(); });',
        'button.addEventListener("click", window.print);',
    ],
)
def test_guard_catches_set_up_outside_the_shared_scripts(snippet):
    assert misplaced(snippet, "venue-map-admin.js"), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "var map = window.commonGroundMap(box, { maxZoom: 19 }).setView(start, 15);",
        "var marker = L.marker(start, { draggable: true }).addTo(map);",
        "L.circleMarker(p).addTo(map); map.fitBounds(bounds); map.getMaxZoom();",
        "// L.map( and window.print() are for the shared scripts\nvar x = 1;",
        "var mapping = L.latLng(1, 2); printer.print();",
    ],
)
def test_guard_allows_maps_built_on_the_shared_set_up(snippet):
    assert misplaced(snippet, "venue-map-admin.js") == []


# Where scripts are put on pages: the templates, and the admin's hooks (format_html with static()).
LOADERS = sorted(ROOT.glob("templates/**/*.html")) + sorted(ROOT.glob("*/wagtail_hooks.py"))
SCRIPT_REF = re.compile(r"""static[\s(]*['"]js/(?P<name>[\w.-]+\.js)['"]""")


def loaded_scripts(path: Path) -> list[str]:
    return [match["name"] for match in SCRIPT_REF.finditer(path.read_text())]


def test_the_loaders_are_found():
    assert any(path.name == "wagtail_hooks.py" for path in LOADERS)
    assert any(MAP_BASE in loaded_scripts(path) for path in LOADERS)
    assert any(PRINT_BUTTON in loaded_scripts(path) for path in LOADERS)


# The scripts that build their maps with commonGroundMap.
MAP_SCRIPTS = sorted(
    path.name
    for path in SCRIPTS
    if path.name != MAP_BASE and "commonGroundMap" in strip_comments(path.read_text())
)


def test_the_map_scripts_are_found():
    assert {"activity-map.js", "search.js", "suggestions-map.js", "venue-map-admin.js"} <= set(
        MAP_SCRIPTS
    )


@pytest.mark.parametrize("loader", LOADERS, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_page_with_a_map_loads_map_base_first(loader):
    scripts = loaded_scripts(loader)
    for name in set(scripts) & set(MAP_SCRIPTS):
        assert MAP_BASE in scripts, f"{loader.name} loads {name} without {MAP_BASE}"
        assert scripts.index(MAP_BASE) < scripts.index(name), f"{MAP_BASE} after {name}"


@pytest.mark.parametrize(
    "loader",
    sorted(ROOT.glob("templates/**/*.html")),
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_a_page_with_a_print_button_loads_print_button(loader):
    has_button = re.search(r"""class=["'][^"']*\bjs-print\b""", loader.read_text())
    loads = PRINT_BUTTON in loaded_scripts(loader)
    assert bool(has_button) == loads, (
        f"{loader.name}: a .js-print button without {PRINT_BUTTON} stays hidden"
        if has_button
        else f"{loader.name} loads {PRINT_BUTTON} with no .js-print button for it"
    )
