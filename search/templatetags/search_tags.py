from django import template
from django.utils import timezone

from search.geo import format_distance

register = template.Library()

COST_LABELS = {"free": "Free", "pay_what_you_can": "Pay what you can", "paid": "Paid"}
DELIVERY_LABELS = {
    "in_person": "In person",
    "online": "Online",
    "phone": "By phone",
    "area_wide": "Comes to you",
}


@register.filter
def getlist(params, name):
    return params.getlist(name) if hasattr(params, "getlist") else []


@register.filter
def distance(metres):
    """'350 m', '1.2 km' or '12 km'."""
    if metres is None:
        return ""
    return format_distance(metres)


@register.filter
def cost_label(hit):
    label = COST_LABELS.get(hit.cost, hit.cost)
    if hit.cost == "paid" and hit.cost_amount is not None:
        return f"£{hit.cost_amount:.2f}"
    return label


@register.filter
def delivery_label(value):
    return DELIVERY_LABELS.get(value, value)


@register.filter
def facet(facets, key):
    """facets|facet:"days:tue" -> the count, or 0."""
    name, _, value = key.partition(":")
    return (facets or {}).get(name, {}).get(value, 0)


@register.filter
def session(moment):
    if not moment:
        return ""
    local = timezone.localtime(moment)
    return local.strftime("%a %-d %b, %H:%M")
