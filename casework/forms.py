from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from common.forms import NamedErrorsMixin, PlainTextFormMixin, name_errors

from .models import Case, WellbeingMeasure, WellbeingScore


class WellbeingScoreForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """One radio group per question of the measure (0 to 10 for ONS4), the date and the
    occasion. The service checks everything again."""

    taken_on = forms.DateField(
        label="Date it was taken",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "The date it was taken must be a real date, like 2026-12-06"},
    )
    occasion = forms.ChoiceField(
        label="When was it taken?",
        choices=WellbeingScore.Occasion.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, measure: WellbeingMeasure, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        scale = [(str(n), str(n)) for n in range(measure.scale_min, measure.scale_max + 1)]
        questions = {}
        for question in measure.question_list:
            field = forms.TypedChoiceField(
                label=question.text,
                choices=scale,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=f"{question.label}: {measure.scale_min} to {measure.scale_max}.",
            )
            # Named by the question's short label: the question itself is the legend.
            choose = (
                f"Choose a number from {measure.scale_min} to {measure.scale_max} "
                f"for {question.label.lower()}"
            )
            field.error_messages.update(required=choose, invalid_choice=choose)
            questions[question.key] = name_errors(field, name=question.key)
        # The questions first, in the measure's order, then when it was taken.
        self.fields = {**questions, **self.fields}
        self.question_keys = list(questions)
        self.fields["taken_on"].initial = timezone.localdate()

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        if taken_on > timezone.localdate():
            raise forms.ValidationError("The date it was taken must be today or in the past")
        return taken_on

    def answers(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in self.question_keys}


class CaseForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    stage = forms.ChoiceField(label="Stage", choices=Case.Stage.choices, widget=forms.RadioSelect)
    closed_reason = forms.ChoiceField(
        label="If closed, why?",
        choices=Case.ClosedReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    last_contact_on = forms.DateField(
        label="Last contact (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "The last contact must be a real date, like 2026-12-06"},
    )
    next_step = forms.CharField(label="Next step (optional)", max_length=200, required=False)
    follow_up_on = forms.DateField(
        label="Follow up on (optional)",
        required=False,
        help_text="The person shows as due on your caseload from this day.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "The follow-up date must be a real date, like 2026-12-20"},
    )


class CaseNoteForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    text = forms.CharField(
        label="Add a note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was said or done, in plain words. They can ask to see it.",
    )


class HandOverForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    to = forms.ModelChoiceField(label="Hand over to", queryset=None, empty_label="Choose someone")

    def __init__(self, team, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = (
            get_user_model()
            .objects.filter(team_memberships__team=team, is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["to"].queryset = users
        self.fields["to"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
