"""The choices on the commissioners' map, read from the address (GET forms)."""

from __future__ import annotations

from django import forms

from assets_directory.selectors import top_level_categories
from common.forms import NamedErrorsMixin, PlainTextFormMixin
from common.periods import GROUPINGS, MONTH
from common.vocabulary import AUDIENCE_CHOICES, DAY_CHOICES, DELIVERY_CHOICES

from .selectors import CORE20, ENGLAND_MEASURES, GROUPS, MEASURES, theme_choices


class MapForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """What the map colours the areas by, for which kind of activity, and how it groups them."""

    measure = forms.ChoiceField(label="Colour the areas by", choices=list(MEASURES.items()))
    theme = forms.ChoiceField(
        label="Kind of activity",
        help_text="For supply, need and the gap.",
        required=False,
    )
    group = forms.ChoiceField(label="Areas", choices=list(GROUPS.items()))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = theme_choices()

    @classmethod
    def from_query(cls, query) -> MapForm:
        """The form as asked for, each value that is missing or not one of the choices replaced
        by its default: an old bookmark or an edited address still shows a map."""
        asked = cls(query)
        asked.is_valid()
        defaults = {"measure": "imd", "group": "lsoa", "theme": ""}
        chosen = cls({name: asked.cleaned_data.get(name) or d for name, d in defaults.items()})
        chosen.is_valid()
        return chosen


class ActivityFilterForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """Which activities the map shows: search's own filters, passed on to it as they are."""

    category = forms.ChoiceField(label="Kind of activity", required=False)
    audience = forms.ChoiceField(
        label="Who it is for", required=False, choices=[("", "Anyone"), *AUDIENCE_CHOICES]
    )
    day = forms.ChoiceField(label="Day", required=False, choices=[("", "Any day"), *DAY_CHOICES])
    delivery = forms.ChoiceField(
        label="How it is run", required=False, choices=[("", "Any way"), *DELIVERY_CHOICES]
    )
    free = forms.BooleanField(label="Free only", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", "Every kind"),
            *((c.slug, c.name) for c in top_level_categories()),
        ]

    def search_params(self) -> dict[str, str]:
        """The filters chosen, as search's parameters (blank and invalid ones left out)."""
        if not self.is_valid():
            chosen = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            chosen = self.cleaned_data
        params = {k: v for k, v in chosen.items() if v and k != "free"}
        if chosen.get("free"):
            params["free"] = "true"
        return params


TREND_MONTHS = (3, 6, 12, 24)
DEFAULT_TREND_MONTHS = 12


class TrendForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """The period of the trends, how it is counted, and for which kind of activity."""

    months = forms.TypedChoiceField(
        label="Period",
        choices=[(n, f"The last {n} months") for n in TREND_MONTHS],
        coerce=int,
        help_text="This month is counted as one of them.",
    )
    by = forms.ChoiceField(label="Count by", choices=GROUPINGS)
    theme = forms.ChoiceField(label="Kind of activity", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Every kind"), *theme_choices()]

    @classmethod
    def from_query(cls, query) -> TrendForm:
        """The form as asked for, each value that is missing or not one of the choices replaced
        by its default."""
        asked = cls(query)
        asked.is_valid()
        defaults = {"months": DEFAULT_TREND_MONTHS, "by": MONTH, "theme": ""}
        chosen = cls({name: asked.cleaned_data.get(name) or d for name, d in defaults.items()})
        chosen.is_valid()
        return chosen


class EnglandMapForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """What the map of England colours each local authority by: the share of its residents in
    the most deprived fifth, or with none of one theme within walking distance."""

    measure = forms.ChoiceField(label="Colour the local authorities by")

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(t.key, t.name) for t in themes if not t.is_line]
        lines = [(t.key, t.name) for t in themes if t.is_line]
        self.fields["measure"].choices = [
            (CORE20, ENGLAND_MEASURES[CORE20]),
            (f"{ENGLAND_MEASURES['without']}: kinds of activity", kinds),
            *([(f"{ENGLAND_MEASURES['without']}: service lines", lines)] if lines else []),
        ]

    @classmethod
    def from_query(cls, query, *, themes=()) -> EnglandMapForm:
        """The form as asked for, a missing or unknown measure replaced by Core20."""
        asked = cls(query, themes=themes)
        asked.is_valid()
        chosen = cls({"measure": asked.cleaned_data.get("measure") or CORE20}, themes=themes)
        chosen.is_valid()
        return chosen
