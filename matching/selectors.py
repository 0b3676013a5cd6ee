from assets_directory.models import AccessibilityFeature, Category


def category_names() -> dict[str, str]:
    return dict(Category.objects.values_list("slug", "name"))


def category_slugs() -> set[str]:
    return set(Category.objects.values_list("slug", flat=True))


def access_slugs() -> set[str]:
    return set(AccessibilityFeature.objects.values_list("slug", flat=True))
