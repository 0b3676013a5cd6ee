from __future__ import annotations

from django import forms

from common.forms import HoneypotMixin, NamedErrorsMixin, PlainTextFormMixin
from common.periods import GROUPINGS


class ShortlistEmailForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        help_text="We send the list once and do not keep the address.",
        error_messages={"required": "Enter the e-mail address to send the list to."},
    )


PERIOD_MONTHS = (3, 6, 12, 24)
DEFAULT_MONTHS = 3
DEFAULT_GROUPING = "month"


class ZeroResultPeriodForm(NamedErrorsMixin, PlainTextFormMixin, forms.Form):
    """The period of the report of searches with no results, from the address (a GET form)."""

    months = forms.TypedChoiceField(
        label="Period",
        choices=[(n, f"The last {n} months") for n in PERIOD_MONTHS],
        coerce=int,
        required=False,
        help_text="This month is counted as one of them.",
    )
    by = forms.ChoiceField(label="Count by", choices=GROUPINGS, required=False)

    @classmethod
    def from_query(cls, query) -> ZeroResultPeriodForm:
        """The form as asked for, each value that is missing or not one of the choices replaced
        by its default: an old bookmark or an edited address still shows a report."""
        asked = cls(query)
        asked.is_valid()
        months = asked.cleaned_data.get("months") or DEFAULT_MONTHS
        by = asked.cleaned_data.get("by") or DEFAULT_GROUPING
        chosen = cls({"months": months, "by": by})
        chosen.is_valid()
        return chosen
