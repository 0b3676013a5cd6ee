from django.urls import reverse
from wagtail import hooks

from matching.sections import FIGURES_HOOK


@hooks.register(FIGURES_HOOK)
def gaps_page():
    return ("Where the gaps are: supply and need by small area", reverse("insights:gaps"))


@hooks.register(FIGURES_HOOK)
def map_page():
    return ("Map of supply, need and deprivation by small area", reverse("insights:map"))


@hooks.register(FIGURES_HOOK)
def trends_page():
    return ("Trends: need and supply by month or quarter", reverse("insights:trends"))


@hooks.register(FIGURES_HOOK)
def report_page():
    return ("Printable report of supply, need and gaps", reverse("insights:report"))


@hooks.register(FIGURES_HOOK)
def england_page():
    return ("All of England: gaps by local authority", reverse("insights:england"))
