"""What a change sent to be checked changes, in words a moderator reads at a glance.

Compares the live version of a page with the version sent for approval, field by field in the
order of the page's form, each field under the label its editor saw, before and after as text:
choices by their label, a venue by its name, categories and tags as lists, session times as
sentences, rich text as plain text. A page that was never published is a new listing: its main
fields are shown as they were sent.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import capfirst
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Page

# Fields a moderator does not need to see: set by the site, not by the editor.
IGNORED = {"slug", "last_reviewed", "seo_title", "search_description", "show_in_menus"}
# What "New listing" shows: enough to recognise it; the preview shows the rest.
NEW_LISTING_FIELDS = 6
EMPTY = "(empty)"


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ChangeDescription:
    """What a moderator is asked to approve: a new listing, or the fields a change alters."""

    new: bool
    changes: list[FieldChange]

    @property
    def heading(self) -> str:
        if self.new:
            return "New listing"
        if not self.changes:
            return "No visible changes"
        count = len(self.changes)
        return f"{count} change{'' if count == 1 else 's'}"


def describe_changes(*, live: Page | None, submitted: Page) -> ChangeDescription:
    """The fields of ``submitted`` that differ from ``live`` (None for a page never published)."""
    fields = form_fields(type(submitted))
    if live is None:
        shown = [
            FieldChange(label, "", text)
            for name, label, choices in fields
            if (text := field_text(submitted, name, choices)) != EMPTY
        ]
        return ChangeDescription(new=True, changes=shown[:NEW_LISTING_FIELDS])
    changes = []
    for name, label, choices in fields:
        before = field_text(live, name, choices)
        after = field_text(submitted, name, choices)
        if before != after:
            changes.append(FieldChange(label, before, after))
    return ChangeDescription(new=False, changes=changes)


def describe_page_revision(*, page: Page, revision=None) -> ChangeDescription:
    """The change ``revision`` (the latest one by default) makes to the live ``page``."""
    page = page.specific
    revision = revision or page.latest_revision
    submitted = revision.as_object() if revision is not None else page
    live = page if page.live else None
    return describe_changes(live=live, submitted=submitted)


# Labels ---------------------------------------------------------------------------------------


def form_fields(model: type[models.Model]) -> list[tuple[str, str, dict | None]]:
    """(field name, label, labels of its choices) of each field of the page's form, in order.

    Read from the page's panels, so a field added to the form is described without more code.
    A label is the panel's heading if it has one, else the form field's label (which the form
    may have reworded), else the model field's verbose name. Choices are the panel widget's
    where the model field has none (ticked boxes stored as comma-separated words).
    """
    edit_handler = model.get_edit_handler()
    try:
        form = edit_handler.get_form_class()()
    except Exception:  # noqa: BLE001 - a form that needs more to build falls back to the model
        form = None
    found = []
    for panel in _walk(edit_handler):
        if isinstance(panel, FieldPanel):
            name = panel.field_name
        elif isinstance(panel, InlinePanel):
            name = panel.relation_name
        else:
            continue
        if name in IGNORED:
            continue
        widget = getattr(panel, "widget", None)  # a class, an instance, or None
        is_instance = isinstance(widget, forms.Widget)
        widget_choices = getattr(widget, "choices", None) if is_instance else None
        choices = {str(k): str(v) for k, v in widget_choices} if widget_choices else None
        found.append((name, _label(model, panel, name, form), choices))
    return found


def _walk(panel):
    yield panel
    for child in getattr(panel, "children", ()):
        yield from _walk(child)


def _label(model, panel, name, form) -> str:
    if isinstance(panel, InlinePanel) and panel.heading:
        return panel.heading
    if form is not None and name in form.fields and form.fields[name].label:
        return capfirst(str(form.fields[name].label))
    try:
        return capfirst(str(model._meta.get_field(name).verbose_name))
    except Exception:  # noqa: BLE001 - a relation without a verbose name
        return capfirst(name.replace("_", " "))


# Values as text -------------------------------------------------------------------------------


def field_text(obj, name: str, choices: dict | None = None) -> str:
    """One field of ``obj`` as a moderator reads it; EMPTY when it has no value.

    ``choices`` names the comma-separated words of a field ticked as boxes.
    """
    try:
        field = obj._meta.get_field(name)
    except Exception:  # noqa: BLE001 - not a model field: a child relation or a manager
        field = None
    if field is not None and getattr(field, "one_to_many", False):
        field = None  # a child relation (session times): described below
    if field is None:
        value = getattr(obj, name, None)
        if value is not None and hasattr(value, "all"):
            return _list_text([_item_text(item) for item in value.all()])
        return _scalar_text(value)
    if field.many_to_many or (field.is_relation and hasattr(getattr(obj, name), "all")):
        return _list_text([_item_text(item) for item in getattr(obj, name).all()])
    if field.choices:
        return getattr(obj, f"get_{name}_display")() or EMPTY
    if field.is_relation:
        related = getattr(obj, name, None)
        return str(related) if related is not None else EMPTY
    value = getattr(obj, name)
    if isinstance(field, RichTextField):
        return _scalar_text(" ".join(html.unescape(strip_tags(value or "")).split()))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if choices and isinstance(value, str) and not field.many_to_many:
        words = [word.strip() for word in value.split(",") if word.strip()]
        return _list_text([choices.get(word, word) for word in words])
    return _scalar_text(value)


def _item_text(item) -> str:
    # A session time describes itself in a sentence (scheduling.describe).
    describe = getattr(item, "describe", None)
    if callable(describe):
        try:
            return describe()
        except (ValueError, AssertionError, TypeError):
            return str(item)
    return str(item)


def _list_text(items: list[str]) -> str:
    return "; ".join(sorted(items, key=str.casefold)) if items else EMPTY


def _scalar_text(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return " ".join(str(value).split()) or EMPTY
