from django import forms

from assets_directory.geocoding import GeocodingError, geocode
from common.forms import NamedErrorsMixin, PlainTextFormMixin

from ..models import Consent, FollowUp, Person
from ..selectors import teams_for_user
from ..services import ConsentAnswers


class PersonForm(NamedErrorsMixin, PlainTextFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["display_name", "postcode", "email", "phone"]
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "off", "class": "input--short"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        }

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip().upper()
        try:
            geocode(postcode)
        except GeocodingError as exc:
            raise forms.ValidationError(exc.message) from exc
        return postcode


class ConsentForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    keep_record = forms.BooleanField(
        label=Consent._meta.get_field("keep_record").verbose_name,
        required=True,
        error_messages={
            "required": "Tick this only if they agree. Without it nothing about them is saved."
        },
        help_text="We keep only what they tell us to help them, for as long as they want help.",
    )
    contact_by_email = forms.BooleanField(
        label=Consent._meta.get_field("contact_by_email").verbose_name, required=False
    )
    count_in_statistics = forms.BooleanField(
        label=Consent._meta.get_field("count_in_statistics").verbose_name, required=False
    )
    health_conditions = forms.BooleanField(
        label=Consent._meta.get_field("health_conditions").verbose_name,
        required=False,
        help_text="Health is sensitive: ask plainly, and note conditions only if they agree. "
        "Without it, any noted are deleted.",
    )
    method = forms.ChoiceField(
        label="How did they agree?",
        choices=Consent.Method.choices,
        widget=forms.RadioSelect,
        initial=Consent.Method.SPOKEN,
    )

    def answers(self) -> ConsentAnswers:
        data = self.cleaned_data
        return ConsentAnswers(
            keep_record=data["keep_record"],
            contact_by_email=data["contact_by_email"],
            count_in_statistics=data["count_in_statistics"],
            health_conditions=data["health_conditions"],
            method=data["method"],
        )


class EraseForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label="I understand that everything held on this person will be deleted for good",
        error_messages={"required": "Tick the box to confirm."},
    )


class FollowUpForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    went = forms.ChoiceField(
        label="Did they go?", choices=FollowUp.Went.choices, widget=forms.RadioSelect
    )
    kept_going = forms.TypedChoiceField(
        label="Are they still going?",
        choices=[("", "Not asked"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Anything to note (in their words)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TeamChoiceForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    team = forms.ModelChoiceField(queryset=None, label="Team", empty_label=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams_for_user(user)

    def clean_team(self):
        # Most facilitators are in one team: it is not worth asking them.
        team = self.cleaned_data.get("team")
        teams = self.fields["team"].queryset
        if team is None and teams.count() == 1:
            return teams.get()
        if team is None:
            raise forms.ValidationError("Choose the team this person's record belongs to.")
        return team
