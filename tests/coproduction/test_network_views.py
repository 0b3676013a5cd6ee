"""The network map's page and downloads: who sees it and what, the filters, bad input (a 400
naming the field, never a 500), CSV and GraphML, and partnerships' titles kept from those who
may not open them."""

import csv
import datetime
import io
from types import SimpleNamespace

import networkx as nx
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from coproduction import network
from coproduction.models import CapabilityItem, CapabilityTerm, GroupLink
from coproduction.services import (
    leader_add,
    leader_consent_record,
    link_record,
    partnership_accept,
    partnership_propose,
)
from tests.conftest import make_editor
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.coproduction import (
    CapabilityProfileFactory,
    ServiceLineFactory,
    ServiceTeamFactory,
    make_service_team_member,
)

URL = reverse("coproduction:network")
SECRET = "Confidential memory pilot"
HOSTILE = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def world(directory):
    """Two teams on two service lines; Tooting Tamil Women (SW17, Tamil) in a partnership with
    the memory team; Somali Elders (SW18, Somali) refer people to them; Putney Walkers alone."""
    dementia = ServiceLineFactory(name="Dementia care", slug="dementia-care")
    diet = ServiceLineFactory(name="Eating well", slug="eating-well")
    memory = ServiceTeamFactory(name="Memory Service", service_line=dementia, areas=["SW17"])
    eating = ServiceTeamFactory(name="Healthy Eating Team", service_line=diet, areas=["SW18"])
    tamil = OrganisationFactory(parent=directory, title="Tooting Tamil Women")
    somali = OrganisationFactory(parent=directory, title="Somali Elders")
    putney = OrganisationFactory(parent=directory, title="Putney Walkers")
    for group, area, community in ((tamil, "SW17", "tamil"), (somali, "SW18", "somali")):
        profile = CapabilityProfileFactory(organisation=group, areas=[area])
        CapabilityItem.objects.create(
            profile=profile, term=CapabilityTerm.objects.get(slug=f"community-{community}")
        )
    CapabilityProfileFactory(organisation=putney, areas=["SW15"])
    lead = make_service_team_member(memory, username="memory-lead", role="lead")
    partnership = partnership_propose(team=memory, organisations=[tamil], by=lead, title=SECRET)
    partnership_accept(partnership=partnership, organisation=tamil, by=lead)
    link_record(
        from_organisation=somali,
        to_organisation=tamil,
        kind=GroupLink.Kind.REFERRALS,
        started_on=timezone.localdate(),
        by=None,
    )
    return SimpleNamespace(
        dementia=dementia,
        diet=diet,
        memory=memory,
        eating=eating,
        tamil=tamil,
        somali=somali,
        putney=putney,
        partnership=partnership,
        lead=lead,
        eater=make_service_team_member(eating, username="eater"),
        commissioner=UserFactory(username="cam", groups=[Group.objects.get(name="Commissioners")]),
        tamil_editor=make_editor(tamil, username="tamil-editor"),
        putney_editor=make_editor(putney, username="putney-editor"),
    )


def gid(organisation):
    return f"group:{organisation.pk}"


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def shown(response) -> set[str]:
    return set(response.context["map"].graph)


def labels(response) -> set[str]:
    return {row.label for row in response.context["map"].rows}


def body(response) -> str:
    return response.content.decode()


# Who sees it, and what ---------------------------------------------------------------------------


def test_a_commissioner_sees_every_node_with_its_measures_and_every_partnerships_title(
    client, world
):
    response = get(client, world.commissioner)
    assert response.status_code == 200
    assert labels(response) == {
        "Tooting Tamil Women", "Somali Elders", "Putney Walkers", "Memory Service",
        "Healthy Eating Team", SECRET,
    }  # fmt: skip
    page = body(response)
    assert SECRET in page and 'id="system-map-data"' in page
    assert "Every node and its measures" in page
    assert "1 group has no links: Putney Walkers." in page
    cache = response["Cache-Control"]
    assert "private" in cache and "no-store" in cache


