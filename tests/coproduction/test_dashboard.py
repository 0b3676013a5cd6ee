"""Where group editors and moderators find coproduction: a panel on the Wagtail dashboard they
land on, and their groups on coproduction's own home page."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from coproduction.models.people import READINESS_AREAS
from coproduction.services import partnership_propose, readiness_submit
from tests.factories import UserFactory
from tests.factories.coproduction import ServiceTeamFactory, make_service_team_member

PANEL = "Working with services"


def group_links(organisation):
    return [
        reverse(name, args=[organisation.pk])
        for name in (
            "coproduction:profile",
            "coproduction:links",
            "coproduction:leaders",
            "coproduction:readiness",
        )
    ]


def test_an_editor_finds_their_groups_coproduction_pages_on_the_dashboard(
    client, editor, organisation
):
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert PANEL in page and organisation.title in page
    for url in group_links(organisation):
        assert f'href="{url}"' in page
    # Each of them opens for the editor.
    for url in group_links(organisation):
        assert client.get(url).status_code == 200
    assert "waiting for review" not in page


def test_a_moderator_sees_how_many_assessments_wait(client, moderator, editor, organisation):
    readiness_submit(
        organisation=organisation,
        by=editor,
        answers={area: (2, "") for area in READINESS_AREAS},
    )
    client.force_login(moderator)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert PANEL in page
    assert "Readiness assessments waiting for review</a>: 1." in page
    assert f'href="{reverse("coproduction:readiness_waiting")}"' in page


def test_someone_with_no_group_gets_no_panel(client, db):
    user = UserFactory(is_superuser=False)
    user.user_permissions.add(*Permission.objects.filter(codename="access_admin"))
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200 and PANEL not in response.content.decode()


def test_an_editor_in_a_partnership_sees_their_group_on_coproductions_home(
    client, editor, organisation
):
    team = ServiceTeamFactory(name="Dementia team")
    lead = make_service_team_member(team, username="lead")
    partnership_propose(team=team, organisations=[organisation], by=lead, title="Memory cafe")
    client.force_login(editor)
    page = client.get(reverse("coproduction:home")).content.decode()
    assert "Your group" in page
    for url in group_links(organisation):
        assert f'href="{url}"' in page
    client.force_login(lead)
    assert "Your group" not in client.get(reverse("coproduction:home")).content.decode()
