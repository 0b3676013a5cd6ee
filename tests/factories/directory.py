import datetime
import uuid

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify

from assets_directory.models import (
    Activity,
    ActivitySchedule,
    Category,
    DirectoryIndexPage,
    Organisation,
    SchoolHoliday,
    Venue,
)


def directory_index():
    return DirectoryIndexPage.objects.first()


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda c: c.name.lower().replace(" ", "-"))


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community Hall {n}")
    address_1 = factory.Faker("street_address", locale="en_GB")
    town = "London"
    postcode = "SW18 4DJ"
    latitude = 51.4489
    longitude = -0.1971

    @factory.post_generation
    def accessibility(self, create, extracted, **kwargs):
        if create and extracted:
            self.accessibility.set(extracted)


class SchoolHolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolHoliday

    name = "Half term"
    start_date = datetime.date(2026, 10, 26)
    end_date = datetime.date(2026, 10, 30)


class OrganisationFactory(wagtail_factories.PageFactory):
    class Meta:
        model = Organisation

    title = factory.Sequence(lambda n: f"Community Group {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    parent = factory.LazyFunction(directory_index)
    kind = Organisation.Kind.COMMUNITY_GROUP
    description = "<p>A friendly local group.</p>"
    email = factory.LazyAttribute(lambda o: f"{o.slug}@example.org")
    uuid = factory.LazyFunction(uuid.uuid4)


class ActivityFactory(wagtail_factories.PageFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Activity {n}")
    slug = factory.LazyAttribute(lambda a: slugify(a.title))
    parent = factory.SubFactory(OrganisationFactory)
    summary = "A weekly get-together for everyone."
    venue = factory.SubFactory(VenueFactory)
    delivery = Activity.Delivery.IN_PERSON
    cost = Activity.Cost.FREE
    status = Activity.Status.RUNNING
    last_reviewed = factory.LazyFunction(timezone.localdate)
    uuid = factory.LazyFunction(uuid.uuid4)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create:
            # A ParentalManyToManyField is held in memory until the page is saved.
            self.categories.set(extracted or [Category.objects.order_by("pk").first()])
            self.save()


class ActivityScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivitySchedule

    activity = factory.SubFactory(ActivityFactory)
    frequency = ActivitySchedule.Frequency.WEEKLY
    weekdays = "tue"
    start_time = datetime.time(10, 0)
    end_time = datetime.time(12, 0)
