"""Reads of the directory's vocabulary that matching uses: categories (with their pictures, a
static file look-up) and access features. The questionnaire's forms are given these as choices."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.contrib.staticfiles import finders

from assets_directory.models import AccessibilityFeature, Category, Condition


def category_names() -> dict[str, str]:
    return dict(Category.objects.values_list("slug", "name"))


def category_slugs() -> set[str]:
    return set(Category.objects.values_list("slug", flat=True))


def condition_names() -> dict[str, str]:
    """The health conditions activities can be for, by slug, in the vocabulary's order."""
    return dict(Condition.objects.values_list("slug", "name"))


def access_slugs() -> set[str]:
    return set(AccessibilityFeature.objects.values_list("slug", flat=True))


def access_feature_choices() -> list[tuple[str, str]]:
    """(slug, name) of every access feature, for the "Do you need any of these" question."""
    return list(AccessibilityFeature.objects.values_list("slug", "name"))


# Pictures of the interest groups --------------------------------------------------------------

ICON_FOLDER = "icons/interests"
GENERIC_ICON = f"{ICON_FOLDER}/generic.svg"
ICON_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}$")


@functools.lru_cache(maxsize=512)
def interest_icon(slug: str, icon: str = "") -> str:
    """The static path of a top-level category's picture: the one named in Category.icon,
    else one named after its slug, else a generic one (new categories still get a picture)."""
    for name in (icon, slug):
        if name and ICON_NAME.match(name) and finders.find(f"{ICON_FOLDER}/{name}.svg"):
            return f"{ICON_FOLDER}/{name}.svg"
    return GENERIC_ICON


# The category tree, as the questions about interests offer it -------------------------------


@dataclass(frozen=True)
class InterestGroup:
    """A top-level category and the categories under it, for a fieldset with a picture."""

    slug: str
    name: str
    icon: str
    slugs: tuple[str, ...]  # the group's own slug first ("any kind"), then its categories


@dataclass(frozen=True)
class CategoryTree:
    groups: tuple[InterestGroup, ...]  # in tree order
    labels: dict[str, str]  # a label for every slug in the groups

    @property
    def slugs(self) -> list[str]:
        return [slug for group in self.groups for slug in group.slugs]


def category_tree() -> CategoryTree:
    """Groups in tree order, and a label for every category slug. A top-level category is a
    choice too ("any kind"): the search index files an activity under its ancestors as well."""
    categories = list(Category.objects.in_tree_order())
    by_id = {c.id: c for c in categories}

    def top(category):
        seen = set()
        while category.parent_id in by_id and category.id not in seen:
            seen.add(category.id)
            category = by_id[category.parent_id]
        return category

    roots: dict[int, Category] = {}
    members: dict[int, list] = {}
    for category in categories:
        root = top(category)
        if root.id not in roots:
            roots[root.id] = root
            members[root.id] = []
        if category.id != root.id:
            members[root.id].append(category)
    groups = []
    labels = {}
    for root_id, root in roots.items():
        children = members[root_id]
        groups.append(
            InterestGroup(
                slug=root.slug,
                name=root.name,
                icon=interest_icon(root.slug, root.icon or ""),
                slugs=(root.slug, *(c.slug for c in children)),
            )
        )
        labels[root.slug] = f"{root.name} (any kind)" if children else root.name
        labels.update((c.slug, c.name) for c in children)
    return CategoryTree(groups=tuple(groups), labels=labels)


@dataclass(frozen=True)
class PreferenceChoices:
    """What the questionnaire (PreferencesForm) offers that the database decides."""

    categories: CategoryTree
    access_features: list[tuple[str, str]]


def preference_choices() -> PreferenceChoices:
    return PreferenceChoices(categories=category_tree(), access_features=access_feature_choices())
