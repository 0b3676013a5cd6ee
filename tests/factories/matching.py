import factory

from matching.models import Consent, NetworkMap, Person, Team, TeamMembership

from .users import UserFactory


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.LazyAttribute(lambda t: t.name.lower().replace(" ", "-"))


def make_facilitator(team: Team, *, role: str = TeamMembership.Role.FACILITATOR, **kwargs):
    """A user who belongs to `team` (a team lead with role="lead")."""
    user = UserFactory(**kwargs)
    TeamMembership.objects.create(team=team, user=user, role=role)
    return user


class PersonFactory(factory.django.DjangoModelFactory):
    """A person with recorded consent to keep the record (and to e-mail and count them)."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    display_name = factory.Sequence(lambda n: f"Person {n}")
    postcode = "SW18 1AA"
    email = factory.Sequence(lambda n: f"person{n}@example.org")

    @factory.post_generation
    def consent(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Consent.objects.create(
                person=self,
                keep_record=True,
                contact_by_email=kwargs.get("contact_by_email", True),
                count_in_statistics=kwargs.get("count_in_statistics", True),
            )


class NetworkMapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMap

    person = factory.SubFactory(PersonFactory)
    members = factory.LazyFunction(
        lambda: [
            {"circle": 1, "kind": "partner", "support": ["emotional", "practical"],
             "frequency": "daily", "label": "A"},
            {"circle": 2, "kind": "family", "support": ["company"], "frequency": "weekly",
             "label": "B"},
        ]
    )  # fmt: skip