def test_another_teams_member_sees_the_partnership_only_as_a_partnership_everywhere(client, world):
    response = get(client, world.eater)
    assert response.status_code == 200
    node = f"partnership:{world.partnership.pk}"
    assert response.context["map"].graph.nodes[node]["label"] == "a partnership"
    assert SECRET not in body(response) and "a partnership" in body(response)
    assert "a partnership of the Memory Service (partnership)" in body(response)
    for export in ("csv", "graphml"):
        download = client.get(URL, {"format": export})
        assert download.status_code == 200
        assert SECRET not in download.content.decode()


def test_the_partnerships_own_team_and_its_groups_editor_see_its_title(client, world):
    for user in (world.lead, world.tamil_editor):
        response = get(client, user)
        assert response.status_code == 200 and SECRET in body(response)


def test_someone_who_takes_no_part_is_refused_and_a_visitor_is_asked_to_sign_in(client, world):
    assert get(client, world.putney_editor).status_code == 403
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_coproductions_home_page_links_to_the_map(client, world):
    client.force_login(world.eater)
    assert URL in body(client.get(reverse("coproduction:home")))


def test_the_page_is_made_in_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.commissioner)
    with django_assert_max_num_queries(30):
        assert client.get(URL).status_code == 200


# Filters ------------------------------------------------------------------------------------------


def test_a_service_line_keeps_its_teams_and_their_partnerships(client, world):
    response = get(client, world.commissioner, service_line=world.diet.pk)
    assert "Healthy Eating Team" in labels(response)
    assert "Memory Service" not in labels(response) and SECRET not in labels(response)
    assert "Tooting Tamil Women" in labels(response)  # groups are not of a service line


def test_an_area_keeps_the_groups_and_teams_that_serve_it(client, world):
    response = get(client, world.commissioner, area="sw18")
    assert labels(response) == {"Somali Elders", "Healthy Eating Team"}


def test_a_community_keeps_the_groups_that_reach_it(client, world):
    tamil = CapabilityTerm.objects.get(slug="community-tamil")
    response = get(client, world.commissioner, community=tamil.pk)
    groups = {row.label for row in response.context["map"].rows if row.kind == "group"}
    assert groups == {"Tooting Tamil Women"}


def test_kinds_keep_only_the_kinds_ticked(client, world):
    response = get(client, world.commissioner, kinds=["team", "partnership"])
    assert labels(response) == {"Memory Service", "Healthy Eating Team", SECRET}


def test_a_focus_shows_its_neighbourhood_and_keeps_measures_from_the_whole(client, world):
    whole = get(client, world.commissioner).context["map"]
    response = get(client, world.commissioner, focus=gid(world.tamil))
    assert labels(response) == {"Tooting Tamil Women", "Somali Elders", SECRET}
    assert response.context["map"].focus == gid(world.tamil)
    assert "Show the whole map" in body(response)
    somali = gid(world.somali)
    assert response.context["map"].result.degree[somali] == whole.result.degree[somali]
    two = get(client, world.commissioner, focus=gid(world.tamil), steps=2)
    assert "Memory Service" in labels(two)


def test_a_focus_the_filters_leave_out_shows_all_they_keep_and_says_so(client, world):
    tamil = CapabilityTerm.objects.get(slug="community-tamil")
    response = get(client, world.commissioner, community=tamil.pk, focus=gid(world.putney))
    assert response.status_code == 200
    assert response.context["map"].focus is None
    assert "is not among those these filters keep" in body(response)


def test_as_it_was_on_a_day_before_the_partnership_and_the_link(client, world):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = get(client, world.commissioner, on=yesterday.isoformat())
    assert response.status_code == 200
    assert SECRET not in labels(response)
    assert not response.context["map"].graph.has_edge(gid(world.tamil), gid(world.somali))


def test_each_node_links_to_the_map_focused_on_it_keeping_the_filters(client, world):
    response = get(client, world.commissioner, area="SW17")
    nodes = {n["id"]: n for n in response.context["picture"]["nodes"]}
    assert nodes[gid(world.tamil)]["href"] == f"?area=SW17&focus={gid(world.tamil)}"
    assert f'href="?area=SW17&amp;focus={gid(world.tamil)}"' in body(response)


