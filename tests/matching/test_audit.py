"""The audit log records what was shown or changed, and nothing else: a view that ends in a
404, a 405 or an exception leaves no "Viewed" entry, and a page that was shown leaves one."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from matching.access import audit_shown
from matching.models import AuditEvent, FollowUp
from matching.services import ChosenActivity, plan_create
from tests.factories import NetworkMapFactory, PersonFactory


@pytest.fixture
def signed_in(client, facilitator):
    client.force_login(facilitator)
    return client


def url(name, person, *args):
    return reverse(f"matching:{name}", args=[person.reference, *args])


def make_plan(person, by):
    return plan_create(
        person=person,
        by=by,
        chosen=[ChosenActivity(activity_id=None, title="Community choir", when="Tuesdays")],
    )


def events(person):
    return list(
        AuditEvent.objects.filter(person=person).order_by("id").values_list("action", "what")
    )


@pytest.mark.django_db
class TestNothingShownNothingLogged:
    @pytest.mark.parametrize("plan_id", ["999999", "1" * 23])
    def test_a_plan_that_is_not_there_logs_no_view(self, signed_in, person, facilitator, plan_id):
        make_plan(person, facilitator)
        before = events(person)

        response = signed_in.get(f"{url('person', person)}plans/{plan_id}/")

        assert response.status_code == 404
        assert events(person) == before

    def test_a_plan_of_another_person_logs_no_view(self, signed_in, person, facilitator, team):
        plan = make_plan(PersonFactory(team=team), facilitator)
        before = events(person)

        assert signed_in.get(url("plan", person, plan.pk)).status_code == 404
        assert signed_in.post(url("plan_email", person, plan.pk)).status_code == 404
        assert events(person) == before

    @pytest.mark.parametrize("item", ["²", "999999", "other-persons"])
    def test_a_bad_follow_up_logs_nothing(self, signed_in, person, facilitator, team, item):
        make_plan(person, facilitator)
        if item == "other-persons":
            item = str(make_plan(PersonFactory(team=team), facilitator).items.get().pk)
        before = events(person)

        response = signed_in.post(
            url("follow_up", person), {"item": item, f"item-{item}-went": "yes"}
        )

        assert response.status_code == 404
        assert not FollowUp.objects.exists()
        assert events(person) == before

    @pytest.mark.parametrize(
        ("name", "query"),
        [("network", {"from": "999999"}), ("network_compare", {"before": "999999"})],
    )
    def test_a_network_map_that_is_not_there_logs_no_view(self, signed_in, person, name, query):
        NetworkMapFactory(person=person)

        response = signed_in.get(url(name, person), query)

        assert response.status_code == 404
        assert events(person) == []

    def test_a_method_the_page_does_not_take_logs_no_view(self, signed_in, person):
        response = signed_in.post(url("network_compare", person))

        assert response.status_code == 405
        assert events(person) == []

    def test_a_head_request_shows_nothing_and_logs_nothing(self, signed_in, person):
        assert signed_in.head(url("person", person)).status_code == 200
        assert events(person) == []

    def test_a_view_that_fails_after_finding_the_person_logs_nothing(
        self, signed_in, person, monkeypatch
    ):
        def broken(*args, **kwargs):
            raise RuntimeError("template missing")

        monkeypatch.setattr("matching.views.people.render", broken)

        # The view's own failure, not audit_shown's RuntimeError for a view left unwrapped.
        with pytest.raises(RuntimeError, match="template missing"):
            signed_in.get(url("person", person))
        assert events(person) == []


@pytest.mark.django_db
class TestWhatWasShownIsLoggedOnce:
    @pytest.mark.parametrize(
        ("name", "what"),
        [
            ("person", "Record"),
            ("plan", "Plan"),
            ("follow_up", "Follow-up"),
            ("network", "Network map"),
            ("preferences", "Preferences"),
        ],
    )
    def test_a_page_shown_logs_exactly_one_view(self, signed_in, person, facilitator, name, what):
        plan = make_plan(person, facilitator)
        before = events(person)
        args = [plan.pk] if name == "plan" else []

        response = signed_in.get(url(name, person, *args))

        assert response.status_code == 200
        assert events(person) == [*before, (AuditEvent.Action.VIEW, what)]

    def test_a_change_that_redirects_logs_the_change_and_no_view(
        self, signed_in, person, facilitator
    ):
        item = make_plan(person, facilitator).items.get()
        before = events(person)

        response = signed_in.post(
            url("follow_up", person), {"item": str(item.pk), f"item-{item.pk}-went": "not_yet"}
        )

        assert response.status_code == 302
        assert events(person) == [
            *before,
            (AuditEvent.Action.CREATE, "Follow-up: Community choir"),
        ]

    def test_a_form_shown_again_with_its_errors_is_a_view(self, signed_in, person, facilitator):
        item = make_plan(person, facilitator).items.get()
        before = events(person)

        response = signed_in.post(url("follow_up", person), {"item": str(item.pk)})

        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
        assert events(person) == [*before, (AuditEvent.Action.VIEW, "Follow-up")]

    def test_an_export_logs_one_export(self, signed_in, person):
        response = signed_in.get(url("export_json", person))

        assert response.status_code == 200
        assert events(person) == [(AuditEvent.Action.EXPORT, "Everything held (JSON)")]


@pytest.mark.django_db
def test_noting_a_view_outside_a_facilitator_view_is_a_programming_error(person):
    request = RequestFactory().get("/")

    with pytest.raises(RuntimeError, match="facilitator_required"):
        audit_shown(request, person, what="Record")
