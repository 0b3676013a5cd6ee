"""The kiosk's steps, as objects the views ask rather than branch on.

Each step carries its form (built from the answers so far, or bound to a post), whether a
posted form can be taken as its answer, how that answer goes into the answers, what its
template needs besides the form, and whether it can add a blank row ("Add another" without
JavaScript). ``STEPS`` holds them in order and says which comes before and after each.

The answers are the JSON shape of POST /api/match (matching.kiosk carries them between
pages); the forms are the facilitated flow's, so both flows ask the same questions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .diagram import kind_table, network_diagram
from .forms.about import AboutForm
from .forms.network import member_formset
from .forms.preferences import NeedsForm, PreferencesForm, TopThreeForm
from .kiosk import PlaceForm
from .network import members_from_dicts
from .selectors import category_tree, condition_names, preference_choices

# An empty map gets a few blank rows, so that without JavaScript most people need no extra
# round trip for "Add another".
EMPTY_MAP_ROWS = 3


@dataclass(frozen=True)
class KioskStep:
    """One page of questions. Subclasses say what differs; by default a step's form is valid
    or not, and its ``answers()`` are added to the answers."""

    slug: str
    title: str
    template: str
    optional: bool = True

    def form(self, data, answers: dict):
        """The step's form: bound to `data` (a post), or, with None, showing `answers`."""
        raise NotImplementedError(f"{type(self).__name__} must define form(data, answers).")

    def complete(self, form) -> bool:
        """Whether the posted form can be taken as the step's answer (and its errors, if any,
        are ready to show)."""
        return form.is_valid()

    def merge(self, form, answers: dict) -> dict:
        """The answers with this step's in them, as a new dict. Call after ``complete()``."""
        return {**answers, **form.answers()}

    def context(self, form, answers: dict) -> dict:
        """What the step's template needs besides the form and the flow's own context."""
        return {}

    def with_extra_row(self, form):
        """The posted form again with one more blank row, or None if the step has no rows."""
        return None


class PlaceStep(KioskStep):
    def form(self, data, answers: dict):
        return PlaceForm(data, initial={"near": answers.get("near", "")})

    def merge(self, form, answers: dict) -> dict:
        return {**answers, "near": form.cleaned_data["near"]}


def _members(answers: dict) -> list:
    network = answers.get("network")
    rows = network.get("members", []) if isinstance(network, dict) else []
    try:
        return members_from_dicts(rows if isinstance(rows, list) else [])
    except ValueError:
        # Sealed by us, so only a change in the rules can get here: start the map afresh.
        return []


class PeopleStep(KioskStep):
    """The network map: the members formset, drawn as the circle diagram beside it."""

    def form(self, data, answers: dict):
        if data is not None:
            return member_formset(data)
        members = _members(answers)
        return member_formset(members=members, extra=1 if members else EMPTY_MAP_ROWS)

    def complete(self, form) -> bool:
        if form.is_valid():
            return True
        # The map is optional here: nobody on it is an answer, not a mistake.
        return not any(form.errors) and all(
            error.code == "empty" for error in form.non_form_errors().as_data()
        )

    def merge(self, form, answers: dict) -> dict:
        answers = dict(answers)
        members = form.members()
        if members:
            answers["network"] = {"members": [member.as_dict() for member in members]}
        else:
            answers.pop("network", None)
        return answers

    def context(self, form, answers: dict) -> dict:
        return {
            "formset": form,
            "diagram": network_diagram(form.draft_members()),
            "kinds": kind_table(),
            "has_errors": form.is_bound and bool(form.total_error_count()),
        }

    def with_extra_row(self, form):
        return form.with_extra_row()


class EnjoyStep(KioskStep):
    """Interests and practical limits."""

    def form(self, data, answers: dict):
        return PreferencesForm(
            data,
            choices=preference_choices(),
            initial=PreferencesForm.initial_from_answers(answers),
        )

    def merge(self, form, answers: dict) -> dict:
        answers = dict(answers)
        # "No limit" is an absent number: an earlier limit must not outlive a change of mind.
        for name in ("max_travel_km", "max_cost"):
            answers.pop(name, None)
        answers.update(form.answers())
        interests = set(answers["interests"])
        if interests and answers.get("top_three"):
            # As in the facilitated flow: a top three no longer among the interests goes.
            answers["top_three"] = [s for s in answers["top_three"] if s in interests]
        return answers


class TopThreeStep(KioskStep):
    def form(self, data, answers: dict):
        return TopThreeForm(
            data,
            categories=category_tree(),
            interests=answers.get("interests", []),
            initial=TopThreeForm.initial_from_answers(answers),
        )

    def context(self, form, answers: dict) -> dict:
        return {"chose_interests": bool(set(answers.get("interests", [])) & set(form.offered))}


class NeedsStep(KioskStep):
    def form(self, data, answers: dict):
        return NeedsForm(data, initial=NeedsForm.initial_from_answers(answers))


class AboutStep(KioskStep):
    """Who they are, as far as they choose to say (the kiosk keeps nothing)."""

    def form(self, data, answers: dict):
        return AboutForm(
            data, conditions=condition_names(), initial=AboutForm.initial_from_answers(answers)
        )

    def merge(self, form, answers: dict) -> dict:
        answers = dict(answers)
        # An answer taken back must not outlive the change of mind.
        for name in ("age_band", "single_sex", "conditions", "cared_for_conditions"):
            answers.pop(name, None)
        answers.update(form.answers())
        return answers


class KioskSteps:
    """The steps in order (iterable, as the progress bar and the results page list them)."""

    def __init__(self, *steps: KioskStep):
        self._steps = steps
        self._by_slug = {step.slug: step for step in steps}

    def __iter__(self) -> Iterator[KioskStep]:
        return iter(self._steps)

    def __len__(self) -> int:
        return len(self._steps)

    @property
    def first(self) -> KioskStep:
        return self._steps[0]

    def get(self, slug: str) -> KioskStep | None:
        return self._by_slug.get(slug)

    def number(self, step: KioskStep) -> int:
        """1 for the first step."""
        return self._steps.index(step) + 1

    def before(self, step: KioskStep) -> KioskStep | None:
        index = self._steps.index(step)
        return self._steps[index - 1] if index else None

    def after(self, step: KioskStep) -> KioskStep | None:
        """The next step; None after the last (the suggestions come next)."""
        index = self._steps.index(step)
        return self._steps[index + 1] if index + 1 < len(self._steps) else None


STEPS = KioskSteps(
    PlaceStep("place", "Where you are", "matching/kiosk/start.html", optional=False),
    PeopleStep("people", "Your people", "matching/kiosk/people.html"),
    EnjoyStep("enjoy", "What you enjoy", "matching/kiosk/enjoy.html"),
    TopThreeStep("top-three", "Your top three", "matching/kiosk/top_three.html"),
    NeedsStep("needs", "What matters to you", "matching/kiosk/needs.html"),
    AboutStep("about", "About you", "matching/kiosk/about.html"),
)
