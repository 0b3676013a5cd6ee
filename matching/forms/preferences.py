"""GENIE step 2 (the questionnaire and the top three) and PLANS needs, as forms.

The same forms serve two flows. The facilitated flow fills them from a person's record
(`initial_from_answers(selectors.record_answers(person))`) and saves through matching.services
(`preferences_fields()`, `need_answers()`). The kiosk stores nothing: it carries the answers
from page to page in the JSON shape of POST /api/match (`answers()`) and fills each form back
from them (`initial_from_answers()`), so both flows ask and accept exactly the same things.

The forms only validate: what the database decides (the category tree, the access features)
is read by matching.selectors and given to them by the view (`choices=`, `categories=`).

Questions are worded to the person ("you"): a facilitator reads them out, a kiosk user reads
them alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms

from assets_directory.models import Activity
from common.forms import NamedErrorsMixin, PlainTextFormMixin
from common.vocabulary import DAY_CHOICES, WEEKDAY_SLUGS, ordinal_number

from ..models import Preferences
from ..scoring import TOP_THREE_MAX
from ..selectors import CategoryTree, InterestGroup, PreferenceChoices
from ..services import NeedAnswer
from ..vocabulary import NEEDS, TRAVEL_MODES

ANY = "any"
FREE = "free"

DAY_NAMES = dict(DAY_CHOICES)


@dataclass(frozen=True)
class TimeSlot:
    slug: str
    label: str
    start: str  # HH:MM, as stored in Preferences.free_times
    end: str


TIME_SLOTS = (
    TimeSlot("morning", "Morning (9am to 12 noon)", "09:00", "12:00"),
    TimeSlot("afternoon", "Afternoon (12 noon to 5pm)", "12:00", "17:00"),
    TimeSlot("evening", "Evening (5pm to 9pm)", "17:00", "21:00"),
)

# (choice, upper limit): a stored value between two limits is shown as the next one up, so
# an answer from the API is never shown narrower than it was given.
TRAVEL_LIMITS = (
    ("0.5", Decimal("0.5"), "Up to 0.5 km (about a 6-minute walk)"),
    ("1", Decimal("1"), "Up to 1 km (about a 12-minute walk)"),
    ("2", Decimal("2"), "Up to 2 km (about a 25-minute walk)"),
    ("5", Decimal("5"), "Up to 5 km (a short bus or car ride)"),
    ("10", Decimal("10"), "Up to 10 km"),
)
COST_LIMITS = (
    (FREE, Decimal("0"), "Free only"),
    ("3", Decimal("3"), "Up to £3 a time"),
    ("5", Decimal("5"), "Up to £5 a time"),
    ("10", Decimal("10"), "Up to £10 a time"),
)
TRAVEL_CHOICES = [(c, label) for c, _, label in TRAVEL_LIMITS] + [(ANY, "Any distance")]
COST_CHOICES = [(c, label) for c, _, label in COST_LIMITS] + [(ANY, "Any cost")]

NEED_LABELS = {slug: label for slug, label, _ in NEEDS}
ORDER_WORDS = tuple(ordinal_number(n) for n in (1, 2, 3))


@dataclass
class InterestRows:
    """An interest group with its bound widgets, for a fieldset with a picture."""

    slug: str
    name: str
    icon: str
    rows: list = field(default_factory=list)


def _group_rows(groups: tuple[InterestGroup, ...], widgets: dict, extra=None) -> list[InterestRows]:
    """Pair each offered choice's checkbox with its group (and an extra field, if any)."""
    result = []
    for group in groups:
        rows = [
            (widgets[slug], extra(slug)) if extra else widgets[slug]
            for slug in group.slugs
            if slug in widgets
        ]
        if rows:
            result.append(
                InterestRows(slug=group.slug, name=group.name, icon=group.icon, rows=rows)
            )
    return result


def _widgets(bound_field) -> dict:
    return {str(widget.data["value"]): widget for widget in bound_field}


# Reading answers defensively: the kiosk's answers come back from the page ---------------------


def _strings(answers: dict, name: str) -> list[str]:
    value = answers.get(name) if isinstance(answers, dict) else None
    if not isinstance(value, list | tuple):
        return []
    return list(dict.fromkeys(v for v in value if isinstance(v, str)))


def _limit_choice(value, limits) -> str:
    if value is None or isinstance(value, bool):
        return ANY
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return ANY
    if not number.is_finite():
        return ANY
    for choice, limit, _ in limits:
        if number <= limit:
            return choice
    return ANY


def _limit_value(choice: str, limits) -> Decimal | None:
    return next((limit for c, limit, _ in limits if c == choice), None)


