import datetime

import factory

from coproduction.models import (
    Ask,
    CapabilityItem,
    CapabilityProfile,
    CapabilityTerm,
    ServiceLine,
    ServiceTeam,
    ServiceTeamMembership,
)

from .directory import OrganisationFactory
from .users import UserFactory


class ServiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLine
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Service line {n}")
    slug = factory.LazyAttribute(lambda s: s.name.lower().replace(" ", "-"))


class CapabilityTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapabilityTerm
        django_get_or_create = ("slug",)

    kind = CapabilityTerm.Kind.SKILL
    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda t: f"{t.kind}-{t.name}".lower().replace(" ", "-"))


class ServiceTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceTeam
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Service team {n}")
    slug = factory.LazyAttribute(lambda t: t.name.lower().replace(" ", "-"))
    service_line = factory.SubFactory(ServiceLineFactory)
    body_kind = ServiceTeam.Body.NHS_TRUST
    body_name = "South West London NHS Trust"
    areas = factory.LazyFunction(lambda: ["SW17", "SW18"])


def make_service_team_member(
    team: ServiceTeam, *, role: str = ServiceTeamMembership.Role.MEMBER, **kwargs
):
    """A user who belongs to `team` (its lead with role="lead")."""
    user = UserFactory(**kwargs)
    ServiceTeamMembership.objects.create(team=team, user=user, role=role)
    return user


class CapabilityProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapabilityProfile

    organisation = factory.SubFactory(OrganisationFactory)
    summary = "A community group."
    areas = factory.LazyFunction(lambda: ["SW17"])


class CapabilityItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapabilityItem

    profile = factory.SubFactory(CapabilityProfileFactory)
    term = factory.SubFactory(CapabilityTermFactory)


class AskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ask

    team = factory.SubFactory(ServiceTeamFactory)
    title = factory.Sequence(lambda n: f"Ask {n}")
    service_line = factory.LazyAttribute(lambda a: a.team.service_line)
    areas = factory.LazyFunction(lambda: ["SW17"])
    status = Ask.Status.OPEN


class GroupLeaderFactory(factory.django.DjangoModelFactory):
    """A leader who has agreed to be shown (`consent_given_on=None` for one who has not)."""

    class Meta:
        model = "coproduction.GroupLeader"

    organisation = factory.SubFactory(OrganisationFactory)
    display_name = factory.Sequence(lambda n: f"Leader {n}")
    role = "connector"
    connects = "Tamil families in SW17"
    email = factory.Sequence(lambda n: f"leader.private.{n}@example.net")
    consent_given_on = factory.LazyFunction(lambda: datetime.date(2026, 1, 5))
    consent_wording = factory.LazyAttribute(
        lambda leader: "I agree to be shown." if leader.consent_given_on else ""
    )
