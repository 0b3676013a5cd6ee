"""Administrators set up teams and facilitators in the Wagtail admin; nobody else can."""

import pytest
from django.contrib.auth import get_user_model

from matching.models import Team, TeamMembership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "password")


def test_administrator_creates_a_team_and_adds_a_facilitator(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/admin/team/new/", {"name": "Balham Hub", "slug": "balham-hub"})
    assert response.status_code == 302
    team = Team.objects.get(slug="balham-hub")
    worker = UserFactory(username="worker")
    response = client.post(
        "/admin/teammembership/new/", {"team": team.pk, "user": worker.pk, "role": "lead"}
    )
    assert response.status_code == 302
    assert TeamMembership.objects.get(team=team, user=worker).role == "lead"
    assert "Balham Hub" in client.get("/admin/team/").content.decode()


def test_a_team_needs_a_unique_slug(client, admin_user, team):
    client.force_login(admin_user)
    response = client.post("/admin/team/new/", {"name": "Another", "slug": team.slug})
    assert response.status_code == 200
    assert Team.objects.count() == 1


def test_moderator_cannot_manage_teams(client, moderator, team):
    client.force_login(moderator)
    for url in ("/admin/team/", "/admin/team/new/", "/admin/teammembership/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert team.name not in response.content.decode()
    client.post("/admin/team/new/", {"name": "Sneaky", "slug": "sneaky"})
    assert not Team.objects.filter(slug="sneaky").exists()


def test_people_are_not_in_the_admin(client, admin_user, person):
    client.force_login(admin_user)
    assert client.get("/admin/person/").status_code == 404
    assert person.display_name not in client.get("/admin/").content.decode()


def test_a_team_that_holds_records_is_not_deleted_and_the_admin_says_why(
    client, admin_user, team, person
):
    client.force_login(admin_user)
    url = f"/admin/team/delete/{team.pk}/"

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"] == "/admin/team/"
    assert Team.objects.filter(pk=team.pk).exists()
    listing = client.get("/admin/team/").content.decode()
    assert "Battersea PCN still holds 1 person&#x27;s record, so it cannot be deleted." in listing


def test_a_team_without_records_is_deleted(client, admin_user, team, facilitator):
    client.force_login(admin_user)
    url = f"/admin/team/delete/{team.pk}/"

    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Team.objects.filter(pk=team.pk).exists()