def _as_number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _slots_by_day(free_times) -> dict[str, list[str]]:
    """Free times as ticked slots. A slot is ticked if the person is free for any of it: an
    answer like "10:00 to 11:00" shows as the morning rather than vanishing."""
    ticked: dict[str, list[str]] = {day: [] for day in WEEKDAY_SLUGS}
    if not isinstance(free_times, list):
        return ticked
    for item in free_times:
        if not isinstance(item, dict):
            continue
        day = str(item.get("day", "")).lower()
        start, end = str(item.get("from", "")), str(item.get("to", ""))
        if day not in ticked or not (HH_MM.match(start) and HH_MM.match(end)):
            continue
        for slot in TIME_SLOTS:
            if start < slot.end and end > slot.start and slot.slug not in ticked[day]:
                ticked[day].append(slot.slug)
    return {day: [s.slug for s in TIME_SLOTS if s.slug in slots] for day, slots in ticked.items()}


# Step 2: the questionnaire -------------------------------------------------------------------


def _checkboxes(label, help_text="", choices=()):
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PreferencesForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    interests = _checkboxes(
        "What do you enjoy, or would like to try?",
        "Tick as many as you like. Tick “any kind” if anything in that group would do.",
    )
    used_to_enjoy = forms.CharField(
        label="What did you used to enjoy?",
        help_text="Things you have stopped doing but miss, in your own words.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    max_travel_km = forms.ChoiceField(
        label="How far can you travel?",
        choices=TRAVEL_CHOICES,
        initial=ANY,
        widget=forms.RadioSelect,
    )
    travel = _checkboxes("How do you get about?", "Tick all that you use.", TRAVEL_MODES)
    max_cost = forms.ChoiceField(
        label="What can you pay each time?",
        choices=COST_CHOICES,
        initial=ANY,
        widget=forms.RadioSelect,
    )
    access_needs = _checkboxes(
        "Do you need any of these where you go?", "Leave empty if none of them matter."
    )
    delivery = _checkboxes(
        "How would you like to take part?",
        "Leave empty if any way suits you.",
        Activity.Delivery.choices,
    )
    company = forms.ChoiceField(
        label="Would you go on your own or with someone?",
        choices=Preferences.Company.choices,
        initial=Preferences.Company.EITHER,
        widget=forms.RadioSelect,
    )

    FREE_FIELD = "free_{}"

    def __init__(self, *args, choices: PreferenceChoices, **kwargs):
        super().__init__(*args, **kwargs)
        categories = choices.categories
        self.groups = categories.groups
        self.fields["interests"].choices = [
            (slug, categories.labels[slug]) for slug in categories.slugs
        ]
        self.fields["access_needs"].choices = list(choices.access_features)
        for day in WEEKDAY_SLUGS:
            self.fields[self.FREE_FIELD.format(day)] = _checkboxes(
                DAY_NAMES[day], choices=[(s.slug, s.label) for s in TIME_SLOTS]
            )
        self.order_fields(
            ["interests", "used_to_enjoy", "max_travel_km", "travel"]
            + [self.FREE_FIELD.format(day) for day in WEEKDAY_SLUGS]
        )

    # For the template.
    def interest_groups(self) -> list[InterestRows]:
        return _group_rows(self.groups, _widgets(self["interests"]))

    def free_time_fields(self) -> list:
        return [self[self.FREE_FIELD.format(day)] for day in WEEKDAY_SLUGS]

    def free_time_errors(self) -> bool:
        return any(f.errors for f in self.free_time_fields())

    # Answers.
    def free_times(self) -> list[dict]:
        return [
            {"day": day, "from": slot.start, "to": slot.end}
            for day in WEEKDAY_SLUGS
            for slot in TIME_SLOTS
            if slot.slug in self.cleaned_data[self.FREE_FIELD.format(day)]
        ]

    def answers(self) -> dict:
        """The POST /api/match fragment, plus travel, company and used_to_enjoy (which the
        matcher ignores) so a kiosk can carry them to the plan."""
        data = self.cleaned_data
        answers = {
            "interests": list(data["interests"]),
            "free_times": self.free_times(),
            "access_needs": list(data["access_needs"]),
            "delivery": list(data["delivery"]),
            "travel": list(data["travel"]),
            "company": data["company"],
            "used_to_enjoy": data["used_to_enjoy"],
        }
        # No limit is said by leaving the number out, as in the API.
        for name, limits in (("max_travel_km", TRAVEL_LIMITS), ("max_cost", COST_LIMITS)):
            number = _as_number(_limit_value(data[name], limits))
            if number is not None:
                answers[name] = number
        return answers

    def preferences_fields(self, *, top_three=None) -> dict:
        """Keyword arguments for services.preferences_save. Given the current top three, drops
        any that are no longer among the interests."""
        data = self.cleaned_data
        fields = {
            "interests": list(data["interests"]),
            "used_to_enjoy": data["used_to_enjoy"].strip(),
            "max_travel_km": _limit_value(data["max_travel_km"], TRAVEL_LIMITS),
            "travel": list(data["travel"]),
            "free_times": self.free_times(),
            "max_cost": _limit_value(data["max_cost"], COST_LIMITS),
            "access_needs": list(data["access_needs"]),
            "delivery": list(data["delivery"]),
            "company": data["company"],
        }
        if top_three is not None:
            kept = set(fields["interests"])
            fields["top_three"] = [s for s in top_three if not kept or s in kept]
        return fields

    @classmethod
    def initial_from_answers(cls, answers: dict) -> dict:
        answers = answers if isinstance(answers, dict) else {}
        initial = {
            "interests": _strings(answers, "interests"),
            "max_travel_km": _limit_choice(answers.get("max_travel_km"), TRAVEL_LIMITS),
            "max_cost": _limit_choice(answers.get("max_cost"), COST_LIMITS),
            "access_needs": _strings(answers, "access_needs"),
            "delivery": _strings(answers, "delivery"),
            "travel": _strings(answers, "travel"),
        }
        company = answers.get("company")
        if company in Preferences.Company.values:
            initial["company"] = company
        if isinstance(answers.get("used_to_enjoy"), str):
            initial["used_to_enjoy"] = answers["used_to_enjoy"][:500]
        for day, slots in _slots_by_day(answers.get("free_times")).items():
            initial[cls.FREE_FIELD.format(day)] = slots
        return initial


