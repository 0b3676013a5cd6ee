"""Harvested listings say where they come from (the directory's `directory_listing_source`
hook), and are not edited here as if they were local until a moderator takes them over."""

from __future__ import annotations

from assets_directory.provenance import ListingSource

from .models import HarvestedRecord


def record_for_page(page) -> HarvestedRecord | None:
    if page is None or page.pk is None:
        return None
    return HarvestedRecord.objects.select_related("source").filter(page_id=page.pk).first()


def listing_source(page) -> ListingSource | None:
    record = record_for_page(page)
    if record is None:
        return None
    return ListingSource(
        name=record.source.name,
        website=record.source.website,
        fetched_at=record.fetched_at,
        taken_over=record.taken_over_at is not None,
    )
