"""The network map pages: edit (new dated versions), compare two versions, access and audit."""

import re
from html import unescape

import pytest
from django.urls import reverse

from matching.diagram import network_diagram
from matching.forms.network import member_formset, members_to_initial
from matching.models import AuditEvent, NetworkMap
from matching.network import Member
from tests.factories import NetworkMapFactory, PersonFactory

pytestmark = pytest.mark.django_db


def edit_url(person):
    return reverse("matching:network", args=[person.reference])


def compare_url(person):
    return reverse("matching:network_compare", args=[person.reference])


def post_data(*rows, total=None, **extra):
    """A POST of the members formset: each row a dict of MemberForm fields."""
    data = {
        "members-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "60",
        "map-note": "",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"members-{index}-{name}"] = value
    data.update(extra)
    return data


MUM = {"label": "Mum", "kind": "family", "circle": "1", "support": ["emotional"],
       "frequency": "weekly"}  # fmt: skip
CHOIR = {"label": "Choir", "kind": "group", "circle": "3"}


@pytest.fixture
def signed_in(client, facilitator):
    client.force_login(facilitator)
    return client


def test_get_shows_the_latest_map_in_the_form_and_the_server_drawn_diagram(signed_in, person):
    NetworkMapFactory(person=person, members=[{"circle": 1, "kind": "pet", "label": "Rex"}])
    NetworkMapFactory(
        person=person, members=[Member(circle=2, kind="friend", label="Sam").as_dict()]
    )

    response = signed_in.get(edit_url(person))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Sam"' in html
    assert 'value="Rex"' not in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert ">Sam</text>" in svg
    assert "Middle circle: Sam (Friend)." in svg
    # The script only enhances: the form and the drawing are there without it.
    assert "data-netmap-svg" in svg
    assert "js/network-map.js" in html


def test_get_with_from_starts_from_an_earlier_version(signed_in, person):
    first = NetworkMapFactory(person=person, members=[{"circle": 1, "kind": "pet", "label": "Rex"}])
    NetworkMapFactory(person=person, members=[{"circle": 2, "kind": "friend", "label": "Sam"}])

    response = signed_in.get(edit_url(person), {"from": first.pk})

    html = response.content.decode()
    assert 'value="Rex"' in html
    assert 'value="Sam"' not in html
    assert "You are starting from the version saved on" in html


def test_get_with_another_persons_map_in_from_is_404(signed_in, person, team):
    stranger = NetworkMapFactory(person=PersonFactory(team=team))

    assert signed_in.get(edit_url(person), {"from": stranger.pk}).status_code == 404
    assert signed_in.get(edit_url(person), {"from": "nonsense"}).status_code == 404


@pytest.mark.parametrize("map_id", ["²", "1" * 23, "-1", "0"])
def test_a_map_id_that_is_not_an_id_is_not_found(signed_in, person, map_id):
    NetworkMapFactory(person=person)

    assert signed_in.get(edit_url(person), {"from": map_id}).status_code == 404
    assert signed_in.get(compare_url(person), {"before": map_id}).status_code == 404


def test_empty_map_shows_blank_rows_and_no_feedback(signed_in, person):
    response = signed_in.get(edit_url(person))

    html = response.content.decode()
    assert 'name="members-TOTAL_FORMS" value="3"' in html
    assert "Nobody is on the map yet." in html
    assert "What the saved map shows" not in html


def test_saving_creates_a_new_version_and_keeps_the_old_one(signed_in, person, facilitator):
    old = NetworkMapFactory(person=person)

    response = signed_in.post(edit_url(person), post_data(MUM, CHOIR, {}, **{"map-note": "Start"}))

    assert response.status_code == 302
    assert response["Location"] == edit_url(person)
    assert NetworkMap.objects.filter(pk=old.pk).exists()
    new = person.network_maps.exclude(pk=old.pk).get()
    assert new.member_objects() == [
        Member(circle=1, kind="family", support=frozenset({"emotional"}), frequency="weekly",
               label="Mum"),
        Member(circle=3, kind="group", label="Choir"),
    ]  # fmt: skip
    assert new.note == "Start"
    assert new.created_by == facilitator


def test_saving_shows_a_success_message_and_the_feedback_for_the_saved_map(signed_in, person):
    response = signed_in.post(edit_url(person), post_data(MUM), follow=True)

    html = response.content.decode()
    assert "Network map saved as a new version" in html
    assert "What the saved map shows" in html
    assert "Your network has 1 member" in html


