from django import forms

from assets_directory.models import Activity
from common.forms import NamedErrorsMixin, PlainTextFormMixin
from common.http import parse_id, parse_ids

from ..suggestions import live_activities

NOTES_MAX_LENGTH = 2000


class ActivityIdsField(forms.ModelMultipleChoiceField):
    """Activities by id, each checked to be a bounded ASCII number before any query: "²" or
    a 23-digit number is a form error, never a 500."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            ids = [parse_id(pk) for pk in value]
            if None in ids:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value"
                )
            value = ids
        return super().clean(value)


class PlanChoiceForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """The activities ticked on the suggestions page, and anything else agreed."""

    activities = ActivityIdsField(
        queryset=Activity.objects.none(),
        label="Choose to try",
        error_messages={
            "required": "Choose at least one activity to try.",
            "invalid_list": "Choose activities from the list.",
            "invalid_choice": "One of the activities chosen is not in the directory any more. "
            "Choose from the list again.",
            "invalid_pk_value": "Choose activities from the list.",
        },
    )
    notes = forms.CharField(
        label="Anything else agreed",
        help_text="For example: who will go with them, or what to ask first.",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = live_activities()

    def chosen_ids(self) -> list[int]:
        """The ids ticked, in the order posted, ignoring anything that is not an id."""
        return parse_ids(self.data.getlist("activities")) if self.is_bound else []
