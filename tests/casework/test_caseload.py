"""The caseload: stages, notes, follow-ups due, hand-over, and what leads see."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, CaseNote
from casework.services import (
    case_hand_over,
    case_note_add,
    case_update,
    follow_up_reminders_send,
    wellbeing_measure_ons4,
    wellbeing_score_record,
)
from matching.models import AuditEvent
from matching.services import person_erase
from tests.factories import ActivityFactory, OrganisationFactory
from tests.factories.matching import PersonFactory, TeamFactory, make_facilitator
from tests.matching.test_people_views import _rows_mentioning
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def caseload(client, **params):
    return client.get(reverse("casework:caseload"), params).content.decode()


def test_a_closed_case_needs_a_reason_and_forgets_its_follow_up(person, facilitator):
    with pytest.raises(ValidationError) as error:
        case_update(person=person, by=facilitator, stage="closed")
    assert "closed_reason" in error.value.message_dict
    case = case_update(
        person=person, by=facilitator, stage="closed", closed_reason="goals_met",
        follow_up_on=TODAY,
    )  # fmt: skip
    assert (case.stage, case.closed_reason, case.follow_up_on) == ("closed", "goals_met", None)
    assert AuditEvent.objects.filter(person=person, what="Case: Closed").exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"stage": "<script>"}, "stage"),
        ({"stage": "new", "last_contact_on": TODAY + datetime.timedelta(days=1)},
         "last_contact_on"),
    ],
)  # fmt: skip
def test_bad_case_answers_are_refused_by_field(person, facilitator, changes, field):
    with pytest.raises(ValidationError) as error:
        case_update(person=person, by=facilitator, **changes)
    assert field in error.value.message_dict
    assert not Case.objects.filter(stage="supported").exists()


def test_the_caseload_shows_follow_ups_due_first_and_filters_by_stage(
    client, team, person, facilitator
):
    later = PersonFactory(team=team, display_name="Sam K", created_by=facilitator)
    person.created_by = facilitator
    person.save()
    case_update(person=person, by=facilitator, stage="supported", follow_up_on=TODAY,
                next_step="Ask how the choir went")  # fmt: skip
    case_update(person=later, by=facilitator, stage="planning",
                follow_up_on=TODAY + datetime.timedelta(days=7))  # fmt: skip
    client.force_login(facilitator)

    page = caseload(client)

    assert page.index("Jo B") < page.index("Sam K")
    assert "Follow-up due" in page
    assert "Ask how the choir went" in page
    due = caseload(client, stage="follow_up_due")
    assert "Jo B" in due and "Sam K" not in due
    planning = caseload(client, stage="planning")
    assert "Sam K" in planning and "Jo B" not in planning
    # Unknown filters are ignored, not an error.
    assert "Jo B" in caseload(client, stage="<b>", sort="drop table", worker="x")


def test_mine_is_a_facilitators_own_and_a_lead_sees_the_teams_load(client, team, person,
                                                                   facilitator):  # fmt: skip
    colleague = make_facilitator(team, username="colleague")
    lead = make_facilitator(team, role="lead", username="lead")
    case_update(person=person, by=facilitator, stage="supported", follow_up_on=TODAY)
    case_hand_over(person=person, by=facilitator, to=colleague)
    client.force_login(facilitator)
    assert "Jo B" not in caseload(client)  # mine, by default
    assert "Jo B" in caseload(client, worker="")
    client.force_login(lead)
    page = caseload(client)
    assert "Jo B" in page  # everyone, by default, for a lead
    assert "The team's load" in page


def test_another_team_never_sees_the_person(client, person, facilitator):
    case_note_add(person=person, by=facilitator, text="Marker-note")
    outsider = make_facilitator(TeamFactory(name="Other"), username="outsider")
    client.force_login(outsider)
    assert "Jo B" not in caseload(client, worker="")
    assert client.get(reverse("casework:case", args=[person.reference])).status_code == 404
    response = client.post(
        reverse("casework:case", args=[person.reference]), {"action": "note", "note-text": "x"}
    )
    assert response.status_code == 404
    assert CaseNote.objects.count() == 1


def test_notes_are_dated_signed_and_audited_and_an_empty_one_is_refused(
    client, person, facilitator
):
    client.force_login(facilitator)
    url = reverse("casework:case", args=[person.reference])
    empty = client.post(url, {"action": "note", "note-text": "   "})
    assert empty.status_code == 200
    assert "Enter add a note" in empty.content.decode() or "error-message" in (
        empty.content.decode()
    )
    assert (
        client.post(url, {"action": "note", "note-text": "Talked about <b>walking</b>"}).status_code
        == 302
    )
    page = client.get(url).content.decode()
    assert "Talked about &lt;b&gt;walking&lt;/b&gt;" in page
    assert AuditEvent.objects.filter(person=person, what="Case note").exists()
    assert client.post(url, {"action": "nonsense"}).status_code == 400


def test_handing_over_tells_the_new_link_worker(client, team, person, facilitator):
    colleague = make_facilitator(team, username="colleague", email="colleague@example.org")
    client.force_login(facilitator)
    url = reverse("casework:case", args=[person.reference])
    response = client.post(url, {"action": "handover", "handover-to": colleague.pk})
    assert response.status_code == 302
    assert Case.objects.get(person=person).link_worker == colleague
    (message,) = mail.outbox
    assert message.to == ["colleague@example.org"]
    assert "Jo B" not in message.body
    stranger = make_facilitator(TeamFactory(name="Elsewhere"), username="stranger")
    refused = client.post(url, {"action": "handover", "handover-to": stranger.pk})
    assert refused.status_code == 200
    assert Case.objects.get(person=person).link_worker == colleague


def test_the_record_and_export_show_the_case_and_erasure_removes_it(client, person, facilitator):
    case_update(person=person, by=facilitator, stage="assessing", next_step="Marker-step")
    case_note_add(person=person, by=facilitator, text="Marker-casenote")
    client.force_login(facilitator)
    record = client.get(reverse("matching:person", args=[person.reference])).content.decode()
    assert "7. Casework" in record and "Marker-step" in record
    data = client.get(reverse("matching:export_json", args=[person.reference])).json()
    assert data["casework"][0]["notes"][0]["text"] == "Marker-casenote"
    printable = client.get(reverse("matching:export_print", args=[person.reference]))
    assert "Marker-casenote" in printable.content.decode()

    person_erase(person=person, by=facilitator)

    assert _rows_mentioning(["Marker-step", "Marker-casenote"]) == []


def test_link_workers_are_told_how_many_follow_ups_fall_due_today(team, person, facilitator):
    other = PersonFactory(team=team, display_name="Sam K")
    closed = PersonFactory(team=team, display_name="Al P")
    for who in (person, other):
        case_update(person=who, by=facilitator, stage="supported", follow_up_on=TODAY)
    case_update(person=closed, by=facilitator, stage="closed", closed_reason="moved")
    case_hand_over(person=other, by=facilitator, to=facilitator)
    case_hand_over(person=person, by=facilitator, to=facilitator)
    mail.outbox.clear()

    assert follow_up_reminders_send(today=TODAY) == 1

    (message,) = mail.outbox
    assert message.to == ["linkworker@example.org"]
    assert message.subject == "2 follow-ups due today"
    assert "Jo B" not in message.body and "Sam K" not in message.body
    assert follow_up_reminders_send(today=TODAY + datetime.timedelta(days=1)) == 0


def test_before_a_case_is_made_the_caseload_names_whoever_made_the_record(
    client, team, facilitator, django_assert_max_num_queries
):
    # The record page names them, and "mine" counts the person as theirs: the caseload agrees.
    facilitator.first_name, facilitator.last_name = "Lin", "Okafor"
    facilitator.save()
    PersonFactory(team=team, display_name="Sam K", created_by=facilitator)
    PersonFactory(team=team, display_name="Ray P", created_by=None)
    client.force_login(facilitator)
    caseload(client)  # once first, for what is read once and kept (the site, the session)
    with CaptureQueriesContext(connection) as few:
        page = caseload(client, worker="", sort="name")
    for n in range(5):
        PersonFactory(team=team, display_name=f"Also {n}", created_by=facilitator)

    # The people and whoever made their records are read together, however many there are.
    with django_assert_max_num_queries(len(few)):
        caseload(client, worker="", sort="name")

    assert "<td>Lin Okafor</td>" in page.split("Sam K", 1)[1].split("</tr>", 1)[0]
    assert "<td>Not set</td>" in page.split("Ray P", 1)[1].split("</tr>", 1)[0]
    assert Case.objects.count() == 0  # shown, not made


def _score(person, by, answers, days_ago, occasion="follow_up"):
    return wellbeing_score_record(
        person=person,
        by=by,
        measure=wellbeing_measure_ons4(),
        answers=dict(
            zip(("life_satisfaction", "worthwhile", "happiness", "anxiety"), answers, strict=True)
        ),
        taken_on=TODAY - datetime.timedelta(days=days_ago),
        occasion=occasion,
    )


def _row(page, name):
    return page.split(name, 1)[1].split("</tr>", 1)[0]


def test_the_caseload_says_how_each_persons_wellbeing_has_changed(
    client, team, facilitator, django_assert_max_num_queries
):
    better = PersonFactory(team=team, display_name="Sam K", created_by=facilitator)
    mixed = PersonFactory(team=team, display_name="Ray P", created_by=facilitator)
    once = PersonFactory(team=team, display_name="Ola T", created_by=facilitator)
    PersonFactory(team=team, display_name="Uma V", created_by=facilitator)
    _score(better, facilitator, (4, 5, 3, 7), 40, "start")
    _score(better, facilitator, (5, 5, 3, 7), 20)
    # Anxiety is better when lower: 7 down to 4 counts with the rest.
    _score(better, facilitator, (7, 6, 6, 4), 1)
    _score(mixed, facilitator, (4, 5, 3, 2), 30, "start")
    _score(mixed, facilitator, (6, 5, 2, 2), 2)
    _score(once, facilitator, (4, 5, 3, 2), 3, "start")
    client.force_login(facilitator)
    caseload(client)
    with CaptureQueriesContext(connection) as few:
        page = caseload(client, worker="", sort="name")

    assert "Better on all 4" in _row(page, "Sam K")
    assert "Better on 1, worse on 1, same on 2" in _row(page, "Ray P")
    assert "First score only" in _row(page, "Ola T")
    assert "Not measured yet" in _row(page, "Uma V")
    assert reverse("casework:wellbeing", args=[better.reference]) in _row(page, "Sam K")
    # Scores are read in one query for the whole page, however many people have them.
    for n in range(4):
        _score(PersonFactory(team=team, display_name=f"Also {n}"), facilitator, (1, 1, 1, 1), 5)
    with django_assert_max_num_queries(len(few)):
        caseload(client, worker="", sort="name")


def test_a_referral_moves_the_case_on_to_supported_but_never_reopens_it(
    team, facilitator, directory
):
    group = OrganisationFactory(parent=directory, title="Walkers", email="walkers@example.org")
    walk = ActivityFactory(parent=group, title="Nordic walking", referral_route="takes_referrals")
    new = PersonFactory(team=team, created_by=facilitator)
    closed = PersonFactory(team=team, created_by=facilitator)
    case_update(person=closed, by=facilitator, stage="closed", closed_reason="goals_met")

    for person in (new, closed):
        refer(person, walk, facilitator)

    assert Case.objects.get(person=new).stage == "supported"
    assert AuditEvent.objects.filter(
        person=new, what="Case: Supported (a referral was made)"
    ).exists()
    assert Case.objects.get(person=closed).stage == "closed"
