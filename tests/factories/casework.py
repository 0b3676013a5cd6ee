import datetime

import factory

from casework.models import WellbeingMeasure, WellbeingScore

from .matching import PersonFactory


class WellbeingMeasureFactory(factory.django.DjangoModelFactory):
    """A measure a team licenses: two questions on a 1 to 5 scale, the second better low."""

    class Meta:
        model = WellbeingMeasure
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"measure-{n}")
    name = factory.Sequence(lambda n: f"Licensed measure {n}")
    source = "A publisher, under the team's licence"
    scale_min = 1
    scale_max = 5
    questions = factory.LazyFunction(
        lambda: [
            {"key": "calm", "label": "Calm", "text": "How calm have you felt?"},
            {
                "key": "lonely",
                "label": "Loneliness",
                "text": "How lonely have you felt?",
                "higher_is_better": False,
            },
        ]  # fmt: skip
    )


class WellbeingScoreFactory(factory.django.DjangoModelFactory):
    """An ONS4 score (the measure the migration made) at the start."""

    class Meta:
        model = WellbeingScore

    person = factory.SubFactory(PersonFactory)
    measure = factory.LazyFunction(lambda: WellbeingMeasure.objects.get(slug="ons4"))
    answers = factory.LazyFunction(
        lambda: {"life_satisfaction": 4, "worthwhile": 5, "happiness": 3, "anxiety": 7}
    )
    taken_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=28))
    occasion = WellbeingScore.Occasion.START