def test_save_and_go_back_redirects_to_the_persons_record(signed_in, person):
    response = signed_in.post(edit_url(person), post_data(MUM, save_and_record="1"))

    assert response["Location"] == reverse("matching:person", args=[person.reference])


def test_removed_rows_are_left_out_of_the_saved_map(signed_in, person):
    signed_in.post(edit_url(person), post_data(MUM, {**CHOIR, "DELETE": "on"}))

    assert person.network_maps.get().member_objects() == [
        Member(circle=1, kind="family", support=frozenset({"emotional"}), frequency="weekly",
               label="Mum")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"kind": "dragon", "circle": "1"}, "kind", "'dragon' is not a kind of member"),
        ({"kind": "friend", "circle": "4"}, "circle", "Circle must be 1 (inner), 2 (middle) or 3"),
        ({"kind": "friend", "circle": "1", "label": "x" * 81}, "label",
         "Name or initials is 81 characters long"),
        ({"kind": "friend", "circle": "1", "support": ["money"]}, "support",
         "'money' is not a type of support"),
        ({"label": "Sam", "circle": "1"}, "kind", "Choose who or what this is"),
        ({"label": "Sam", "kind": "friend"}, "circle", "Choose the inner, middle or outer circle"),
    ],
)  # fmt: skip
def test_an_invalid_member_shows_the_error_by_the_field_and_in_the_summary_and_saves_nothing(
    signed_in, person, row, field, message
):
    response = signed_in.post(edit_url(person), post_data(MUM, row))

    assert response.status_code == 200
    assert not person.network_maps.exists()
    html = response.content.decode()
    assert f'id="id_members-1-{field}_error"' in html
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert message in unescape(summary)
    # Each link in the summary leads to a field on the page.
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets
    assert all(f'id="{target}"' in html for target in targets)


def test_several_problems_in_one_row_are_all_shown(signed_in, person):
    response = signed_in.post(
        edit_url(person), post_data({"kind": "dragon", "circle": "4", "label": "x" * 81})
    )

    errors = response.context["formset"].errors[0]
    assert set(errors) == {"kind", "circle", "label"}
    assert not person.network_maps.exists()


def test_a_map_with_nobody_on_it_is_not_saved(signed_in, person):
    response = signed_in.post(edit_url(person), post_data({}, {}))

    assert response.status_code == 200
    assert "Add at least one person, group, pet or place" in response.content.decode()
    assert not person.network_maps.exists()


def test_a_broken_management_form_is_an_error_not_a_crash(signed_in, person):
    response = signed_in.post(edit_url(person), {"members-0-kind": "friend"})

    assert response.status_code == 200
    assert not person.network_maps.exists()


def test_add_another_without_javascript_keeps_the_rows_and_adds_a_blank_one(signed_in, person):
    response = signed_in.post(
        edit_url(person), post_data(MUM, {"kind": "dragon", "circle": "1"}, add_row="1")
    )

    assert response.status_code == 200
    assert not person.network_maps.exists()
    html = response.content.decode()
    assert 'name="members-TOTAL_FORMS" value="3"' in html
    assert 'value="Mum"' in html
    # Nothing has been checked yet, so there are no errors to show.
    assert "There is a problem" not in html


def test_without_consent_nothing_is_saved_and_the_page_says_why(signed_in, team):
    person = PersonFactory(team=team, consent=False)

    response = signed_in.post(edit_url(person), post_data(MUM))

    assert response.status_code == 200
    assert "Record their consent before saving anything about them." in response.content.decode()
    assert not person.network_maps.exists()


def test_another_teams_facilitator_gets_404(client, other_facilitator, person):
    network = NetworkMapFactory(person=person)
    client.force_login(other_facilitator)

    assert client.get(edit_url(person)).status_code == 404
    assert client.post(edit_url(person), post_data(MUM)).status_code == 404
    assert client.get(compare_url(person)).status_code == 404
    assert client.get(compare_url(person), {"before": network.pk}).status_code == 404
    assert not person.network_maps.exclude(pk=network.pk).exists()


@pytest.mark.parametrize("url", [edit_url, compare_url])
def test_anonymous_is_sent_to_sign_in(client, person, url):
    response = client.get(url(person))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("matching:sign_in"))


