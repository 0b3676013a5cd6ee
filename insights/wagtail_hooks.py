from django.urls import reverse
from wagtail import hooks

from matching.sections import FIGURES_HOOK


@hooks.register(FIGURES_HOOK)
def gaps_page():
    return ("Where the gaps are: supply and need by small area", reverse("insights:gaps"))


@hooks.register(FIGURES_HOOK)
def map_page():
    return ("Map of supply, need and deprivation by small area", reverse("insights:map"))
