"""A standing guard: the site's own JavaScript never turns text into HTML.

Names of venues, activities and groups are typed by the public and by group editors, so every
script under static/js must put them on the page as text: DOM nodes built with textContent,
handed to Leaflet as elements. This reads each file (static/vendor holds third-party code and is
not ours to change) and fails on any HTML sink, and on Leaflet popups, tooltips and divIcons
given anything but a variable holding a node. The browser test that proves the pages show
hostile names literally is tests/e2e/test_hostile_strings.py.
"""

import re
from pathlib import Path

import pytest

JS_DIR = Path(__file__).resolve().parents[1] / "static" / "js"

# Each pattern, and what to do instead.
SINKS = {
    r"\binnerHTML\b": "innerHTML parses text as HTML: set textContent or append nodes",
    r"\bouterHTML\b": "outerHTML parses text as HTML: build and replace nodes",
    r"\binsertAdjacentHTML\b": "insertAdjacentHTML parses text as HTML: use insertAdjacentElement",
    r"\bdocument\s*\.\s*write(?:ln)?\b": "document.write parses text as HTML",
    r"\bcreateContextualFragment\b": "createContextualFragment parses text as HTML",
    r"\b(?:setHTMLUnsafe|parseHTMLUnsafe)\b": "parses text as HTML",
    r"\bDOMParser\b": "DOMParser parses text as HTML: clone a <template>'s content instead",
    r"\bsrcdoc\b": "srcdoc is a document written as a string",
    r"\beval\s*\(": "eval runs text as code",
    r"\bnew\s+Function\b": "new Function runs text as code",
    r"\bset(?:Timeout|Interval)\s*\(\s*[\"'`]": "a string given to a timer is run as code",
    r"`": "template literals are how HTML gets built from strings: build nodes instead",
    r"\.html\s*\(": "a .html() call sets HTML from a string",
}

# Leaflet inserts a string given as content as HTML, and an element as it is.
LEAFLET_CALL = re.compile(
    r"\.(?P<name>bindPopup|bindTooltip|setPopupContent|setTooltipContent|setContent)"
    r"\s*\(\s*(?P<arg>[^,)]*)"
)
# divIcon({html: ...}) and L.popup / L.tooltip({content: ...}).
LEAFLET_OPTION = re.compile(r"(?<![\w$.])(?P<name>html|content)\s*:\s*(?P<arg>[^,}\n]*)")
IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")


def strip_comments(source: str) -> str:
    """The source with comments blanked out (newlines kept, so line numbers still match)."""
    out = []
    i, n = 0, len(source)
    quote = None
    while i < n:
        c = source[i]
        if quote:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(source[i + 1])
                i += 2
                continue
            if c == quote:
                quote = None
            i += 1
        elif c in "'\"`":
            quote = c
            out.append(c)
            i += 1
        elif source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end == -1 else end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            end = n if end == -1 else end + 2
            out.append("\n" * source.count("\n", i, end))
            i = end
        else:
            out.append(c)
            i += 1
    return "".join(out)


def problems(source: str) -> list[str]:
    """Every HTML sink in a script, as 'line N: why'."""
    code = strip_comments(source)
    found = []

    def line(position: int) -> int:
        return code.count("\n", 0, position) + 1

    for pattern, why in SINKS.items():
        for match in re.finditer(pattern, code):
            found.append(f"line {line(match.start())}: {why}")
    for regex in (LEAFLET_CALL, LEAFLET_OPTION):
        for match in regex.finditer(code):
            if not IDENTIFIER.fullmatch(match["arg"].strip()):
                found.append(
                    f"line {line(match.start())}: {match['name']} given "
                    f"{match['arg'].strip()!r}: pass a variable holding a DOM node built with "
                    "textContent"
                )
    return sorted(found, key=lambda text: int(text.split()[1].rstrip(":")))


SCRIPTS = sorted(JS_DIR.glob("**/*.js"))


def test_there_are_scripts_to_check():
    assert len(SCRIPTS) >= 5, f"static/js has moved: found {SCRIPTS}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_script_puts_text_on_the_page_only_as_text(script):
    assert problems(script.read_text()) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "box.innerHTML = name;",
        "row.outerHTML = '<li>' + name + '</li>';",
        "list.insertAdjacentHTML('beforeend', item);",
        "document.write(name);",
        "var f = document.createRange().createContextualFragment(text);",
        "var doc = new DOMParser().parseFromString(text, 'text/html');",
        "eval(code);",
        "setTimeout('go()', 10);",
        "var html = `<b>${name}</b>`;",
        "marker.bindPopup(el.dataset.name);",
        "marker.bindPopup('<b>' + name + '</b>');",
        'marker.bindPopup("Hall");',
        "marker.bindTooltip(p.title, { permanent: true });",
        "layer.setPopupContent(name + ' hall');",
        "L.popup().setContent(describe(p));",
        "L.divIcon({ className: 'n', html: '<span>' + n + '</span>' });",
        "L.divIcon({ html: String(p.number) });",
        "L.popup({ content: p.title });",
    ],
)
def test_guard_catches_html_sinks(snippet):
    assert problems(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "var label = document.createElement('a'); label.textContent = p.title;"
        " marker.bindPopup(label);",
        "L.divIcon({ className: 'map-number', html: number, iconSize: [32, 32] });",
        "marker.bindTooltip(label, { direction: 'top' });",
        "// never use innerHTML here\nnode.textContent = name;",
        "/* bindPopup('<b>') was the bug */ var url = 'http://example.org/innerHTMLish';",
        "var re = /__prefix__/g; attribute.value = attribute.value.replace(re, '1');",
    ],
)
def test_guard_allows_text_only_forms(snippet):
    assert problems(snippet) == []
