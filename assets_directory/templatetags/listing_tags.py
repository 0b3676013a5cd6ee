"""What a listing's public page says about it beyond its own fields."""

from django import template

from ..listing_notes import listing_links, listing_notes
from ..provenance import ListingSource, listing_source

register = template.Library()


@register.simple_tag
def source_of(page) -> ListingSource | None:
    """`{% source_of page as source %}`: the directory the listing comes from, if another."""
    return listing_source(page)


@register.simple_tag
def notes_for(page) -> list[str]:
    """`{% notes_for page as notes %}`: what apps above the directory add to "How to join"."""
    return listing_notes(page)


@register.simple_tag
def links_for(page) -> list[tuple[str, str]]:
    """`{% links_for page as links %}`: other apps' pages about the listing (the same for all)."""
    return listing_links(page)
