from django import template
from django.utils import timezone

from common.geo import distance_text
from common.vocabulary import COST_LABELS, DELIVERY_LABELS

register = template.Library()


@register.filter
def getlist(params, name):
    return params.getlist(name) if hasattr(params, "getlist") else []


@register.filter
def get_item(mapping, key):
    """mapping|get_item:key -> mapping[key], or None."""
    return (mapping or {}).get(key)


@register.filter
def distance(metres, area=""):
    """metres|distance:area -> '350 m away', '1.2 km away'; from the centre of an outward code
    (area), 'in or near SW18' or 'about 3 km away' (see common.geo.distance_text)."""
    if metres is None:
        return ""
    return distance_text(metres, area=area or "")


@register.filter
def tel_uri(number):
    """A tel: link for a phone number as people write it ("020 7946 0000", "+44 (0)20..."),
    or "" when it holds no number to dial."""
    text = str(number or "")
    if text.lstrip().startswith("+44") and "(0)" in text:
        text = text.replace("(0)", "")
    digits = "".join(c for c in text if c.isascii() and (c.isdigit() or c == "+"))
    plus, digits = digits.startswith("+"), digits.replace("+", "")
    return f"tel:{'+' if plus else ''}{digits}" if len(digits) >= 3 else ""


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