def test_viewing_is_audited_and_saving_is_audited_as_a_creation(signed_in, person, facilitator):
    signed_in.get(edit_url(person))
    signed_in.post(edit_url(person), post_data(MUM))

    events = list(
        AuditEvent.objects.filter(person=person).order_by("id").values_list("action", "what")
    )
    assert events == [
        (AuditEvent.Action.VIEW, "Network map"),
        (AuditEvent.Action.CREATE, "Network map"),
    ]


def test_comparing_is_audited_as_a_view(signed_in, person):
    NetworkMapFactory(person=person)

    signed_in.get(compare_url(person))

    assert AuditEvent.objects.filter(
        person=person, action=AuditEvent.Action.VIEW, what="Network map comparison"
    ).exists()


def test_compare_defaults_to_the_first_and_the_latest_and_says_what_changed(signed_in, person):
    first = NetworkMapFactory(
        person=person,
        members=[{"circle": 1, "kind": "partner", "label": "Pat"},
                 {"circle": 1, "kind": "friend", "label": "Sam"}],
    )  # fmt: skip
    NetworkMapFactory(person=person, members=[{"circle": 1, "kind": "pet", "label": "Rex"}])
    latest = NetworkMapFactory(
        person=person,
        members=[{"circle": 1, "kind": "partner", "label": "Pat"},
                 {"circle": 2, "kind": "friend", "label": "Sam"},
                 {"circle": 3, "kind": "group", "label": "Choir"}],
    )  # fmt: skip

    response = signed_in.get(compare_url(person))

    assert response.status_code == 200
    assert response.context["before"] == first
    assert response.context["after"] == latest
    html = response.content.decode()
    assert "Your network has grown from 2 to 3." in html
    assert "New in your map: Choir." in html
    assert "Sam has moved from your inner circle to your middle circle." in html
    assert "Choir (Group or organisation)" in html
    assert html.count('role="img"') == 2
    # Every version is listed, with a link to compare it with the latest.
    assert f"?before={first.pk}&amp;after={latest.pk}" in html


def test_compare_takes_the_versions_asked_for(signed_in, person):
    first = NetworkMapFactory(person=person, members=[{"circle": 1, "kind": "pet", "label": "Rex"}])
    second = NetworkMapFactory(
        person=person, members=[{"circle": 3, "kind": "pet", "label": "Rex"}]
    )
    NetworkMapFactory(person=person, members=[])

    response = signed_in.get(compare_url(person), {"before": first.pk, "after": second.pk})

    assert "Rex has moved from your inner circle to your outer circle." in response.content.decode()


@pytest.mark.parametrize("which", ["before", "after"])
def test_compare_with_a_map_of_another_person_is_404(signed_in, person, team, which):
    mine = NetworkMapFactory(person=person)
    theirs = NetworkMapFactory(person=PersonFactory(team=team))

    other = "after" if which == "before" else "before"
    response = signed_in.get(compare_url(person), {which: theirs.pk, other: mine.pk})

    assert response.status_code == 404


def test_compare_with_no_maps_says_so(signed_in, person):
    response = signed_in.get(compare_url(person))

    assert response.status_code == 200
    assert "No network map has been saved yet." in response.content.decode()


# The reusable pieces the kiosk shares.


def test_formset_round_trips_members_through_initial_rows():
    members = [
        Member(circle=2, kind="neighbour", support=frozenset({"practical", "company"}),
               frequency="daily", label="Ann"),
        Member(circle=3, kind="place"),
    ]  # fmt: skip
    initial = members_to_initial(members)
    data = post_data(*[{k: v for k, v in row.items() if v not in ("", [])} for row in initial])

    formset = member_formset(data)

    assert formset.is_valid(), formset.errors
    assert formset.members() == members
    assert member_formset(members=members).draft_members() == members


def test_diagram_places_each_member_in_its_own_ring():
    diagram = network_diagram(
        [Member(circle=1, kind="family", label="Mum"), Member(circle=3, kind="group")]
    )

    centre = diagram.centre
    radii = {ring.circle: ring.radius for ring in diagram.rings}
    for dot in diagram.dots:
        distance = ((dot.x - centre) ** 2 + (dot.y - centre) ** 2) ** 0.5
        inner_edge = radii.get(dot.member.circle - 1, 0)
        assert inner_edge < distance < radii[dot.member.circle]
    assert diagram.description == (
        "Inner circle: Mum (Family). Middle circle: nobody. Outer circle: Group or organisation."
    )


def test_compare_only_answers_get(signed_in, person):
    assert signed_in.post(compare_url(person)).status_code == 405
