"""Form helpers every app may use."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .text import describe_character, forbidden_character, normalise_text


class PlainTextFormMixin:
    """Normalises every text field of the form and refuses control and format characters.

    Applied to the whole form so that no field can be forgotten: every CharField (and its
    subclasses: e-mail, URL, slug) is normalised before its own checks and clean_<field>
    methods run, so they (and duplicate checks) see the normal form. A Textarea keeps its line
    breaks; passwords are left exactly as typed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.PasswordInput
            ):
                plain_text_field(field, name=name)


def plain_text_field(field: forms.CharField, *, name: str = "") -> forms.CharField:
    """Make one form field normalise its text and refuse control and format characters."""
    if getattr(field, "_plain_text", False):
        return field
    to_python = field.to_python
    multiline = isinstance(field.widget, forms.Textarea)
    label = _sentence(str(field.label or name.replace("_", " ") or "This field"))

    def plain_to_python(value):
        value = to_python(value)
        if not isinstance(value, str):
            return value
        bad = forbidden_character(value, multiline=multiline)
        if bad is not None:
            raise ValidationError(
                "%(label)s contains a character that cannot be used here: %(char)s. "
                "Remove it and try again.",
                code="forbidden_character",
                params={"label": label, "char": describe_character(bad)},
            )
        return normalise_text(value, multiline=multiline)

    field.to_python = plain_to_python
    field._plain_text = True
    return field


def _sentence(label: str) -> str:
    label = label.removesuffix(" (optional)").rstrip("?:").strip()
    return label[:1].upper() + label[1:]