def test_kinds_the_map_learns_later_are_offered_and_filtered_like_the_others(
    client, world, monkeypatch
):
    built = network.system_graph

    def with_a_funder(*, on, **options):
        graph = built(on=on, **options)
        graph.add_node("funder:1", kind="funder", label="A community foundation")
        graph.add_edge("funder:1", gid(world.tamil), kinds=("funds",), since="")
        return graph

    monkeypatch.setattr(network, "system_graph", with_a_funder)
    response = get(client, world.commissioner)
    assert 'value="funder"' in body(response) and "Funders" in body(response)
    only = get(client, world.commissioner, kinds="funder")
    assert labels(only) == {"A community foundation"}
    assert {k["kind"] for k in only.context["picture"]["kinds"]} >= {"funder"}


def test_leaders_who_agreed_are_on_the_map_and_others_are_not(client, world):
    agreed = leader_add(
        organisation=world.tamil,
        by=None,
        display_name="Priya S.",
        role="connector",
        connects="Tamil families",
        email="priya@example.org",
    )
    leader_consent_record(leader=agreed, by=None, given_on=datetime.date(2026, 1, 5))
    leader_add(
        organisation=world.tamil,
        by=None,
        display_name="Not agreed",
        role="leader",
        connects="",
        email="nope@example.org",
    )
    response = get(client, world.commissioner, kinds="leader")
    assert labels(response) == {"Priya S."}
    assert "priya@example.org" not in body(response)


# Bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        ("2027-02-30", "“As it was on” must be a real date"),
        ("yesterday", "“As it was on” must be a real date"),
        ("9999-12-31", "“As it was on” must be today or a day in the past"),
        ("1999-12-31", "“As it was on” must be on or after 1 January 2000"),
    ],
)
def test_a_day_that_cannot_be_shown_is_a_400_naming_the_field(client, world, value, message):
    response = get(client, world.commissioner, on=value)
    assert response.status_code == 400
    assert message in body(response) and "There is a problem" in body(response)


@pytest.mark.parametrize(
    "param", ["on", "service_line", "area", "community", "kinds", "focus", "steps", "format"]
)
def test_hostile_text_in_any_parameter_is_refused_and_never_echoed(client, world, param):
    response = get(client, world.commissioner, **{param: HOSTILE})
    assert response.status_code == 400
    assert HOSTILE not in body(response) and "<script>alert" not in body(response)
    assert "private" in response["Cache-Control"]


def test_a_focus_on_nothing_on_the_map_is_a_400_naming_the_field(client, world):
    response = get(client, world.commissioner, focus="group:999999")
    assert response.status_code == 400
    assert "Choose one of the options for “Focus on”" in body(response)


def test_an_unknown_download_is_a_plain_400(client, world):
    response = get(client, world.commissioner, format="pdf")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "format=csv or format=graphml" in body(response)


def test_a_download_with_filters_that_are_not_right_is_a_plain_400(client, world):
    response = get(client, world.commissioner, format="csv", area="nowhere")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "outward code" in body(response)


def test_a_groups_name_reaches_the_page_only_as_text(client, world):
    world.putney.title = HOSTILE
    world.putney.save()
    page = body(get(client, world.commissioner))
    assert HOSTILE not in page
    assert "\\u003C/script\\u003E" in page  # in the JSON for the picture, escaped


# Downloads ----------------------------------------------------------------------------------------


def test_the_csv_is_a_private_attachment_of_the_filtered_map_with_its_measures(client, world):
    response = get(client, world.commissioner, format="csv", kinds="group")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="coproduction-network-{day}.csv"'
    )
    assert "private" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["label"] for row in rows} == {
        "Tooting Tamil Women", "Somali Elders", "Putney Walkers"
    }  # fmt: skip
    somali = next(row for row in rows if row["label"] == "Somali Elders")
    assert somali["degree"] == "1" and somali["kind"] == "group"


def test_the_graphml_reads_back_with_the_measures_and_the_focus(client, world):
    response = get(client, world.commissioner, format="graphml", focus=gid(world.tamil))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    graph = nx.read_graphml(io.BytesIO(response.content))
    assert set(graph) == {
        gid(world.tamil),
        gid(world.somali),
        f"partnership:{world.partnership.pk}",
    }
    assert graph.nodes[gid(world.tamil)]["degree"] == 2
    assert graph.nodes[gid(world.tamil)]["label"] == "Tooting Tamil Women"
