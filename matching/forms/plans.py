from django import forms

from assets_directory.models import Activity

from ..suggestions import live_activities

NOTES_MAX_LENGTH = 2000


class PlanChoiceForm(forms.Form):
    """The activities ticked on the suggestions page, and anything else agreed."""

    activities = forms.ModelMultipleChoiceField(
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
        ids = []
        for value in self.data.getlist("activities") if self.is_bound else []:
            if str(value).isdigit():
                ids.append(int(value))
        return ids
