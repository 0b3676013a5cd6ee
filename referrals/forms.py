from django import forms

from common.forms import NamedErrorsMixin, PlainTextFormMixin

from .models import Referral
from .status import REASON_LABELS, Party, allowed, reasons_for

# The group's answers in the group's own words.
GROUP_WORDS = {
    "accepted": "Yes, we can welcome them",
    "rejected": "No, we cannot take them",
    "in_progress": "They have come once",
    "completed": "They come regularly",
    "failed": "It did not work out",
}


class GroupAnswerForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """What a group may say next about a referral, through the link in its e-mail."""

    status = forms.ChoiceField(label="Your answer", widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label="Why?",
        required=False,
        widget=forms.RadioSelect,
        help_text="Needed if you cannot take them or it did not work out.",
    )
    note = forms.CharField(
        label="Anything the link worker should know (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Please do not write anything about their health.",
    )

    def __init__(self, referral: Referral, *args, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = allowed(referral.status, Party.GROUP)
        self.fields["status"].choices = [(s.value, GROUP_WORDS[s.value]) for s in statuses]
        reasons = []
        for status in statuses:
            for reason in reasons_for(status):
                if (reason.value, REASON_LABELS[reason]) not in reasons:
                    reasons.append((reason.value, REASON_LABELS[reason]))
        # Going once or regularly is its own reason: only the reasons to explain a no.
        self.fields["reason"].choices = [
            (value, label)
            for value, label in reasons
            if value not in ("attended_once", "attending_regularly")
        ]
        if not self.fields["reason"].choices:
            del self.fields["reason"]
