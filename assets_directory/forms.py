from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from common.forms import HoneypotMixin, NamedErrorsMixin, PlainTextFormMixin
from common.text import comparable_name
from common.vocabulary import DAY_CHOICES, WEEKDAY_SLUGS

from . import scheduling
from .geocoding import GeocodingError, normalise_postcode, validate_postcode
from .models import ActivitySchedule, GroupRegistration, ListingReport, Organisation
from .permissions import organisations_edited_by


class GroupRegistrationForm(HoneypotMixin, forms.Form):
    organisation_name = forms.CharField(
        label="Name of your group",
        max_length=255,
        error_messages={"required": "Enter the name of your group."},
    )
    kind = forms.ChoiceField(
        label="What kind of group is it?",
        choices=[("", "Choose one"), *Organisation.Kind.choices],
        error_messages={"required": "Choose what kind of group it is."},
    )
    description = forms.CharField(
        label="What does your group do?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="A few sentences in plain words. You can add your activities once approved.",
        error_messages={"required": "Say what your group does."},
    )
    postcode = forms.CharField(
        label="Postcode where you meet or are based",
        max_length=10,
        validators=[validate_postcode],
        help_text="For example SW18 4DJ, or just SW18.",
        error_messages={"required": "Enter the postcode where you meet or are based."},
    )
    areas_served = forms.CharField(
        label="Areas you cover (optional)", max_length=255, required=False
    )
    website = forms.URLField(label="Website (optional)", required=False, assume_scheme="https")
    email = forms.EmailField(label="Group e-mail address (optional)", required=False)
    phone = forms.CharField(label="Group phone number (optional)", max_length=50, required=False)
    contact_name = forms.CharField(
        label="Your name", max_length=255, error_messages={"required": "Enter your name."}
    )
    contact_email = forms.EmailField(
        label="Your e-mail address",
        help_text="We will send your sign-in link here.",
        error_messages={"required": "Enter your e-mail address."},
    )
    contact_phone = forms.CharField(
        label="Your phone number (optional)", max_length=50, required=False
    )
    contact_role = forms.CharField(
        label="Your role in the group (optional)", max_length=100, required=False
    )
    message = forms.CharField(
        label="Anything else we should know? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    agree = forms.BooleanField(
        label="I run or help run this group and may list it",
        error_messages={"required": "Confirm that you may list this group."},
    )

    def clean_organisation_name(self):
        name = self.cleaned_data["organisation_name"]
        # Compared in their normal form, so that case, full-width letters or an invisible
        # character cannot make a second "Balham Choir" look new. Registrations are rare, and
        # this reads titles only.
        key = comparable_name(name)
        # A plain list: a server-side cursor (iterator()) left half-read by any() would be
        # closed later, inside whatever transaction is running then.
        taken = Organisation.objects.values_list("title", flat=True)
        waiting = GroupRegistration.objects.filter(
            status=GroupRegistration.Status.PENDING
        ).values_list("organisation_name", flat=True)
        if any(comparable_name(title) == key for title in taken) or any(
            comparable_name(title) == key for title in waiting
        ):
            raise forms.ValidationError(
                "A group with this name is already listed or waiting to be checked. "
                "If it is yours, contact us instead of registering again.",
                code="duplicate",
            )
        return name

    def clean_postcode(self):
        try:
            outcode, full = normalise_postcode(self.cleaned_data["postcode"])
        except GeocodingError as exc:
            raise forms.ValidationError(exc.message) from exc
        return full or outcode

    def clean_contact_email(self):
        email = self.cleaned_data["contact_email"].lower()
        if get_user_model().objects.filter(email__iexact=email, is_active=True).exists():
            raise forms.ValidationError(
                "This e-mail address already has an account. Sign in to add another group, "
                "or use a different address.",
                code="duplicate_email",
            )
        return email


class ListingClaimForm(HoneypotMixin, forms.Form):
    """'This is us': someone who runs a listed group asks to look after its listing."""

    claimant_name = forms.CharField(
        label="Your name", max_length=255, error_messages={"required": "Enter your name."}
    )
    claimant_email = forms.EmailField(
        label="Your e-mail address",
        help_text="If we agree, we send your sign-in link here.",
        error_messages={"required": "Enter your e-mail address."},
    )
    claimant_role = forms.CharField(
        label="Your role in the group (optional)",
        max_length=100,
        required=False,
        help_text="For example organiser, treasurer or volunteer.",
    )
    evidence = forms.CharField(
        label="How can we check it is your group?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=(
            "For example: the group's e-mail address or website you can reply from, "
            "a phone number on the listing, or someone we can ask."
        ),
        error_messages={"required": "Tell us how we can check it is your group."},
    )
    agree = forms.BooleanField(
        label="I run or help run this group",
        error_messages={"required": "Confirm that you run or help run this group."},
    )

    def clean_claimant_email(self):
        return self.cleaned_data["claimant_email"].lower()


class ClaimDecisionForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve: hand the listing to them"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or decline."},
    )
    reason = forms.CharField(
        label="Reason (sent to them if you decline)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", "Give a reason: the person who claimed it will be told it.")
        return data


class ProblemReportForm(HoneypotMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What is wrong?",
        choices=[c for c in ListingReport.Kind.choices if c[0] != ListingReport.Kind.STALE],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what is wrong with the listing."},
    )
    message = forms.CharField(
        label="Tell us more (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    reporter_email = forms.EmailField(
        label="Your e-mail address (optional)",
        required=False,
        help_text="Only if you would like us to reply.",
    )


class RegistrationDecisionForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve and publish"), ("reject", "Reject")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (sent to the group if you reject)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", "Give a reason: the group will be told it.")
        return data


class VenueForm(NamedErrorsMixin, PlainTextFormMixin, WagtailAdminModelForm):
    """The venue form, in the admin and in the activity form's venue chooser.

    A group's editor never chooses whose venue it is: it belongs to their group (or, for
    someone who edits several, one of theirs), so they can correct it later. Moderators may
    leave it shared.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._owner = None
        field = self.fields.get("organisation")
        if field is None:
            return
        user = self.for_user
        if user is not None and user.has_perm("assets_directory.change_venue"):
            field.queryset = Organisation.objects.order_by("title")
            return
        own = list(organisations_edited_by(user).order_by("title")) if user else []
        if len(own) == 1 or (own and self.instance.organisation_id):
            del self.fields["organisation"]
            self._owner = own[0]
        elif own:
            field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in own])
            field.required = True
            field.label = "Which of your groups is adding it?"
            field.help_text = "Its editors can change the venue later."
        else:
            del self.fields["organisation"]

    def save(self, commit=True):
        if self._owner is not None and self.instance.organisation_id is None:
            self.instance.organisation = self._owner
        user = self.for_user
        if user is not None and user.has_perm("assets_directory.change_venue"):
            # A moderator's own save is their look at it.
            self.instance.changed_by_group_at = None
        elif self.has_changed() or self.instance.pk is None:
            self.instance.changed_by_group_at = timezone.now()
        return super().save(commit=commit)


class SessionPreviewForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """One session time from the activity editor, read for its preview in words.

    Takes the fields of ``ActivitySchedule`` without their inline form's prefix; the fields the
    chosen frequency does not use are ignored, as they are when the session is saved.
    """

    frequency = forms.ChoiceField(label="How often", choices=ActivitySchedule.Frequency.choices)
    weekdays = forms.MultipleChoiceField(label="Days", choices=DAY_CHOICES, required=False)
    nth = forms.TypedChoiceField(
        label="Which week of the month",
        choices=ActivitySchedule.Nth.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    start_time = forms.TimeField(label="Start time")
    end_time = forms.TimeField(label="End time", required=False)
    starts_on = forms.DateField(label="First date", required=False)
    ends_on = forms.DateField(label="Last date", required=False)
    on_date = forms.DateField(label="Date", required=False)
    term_time_only = forms.BooleanField(label="Term time only", required=False)

    def clean(self):
        data = super().clean()
        frequency = data.get("frequency")
        if frequency not in scheduling.FIELDS_FOR_FREQUENCY:
            return data
        used = scheduling.FIELDS_FOR_FREQUENCY[frequency]
        values = {name: data.get(name) for name in scheduling.FREQUENCY_FIELDS if name in used}
        weekdays = tuple(WEEKDAY_SLUGS.index(slug) for slug in values.get("weekdays") or ())
        missing = scheduling.missing_for_frequency(
            frequency,
            weekdays=weekdays,
            nth=values.get("nth"),
            starts_on=values.get("starts_on"),
            on_date=values.get("on_date"),
        )
        for name, message in missing.items():
            if name not in self.errors:
                self.add_error(name, message)
        if self.errors or data.get("start_time") is None:
            return data
        try:
            data["recurrence"] = scheduling.Recurrence(
                frequency=frequency,
                start_time=data["start_time"],
                end_time=data.get("end_time"),
                weekdays=weekdays,
                nth=values.get("nth"),
                starts_on=values.get("starts_on"),
                ends_on=values.get("ends_on"),
                on_date=values.get("on_date"),
                term_time_only=bool(values.get("term_time_only")),
            )
        except ValueError as exc:
            self.add_error(None, str(exc))
        return data


class RequestChangesForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """A moderator's reason for sending something back from the review queue."""

    reason = forms.CharField(
        label="What needs changing",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what needs changing: the group will be sent it."},
    )
