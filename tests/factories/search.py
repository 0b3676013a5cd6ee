import factory

from assets_directory.models import AccessibilityFeature, Category
from search.models import Concept


class ConceptFactory(factory.django.DjangoModelFactory):
    """A search concept: phrases people use, and what they map to (categories and access
    features by slug: `categories=["befriending"]`)."""

    class Meta:
        model = Concept
        skip_postgeneration_save = True

    phrases = factory.Sequence(lambda n: f"phrase {n}")

    @factory.post_generation
    def categories(self, create, slugs, **kwargs):
        if create and slugs:
            self.categories.set(Category.objects.filter(slug__in=slugs))

    @factory.post_generation
    def access(self, create, slugs, **kwargs):
        if create and slugs:
            self.access.set(AccessibilityFeature.objects.filter(slug__in=slugs))
