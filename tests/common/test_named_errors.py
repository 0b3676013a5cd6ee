from django import forms

from common.forms import NamedErrorsMixin


class ContactForm(NamedErrorsMixin, forms.Form):
    contact_email = forms.EmailField(label="Contact's e-mail address")
    your_email = forms.EmailField(label="Your e-mail address (optional)", required=False)
    name = forms.CharField(label="Name of your group", max_length=5)
    kind = forms.ChoiceField(label="What kind of group is it?", choices=[("a", "A")])
    agree = forms.BooleanField(label="I run this group")
    age = forms.IntegerField(label="Age")
    own = forms.CharField(label="Own", error_messages={"required": "Say something."})


def _errors(data):
    form = ContactForm(data)
    form.is_valid()
    return {name: list(errors) for name, errors in form.errors.items()}


def test_required_messages_name_their_field():
    errors = _errors({})
    assert errors["contact_email"] == ["Enter the contact's e-mail address"]
    assert errors["name"] == ["Enter the name of your group"]
    assert errors["kind"] == ["Choose an answer to “What kind of group is it?”"]
    assert errors["agree"] == ["Tick “I run this group” to go on"]
    assert errors["age"] == ["Enter the age"]


def test_no_message_on_a_page_is_django_generic():
    errors = _errors({"contact_email": "x", "your_email": "y", "name": "far too long",
                      "kind": "zz", "age": "ten"})  # fmt: skip
    messages = [m for ms in errors.values() for m in ms]
    assert len(messages) == len(set(messages)), messages  # two e-mail fields, two messages
    generics = (
        "This field is required.",
        "Enter a valid email address.",
        "Select a valid choice",
        "Enter a whole number.",
        "Ensure this value",
    )
    for generic in generics:
        assert not any(generic in m for m in messages), generic
    assert errors["name"] == ["“Name of your group” must be 5 characters or fewer (it has 12)"]
    assert errors["age"] == ["“Age” must be a number"]


def test_a_forms_own_messages_are_kept():
    assert _errors({})["own"] == ["Say something."]


def test_other_forms_keep_djangos_messages():
    # The mixin changes the form's own copies of its fields, never the shared declarations.
    class Plain(forms.Form):
        name = forms.CharField(label="Name of your group", max_length=5)

    ContactForm({})
    plain = Plain({"name": "far too long"})
    plain.is_valid()
    assert "Ensure this value has at most 5 characters" in plain.errors["name"][0]
