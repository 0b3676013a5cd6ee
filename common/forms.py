"""Form helpers every app may use."""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError

from .text import describe_character, forbidden_character, normalise_text


class NamedErrorsMixin:
    """Error messages that name their field, in GOV.UK style, wherever a form has not written
    its own: "Enter your e-mail address", never "This field is required." twice on one page.

    A message a form sets itself is kept; only Django's generic defaults are replaced.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            name_errors(field, name=name)


def name_errors(field: forms.Field, *, name: str = "") -> forms.Field:
    """Replace a field's generic Django error messages with ones that name it."""
    label = str(field.label or name.replace("_", " ")).strip()
    label = label.removesuffix("(optional)").strip()
    defaults = _default_messages(field)
    messages = field.error_messages
    question = label.endswith("?")
    thing = _lower_first(label.rstrip(":"))
    choice = isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(
        field.widget, forms.CheckboxInput
    )
    if messages.get("required") == defaults.get("required"):
        if isinstance(field.widget, forms.CheckboxInput):
            required = f"Tick “{label}” to go on" if not question else f"Answer “{label}”"
        elif question:
            required = f"{'Choose' if choice else 'Enter'} an answer to “{label}”"
        else:
            required = f"{'Choose' if choice else 'Enter'} {thing}"
        messages["required"] = required
    if messages.get("invalid") == defaults.get("invalid"):
        if isinstance(field, forms.EmailField):
            messages["invalid"] = (
                f"Enter {thing} in the right form, like name@example.com"
                if not question
                else "Enter an e-mail address in the right form, like name@example.com"
            )
        elif isinstance(field, forms.URLField):
            messages["invalid"] = "Enter a web address in the right form, like https://example.org"
        elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            messages["invalid"] = f"“{label}” must be a number"
        elif isinstance(field, forms.DateField | forms.TimeField | forms.DateTimeField):
            messages["invalid"] = f"“{label}” must be a real date or time"
    if messages.get("invalid_choice") == defaults.get("invalid_choice"):
        messages["invalid_choice"] = f"Choose one of the options for “{label}”"
    for index, validator in enumerate(field.validators):
        code = getattr(validator, "code", "")
        if code in ("max_length", "min_length") and validator.message == type(validator).message:
            # A copy: the form's field list is per form, the validators in it are not.
            validator = field.validators[index] = copy.copy(validator)
            word = "or fewer" if code == "max_length" else "or more"
            validator.message = (
                f"“{label}” must be %(limit_value)d characters {word} (it has %(show_value)d)"
            )
    return field


def _default_messages(field: forms.Field) -> dict:
    messages = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


_DETERMINERS = {"your", "the", "a", "an", "their", "his", "her", "its", "our", "my", "this"}


def _lower_first(label: str) -> str:
    """The label as the object of "Enter ...": "Your e-mail address" -> "your e-mail address",
    "Contact's e-mail address" -> "the contact's e-mail address"; "BSL ..." keeps its case."""
    words = label.split(maxsplit=1)
    if not words:
        return label
    if not (len(words[0]) > 1 and words[0][1].isupper()):
        label = label[:1].lower() + label[1:]
    if label.split(maxsplit=1)[0].lower() not in _DETERMINERS:
        label = f"the {label}"
    return label


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
            if isinstance(field, forms.CharField) and _typed_as_text(field.widget):
                plain_text_field(field, name=name)


def _typed_as_text(widget) -> bool:
    """Text a person types in a box: not a password (kept exactly as typed), and not a hidden
    field (a signed token, or the rich text editor's JSON, which must not be rewritten)."""
    if isinstance(widget, forms.PasswordInput | forms.HiddenInput | forms.FileInput):
        return False
    return isinstance(widget, forms.widgets.Input | forms.Textarea)


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


class HoneypotMixin(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """A field people never see (hidden by CSS and from screen readers); bots fill it in."""

    website_url = forms.CharField(required=False, label="Leave this empty")

    def clean_website_url(self):
        value = self.cleaned_data.get("website_url", "")
        if value:
            raise forms.ValidationError("This form could not be sent.", code="honeypot")
        return value

    @property
    def is_spam(self):
        return "website_url" in self.errors
