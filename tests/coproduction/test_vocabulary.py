"""The shared vocabulary (capability terms, service lines) kept by moderators in the admin as
snippets; a term or service line in use is not deleted, and the refusal says where it is used."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from coproduction.models import Ask, CapabilityItem, CapabilityTerm, ServiceLine
from coproduction.selectors import vocabulary_uses
from tests.conftest import make_editor
from tests.factories.coproduction import (
    AskFactory,
    CapabilityProfileFactory,
    CapabilityTermFactory,
    ServiceLineFactory,
    ServiceTeamFactory,
)

HOSTILE = '<script>alert("x")</script>'


def url(model, view, *args):
    return reverse(f"wagtailsnippets_coproduction_{model}:{view}", args=args)


def errors(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def spare(db):
    return CapabilityTermFactory(name="Sign language", slug="skill-sign-language")


@pytest.fixture
def kitchen_in_use(organisation):
    kitchen = CapabilityTerm.objects.get(slug="asset-kitchen")
    profile = CapabilityProfileFactory(organisation=organisation)
    CapabilityItem.objects.create(profile=profile, term=kitchen)
    ask = AskFactory(title="Cooking in SW17")
    ask.capabilities.set([kitchen])
    return kitchen


def test_moderators_have_the_rights_to_keep_the_vocabulary(db):
    moderators = Group.objects.get(name="Moderators")
    codenames = set(
        moderators.permissions.filter(content_type__app_label="coproduction").values_list(
            "codename", flat=True
        )
    )
    assert {
        "add_capabilityterm",
        "change_capabilityterm",
        "delete_capabilityterm",
        "add_serviceline",
        "change_serviceline",
        "delete_serviceline",
        "change_ask",
    } <= codenames
    assert "delete_ask" not in codenames and "add_ask" not in codenames


def test_a_moderator_lists_and_searches_the_terms(client, moderator, spare):
    client.force_login(moderator)
    response = client.get(url("capabilityterm", "list"))
    assert response.status_code == 200
    assert "Kitchen" in response.content.decode()
    found = client.get(url("capabilityterm", "list"), {"q": "sign"}).content.decode()
    assert "Sign language" in found and "Kitchen" not in found
    lines = client.get(url("serviceline", "list")).content.decode()
    assert ServiceLine.objects.first().name in lines


def test_a_moderator_adds_and_renames_a_term(client, moderator):
    client.force_login(moderator)
    response = client.post(
        url("capabilityterm", "add"),
        {"kind": "language", "name": "Tigrinya", "slug": "language-tigrinya", "description": ""},
    )
    assert response.status_code == 302
    term = CapabilityTerm.objects.get(slug="language-tigrinya")
    response = client.post(
        url("capabilityterm", "edit", term.pk),
        {"kind": "language", "name": "Tigrinya (Eritrea)", "slug": term.slug, "description": ""},
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.name == "Tigrinya (Eritrea)"


def test_a_hostile_name_is_kept_as_text_in_the_admin(client, moderator):
    client.force_login(moderator)
    client.post(
        url("capabilityterm", "add"),
        {"kind": "skill", "name": HOSTILE, "slug": "skill-hostile", "description": ""},
    )
    body = client.get(url("capabilityterm", "list")).content.decode()
    assert HOSTILE not in body and "&lt;script&gt;" in body


def test_a_moderator_deletes_an_unused_term(client, moderator, spare):
    client.force_login(moderator)
    assert client.get(url("capabilityterm", "delete", spare.pk)).status_code == 200
    response = client.post(url("capabilityterm", "delete", spare.pk))
    assert response.status_code == 302
    assert not CapabilityTerm.objects.filter(pk=spare.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_deleting_a_term_in_use_is_refused_saying_where_it_is_used(
    client, moderator, kitchen_in_use, method
):
    client.force_login(moderator)
    response = getattr(client, method)(url("capabilityterm", "delete", kitchen_in_use.pk))
    assert response.status_code == 302 and response.url == url("capabilityterm", "list")
    (message,) = errors(response)
    assert "“Kitchen” is in use, so it cannot be deleted" in message
    assert "1 group's capability profile: Tooting Knit and Natter" in message
    assert "1 ask, as a capability sought: Cooking in SW17" in message
    assert CapabilityTerm.objects.filter(pk=kitchen_in_use.pk).exists()
    assert Ask.objects.get().capabilities.get() == kitchen_in_use


def test_deleting_terms_in_bulk_is_refused_when_one_is_in_use(
    client, moderator, kitchen_in_use, spare
):
    client.force_login(moderator)
    bulk = reverse("wagtail_bulk_action", args=["coproduction", "capabilityterm", "delete"])
    response = client.post(f"{bulk}?id={kitchen_in_use.pk}&id={spare.pk}")
    assert response.status_code == 302
    assert any("“Kitchen” is in use" in m for m in errors(response))
    assert CapabilityTerm.objects.filter(pk__in=[kitchen_in_use.pk, spare.pk]).count() == 2


def test_deleting_a_service_line_in_use_is_refused_naming_its_teams_and_asks(client, moderator):
    line = ServiceLineFactory(name="Falls prevention", slug="falls-prevention")
    team = ServiceTeamFactory(name="Falls Team", service_line=line)
    AskFactory(team=team, title="Strength and balance classes")
    client.force_login(moderator)
    response = client.post(url("serviceline", "delete", line.pk))
    (message,) = errors(response)
    assert "“Falls prevention” is in use" in message
    assert "1 service team: Falls Team" in message
    assert "1 ask: Strength and balance classes" in message
    assert ServiceLine.objects.filter(pk=line.pk).exists()


def test_an_unused_service_line_is_deleted(client, moderator):
    line = ServiceLineFactory(name="Falls prevention", slug="falls-prevention")
    client.force_login(moderator)
    client.post(url("serviceline", "delete", line.pk))
    assert not ServiceLine.objects.filter(pk=line.pk).exists()


def test_uses_beyond_five_are_counted_not_named(directory):
    from tests.factories import OrganisationFactory

    term = CapabilityTermFactory(name="Befrienders", slug="people-befrienders", kind="people")
    for number in range(7):
        profile = CapabilityProfileFactory(
            organisation=OrganisationFactory(parent=directory, title=f"Group {number}")
        )
        CapabilityItem.objects.create(profile=profile, term=term)
    (use,) = vocabulary_uses(term)
    assert use.startswith("7 groups' capability profiles: Group 0, Group 1")
    assert use.endswith("and 2 more")


def test_a_groups_editor_may_not_change_the_vocabulary(client, organisation, spare):
    client.force_login(make_editor(organisation, username="knit"))
    client.post(url("capabilityterm", "delete", spare.pk))
    client.post(
        url("capabilityterm", "add"),
        {"kind": "skill", "name": "Juggling", "slug": "skill-juggling", "description": ""},
    )
    assert CapabilityTerm.objects.filter(pk=spare.pk).exists()
    assert not CapabilityTerm.objects.filter(slug="skill-juggling").exists()
