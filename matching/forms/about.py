"""About the person, so that suggestions fit them: their age band, whether they look after young
children or care for someone, which single-sex groups would suit them, and (only where they
agree) health conditions. Every question is optional; an answer left out rules nothing in.

One form for both flows, as matching.forms.preferences: the facilitated flow saves it through
matching.services (`preferences_fields()`), the kiosk carries its `answers()`.
"""

from __future__ import annotations

from django import forms

from common.forms import NamedErrorsMixin, PlainTextFormMixin

from ..vocabulary import AGE_BAND_RANGES, AGE_BANDS, SINGLE_SEX_GROUPS

NOT_SAYING = ""


class AboutForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    age_band = forms.ChoiceField(
        label="How old are you?",
        help_text="So we leave out groups for other ages.",
        choices=[(NOT_SAYING, "I'd rather not say"), *[(s, label) for s, label, *_ in AGE_BANDS]],
        required=False,
        widget=forms.RadioSelect,
    )
    young_children = forms.BooleanField(
        label="I look after a baby or young children", required=False
    )
    cares_for = forms.BooleanField(
        label="I care for someone (a partner, relative or friend who needs help)",
        required=False,
    )
    single_sex = forms.ChoiceField(
        label="Would a women-only or men-only group suit you?",
        choices=[(NOT_SAYING, "No preference"), *SINGLE_SEX_GROUPS],
        required=False,
        widget=forms.RadioSelect,
    )
    conditions = forms.MultipleChoiceField(
        label="Do you live with any of these?",
        help_text="Some groups are for people living with a condition. Tick any that apply.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cared_for_conditions = forms.MultipleChoiceField(
        label="Does the person you care for live with any of these?",
        help_text="Some groups for people with a condition welcome their carers too.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    HEALTH_FIELDS = ("conditions", "cared_for_conditions")

    def __init__(self, *args, conditions: dict[str, str], ask_health: bool = True, **kwargs):
        """`conditions`: name by slug (matching.selectors.condition_names). Without
        `ask_health` (no consent to note them) the health questions are not asked at all."""
        super().__init__(*args, **kwargs)
        self.ask_health = ask_health
        if ask_health:
            for name in self.HEALTH_FIELDS:
                self.fields[name].choices = list(conditions.items())
        else:
            for name in self.HEALTH_FIELDS:
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cared_for_conditions") and not cleaned.get("cares_for"):
            self.add_error(
                "cares_for",
                "Tick that you care for someone, or leave their conditions empty.",
            )
        return cleaned

    def answers(self) -> dict:
        """In the POST /api/match shape; a question not answered is left out."""
        data = self.cleaned_data
        answers: dict = {
            "cares_for": bool(data.get("cares_for")),
            "young_children": bool(data.get("young_children")),
        }
        for name in ("age_band", "single_sex"):
            if data.get(name):
                answers[name] = data[name]
        for name in self.HEALTH_FIELDS:
            if data.get(name):
                answers[name] = list(data[name])
        return answers

    def preferences_fields(self) -> dict:
        """Preferences fields, every one given so that an answer taken back is cleared."""
        data = self.cleaned_data
        fields = {
            "age_band": data.get("age_band") or "",
            "single_sex": data.get("single_sex") or "",
            "cares_for": bool(data.get("cares_for")),
            "young_children": bool(data.get("young_children")),
        }
        if self.ask_health:
            for name in self.HEALTH_FIELDS:
                fields[name] = list(data.get(name) or [])
        return fields

    @classmethod
    def initial_from_answers(cls, answers: dict) -> dict:
        answers = answers if isinstance(answers, dict) else {}
        initial: dict = {
            "cares_for": answers.get("cares_for") is True,
            "young_children": answers.get("young_children") is True,
            "age_band": answers.get("age_band") if answers.get("age_band") in AGE_BAND_RANGES
            else NOT_SAYING,
            "single_sex": answers.get("single_sex")
            if answers.get("single_sex") in dict(SINGLE_SEX_GROUPS)
            else NOT_SAYING,
        }  # fmt: skip
        for name in cls.HEALTH_FIELDS:
            values = answers.get(name)
            if isinstance(values, list):
                initial[name] = [v for v in values if isinstance(v, str)]
        return initial
