from django import forms

from common.forms import NamedErrorsMixin, PlainTextFormMixin

from .models import Referral
from .services import SharedDetails
from .status import REASON_LABELS, SELF_EXPLAINED, Party, allowed, reasons_for

# The group's answers in the group's own words.
GROUP_WORDS = {
    "accepted": "Yes, we can welcome them",
    "rejected": "No, we cannot take them",
    "in_progress": "They have come once",
    "completed": "They come regularly",
    "failed": "It did not work out",
}


class ReferForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """What the group is told, and the person's consent to tell it."""

    first_name = forms.CharField(
        label="Their first name or initials",
        max_length=80,
        help_text="How the group should greet them.",
    )
    contact = forms.CharField(
        label="How the group can contact them (optional)",
        max_length=200,
        required=False,
        help_text="A phone number or e-mail address. Leave it empty to be the go-between.",
    )
    contact_by = forms.ChoiceField(
        label="How they would like to be contacted",
        choices=Referral.ContactBy.choices,
        widget=forms.RadioSelect,
        initial=Referral.ContactBy.PHONE,
    )
    help_with = forms.CharField(
        label="What they would like help with (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In their words, if they are happy for the group to read them. "
        "Nothing about their health unless they ask you to share it.",
    )
    access_needs = forms.CharField(
        label="Access needs (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What would help them take part: step-free access, a quiet space, someone "
        "to meet them at the door.",
    )
    consent_to_share = forms.BooleanField(
        label=Referral._meta.get_field("consent_to_share").verbose_name,
        error_messages={
            "required": "Tick this only if they agree. Without it the referral cannot be made."
        },
    )
    consent_method = forms.ChoiceField(
        label="How did they agree?",
        choices=Referral.ConsentMethod.choices,
        widget=forms.RadioSelect,
        initial=Referral.ConsentMethod.SPOKEN,
    )

    def shared(self) -> SharedDetails:
        data = self.cleaned_data
        return SharedDetails(
            first_name=data["first_name"],
            contact=data["contact"],
            contact_by=data["contact_by"],
            help_with=data["help_with"],
            access_needs=data["access_needs"],
        )


class OutcomeForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """What the team records next: how it went, or that the referral is cancelled."""

    status = forms.ChoiceField(label="What happened?", widget=forms.RadioSelect)
    reason = forms.ChoiceField(label="Why?", required=False, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, referral: Referral, *args, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = allowed(referral.status, Party.REFERRER)
        self.fields["status"].choices = [(s.value, TEAM_WORDS[s.value]) for s in statuses]
        self.fields["reason"].choices = _reasons(statuses)
        if not self.fields["reason"].choices:
            del self.fields["reason"]


# The team's words for what it records.
TEAM_WORDS = {
    "in_progress": "They have been once",
    "completed": "They go regularly",
    "failed": "It did not work out",
    "cancelled": "Cancel the referral",
}


def _reasons(statuses) -> list[tuple[str, str]]:
    """The reasons for any of `statuses`, once each; going once or regularly is its own
    reason, so only the reasons that explain a no or a cancellation."""
    reasons: list[tuple[str, str]] = []
    for status in statuses:
        for reason in reasons_for(status):
            choice = (reason.value, REASON_LABELS[reason])
            if choice not in reasons and reason not in SELF_EXPLAINED:
                reasons.append(choice)
    return reasons


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
        self.fields["reason"].choices = _reasons(statuses)
        if not self.fields["reason"].choices:
            del self.fields["reason"]


class ApiKeyForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    name = forms.CharField(
        label="Which system will use it?",
        max_length=80,
        help_text="For example, the practice's social prescribing record. It tells you what "
        "stops working if you revoke the key.",
    )