# Step 2: the top three -----------------------------------------------------------------------


def _order_field(count: int, label: str):
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Not set"), *((str(n), str(n)) for n in range(1, count + 1))],
        coerce=int,
        empty_value=None,
        required=False,
    )


def _duplicates(form, numbered: list[tuple[str, int]], name: str, message: str) -> None:
    """Put an error on each field that repeats a number already given to an earlier one."""
    seen = set()
    for slug, number in numbered:
        if number in seen:
            form.add_error(name.format(slug), message.format(number=number))
        seen.add(number)


def _in_order(chosen: list[str], numbers: dict[str, int | None], everything: list[str]):
    """Numbered first, by number; then the rest in the order they are listed."""
    return sorted(
        chosen,
        key=lambda s: (numbers.get(s) is None, numbers.get(s) or 0, everything.index(s)),
    )


class TopThreeForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """Up to three of the person's interests, most wanted first. Without JavaScript the order
    comes from a number beside each; with it, from the order they are ticked."""

    top_three = forms.MultipleChoiceField(
        label="Which three would you most like to try?",
        help_text=(
            f"Choose up to {TOP_THREE_MAX}. Number them 1 to {TOP_THREE_MAX}, "
            "with 1 the one you would most like to try."
        ),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": f"Choose at least one, and at most {TOP_THREE_MAX}."},
    )

    ORDER_FIELD = "order-{}"

    def __init__(self, *args, categories: CategoryTree, interests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = categories.groups
        labels = categories.labels
        everything = categories.slugs
        wanted = set(interests or ())
        self.offered = [slug for slug in everything if slug in wanted] or everything
        self.fields["top_three"].choices = [(slug, labels[slug]) for slug in self.offered]
        for slug in self.offered:
            self.fields[self.ORDER_FIELD.format(slug)] = _order_field(
                TOP_THREE_MAX, f"Order for {labels[slug]}"
            )

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("top_three") or []
        if len(chosen) > TOP_THREE_MAX:
            self.add_error("top_three", f"Choose at most {TOP_THREE_MAX}. You chose {len(chosen)}.")
            return cleaned
        numbered = [(s, self._number(s)) for s in chosen if self._number(s) is not None]
        _duplicates(
            self,
            numbered,
            self.ORDER_FIELD,
            "Number {number} is given twice. Give each choice a different number.",
        )
        return cleaned

    def _number(self, slug) -> int | None:
        return self.cleaned_data.get(self.ORDER_FIELD.format(slug))

    def groups_with_order(self) -> list[InterestRows]:
        return _group_rows(
            self.groups,
            _widgets(self["top_three"]),
            extra=lambda slug: self[self.ORDER_FIELD.format(slug)],
        )

    # Not named top_three: a method of that name would hide the field from the form.
    def ordered_choices(self) -> list[str]:
        chosen = list(self.cleaned_data["top_three"])
        return _in_order(chosen, {s: self._number(s) for s in chosen}, self.offered)

    def preferences_fields(self) -> dict:
        """Keyword arguments for services.preferences_save."""
        return {"top_three": self.ordered_choices()}

    def answers(self) -> dict:
        return {"top_three": self.ordered_choices()}

    @classmethod
    def initial_from_answers(cls, answers: dict) -> dict:
        top_three = _strings(answers, "top_three")[:TOP_THREE_MAX]
        initial: dict = {"top_three": top_three}
        initial.update(
            (cls.ORDER_FIELD.format(slug), position)
            for position, slug in enumerate(top_three, start=1)
        )
        return initial


# PLANS: needs --------------------------------------------------------------------------------


class NeedsForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    needs = forms.MultipleChoiceField(
        label="What would you like help with now?",
        help_text=(
            "Tick any that matter to you. Number them, with 1 the most important. "
            "Add what it means for you and who will help, if you know."
        ),
        choices=[(slug, label) for slug, label, _ in NEEDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    PRIORITY_FIELD = "priority-{}"
    WORDS_FIELD = "words-{}"
    HELPER_FIELD = "helper-{}"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slug, label, _ in NEEDS:
            self.fields[self.PRIORITY_FIELD.format(slug)] = _order_field(
                len(NEEDS), f"Priority for {label}"
            )
            self.fields[self.WORDS_FIELD.format(slug)] = forms.CharField(
                label=f"In your own words: {label}", required=False, max_length=300
            )
            self.fields[self.HELPER_FIELD.format(slug)] = forms.CharField(
                label=f"Who will help: {label}", required=False, max_length=200
            )

    def clean(self):
        cleaned = super().clean()
        chosen = set(cleaned.get("needs") or [])
        for slug, label, _ in NEEDS:
            if slug in chosen:
                continue
            for name in (self.WORDS_FIELD, self.HELPER_FIELD):
                if (cleaned.get(name.format(slug)) or "").strip():
                    self.add_error(
                        name.format(slug),
                        f"Tick “{label}” to keep what you wrote, or clear it.",
                    )
        numbered = [
            (slug, self._priority(slug))
            for slug, _, _ in NEEDS
            if slug in chosen and self._priority(slug) is not None
        ]
        _duplicates(
            self,
            numbered,
            self.PRIORITY_FIELD,
            "Priority {number} is given twice. Give each need a different number.",
        )
        return cleaned

    def _priority(self, slug) -> int | None:
        return self.cleaned_data.get(self.PRIORITY_FIELD.format(slug))

    def need_rows(self) -> list[dict]:
        widgets = _widgets(self["needs"])
        rows = []
        for slug, label, _ in NEEDS:
            fields = [
                self[name.format(slug)]
                for name in (self.PRIORITY_FIELD, self.WORDS_FIELD, self.HELPER_FIELD)
            ]
            rows.append(
                {
                    "slug": slug,
                    "label": label,
                    "checkbox": widgets[slug],
                    "priority": fields[0],
                    "words": fields[1],
                    "helper": fields[2],
                    "fields": fields,
                }
            )
        return rows

    def ordered_needs(self) -> list[str]:
        chosen = list(self.cleaned_data["needs"])
        return _in_order(
            chosen, {s: self._priority(s) for s in chosen}, [slug for slug, _, _ in NEEDS]
        )

    def need_answers(self) -> list[NeedAnswer]:
        """For services.needs_save, most important first."""
        data = self.cleaned_data
        return [
            NeedAnswer(
                need=slug,
                in_their_words=data[self.WORDS_FIELD.format(slug)].strip(),
                who_will_help=data[self.HELPER_FIELD.format(slug)].strip(),
            )
            for slug in self.ordered_needs()
        ]

    def answers(self) -> dict:
        """`needs` in the POST /api/match shape, and `need_notes` (ignored by the matcher) with
        their words, for a kiosk's printed plan."""
        answers = self.need_answers()
        return {
            "needs": [a.need for a in answers],
            "need_notes": [
                {
                    "need": a.need,
                    "in_their_words": a.in_their_words,
                    "who_will_help": a.who_will_help,
                }
                for a in answers
            ],
        }

    @classmethod
    def initial_from_answers(cls, answers: dict) -> dict:
        needs = [slug for slug in _strings(answers, "needs") if slug in NEED_LABELS]
        initial: dict = {"needs": needs}
        for position, slug in enumerate(needs, start=1):
            initial[cls.PRIORITY_FIELD.format(slug)] = position
        notes = answers.get("need_notes") if isinstance(answers, dict) else None
        for note in notes if isinstance(notes, list) else []:
            if not isinstance(note, dict) or note.get("need") not in needs:
                continue
            for key, name, limit in (
                ("in_their_words", cls.WORDS_FIELD, 300),
                ("who_will_help", cls.HELPER_FIELD, 200),
            ):
                if isinstance(note.get(key), str) and note[key]:
                    initial[name.format(note["need"])] = note[key][:limit]
        return initial
