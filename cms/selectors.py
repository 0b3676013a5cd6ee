"""Reads for the site as a whole."""

from django.db.models import Q, QuerySet
from wagtail.models import Page
from wagtail.permissions import policy_registry


def admin_sees_every_page(*, user) -> bool:
    """Moderators and superusers: their page rights start at the root of the tree."""
    top = policy_registry.get_by_type(Page).explorable_root_instance(user)
    return top is not None and top.is_root()


def admin_visible_pages(pages: QuerySet, *, user) -> QuerySet:
    """Narrow `pages` to those `user` may see listed in the admin.

    Moderators and superusers see every page. Anyone else sees the pages they may explore (an
    organisation editor: their organisation and its activities), and the pages above them,
    which they need to find their way down in a page chooser. Never another organisation's
    pages, drafts included.
    """
    policy = policy_registry.get_by_type(Page)
    top = policy.explorable_root_instance(user)
    if top is None:
        return pages.none()
    if top.is_root():
        return pages
    explorable = policy.explorable_instances(user).values("pk")
    return pages.filter(Q(pk__in=explorable) | Q(pk__in=top.get_ancestors().values("pk")))
