"""Plain text from the public: one normal form, and no invisible or control characters.

Names, phone numbers and messages end up in page titles, e-mail subjects and the admin. A
right-to-left override can make "gpj.exe" read as "exe.jpg", a zero-width space can make a
second "Balham Choir" look like the first, and control characters break e-mail headers. So
every public text field is normalised (NFKC, whitespace collapsed) and refuses control and
format characters.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width non-joiner and joiner are format characters, but Persian, Urdu and the Indic
# scripts need them inside words, and emoji sequences use the joiner. They are allowed between
# two visible characters, and ignored when names are compared.
_JOINERS = {"\u200c", "\u200d"}
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character that plain text must not hold, or None.

    Whitespace of any kind is allowed (normalise_text turns it into spaces, or keeps line
    breaks in multi-line text); other control characters, unassigned and private-use code
    points, lone surrogates and format characters (bidirectional overrides, zero-width spaces,
    the byte-order mark) are not.
    """
    for index, char in enumerate(value):
        if char.isspace():
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Co", "Cn"):
            return char
        if category == "Cf":
            if char in _JOINERS and 0 < index < len(value) - 1:
                before, after = value[index - 1], value[index + 1]
                if not before.isspace() and not after.isspace():
                    continue
            return char
    return None


# The control characters (C0, DEL and C1) other than tab, line feed and carriage return. The
# same class, as a JSON Schema pattern, documents the search API's text parameters.
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


def has_control_character(value: str) -> bool:
    """A control character other than tab and line breaks: never part of a search, and
    PostgreSQL refuses NUL in any text it is asked to compare or store."""
    return _CONTROL.search(value) is not None


def has_forbidden_character(value: str) -> bool:
    """forbidden_character(value, multiline=True) is not None, quickly for ASCII text."""
    if value.isascii():
        return has_control_character(value)
    return forbidden_character(value, multiline=True) is not None


def strip_forbidden(value: str) -> str:
    """The text without the characters plain text must not hold (for a search box, where
    dropping them is kinder than refusing the search)."""
    if not has_forbidden_character(value):
        return value
    return "".join(
        c for c in value if c.isspace() or forbidden_character(f"a{c}a", multiline=True) is None
    )


def describe_character(char: str) -> str:
    """How to name a character in an error message: U+202E (RIGHT-TO-LEFT OVERRIDE)."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def normalise_text(value: str, *, multiline: bool = False) -> str:
    """NFKC, line breaks as \\n, runs of spaces as one, no space at either end.

    On one line every whitespace run (tabs and line breaks too) becomes one space; over
    several lines, spaces collapse within each line and at most one blank line is kept.
    """
    value = unicodedata.normalize("NFKC", value)
    if not multiline:
        return " ".join(value.split())
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\u2028", "\n").replace("\u2029", "\n\n")
    lines = [_SPACES.sub(" ", line).strip() for line in value.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def comparable_name(value: str) -> str:
    """A name reduced for "is this the same group?": NFKC, case-folded, format and control
    characters dropped, whitespace runs as one space."""
    value = unicodedata.normalize("NFKC", value)
    kept = []
    for char in value:
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in ("Cf", "Cc"):
            kept.append(char)
    return " ".join("".join(kept).casefold().split())
