"""GENIE step 4 in the facilitated flow: suggestions on a list and a map, the plan (print and
e-mail) and the follow-up. Team-scoped, audited, and never a 500 on bad data."""

import html
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matching.models import AuditEvent, FollowUp, NetworkMap, Plan, PlanItem, Preferences
from matching.services import ChosenActivity, NeedAnswer, needs_save, plan_create
from search.backends import SearchBackendError
from search.services import index_rebuild
from tests.factories import (
    ActivityFactory,
    NetworkMapFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.factories.places import local_activity, phone_befriender


@pytest.fixture
def borough(search_index, directory):
    """A few activities near SW18, indexed: two choirs, a lunch club, a phone befriender."""
    organisation = OrganisationFactory(parent=directory, title="Wandsworth Community")
    activities = {
        "choir": local_activity(organisation, "Community choir", "choirs-and-singing"),
        "evening_choir": local_activity(
            organisation, "Evening choir", "choirs-and-singing", lat=51.452, lng=-0.19
        ),
        "lunch": local_activity(organisation, "Lunch club", "lunch-clubs", day="wed"),
        "phone": phone_befriender(organisation),
    }
    index_rebuild()
    return activities


@pytest.fixture
def signed_in(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.fixture
def likes_singing(person, facilitator):
    Preferences.objects.create(
        person=person, top_three=["choirs-and-singing"], interests=["lunch-clubs"]
    )
    needs_save(
        person=person,
        by=facilitator,
        needs=[NeedAnswer("lonely", "I don't see anyone all week", "My daughter, Sam")],
    )
    NetworkMapFactory(person=person)
    return person


def url(name, person, *args):
    return reverse(f"matching:{name}", args=[person.reference, *args])


def make_plan(person, facilitator, *, title="Community choir", activity=None):
    return plan_create(
        person=person,
        by=facilitator,
        chosen=[
            ChosenActivity(
                activity_id=activity.pk if activity else None,
                title=title,
                organisation="Wandsworth Community",
                where="Community choir hall, 1 High Street, London, SW18 4DJ",
                when="Every Tuesday, 10:00 to 12:00",
                url="/directory/wandsworth-community/community-choir/",
                reasons="Choirs and singing, as you chose · Free",
            )
        ],
        notes="Sam will go along the first time.",
    )


def audit_whats(person, action):
    return list(
        AuditEvent.objects.filter(person=person, action=action).values_list("what", flat=True)
    )


# Suggestions -----------------------------------------------------------------------------


@pytest.mark.django_db
class TestSuggestions:
    def test_lists_indexed_activities_with_their_reasons_and_a_map(
        self, signed_in, borough, likes_singing
    ):
        response = signed_in.get(url("suggestions", likes_singing))

        assert response.status_code == 200
        content = response.content.decode()
        cards = response.context["cards"]
        by_title = {card.activity.title: card for card in cards}
        assert set(by_title) == {"Community choir", "Evening choir", "Lunch club",
                                 "Friendly phone calls"}  # fmt: skip
        assert [card.number for card in cards] == [1, 2, 3, 4]
        assert "Choirs and singing, as you chose" in by_title["Community choir"].reason_line
        assert "Helps with feeling lonely" in by_title["Lunch club"].reason_line
        assert "Choirs and singing, as you chose" in content
        assert "Wandsworth Community" in content
        assert 'name="activities"' in content
        assert f'href="{borough["choir"].url}"' in content
        script = content.split('id="suggestion-points" type="application/json">')[1]
        points = json.loads(script.split("</script>")[0])
        # Numbered as in the list; the phone service has no place on the map.
        assert [p["number"] for p in points] == [
            c.number for c in cards if c.activity.delivery == "in_person"
        ]
        assert {p["title"] for p in points} == {"Community choir", "Evening choir", "Lunch club"}
        assert borough["phone"].pk not in [p["id"] for p in points]
        assert "Suggestions" in audit_whats(likes_singing, AuditEvent.Action.VIEW)

    def test_shows_the_network_feedback(self, signed_in, borough, likes_singing):
        response = signed_in.get(url("suggestions", likes_singing))

        network = NetworkMap.objects.get(person=likes_singing).metrics()
        assert network.network_type_label in response.content.decode()

    def test_without_preferences_it_still_suggests_and_links_the_missing_steps(
        self, signed_in, borough, person
    ):
        response = signed_in.get(url("suggestions", person))

        assert response.status_code == 200
        assert response.context["cards"], "the activities nearby are still suggested"
        content = response.content.decode()
        assert url("preferences", person) in content
        assert url("needs", person) in content
        assert url("network", person) in content

    def test_a_postcode_that_cannot_be_found_gives_a_message_and_a_link_to_fix_it(
        self, signed_in, borough, person
    ):
        person.postcode = "SW99 9ZZ"
        person.save()

        response = signed_in.get(url("suggestions", person))

        assert response.status_code == 200
        content = response.content.decode()
        assert "We could not find SW99 9ZZ" in content
        assert url("person_edit", person) in content
        assert response.context["cards"] == []

    def test_search_being_down_gives_a_plain_message_and_503(self, signed_in, person, monkeypatch):
        def broken(*args, **kwargs):
            raise SearchBackendError("connection refused")

        monkeypatch.setattr("matching.engine.match_answers", broken)

        response = signed_in.get(url("suggestions", person))

        assert response.status_code == 503
        assert "Search is not available just now" in response.content.decode()
        assert "connection refused" not in response.content.decode()


@pytest.mark.django_db
class TestChoosing:
    def test_chosen_activities_become_a_plan_copying_title_where_and_when(
        self, signed_in, borough, likes_singing, facilitator
    ):
        choir, phone = borough["choir"], borough["phone"]

        response = signed_in.post(
            url("suggestions", likes_singing),
            {"activities": [str(phone.pk), str(choir.pk)], "notes": "Sam will go too."},
        )

        plan = Plan.objects.get(person=likes_singing)
        assert response.status_code == 302
        assert response["Location"] == url("plan", likes_singing, plan.pk)
        assert plan.notes == "Sam will go too."
        assert plan.created_by == facilitator
        items = list(plan.items.all())
        # In the order of the list (best first), not the order the boxes were posted.
        assert [i.activity_id for i in items] == [choir.pk, phone.pk]
        first = items[0]
        assert first.title == "Community choir"
        assert first.organisation == "Wandsworth Community"
        assert first.where == "Community choir hall, 1 High Street, London, SW18 4DJ"
        assert first.when == "Every Tuesday, 10:00 to 12:00"
        assert first.url == choir.url
        assert "Choirs and singing, as you chose" in first.reasons
        assert items[1].where == "By phone"
        assert items[1].when == "Ask about times"
        assert "Plan" in audit_whats(likes_singing, AuditEvent.Action.CREATE)

    def test_an_activity_found_on_the_search_page_can_join_the_plan(
        self, signed_in, borough, likes_singing, directory
    ):
        # Far outside what matching suggests (another category, no venue near): found by
        # searching, and put on the facilitator's list there.
        found = ActivityFactory(
            parent=borough["choir"].get_parent(), title="Repair cafe", delivery="online"
        )
        assert (
            signed_in.post(
                reverse("search:shortlist_add"), {"activity": found.pk, "next": "/search/"}
            ).status_code
            == 302
        )

        page = signed_in.get(url("suggestions", likes_singing)).content.decode()
        assert "Found in the directory" in page
        assert f'id="choose-list-{found.pk}"' in page

        signed_in.post(
            url("suggestions", likes_singing),
            {"activities": [str(borough["choir"].pk), str(found.pk)]},
        )
        plan = Plan.objects.get(person=likes_singing)
        assert [i.title for i in plan.items.all()] == ["Community choir", "Repair cafe"]

    @pytest.mark.parametrize(
        "ids",
        [
            pytest.param(["999999"], id="no-such-page"),
            pytest.param(["not-a-number"], id="not-an-id"),
            pytest.param(["²"], id="a-unicode-digit"),
            pytest.param(["1" * 23], id="a-23-digit-number"),
            pytest.param(["-3"], id="a-negative-number"),
            pytest.param([], id="none-chosen"),
            pytest.param("organisation", id="a-page-that-is-not-an-activity"),
            pytest.param("draft", id="an-unpublished-activity"),
            pytest.param("good-and-bad", id="one-good-one-unknown"),
        ],
    )
    def test_unknown_or_foreign_ids_are_refused_and_nothing_is_saved(
        self, signed_in, borough, likes_singing, ids
    ):
        choir = borough["choir"]
        if ids == "organisation":
            ids = [str(choir.get_parent().pk)]
        elif ids == "draft":
            draft = ActivityFactory(parent=choir.get_parent(), title="Draft choir")
            draft.unpublish()
            ids = [str(draft.pk)]
        elif ids == "good-and-bad":
            ids = [str(choir.pk), "999999"]

        response = signed_in.post(url("suggestions", likes_singing), {"activities": ids})

        assert response.status_code == 200
        assert not Plan.objects.exists()
        assert not PlanItem.objects.exists()
        assert "There is a problem" in response.content.decode()
        assert response.context["form"].errors["activities"]
        assert not audit_whats(likes_singing, AuditEvent.Action.CREATE)

    def test_without_consent_nothing_is_saved_and_the_page_says_why(
        self, signed_in, borough, likes_singing
    ):
        likes_singing.consents.all().delete()

        response = signed_in.post(
            url("suggestions", likes_singing), {"activities": [str(borough["choir"].pk)]}
        )

        assert response.status_code == 200
        assert "Record their consent" in response.content.decode()
        assert not Plan.objects.exists()


# The plan -------------------------------------------------------------------------------


@pytest.mark.django_db
class TestPlanPage:
    def test_shows_the_items_and_the_needs_in_their_words(
        self, signed_in, likes_singing, facilitator
    ):
        plan = make_plan(likes_singing, facilitator)

        response = signed_in.get(url("plan", likes_singing, plan.pk))

        assert response.status_code == 200
        content = response.content.decode()
        assert "Community choir" in content
        assert "Every Tuesday, 10:00 to 12:00" in content
        assert "Community choir hall, 1 High Street" in content
        assert "Choirs and singing, as you chose" in content
        assert "Feeling lonely" in content
        assert "I don&#x27;t see anyone all week" in content
        assert "My daughter, Sam" in content
        assert "Sam will go along the first time." in content
        assert "http://testserver/directory/wandsworth-community/community-choir/" in content
        assert 'class="button js-print" hidden>Print the plan' in content
        assert "browser’s print" in content
        assert "Plan" in audit_whats(likes_singing, AuditEvent.Action.VIEW)

    def test_a_plan_of_someone_else_in_the_team_is_not_found_under_this_person(
        self, signed_in, likes_singing, facilitator, team
    ):
        other = PersonFactory(team=team)
        plan = make_plan(other, facilitator)

        response = signed_in.get(url("plan", likes_singing, plan.pk))

        assert response.status_code == 404
        assert "Plan" not in audit_whats(likes_singing, AuditEvent.Action.VIEW)


@pytest.fixture
def plan_to_act_on(person, facilitator, directory):
    """A plan of two listed activities: a choir that meets on Tuesdays, and a befriender by
    phone that needs booking; made by a facilitator with a name and an e-mail address."""
    facilitator.first_name, facilitator.last_name = "Alex", "Link"
    facilitator.email = "alex.link@pcn.example.org"
    facilitator.save()
    organisation = OrganisationFactory(parent=directory, title="Wandsworth Community")
    choir = local_activity(
        organisation, "Community choir", "choirs-and-singing", contact_name="Rita",
        contact_email="choir@example.org",
    )  # fmt: skip
    phone = phone_befriender(
        organisation,
        booking="booking",
        how_to_join="Call Ann to book a first chat",
        contact_name="Ann",
        contact_phone="020 7946 0000",
    )
    plan = plan_create(
        person=person,
        by=facilitator,
        chosen=[
            ChosenActivity(activity_id=a.pk, title=a.title, organisation=organisation.title,
                           where=where, when=when, url=a.url)
            for a, where, when in (
                (choir, "Community choir hall, 1 High Street", "Every Tuesday, 10:00 to 12:00"),
                (phone, "By phone", ""),
            )
        ],
    )  # fmt: skip
    next_choir = choir.next_sessions(count=1)[0].start
    return plan, f"{timezone.localtime(next_choir):%A %-d %B %Y, %H:%M}"


ACT_ON = [
    "020 7946 0000",  # the phone number of the "By phone" activity
    "Booking needed. Call Ann to book a first chat",
    "Just turn up",
    "choir@example.org",
    "Alex Link",
    "alex.link@pcn.example.org",
    "Battersea PCN",
]


@pytest.mark.django_db
class TestWhatThePersonNeedsToAct:
    def test_the_printed_plan_says_how_to_join_when_next_and_whom_to_ask(
        self, signed_in, person, plan_to_act_on
    ):
        plan, next_date = plan_to_act_on

        response = signed_in.get(url("plan", person, plan.pk))

        content = html.unescape(response.content.decode())
        for words in [*ACT_ON, f"Next date</dt><dd>{next_date}", 'href="tel:02079460000"']:
            assert words in content, words

    def test_the_e_mailed_plan_says_the_same(self, signed_in, person, plan_to_act_on):
        plan, next_date = plan_to_act_on

        signed_in.post(url("plan_email", person, plan.pk))

        body = mail.outbox[0].body
        for words in [*ACT_ON, f"Next date: {next_date}", "Phone: 020 7946 0000"]:
            assert words in body, words
        assert "&" not in body  # plain text, not HTML-escaped

    def test_an_activity_no_longer_listed_keeps_its_words_and_says_so(
        self, signed_in, person, plan_to_act_on
    ):
        plan, _ = plan_to_act_on
        plan.items.get(title="Community choir").activity.specific.unpublish()

        content = signed_in.get(url("plan", person, plan.pk)).content.decode()

        assert "Community choir hall, 1 High Street" in content
        assert "No longer listed in the directory. Ask your link worker" in content
        assert "choir@example.org" not in content

    def test_the_kiosk_list_and_the_plan_share_one_template(self):
        from pathlib import Path

        templates = Path(__file__).resolve().parents[2] / "templates" / "matching"
        for page in ("plan.html", "kiosk/print.html"):
            assert 'include "matching/includes/plan_entries.html"' in (templates / page).read_text()
        for text in ("emails/plan.txt", "kiosk/email.txt"):
            assert 'include "matching/includes/plan_entries.txt"' in (templates / text).read_text()


@pytest.mark.django_db
class TestPlanEmail:
    def test_sends_the_plan_when_they_agreed_and_gave_an_address(
        self, signed_in, likes_singing, facilitator
    ):
        plan = make_plan(likes_singing, facilitator)

        response = signed_in.post(url("plan_email", likes_singing, plan.pk))

        assert response.status_code == 302
        assert response["Location"] == url("plan", likes_singing, plan.pk)
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [likes_singing.email]
        body = message.body
        assert "Community choir" in body
        assert "When: Every Tuesday, 10:00 to 12:00" in body
        assert "http://testserver/directory/wandsworth-community/community-choir/" in body
        assert "I don't see anyone all week" in body  # plain text: not HTML-escaped
        assert "Who will help: My daughter, Sam" in body
        assert "change or delete what we hold" in body
        plan.refresh_from_db()
        assert plan.emailed_at is not None
        assert "Plan" in audit_whats(likes_singing, AuditEvent.Action.EMAIL)
        page = signed_in.get(response["Location"])
        assert f"sent to {likes_singing.email}" in page.content.decode()

    def test_refused_with_a_message_when_there_is_no_address(
        self, signed_in, likes_singing, facilitator
    ):
        likes_singing.email = ""
        likes_singing.save()
        plan = make_plan(likes_singing, facilitator)

        response = signed_in.post(url("plan_email", likes_singing, plan.pk))

        assert response.status_code == 200
        assert "There is no e-mail address on their record." in response.content.decode()
        assert mail.outbox == []
        assert not audit_whats(likes_singing, AuditEvent.Action.EMAIL)

    def test_refused_with_a_message_without_consent_to_e_mails(self, signed_in, team, facilitator):
        person = PersonFactory(team=team, consent__contact_by_email=False)
        plan = make_plan(person, facilitator)

        response = signed_in.post(url("plan_email", person, plan.pk))

        assert response.status_code == 200
        assert "They have not agreed to be sent e-mails" in response.content.decode()
        assert mail.outbox == []

    def test_only_post(self, signed_in, likes_singing, facilitator):
        plan = make_plan(likes_singing, facilitator)

        assert signed_in.get(url("plan_email", likes_singing, plan.pk)).status_code == 405
        assert mail.outbox == []


# Follow-up ------------------------------------------------------------------------------


@pytest.mark.django_db
class TestFollowUp:
    def test_records_a_follow_up_and_shows_it_in_the_history(
        self, signed_in, likes_singing, facilitator
    ):
        item = make_plan(likes_singing, facilitator).items.get()
        prefix = f"item-{item.pk}"

        response = signed_in.post(
            url("follow_up", likes_singing),
            {
                "item": str(item.pk),
                f"{prefix}-went": "yes",
                f"{prefix}-kept_going": "yes",
                f"{prefix}-note": "Loves the Tuesday songs",
            },
        )

        assert response.status_code == 302
        follow_up = FollowUp.objects.get(item=item)
        assert (follow_up.went, follow_up.kept_going) == ("yes", True)
        assert follow_up.note == "Loves the Tuesday songs"
        assert follow_up.recorded_by == facilitator
        assert f"Follow-up: {item.title}" in audit_whats(likes_singing, AuditEvent.Action.CREATE)
        page = signed_in.get(url("follow_up", likes_singing))
        assert "Loves the Tuesday songs" in page.content.decode()
        assert "still going" in page.content.decode()

    def test_an_answer_is_required(self, signed_in, likes_singing, facilitator):
        item = make_plan(likes_singing, facilitator).items.get()

        response = signed_in.post(url("follow_up", likes_singing), {"item": str(item.pk)})

        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
        assert not FollowUp.objects.exists()

    def test_an_item_of_another_persons_plan_is_not_found(
        self, signed_in, likes_singing, facilitator, team
    ):
        other_item = make_plan(PersonFactory(team=team), facilitator).items.get()

        response = signed_in.post(
            url("follow_up", likes_singing),
            {"item": str(other_item.pk), f"item-{other_item.pk}-went": "yes"},
        )

        assert response.status_code == 404
        assert not FollowUp.objects.exists()

    @pytest.mark.parametrize("item_id", ["²", "1" * 23, "", "0", " 7x"])
    def test_an_item_that_is_not_an_id_is_not_found(
        self, signed_in, likes_singing, facilitator, item_id
    ):
        make_plan(likes_singing, facilitator)

        response = signed_in.post(
            url("follow_up", likes_singing), {"item": item_id, f"item-{item_id}-went": "yes"}
        )

        assert response.status_code == 404
        assert not FollowUp.objects.exists()

    def test_compares_the_first_and_latest_maps_and_links_to_map_again(
        self, signed_in, likes_singing
    ):
        later = NetworkMapFactory(
            person=likes_singing,
            members=[
                *NetworkMap.objects.get(person=likes_singing).members,
                {"circle": 3, "kind": "group", "support": ["company"], "frequency": "weekly",
                 "label": "Choir"},
            ],
        )  # fmt: skip

        response = signed_in.get(url("follow_up", likes_singing))

        content = response.content.decode()
        assert response.context["change"] is not None
        assert "Your network has grown from 2 to 3." in content
        assert f"{url('network', likes_singing)}?from={later.pk}" in content
        assert url("network_compare", likes_singing) in content
        assert "Follow-up" in audit_whats(likes_singing, AuditEvent.Action.VIEW)

    def test_with_one_map_there_is_nothing_to_compare(self, signed_in, likes_singing):
        response = signed_in.get(url("follow_up", likes_singing))

        assert response.context["change"] is None
        assert url("network_compare", likes_singing) not in response.content.decode()


# Access ---------------------------------------------------------------------------------


def all_views(person, plan):
    return [
        ("get", url("suggestions", person)),
        ("post", url("suggestions", person)),
        ("get", url("plan", person, plan.pk)),
        ("post", url("plan_email", person, plan.pk)),
        ("get", url("follow_up", person)),
        ("post", url("follow_up", person)),
    ]


@pytest.mark.django_db
class TestAccess:
    def test_another_teams_facilitator_gets_404_on_every_view(
        self, client, person, facilitator, other_facilitator
    ):
        plan = make_plan(person, facilitator)
        client.force_login(other_facilitator)

        for method, address in all_views(person, plan):
            response = getattr(client, method)(address)
            assert response.status_code == 404, address
        assert mail.outbox == []
        assert not AuditEvent.objects.filter(actor=other_facilitator).exists()

    def test_a_plan_of_a_person_in_another_team_is_404_even_under_ones_own_person(
        self, signed_in, person, other_team, other_facilitator
    ):
        stranger = PersonFactory(team=other_team)
        plan = make_plan(stranger, other_facilitator)

        assert signed_in.get(url("plan", person, plan.pk)).status_code == 404
        assert signed_in.post(url("plan_email", person, plan.pk)).status_code == 404
        assert mail.outbox == []

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, person, facilitator):
        plan = make_plan(person, facilitator)

        for method, address in all_views(person, plan):
            response = getattr(client, method)(address)
            assert response.status_code == 302, address
            assert "next=" in response["Location"], address
        assert mail.outbox == []
