"""The network map (GENIE step 1) as an accessible form.

Shared by the facilitated flow and the kiosk:

- ``member_formset(data=None, members=(), extra=1)`` builds the formset of members;
  ``formset.members()`` (after ``is_valid()``) returns ``Member`` objects,
  ``formset.draft_members()`` the rows that are valid so far (for drawing a half-finished map),
  ``formset.with_extra_row()`` the same rows again plus a blank one ("Add another", no JS).
- ``members_to_initial(members)`` turns ``Member`` objects into the formset's initial rows.

The circle diagram drawn beside the form is laid out by ``matching.diagram``.

The rules for a member live in ``matching.network.Member``: the form checks each row by building
a ``Member`` through ``members_from_dicts`` and shows its problem next to the field it names.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from django import forms
from django.forms import formset_factory

from common.forms import NamedErrorsMixin, PlainTextFormMixin

from ..network import (
    LABEL_MAX_LENGTH,
    Member,
    MemberError,
    members_from_dicts,
)
from ..vocabulary import (
    CIRCLES,
    CONTACT_FREQUENCIES,
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
