import pytest
from django import forms

from common.forms import PlainTextFormMixin
from common.text import comparable_name, forbidden_character, normalise_text


@pytest.mark.parametrize(
    "value",
    [
        "Balham\u200bChoir",  # zero-width space
        "gpj\u202eexe",  # right-to-left override
        "\u2066isolate\u2069",
        "\ufeffBOM",
        "bell\x07",
        "nul\x00",
        "\u200dleading joiner",
        "private\ue000use",
    ],
)
def test_forbidden_character_finds_control_and_format_characters(value):
    assert forbidden_character(value) is not None


@pytest.mark.parametrize(
    "value",
    [
        "Tooting Knit & Natter",
        "کتاب\u200cها",  # Persian: the non-joiner is part of the word
        "👩\u200d👩\u200d👧",  # an emoji family joins with zero-width joiners
        "Café Ünïcode",
        "tabs\tand\nbreaks",
    ],
)
def test_forbidden_character_allows_real_text(value):
    assert forbidden_character(value, multiline=True) is None


def test_normalise_text_uses_nfkc_and_collapses_whitespace():
    assert normalise_text("  Ｂａｌｈａｍ\t Choir \n") == "Balham Choir"
    assert normalise_text("a  b\r\n\r\n\r\n\r\nc  ", multiline=True) == "a b\n\nc"


def test_comparable_name_ignores_case_width_spacing_and_invisible_characters():
    assert comparable_name("Balham\u200b  CHOIR") == comparable_name("balham choir")
    assert comparable_name("Ｂａｌｈａｍ Choir") == "balham choir"


class ExampleForm(PlainTextFormMixin, forms.Form):
    name = forms.CharField(label="Name of your group")
    message = forms.CharField(label="Message (optional)", widget=forms.Textarea, required=False)
    email = forms.EmailField(label="Your e-mail address", required=False)
    password = forms.CharField(widget=forms.PasswordInput, required=False, strip=False)

    def clean_name(self):
        # clean_<field> sees the normal form already.
        assert self.cleaned_data["name"] == self.cleaned_data["name"].strip()
        return self.cleaned_data["name"]


def test_form_normalises_every_text_field_before_its_own_checks():
    form = ExampleForm(
        {"name": " Ｂａｌｈａｍ   Choir ", "message": "Hi\r\nthere", "password": " \u200b "}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Balham Choir"
    assert form.cleaned_data["message"] == "Hi\nthere"
    assert form.cleaned_data["password"] == " \u200b "  # passwords are kept as typed


def test_form_error_names_the_field_and_the_character():
    form = ExampleForm({"name": "Balham\u202eChoir", "message": "ok\x1b[31m"})
    assert not form.is_valid()
    assert form.errors["name"] == [
        "Name of your group contains a character that cannot be used here: "
        "U+202E (RIGHT-TO-LEFT OVERRIDE). Remove it and try again."
    ]
    assert form.errors["message"][0].startswith("Message contains a character")


def test_only_invisible_characters_count_as_empty_for_required_fields():
    form = ExampleForm({"name": "   \t "})
    assert not form.is_valid()
    assert "name" in form.errors
