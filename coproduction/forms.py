"""Forms of the coproduction pages: an ask, a proposal, a move, a group's acceptance."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from assets_directory.geocoding import GeocodingError, geocode
from assets_directory.geocoding.postcodes import normalise_postcode
from assets_directory.models import Organisation
from common.forms import NamedErrorsMixin, PlainTextFormMixin, name_errors

from .models import Ask, CapabilityTerm, GroupLink, Partnership, Review, ServiceLine
from .models.partnerships import SURVEY_QUESTIONS
from .models.people import CONSENT_WORDING, READINESS_AREAS, READINESS_SCALE, GroupLeader
from .models.principles import CHOICES as PRINCIPLE_CHOICES
from .services import DOCUMENT_TYPES

MAX_AREAS = 20


def date_input(**attrs) -> forms.DateInput:
    """A browser's date picker. It reads and writes ISO dates only: in the site's own format
    (en-GB, 06/12/2026) a saved date would show as an empty box when the form is edited."""
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def parse_areas(text: str) -> list[str]:
    """Outward codes typed with commas ("sw17, SW18"), normalised, each one the geocoder can
    place; a ValidationError naming the ones that are not."""
    areas, wrong, unknown = [], [], []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            outcode, full = normalise_postcode(part)
        except GeocodingError:
            wrong.append(part)
            continue
        if full is not None:
            wrong.append(part)
            continue
        try:
            geocode(outcode)
        except GeocodingError:
            unknown.append(outcode)
            continue
        if outcode not in areas:
            areas.append(outcode)
    if wrong:
        raise ValidationError(
            "Enter outward codes only, the first half of a postcode such as SW17: "
            f"{', '.join(wrong[:5])} is not one."
        )
    if unknown:
        raise ValidationError(f"We cannot place {', '.join(unknown[:5])} on the map.")
    if len(areas) > MAX_AREAS:
        raise ValidationError(f"Name at most {MAX_AREAS} areas.")
    return areas


class TermsField(forms.ModelMultipleChoiceField):
    """Terms of the vocabulary as tick boxes, grouped by kind for the template."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class AskForm(NamedErrorsMixin, PlainTextFormMixin, forms.ModelForm):
    areas_text = forms.CharField(
        label="Areas (outward codes)",
        required=False,
        max_length=200,
        help_text="The first half of the postcodes, separated by commas: SW17, SW18.",
    )
    communities = TermsField(
        queryset=CapabilityTerm.objects.filter(kind__in=CapabilityTerm.REACH_KINDS),
        required=False,
        label="Communities to reach",
    )
    capabilities = TermsField(
        queryset=CapabilityTerm.objects.filter(kind__in=CapabilityTerm.CAPABILITY_KINDS),
        required=False,
        label="Capabilities sought",
    )
    offers = forms.MultipleChoiceField(
        choices=Ask.Offer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What your team offers in return",
    )
    status = forms.ChoiceField(
        choices=[(Ask.Status.OPEN, "Open: look for groups now"), (Ask.Status.DRAFT, "Draft")],
        widget=forms.RadioSelect,
        label="Status",
        initial=Ask.Status.OPEN,
    )

    class Meta:
        model = Ask
        fields = [
            "title",
            "description",
            "service_line",
            "communities",
            "capabilities",
            "most_deprived_fifth",
            "starts_on",
            "ends_on",
            "offers",
            "status",
        ]
        labels = {
            "title": "What you want to achieve",
            "description": "More detail (optional)",
            "service_line": "Service line",
            "most_deprived_fifth": "Reach the most deprived fifth of neighbourhoods (Core20)",
            "starts_on": "Starts (optional)",
            "ends_on": "Ends (optional)",
        }
        widgets = {
            "starts_on": date_input(),
            "ends_on": date_input(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["areas_text"].initial = ", ".join(self.instance.areas)
            # A posted ask may also be marked as having found its partner, or closed.
            self.fields["status"].choices = [
                *self.fields["status"].choices,
                (Ask.Status.MATCHED, "Partner found: no longer looking"),
                (Ask.Status.CLOSED, "Closed"),
            ]
        self.order_fields(["title", "description", "service_line", "areas_text"])

    def clean_areas_text(self) -> list[str]:
        return parse_areas(self.cleaned_data.get("areas_text") or "")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be on or after the start date.")
        return cleaned

    def save(self, commit=True):
        self.instance.areas = self.cleaned_data["areas_text"]
        return super().save(commit=commit)


class ProposeForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    organisations = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Groups to invite",
        error_messages={"required": "Choose at least one group to invite"},
    )
    title = forms.CharField(
        label="Name of the partnership (optional)",
        required=False,
        max_length=160,
        help_text="The ask's title if you leave it empty.",
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.by_id = {str(c.organisation.pk): c.organisation for c in candidates}
        self.fields["organisations"].choices = [
            (key, organisation.title) for key, organisation in self.by_id.items()
        ]

    def chosen(self) -> list:
        return [self.by_id[key] for key in self.cleaned_data["organisations"]]


class MoveForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    to = forms.ChoiceField(widget=forms.RadioSelect, label="Move the partnership to")
    note = forms.CharField(
        label="Note (needed when closing)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = Partnership.MOVES[Partnership.Status(partnership.status)]
        self.fields["to"].choices = [(s.value, s.label) for s in allowed]


class AcceptForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    organisation = forms.ChoiceField(widget=forms.HiddenInput, label="Group")

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.by_id = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(k, o.title) for k, o in self.by_id.items()]

    def chosen(self):
        return self.by_id[self.cleaned_data["organisation"]]


class DeliveryForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    period_start = forms.DateField(label="From", widget=date_input())
    period_end = forms.DateField(label="To", widget=date_input())
    sessions = forms.IntegerField(label="Sessions delivered", min_value=0, max_value=100_000)
    people_reached = forms.IntegerField(label="People reached", min_value=0, max_value=1_000_000)
    reached_by_group = forms.CharField(
        label="People reached by community or age band (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, a name and a count: Tamil: 12.",
    )
    resources_exchanged = forms.CharField(
        label="Resources exchanged (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcomes = forms.CharField(
        label="Outcomes and evaluation notes (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_reached_by_group(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for number, line in enumerate(self.cleaned_data["reached_by_group"].splitlines(), 1):
            if not line.strip():
                continue
            name, _, value = line.rpartition(":")
            name, value = name.strip(), value.strip()
            if not name or not value.isdigit():
                raise ValidationError(
                    f"Line {number}: write a name, a colon and a count, such as Tamil: 12."
                )
            counts[name[:80]] = counts.get(name[:80], 0) + int(value)
        return counts

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after the day it starts.")
        return cleaned


class ReviewForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    held_on = forms.DateField(label="Date of the review", widget=date_input())
    level = forms.TypedChoiceField(
        label="Level of coproduction reached",
        choices=[(v, label) for v, label in Review.Level.choices],
        coerce=int,
        widget=forms.RadioSelect,
    )
    co_commissioning = forms.BooleanField(label="Co-commissioning happened", required=False)
    co_design = forms.BooleanField(label="Co-design happened", required=False)
    co_delivery = forms.BooleanField(label="Co-delivery happened", required=False)
    co_assessment = forms.BooleanField(label="Co-assessment happened", required=False)
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


SCALE = [
    (1, "1, strongly disagree"),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, "5, strongly agree"),
]


class SurveyForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """The partner survey: one 1 to 5 answer for each statement."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, text in SURVEY_QUESTIONS.items():
            self.fields[key] = forms.TypedChoiceField(
                label=text, choices=SCALE, coerce=int, widget=forms.RadioSelect
            )
            name_errors(self.fields[key], name=key)

    def answers(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in SURVEY_QUESTIONS}


class ProfileForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """A group's capability profile: whom it reaches, what it has and can do."""

    summary = forms.CharField(
        label="What your group does, in a few sentences",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    areas_text = forms.CharField(
        label="Where your members come from (outward codes)",
        required=False,
        max_length=200,
        help_text="The first half of the postcodes, separated by commas: SW17, SW18.",
    )
    years_active = forms.IntegerField(
        label="Years the group has been running (optional)",
        required=False,
        min_value=0,
        max_value=500,
    )
    terms = TermsField(
        queryset=CapabilityTerm.objects.all(),
        required=False,
        label="What your group reaches, has and does",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(CapabilityTerm.objects.filter(kind=CapabilityTerm.Kind.PEOPLE))
        for term in self.people:
            field = forms.IntegerField(
                label=f"How many: {term.name.lower()} (optional)",
                required=False,
                min_value=0,
                max_value=100_000,
            )
            self.fields[f"count_{term.pk}"] = name_errors(field, name=f"count_{term.pk}")

    def clean_areas_text(self) -> list[str]:
        return parse_areas(self.cleaned_data.get("areas_text") or "")

    def counts(self) -> dict[int, int | None]:
        return {term.pk: self.cleaned_data.get(f"count_{term.pk}") for term in self.people}

    def count_fields(self):
        return [self[f"count_{term.pk}"] for term in self.people]


class VerifyForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput, label="Item")
    evidence = forms.CharField(
        label="What you saw", max_length=255, help_text="Such as: the policy, seen on a visit."
    )


# The earliest day the network map goes back to: before the platform's first records, and late
# enough that a day's first and last moments are always a real time in the site's time zone.
NETWORK_EARLIEST = datetime.date(2000, 1, 1)


def network_day(value) -> datetime.date:
    """The day a network map is asked for ("" or None: today); a ValidationError naming the
    field for anything that is not a real day between NETWORK_EARLIEST and today."""
    field = name_errors(forms.DateField(label="As it was on", required=False))
    day = field.clean(value)
    today = timezone.localdate()
    if day is None:
        return today
    if day > today:
        raise ValidationError("“As it was on” must be today or a day in the past")
    if day < NETWORK_EARLIEST:
        raise ValidationError(
            f"“As it was on” must be on or after {NETWORK_EARLIEST:%-d %B %Y}, when the first "
            "records begin"
        )
    return day


class SystemFilterForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """What the capability matrix and the network map are both narrowed by: service line, one
    area (an outward code) and a community reached."""

    service_line = forms.ModelChoiceField(
        queryset=None, required=False, label="Service line", empty_label="All service lines"
    )
    area = forms.CharField(label="Area (outward code)", required=False, max_length=8)
    community = forms.ModelChoiceField(
        queryset=CapabilityTerm.objects.filter(kind=CapabilityTerm.Kind.COMMUNITY),
        required=False,
        label="Community reached",
        empty_label="All communities",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_line"].queryset = ServiceLine.objects.all()

    def clean_area(self) -> str:
        text = self.cleaned_data.get("area") or ""
        if not text.strip():
            return ""
        areas = parse_areas(text)
        if len(areas) != 1:
            raise ValidationError("Enter one outward code, such as SW17.")
        return areas[0]


class NetworkFilterForm(SystemFilterForm):
    """Narrow the network map: the day it shows, service line, area, community, the kinds of
    node, and one node to focus on. The kinds and the nodes come from the map itself (a kind
    added later, such as leaders, is offered as soon as the map holds one)."""

    on = forms.DateField(
        label="As it was on",
        required=False,
        widget=date_input(),
        help_text="Leave empty for today.",
    )
    kinds = forms.MultipleChoiceField(
        choices=(), required=False, label="Show", widget=forms.CheckboxSelectMultiple
    )
    focus = forms.ChoiceField(choices=(), required=False, label="Focus on")
    steps = forms.TypedChoiceField(
        choices=[(1, "1 link"), (2, "2 links"), (3, "3 links")],
        coerce=int,
        required=False,
        empty_value=1,
        initial=1,
        label="Show around the focus, up to",
    )

    field_order = ["on", "service_line", "area", "community", "kinds", "focus", "steps"]

    def __init__(self, *args, kinds=(), nodes=(), **kwargs):
        """`kinds`: [(kind, words)] to offer; `nodes`: [(node id, words)] one may focus on."""
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["kinds"].choices = list(kinds)
        self.fields["focus"].choices = [("", "Nothing: the whole map"), *nodes]
        self.fields["kinds"].initial = [kind for kind, _ in kinds]
        if self.is_bound and hasattr(self.data, "getlist") and not self.data.getlist("kinds"):
            # No kind ticked shows every kind, and says so with every box ticked.
            self.data = self.data.copy()
            self.data.setlist("kinds", [kind for kind, _ in kinds])

    def clean_on(self) -> datetime.date:
        return network_day(self.data.get("on"))

    def filters(self) -> dict:
        """The cleaned choices as arguments of network.narrow."""
        data = self.cleaned_data
        return {
            "service_line": data["service_line"].name if data.get("service_line") else None,
            "area": data.get("area") or None,
            "community": data["community"].name if data.get("community") else None,
            "kinds": data.get("kinds") or None,
        }


class MatrixFilterForm(SystemFilterForm):
    """Narrow the capability matrix: by service line, area and community reached."""

    sort = forms.IntegerField(required=False, widget=forms.HiddenInput, label="Sort by ask")


class DocumentForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """A document kept with the delivery log; the service checks its kind and size."""

    title = forms.CharField(label="Title", max_length=160)
    file = forms.FileField(
        label="File",
        max_length=200,
        help_text=(
            "A PDF, word-processor, spreadsheet or presentation file, CSV, text, PNG or JPEG, "
            "up to 10 MB. Only the partners, their moderators and commissioners can open it: "
            "leave out the names of people reached."
        ),
        widget=forms.FileInput(attrs={"accept": ",".join(f".{e}" for e in DOCUMENT_TYPES)}),
    )


class EvidenceForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """Which of the ten principles a partnership shows, and what shows it."""

    principle = forms.ChoiceField(
        label="Principle shown",
        choices=[("", "Choose a principle"), *PRINCIPLE_CHOICES],
        error_messages={"required": "Choose which principle this shows"},
    )
    note = forms.CharField(
        label="What shows it",
        help_text="What happened, in a sentence or two. Say what, not who: do not name people.",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
        error_messages={"required": "Enter what shows the principle"},
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the partnership page's move form has a "note" too.
        kwargs.setdefault("auto_id", "id_evidence_%s")
        super().__init__(*args, **kwargs)


class LinkForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """A link from one group to another listed group: what kind, since when."""

    to_organisation = forms.ModelChoiceField(
        queryset=None,
        label="The other group",
        empty_label="Choose a group",
        help_text="Groups listed in the directory, A to Z.",
    )
    kind = forms.ChoiceField(
        choices=GroupLink.Kind.choices, widget=forms.RadioSelect, label="How you are linked"
    )
    started_on = forms.DateField(label="Since", widget=date_input())
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=255,
        help_text="Such as: they send us carers who need a break.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_organisation"]
        field.queryset = Organisation.objects.live().order_by("title")
        # Offered: every other listed group. The group itself is left out of the list but not
        # of what the field accepts, so that a forged choice of it gets the service's refusal
        # in words ("cannot be linked to itself").
        field.widget.choices = [("", field.empty_label)] + [
            (o.pk, o.title) for o in field.queryset.exclude(pk=organisation.pk)
        ]


class LinkEndForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    ended_on = forms.DateField(label="Ended on", widget=date_input())


# Leaders and readiness --------------------------------------------------------------------------


class PrivateEmailInput(forms.EmailInput):
    """An e-mail box that never writes an address back into the page, even one just typed
    into a form shown again with errors: a leader's address is never rendered."""

    def format_value(self, value):
        return None


class LeaderForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """A leader or connector of the group. On a new one, the editor may record their consent
    at once; the e-mail address is asked for, and never shown back."""

    display_name = forms.CharField(
        label="The name they agree to be shown as",
        max_length=80,
        help_text="Such as Priya S. or Pastor James. Only this is shown, and only with consent.",
    )
    role = forms.ChoiceField(label="Their role", choices=GroupLeader.Role.choices)
    connects = forms.CharField(
        label="Whom or what they connect people to (optional)",
        required=False,
        max_length=255,
        help_text="Such as: Tamil families in SW17, the mosque's women's circle.",
    )
    email = forms.EmailField(
        label="Their e-mail address",
        max_length=254,
        widget=PrivateEmailInput,
        help_text="Kept private: messages reach them through the site, and no one sees it.",
    )
    consent = forms.BooleanField(
        label="They have agreed to be shown, in the words below", required=False
    )
    consent_given_on = forms.DateField(
        label="The date they agreed", required=False, widget=date_input()
    )
    consent_wording = forms.CharField(
        label="The words they agreed to",
        required=False,
        max_length=2000,
        initial=CONSENT_WORDING,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            # The address kept is never sent to the page: a new one replaces it.
            for name in ("consent", "consent_given_on", "consent_wording"):
                del self.fields[name]
            email = self.fields["email"]
            email.required = False
            email.label = "A new e-mail address for them (optional)"
            email.help_text = (
                "The address kept is not shown. Leave this empty to keep it, or enter a new "
                "one to replace it."
            )
            name_errors(email, name="email")

    def clean(self):
        cleaned = super().clean()
        if not self.editing and cleaned.get("consent") and not cleaned.get("consent_given_on"):
            self.add_error("consent_given_on", "Enter the date they agreed")
        return cleaned


class ConsentForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    given_on = forms.DateField(label="The date they agreed", widget=date_input())
    wording = forms.CharField(
        label="The words they agreed to",
        max_length=2000,
        initial=CONSENT_WORDING,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ContactForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    message = forms.CharField(
        label="Your message",
        min_length=10,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Say who you are, what you would like to talk about, and how to reach you. "
        "Your e-mail address is given to them so that they can reply.",
    )


class ReadinessForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """The six areas of readiness: a score from 1 to 4 and a note for each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for area, (label, question, _) in READINESS_AREAS.items():
            score = forms.TypedChoiceField(
                label=f"{label}: {question}",
                choices=READINESS_SCALE,
                coerce=int,
                widget=forms.RadioSelect,
            )
            score.error_messages["required"] = f"Choose an answer for {label.lower()}"
            self.fields[f"score_{area}"] = name_errors(score, name=f"score_{area}")
            note = forms.CharField(
                label=f"{label}: a note (optional)",
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"note_{area}"] = name_errors(note, name=f"note_{area}")

    def areas(self):
        """(label, score field, note field) for each area, for the template."""
        return [
            (label, self[f"score_{area}"], self[f"note_{area}"])
            for area, (label, *_) in READINESS_AREAS.items()
        ]

    def answers(self) -> dict[str, tuple[int, str]]:
        return {
            area: (self.cleaned_data[f"score_{area}"], self.cleaned_data[f"note_{area}"])
            for area in READINESS_AREAS
        }


class ReadinessReviewForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    reviewed_on = forms.DateField(
        label="Date you went through it with the group (optional)",
        required=False,
        widget=date_input(),
        help_text="Leave it empty for today.",
    )
    notes = forms.CharField(
        label="What you agreed with the group",
        max_length=4000,
        error_messages={"required": "Enter what you agreed with the group"},
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What would help, who will do what, and when you will look at it again.",
    )
