"""The network map (GENIE step 1) as an accessible form, and the layout of its circle diagram.

Shared by the facilitated flow and the kiosk:

- ``member_formset(data=None, members=(), extra=1)`` builds the formset of members;
  ``formset.members()`` (after ``is_valid()``) returns ``Member`` objects,
  ``formset.draft_members()`` the rows that are valid so far (for drawing a half-finished map),
  ``formset.with_extra_row()`` the same rows again plus a blank one ("Add another", no JS).
- ``members_to_initial(members)`` turns ``Member`` objects into the formset's initial rows.
- ``network_diagram(members)`` lays the map out for ``matching/includes/network_diagram.html``.

The rules for a member live in ``matching.network.Member``: the form checks each row by building
a ``Member`` through ``members_from_dicts`` and shows its problem next to the field it names.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django import forms
from django.forms import formset_factory

from common.forms import NamedErrorsMixin, PlainTextFormMixin

from ..network import (
    CIRCLE_NAMES,
    LABEL_MAX_LENGTH,
    Member,
    MemberError,
    members_from_dicts,
)
from ..vocabulary import (
    CIRCLES,
    CONTACT_FREQUENCIES,
    FAMILY_KINDS,
    FORMAL_KINDS,
    MEMBER_KIND_LABELS,
    MEMBER_KINDS,
    SUPPORT_TYPES,
)

FORMSET_PREFIX = "members"
# Far more than any map needs; stops a crafted post from building thousands of forms.
MAX_MEMBERS = 60
NOTE_MAX_LENGTH = 200

CIRCLE_CHOICES = [(str(number), CIRCLES[number].split(":")[0]) for number in sorted(CIRCLES)]


class _SupportField(forms.MultipleChoiceField):
    """Checkboxes of support types that leave judging the values to ``Member``."""

    def valid_value(self, value):
        return True


class MemberForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """One person, group, pet or place. Fields are loose on purpose: ``Member`` decides what is
    valid, so the API, the kiosk and this form cannot disagree."""

    label = forms.CharField(
        label="Name or initials",
        required=False,
        help_text="Optional. A first name or initials is enough.",
        # The browser stops typing at the limit; Member checks it on the server.
        widget=forms.TextInput(attrs={"maxlength": LABEL_MAX_LENGTH, "autocomplete": "off"}),
    )
    kind = forms.CharField(
        label="Who or what",
        widget=forms.Select(choices=[("", "Choose…"), *MEMBER_KINDS]),
        error_messages={"required": "Choose who or what this is, for example family or a group."},
    )
    circle = forms.CharField(
        label="Circle",
        widget=forms.RadioSelect(choices=CIRCLE_CHOICES),
        error_messages={"required": "Choose the inner, middle or outer circle."},
    )
    support = _SupportField(
        label="What they give (optional)",
        choices=SUPPORT_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.CharField(
        label="How often in touch",
        required=False,
        widget=forms.Select(choices=[("", "Not asked"), *CONTACT_FREQUENCIES]),
    )

    def clean(self):
        data = super().clean()
        self.member = None
        if any(name in self.errors for name in ("kind", "circle")):
            # Required but missing: Django has said so in the field's own words.
            return data
        row = {name: data.get(name) for name in ROW_FIELDS}
        # Member stops at the first problem; standing in a good value for each bad field in
        # turn shows every problem in the row at once.
        failed = False
        for _ in ROW_FIELDS:
            try:
                (member,) = members_from_dicts([row])
            except ValueError as error:
                cause = error.__cause__
                if not isinstance(cause, MemberError) or cause.field not in self.fields:
                    raise forms.ValidationError(str(error)) from error
                self.add_error(
                    cause.field, _sentence(self.fields[cause.field].label, cause.problem)
                )
                row[cause.field] = STAND_INS[cause.field]
                failed = True
            else:
                if not failed:
                    self.member = member
                break
        return data


# Values Member always accepts, used only to look past one bad field for the next.
STAND_INS = {"circle": 1, "kind": "friend", "support": [], "frequency": None, "label": ""}
ROW_FIELDS = ("circle", "kind", "support", "frequency", "label")


def _sentence(label: str, problem: str) -> str:
    """Put a Member problem after the field's name: "Circle must be 1 (inner), ..."."""
    label = label.split(" (")[0]
    if problem.startswith(("is ", "must ")):
        return f"{label} {problem}"
    return f"{label}: {problem}"


def _member_or_none(row: dict) -> Member | None:
    try:
        (member,) = members_from_dicts([{name: row.get(name) for name in ROW_FIELDS}])
    except ValueError:
        return None
    return member


class BaseMemberFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": "A map can have at most %(num)d people, groups, pets and places.",
    }

    def _construct_form(self, i, **kwargs):
        # Every row may be left blank (it is then ignored), also the rows of a saved map: a
        # cleared row is not an error, and removing is what the "Remove" box is for.
        kwargs.setdefault("empty_permitted", True)
        return super()._construct_form(i, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        if not self.members():
            raise forms.ValidationError(
                "Add at least one person, group, pet or place before saving.", code="empty"
            )

    def _kept_forms(self):
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if form.has_changed():
                yield form

    def members(self) -> list[Member]:
        """The map, in row order, without removed or blank rows. Call after ``is_valid()``."""
        return [form.member for form in self._kept_forms() if getattr(form, "member", None)]

    def draft_members(self) -> list[Member]:
        """The rows that are valid so far, so a map with a mistake in it can still be drawn."""
        if not self.is_bound:
            rows = self.initial or []
            return [m for m in (_member_or_none(row) for row in rows) if m]
        drafts = []
        for form in self._kept_forms():
            form.is_valid()
            if getattr(form, "member", None):
                drafts.append(form.member)
        return drafts

    def raw_rows(self) -> list[dict]:
        """What was posted, row by row, unchecked; blank and removed rows left out."""
        rows = []
        for form in self.forms:
            if self.can_delete and form["DELETE"].value():
                continue
            row = {
                "label": form["label"].value() or "",
                "kind": form["kind"].value() or "",
                "circle": form["circle"].value() or "",
                "support": list(form["support"].value() or []),
                "frequency": form["frequency"].value() or "",
            }
            if any(row.values()):
                rows.append(row)
        return rows

    def with_extra_row(self) -> BaseMemberFormSet:
        """The posted rows again, unbound (so no errors yet), with one blank row more."""
        return member_formset(initial=self.raw_rows(), extra=1, prefix=self.prefix)


@functools.cache
def _formset_class(extra: int):
    return formset_factory(
        MemberForm,
        formset=BaseMemberFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_MEMBERS,
        validate_max=True,
        absolute_max=MAX_MEMBERS,
    )


def members_to_initial(members: Iterable[Member]) -> list[dict]:
    """Initial rows for ``member_formset`` from ``Member`` objects (or a saved map)."""
    return [
        {
            "label": m.label,
            "kind": m.kind,
            "circle": str(m.circle),
            "support": sorted(m.support),
            "frequency": m.frequency or "",
        }
        for m in members
    ]


def member_formset(
    data=None,
    members: Iterable[Member] = (),
    *,
    initial: Sequence[dict] | None = None,
    extra: int = 1,
    prefix: str = FORMSET_PREFIX,
) -> BaseMemberFormSet:
    """The members formset: bound to ``data`` (a POST), or showing ``members`` (or raw
    ``initial`` rows) followed by ``extra`` blank rows."""
    if data is not None:
        return _formset_class(extra)(data, prefix=prefix)
    rows = list(initial) if initial is not None else members_to_initial(members)
    return _formset_class(extra)(initial=rows, prefix=prefix)


class NetworkNoteForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    note = forms.CharField(
        label="Note about this version (optional)",
        help_text="For example: “First map” or “Three months after the plan”.",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


# The diagram ---------------------------------------------------------------------------------

# Short codes drawn inside the dots; the kind is also written out under each dot and in the list.
KIND_CODES = {
    "partner": "Pa",
    "family": "Fa",
    "friend": "Fr",
    "neighbour": "Ne",
    "colleague": "Co",
    "professional": "He",
    "group": "Gr",
    "pet": "Pe",
    "place": "Pl",
}


# Kind names short enough to sit under a dot; the lists use the full MEMBER_KINDS labels.
KIND_SHORT_NAMES = {
    "partner": "Partner",
    "family": "Family",
    "friend": "Friend",
    "neighbour": "Neighbour",
    "colleague": "Colleague",
    "professional": "Health or care",
    "group": "Group",
    "pet": "Pet",
    "place": "Place",
}


def kind_group(kind: str) -> str:
    """Which colour family a dot gets (never the only cue: code and words say it too)."""
    if kind in FAMILY_KINDS:
        return "family"
    if kind == "friend":
        return "friend"
    if kind in FORMAL_KINDS:
        return "formal"
    return "wider"


def kind_table() -> dict:
    """Codes, labels and colour groups of the kinds, for network-map.js."""
    return {
        slug: {
            "code": KIND_CODES[slug],
            "label": label,
            "short": KIND_SHORT_NAMES[slug],
            "group": kind_group(slug),
        }
        for slug, label in MEMBER_KINDS
    }


# Geometry in SVG units (viewBox 0 0 600 600). network-map.js reads these from the <svg>.
DIAGRAM_SIZE = 600
RING_RADII = {1: 110, 2: 200, 3: 290}
CENTRE_RADIUS = 24
DOT_RADIUS = 18
LABEL_DISPLAY_MAX = 14
VIEW_MARGIN = 16
# Where dots sit in each ring, and how many fit on one line before they zig-zag in and out.
PLACE_RADII = {1: 66, 2: 155, 3: 245}
STAGGER = {1: 20, 2: 22, 3: 22}
SPACING = 62


def member_text(member: Member) -> str:
    """A member in words, as in the lists: "Mum (Family)", or "Family" without a name."""
    kind = MEMBER_KIND_LABELS[member.kind]
    return f"{member.label} ({kind})" if member.label else kind


@dataclass(frozen=True)
class DiagramDot:
    index: int
    member: Member
    x: float
    y: float
    code: str
    group: str
    name: str  # shortened to fit; the full label is in `text` and the list
    kind_label: str  # short, to fit under the dot
    text: str


@dataclass(frozen=True)
class DiagramRing:
    circle: int
    radius: int
    name: str
    title_y: float
    dots: tuple[DiagramDot, ...]


@dataclass(frozen=True)
class Diagram:
    size: int
    centre: float
    centre_radius: int
    dot_radius: int
    rings: tuple[DiagramRing, ...]  # outer first, so inner circles paint on top
    dots: tuple[DiagramDot, ...]

    @property
    def view_box(self) -> str:
        """The drawing plus a margin, so names under the lowest and widest dots are not cut."""
        side = self.size + 2 * VIEW_MARGIN
        return f"{-VIEW_MARGIN} {-VIEW_MARGIN} {side} {side}"

    @property
    def geometry(self) -> str:
        """What network-map.js needs to lay dots out exactly as network_diagram() does."""
        return json.dumps(
            {
                "centre": self.centre,
                "rings": [RING_RADII[c] for c in sorted(RING_RADII)],
                "place": [PLACE_RADII[c] for c in sorted(PLACE_RADII)],
                "stagger": [STAGGER[c] for c in sorted(STAGGER)],
                "spacing": SPACING,
                "dot": self.dot_radius,
                "labelMax": LABEL_DISPLAY_MAX,
                "names": [CIRCLE_NAMES[c] for c in sorted(RING_RADII)],
            }
        )

    @property
    def rings_inner_first(self):
        return tuple(reversed(self.rings))

    @property
    def empty(self) -> bool:
        return not self.dots

    @property
    def description(self) -> str:
        """The whole map in one sentence each per circle: the diagram's text alternative."""
        if self.empty:
            return "Nobody is on the map yet."
        parts = []
        for ring in self.rings_inner_first:
            if ring.dots:
                names = "; ".join(dot.text for dot in ring.dots)
                parts.append(f"{ring.name.capitalize()} circle: {names}.")
            else:
                parts.append(f"{ring.name.capitalize()} circle: nobody.")
        return " ".join(parts)


def _shorten(text: str) -> str:
    if len(text) <= LABEL_DISPLAY_MAX:
        return text
    return text[: LABEL_DISPLAY_MAX - 1].rstrip() + "…"


def _positions(circle: int, count: int) -> list[tuple[float, float]]:
    """Spread `count` dots evenly round a ring, starting half a step after the top so that no dot
    sits on the ring's name. Crowded rings zig-zag between two radii. Mirrored in
    network-map.js (layout()); keep the two the same."""
    centre = DIAGRAM_SIZE / 2
    radius = PLACE_RADII[circle]
    crowded = count * SPACING > 2 * math.pi * radius
    points = []
    for i in range(count):
        angle = -math.pi / 2 + (i + 0.5) * 2 * math.pi / count
        r = radius + (STAGGER[circle] * (1 if i % 2 else -1) if crowded else 0)
        points.append(
            (round(centre + r * math.cos(angle), 1), round(centre + r * math.sin(angle), 1))
        )
    return points


def network_diagram(members: Iterable[Member]) -> Diagram:
    """Lay a map out as three circles with the members as dots. `index` on each dot is the
    member's position in `members` (the form row, on the edit page)."""
    members = list(members)
    centre = DIAGRAM_SIZE / 2
    rings = []
    all_dots = []
    for circle in sorted(RING_RADII, reverse=True):
        indexed = [(i, m) for i, m in enumerate(members) if m.circle == circle]
        dots = []
        for (index, member), (x, y) in zip(indexed, _positions(circle, len(indexed)), strict=True):
            dots.append(
                DiagramDot(
                    index=index,
                    member=member,
                    x=x,
                    y=y,
                    code=KIND_CODES[member.kind],
                    group=kind_group(member.kind),
                    name=_shorten(member.label),
                    kind_label=KIND_SHORT_NAMES[member.kind],
                    text=member_text(member),
                )
            )
        inner_edge = RING_RADII.get(circle - 1, CENTRE_RADIUS)
        rings.append(
            DiagramRing(
                circle=circle,
                radius=RING_RADII[circle],
                name=CIRCLE_NAMES[circle],
                # The ring's name sits at the top of its band, just inside its line.
                title_y=centre
                - RING_RADII[circle]
                + min(22, (RING_RADII[circle] - inner_edge) / 2),
                dots=tuple(dots),
            )
        )
        all_dots.extend(dots)
    all_dots.sort(key=lambda dot: dot.index)
    return Diagram(
        size=DIAGRAM_SIZE,
        centre=centre,
        centre_radius=CENTRE_RADIUS,
        dot_radius=DOT_RADIUS,
        rings=tuple(rings),
        dots=tuple(all_dots),
    )
