"""People, consent, export, erasure, audit and aggregates: the privacy rules of issue 4."""

import html
import json
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from matching.models import AuditEvent, Consent, NetworkMap, Person, PersonNeed, Plan, PlanItem
from matching.network import members_from_dicts
from matching.selectors import (
    READABLE_PREFERENCE_KEYS,
    SUPPRESSED,
    aggregates_by_area,
    person_export,
)
from matching.services import (
    ChosenActivity,
    ConsentAnswers,
    NeedAnswer,
    consent_update,
    follow_up_record,
    network_map_save,
    person_create,
    plan_create,
    preferences_save,
)
from tests.factories import NetworkMapFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/support/people/new/"


def add_payload(**overrides):
    data = {
        "consent-keep_record": "on",
        "consent-method": "spoken",
        "person-display_name": "Sam K",
        "person-postcode": "sw18 2pu",
        "person-email": "",
        "person-phone": "",
    }
    data.update(overrides)
    return data


def person_urls(person, plan_id=1):
    """Every page about one person, whichever module serves it."""
    names = [
        "person", "person_edit", "consent", "export_json", "export_print", "erase", "network",
        "network_compare", "preferences", "top_three", "needs", "suggestions", "follow_up",
    ]  # fmt: skip
    urls = [reverse(f"matching:{name}", args=[person.reference]) for name in names]
    urls += [
        reverse(f"matching:{name}", args=[person.reference, plan_id])
        for name in ("plan", "plan_email")
    ]
    return urls


# Adding a person --------------------------------------------------------------------------


def test_facilitator_adds_person_with_consent(client, facilitator, team):
    client.force_login(facilitator)
    response = client.post(ADD_URL, add_payload(**{"consent-contact_by_email": "on"}))
    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("matching:person", args=[person.reference])
    assert person.team == team
    assert person.postcode == "SW18 2PU"
    consent = person.current_consent
    assert consent.keep_record and consent.contact_by_email and not consent.count_in_statistics
    assert consent.recorded_by == facilitator
    assert AuditEvent.objects.filter(person=person, action="create").exists()


def test_nothing_is_saved_without_consent(client, facilitator):
    client.force_login(facilitator)
    payload = add_payload()
    del payload["consent-keep_record"]
    response = client.post(ADD_URL, payload)
    assert response.status_code == 200
    assert "Without it nothing about them is saved" in response.content.decode()
    assert Person.objects.count() == 0
    assert Consent.objects.count() == 0


def test_unknown_postcode_is_a_field_error(client, facilitator):
    client.force_login(facilitator)
    response = client.post(ADD_URL, add_payload(**{"person-postcode": "NOT A POSTCODE"}))
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert Person.objects.count() == 0


def test_facilitator_cannot_add_person_to_another_team(client, facilitator, other_team):
    client.force_login(facilitator)
    response = client.post(ADD_URL, add_payload(**{"team-team": other_team.pk}))
    assert response.status_code == 200
    assert Person.objects.count() == 0


def test_constraint_refuses_consent_without_keeping_the_record(person):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError, match="consent_keeps_record"), transaction.atomic():
        Consent.objects.create(person=person, keep_record=False)


# Team scope ----------------------------------------------------------------------------------


def test_people_list_shows_only_own_team(client, facilitator, person, other_team):
    stranger = PersonFactory(team=other_team, display_name="Other Team Person")
    client.force_login(facilitator)
    content = client.get("/support/").content.decode()
    assert person.display_name in content
    assert stranger.display_name not in content


def test_facilitator_of_another_team_gets_404_on_every_person_page(
    client, other_facilitator, person
):
    plan = plan_create(
        person=person, by=None, chosen=[ChosenActivity(activity_id=None, title="Choir")]
    )
    client.force_login(other_facilitator)
    for url in person_urls(person, plan.pk):
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {}).status_code == 404, url
    assert not AuditEvent.objects.filter(actor=other_facilitator).exists()


def test_anonymous_is_sent_to_sign_in(client, person):
    for url in [*person_urls(person), "/support/", ADD_URL]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("matching:sign_in")), url


def test_signed_in_user_without_a_team_is_refused(client, person):
    client.force_login(UserFactory())
    assert client.get("/support/").status_code == 403
    assert client.get(reverse("matching:person", args=[person.reference])).status_code == 403


def test_sign_in_takes_a_facilitator_to_their_people(client, facilitator):
    response = client.post(
        reverse("matching:sign_in"), {"username": "facilitator", "password": "password"}
    )
    assert response.status_code == 302
    assert response.url == "/support/"


@pytest.mark.parametrize(
    ("next_value", "lands_on"),
    [
        ("/support/people/new/", "/support/people/new/"),
        ("foo", "/support/"),  # not a view's name, nor a path relative to the sign-in page
        ("//evil.example/", "/support/"),
        ("https://evil.example/", "/support/"),
        ("/\\evil.example", "/support/"),
    ],
)
def test_sign_in_goes_on_only_to_a_path_on_this_site(client, facilitator, next_value, lands_on):
    response = client.post(
        reverse("matching:sign_in"),
        {"username": "facilitator", "password": "password", "next": next_value},
    )

    assert response.status_code == 302
    assert response.url == lands_on


# Audit -----------------------------------------------------------------------------------


def test_viewing_and_changing_a_record_is_audited(client, facilitator, person):
    client.force_login(facilitator)
    client.get(reverse("matching:person", args=[person.reference]))
    client.post(
        reverse("matching:person_edit", args=[person.reference]),
        {"person-display_name": "Jo Bloggs", "person-postcode": "SW18", "person-email": ""},
    )
    events = list(AuditEvent.objects.filter(person=person, actor=facilitator))
    assert [(e.action, e.what) for e in events] == [("change", "Details"), ("view", "Record")]


def test_team_lead_sees_the_audit_log(client, team_lead, facilitator, person):
    client.force_login(facilitator)
    client.get(reverse("matching:person", args=[person.reference]))
    client.force_login(team_lead)
    response = client.get(reverse("matching:audit_log", args=[person.team.slug]))
    assert response.status_code == 200
    assert facilitator.get_full_name() in response.content.decode()
    assert "Viewed: Record" in response.content.decode()


def test_consent_history_and_audit_log_show_work_by_a_deleted_account(
    client, facilitator, team_lead, team
):
    # Consent and audit entries outlive the account that made them (SET_NULL); the pages that
    # list them were a server error once the account was deleted.
    person = person_create(
        team=team,
        by=facilitator,
        display_name="Jo B",
        postcode="SW18 1AA",
        consent=ConsentAnswers(keep_record=True),
    )
    facilitator.delete()
    client.force_login(team_lead)

    consent = client.get(reverse("matching:consent", args=[person.reference]))
    audit = client.get(reverse("matching:audit_log", args=[team.slug]))

    for response in (consent, audit):
        assert response.status_code == 200
        assert "Account deleted" in response.content.decode()


def test_facilitator_who_is_not_lead_cannot_see_the_audit_log(client, facilitator, team):
    client.force_login(facilitator)
    assert client.get(reverse("matching:audit_log", args=[team.slug])).status_code == 404


def test_lead_of_another_team_cannot_see_the_audit_log(client, team, other_team):
    from tests.factories import make_facilitator

    client.force_login(make_facilitator(other_team, role="lead"))
    assert client.get(reverse("matching:audit_log", args=[team.slug])).status_code == 404


# Changing consent ----------------------------------------------------------------------------


def consent_url(person):
    return reverse("matching:consent", args=[person.reference])


NEW_CONSENT = {
    "consent-keep_record": "on",
    "consent-count_in_statistics": "on",
    "consent-method": "written",
}


def consent_rows(person):
    return list(
        person.consents.order_by("pk").values_list(
            "keep_record", "contact_by_email", "count_in_statistics", "method"
        )
    )


def no_store(response):
    cache_control = response["Cache-Control"]
    return "no-store" in cache_control and "private" in cache_control


def test_the_consent_form_starts_from_the_current_consent(client, facilitator, person):
    consent_update(
        person=person,
        by=facilitator,
        consent=ConsentAnswers(keep_record=True, count_in_statistics=True, method="written"),
    )
    client.force_login(facilitator)
    response = client.get(consent_url(person))
    assert response.status_code == 200
    assert no_store(response)
    form = response.context["form"]
    assert form.initial == {
        "keep_record": True,
        "contact_by_email": False,
        "count_in_statistics": True,
        "health_conditions": False,
        "method": "written",
    }
    body = response.content.decode()
    assert 'name="consent-contact_by_email" id="id_consent-contact_by_email">' in body
    assert 'value="written" id="id_consent-method_1" required checked>' in body
    # The history lists both, newest first: the current one, then the one it replaced.
    assert [c.withdrawn_at is None for c in response.context["history"]] == [True, False]
    events = AuditEvent.objects.filter(person=person, actor=facilitator)
    assert [(e.action, e.what) for e in events] == [("view", "Consent"), ("change", "Consent")]


@pytest.mark.parametrize("who", ["facilitator", "team_lead"])
def test_a_member_of_the_persons_team_changes_consent_and_the_change_is_audited(
    client, request, person, who
):
    user = request.getfixturevalue(who)
    before = person.current_consent
    client.force_login(user)
    response = client.post(consent_url(person), NEW_CONSENT)
    assert response.status_code == 302
    assert response.url == reverse("matching:person", args=[person.reference])
    # The old consent is kept, withdrawn, so the history shows what they agreed to when.
    assert consent_rows(person) == [(True, True, True, "spoken"), (True, False, True, "written")]
    before.refresh_from_db()
    assert before.withdrawn_at is not None
    current = person.current_consent
    assert current.pk != before.pk and current.recorded_by == user
    # The change is recorded; the redirect shows nothing, so no view is.
    events = AuditEvent.objects.filter(person=person, actor=user)
    assert [(e.action, e.what) for e in events] == [("change", "Consent")]
    assert "Consent recorded." in client.get(response.url).content.decode()


def test_a_facilitator_of_another_team_can_neither_see_nor_change_consent(
    client, other_facilitator, person
):
    client.force_login(other_facilitator)
    assert client.get(consent_url(person)).status_code == 404
    assert client.post(consent_url(person), NEW_CONSENT).status_code == 404
    assert consent_rows(person) == [(True, True, True, "spoken")]
    assert not AuditEvent.objects.exists()


def test_anonymous_is_sent_to_sign_in_and_changes_nothing(client, person):
    url = consent_url(person)
    for response in (client.get(url), client.post(url, NEW_CONSENT)):
        assert response.status_code == 302
        assert response.url == f"{reverse('matching:sign_in')}?next={url}"
    assert consent_rows(person) == [(True, True, True, "spoken")]
    assert not AuditEvent.objects.exists()


def test_a_signed_in_user_in_no_team_is_refused(client, person):
    client.force_login(UserFactory())
    assert client.post(consent_url(person), NEW_CONSENT).status_code == 403
    assert consent_rows(person) == [(True, True, True, "spoken")]


@pytest.mark.parametrize(
    ("post", "field_id", "message"),
    [
        (
            {"consent-method": "spoken"},
            "id_consent-keep_record",
            "Tick this only if they agree. Without it nothing about them is saved.",
        ),
        (
            {"consent-keep_record": "on", "consent-method": "by pigeon"},
            "id_consent-method_0",
            "Choose one of the options for “How did they agree?”",
        ),
    ],
)
def test_bad_consent_is_a_form_error_naming_the_field_and_changes_nothing(
    client, facilitator, person, post, field_id, message
):
    client.force_login(facilitator)
    response = client.post(consent_url(person), post)
    assert response.status_code == 200
    assert no_store(response)
    body = html.unescape(response.content.decode())
    summary = body.split('class="error-summary"')[1].split("</ul>")[0]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary) == [(field_id, message)]
    assert consent_rows(person) == [(True, True, True, "spoken")]
    # The page shown again is a view of the consent, and nothing changed.
    events = AuditEvent.objects.filter(person=person)
    assert [(e.action, e.what) for e in events] == [("view", "Consent")]


# Export and erasure --------------------------------------------------------------------------


def fill_record(person, by):
    network_map_save(
        person=person,
        by=by,
        members=members_from_dicts(
            [{"circle": 1, "kind": "family", "support": ["emotional"], "label": "Mum"}]
        ),
    )
    preferences_save(person=person, by=by, interests=["singing"], top_three=["singing"],
                     used_to_enjoy="Marker-XYZ choir")  # fmt: skip
    from matching.services import needs_save

    needs_save(person=person, by=by, needs=[NeedAnswer("lonely", "Marker-XYZ alone")])
    plan = plan_create(
        person=person, by=by, chosen=[ChosenActivity(activity_id=None, title="Choir")]
    )
    follow_up_record(item=plan.items.get(), by=by, went="yes", kept_going=True)


def test_export_holds_everything_and_is_audited(client, facilitator, person):
    fill_record(person, facilitator)
    client.force_login(facilitator)
    response = client.get(reverse("matching:export_json", args=[person.reference]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["name_or_initials"] == "Jo B"
    assert data["network_maps"][0]["members"][0]["label"] == "Mum"
    assert data["preferences"]["used_to_enjoy"] == "Marker-XYZ choir"
    assert data["needs"][0]["in_their_words"] == "Marker-XYZ alone"
    assert data["plans"][0]["activities"][0]["follow_ups"][0]["kept_going"] is True
    assert data["consents"][0]["keep_record"] is True
    assert AuditEvent.objects.filter(person=person, action="export").exists()
    printable = client.get(reverse("matching:export_print", args=[person.reference]))
    assert "Marker-XYZ choir" in printable.content.decode()


def _rows_mentioning(markers: list[str]) -> list[str]:
    """Every row of every table whose text mentions one of the markers."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                if any(marker in text for marker in markers):
                    found.append(f"{table}: {text[:120]}")
    return found


def test_erasure_leaves_no_row_that_refers_to_them(client, facilitator, person):
    person.email = "jo.marker@example.org"
    person.save()
    fill_record(person, facilitator)
    client.force_login(facilitator)
    client.get(reverse("matching:person", args=[person.reference]))
    pk, reference = person.pk, person.reference
    markers = [str(reference), reference.hex, "Jo B", "jo.marker@example.org", "Marker-XYZ"]
    assert _rows_mentioning(markers), "the scan must see the record before erasure"

    response = client.post(reverse("matching:erase", args=[reference]), {"confirm": "on"})

    assert response.status_code == 302
    assert _rows_mentioning(markers) == []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "related_model", None) is Person and field.concrete:
                assert not model.objects.filter(**{field.attname: pk}).exists(), model
    for model in (Consent, NetworkMap, PersonNeed, Plan, PlanItem):
        assert model.objects.count() == 0
    erased = AuditEvent.objects.get()
    assert (erased.action, erased.person, erased.actor) == ("erase", None, facilitator)
    assert client.get(reverse("matching:person", args=[reference])).status_code == 404


def test_erasure_needs_confirmation(client, facilitator, person):
    client.force_login(facilitator)
    response = client.post(reverse("matching:erase", args=[person.reference]), {})
    assert response.status_code == 200
    assert Person.objects.filter(pk=person.pk).exists()


# Aggregates ------------------------------------------------------------------------------


def _counted_people(team, outward, count, **kwargs):
    people = PersonFactory.create_batch(count, team=team, postcode=f"{outward} 1AA", **kwargs)
    for p in people:
        NetworkMapFactory(person=p)
        PersonNeed.objects.create(person=p, need="lonely", priority=1)
    return people


def test_aggregates_suppress_small_numbers(team):
    _counted_people(team, "SW18", 6)
    _counted_people(team, "SW11", 2)
    figures = {a.outward_code: a for a in aggregates_by_area()}
    assert figures["SW18"].people == 6
    assert figures["SW18"].needs == {"Feeling lonely": 6}
    assert figures["SW11"].people == SUPPRESSED
    assert figures["SW11"].needs == {"Feeling lonely": SUPPRESSED}
    assert set(figures["SW11"].network_types.values()) == {SUPPRESSED}


def test_aggregates_count_only_people_who_agreed(team):
    _counted_people(team, "SW18", 5)
    _counted_people(team, "SW18", 3, consent__count_in_statistics=False)
    assert {a.outward_code: a.people for a in aggregates_by_area()} == {"SW18": 5}


def test_commissioner_sees_aggregates_without_names(client, team):
    people = _counted_people(team, "SW18", 5)
    commissioner = UserFactory(groups=[Group.objects.get(name="Commissioners")])
    client.force_login(commissioner)
    content = client.get("/insights/").content.decode()
    assert "SW18" in content and "Feeling lonely" in content
    assert not any(p.display_name in content for p in people)
    assert client.get(reverse("matching:person", args=[people[0].reference])).status_code == 403


def test_facilitator_without_permission_cannot_see_aggregates(client, facilitator):
    client.force_login(facilitator)
    assert client.get("/insights/").status_code == 403


def test_a_record_of_another_team_shows_the_site_not_found_page(client, other_facilitator, person):
    client.force_login(other_facilitator)
    response = client.get(reverse("matching:person", args=[person.reference]))
    content = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in content and 'href="/search/"' in content
    assert person.display_name not in content


# The printable export: plain English throughout --------------------------------------------


def fill_every_answer(person, by):
    network_map_save(
        person=person,
        by=by,
        members=members_from_dicts(
            [{"circle": 1, "kind": "family", "support": ["emotional", "practical"],
              "frequency": "daily", "label": "Mum"},
             {"circle": 3, "kind": "group", "support": ["company"], "frequency": "weekly"}]
        ),
    )  # fmt: skip
    preferences_save(
        person=person,
        by=by,
        interests=["choirs-and-singing", "lunch-clubs"],
        top_three=["choirs-and-singing", "lunch-clubs"],
        used_to_enjoy="Dancing",
        max_travel_km=Decimal("2"),
        travel=["walk", "bus"],
        free_times=[{"day": "tue", "from": "09:00", "to": "12:00"}],
        max_cost=Decimal("3"),
        access_needs=["step-free"],
        delivery=["in_person", "phone"],
        company="with_someone",
    )
    from matching.services import needs_save

    needs_save(person=person, by=by, needs=[NeedAnswer("lonely", "Quiet weeks", "Sam")])
    plan = plan_create(
        person=person,
        by=by,
        chosen=[ChosenActivity(activity_id=None, title="Choir", where="Hall", when="Tuesdays")],
        notes="Sam goes too",
    )
    follow_up_record(item=plan.items.get(), by=by, went="yes", kept_going=False, note="Shy")


def printed_record(client, facilitator, person) -> str:
    client.force_login(facilitator)
    response = client.get(reverse("matching:export_print", args=[person.reference]))
    assert response.status_code == 200
    content = response.content.decode()
    return content[content.index("<article") : content.index("</article>")]


def test_printable_export_speaks_plain_english(client, facilitator, person):
    fill_every_answer(person, facilitator)

    text = html.unescape(printed_record(client, facilitator, person))

    for words in (
        "Choirs and singing, Lunch clubs",
        "1. Choirs and singing; 2. Lunch clubs",
        "Up to 2 km",
        "Up to £3 a time",
        "Walking, Bus or train",
        "Tuesday, 09:00 to 12:00",
        "Step-free access",
        "In person at a venue, By phone",
        "I'd like to go with someone",
        "Inner circle: Family (Mum). Gives: someone to talk to, practical help. In touch: Most",
        "Outer circle: Group or organisation",
        "1. Feeling lonely",
        "Went: Yes. Still going: No. Note: Shy",
        f"Recorded on {timezone.localdate():%-d %B %Y}",
        "Agreed to e-mails</dt><dd>Yes",
    ):
        assert words in text, words


def test_printable_export_shows_no_slug_key_or_python_value(client, facilitator, person):
    fill_every_answer(person, facilitator)

    text = html.unescape(printed_record(client, facilitator, person))

    slugs = ["choirs-and-singing", "lunch-clubs", "step-free", "in_person", "with_someone",
             "emotional", "daily", "weekly", "family", "group", "walk", "tue"]  # fmt: skip
    keys = ["max_travel_km", "Maxtravelkm", "top_three", "Topthree", "free_times", "updated_at"]
    for raw in slugs + keys:
        assert not re.search(rf"(?<![\w-]){re.escape(raw)}(?![\w-])", text), raw
    for python in (r"\['", r"'\]", r"\{'", r"\bTrue\b", r"\bFalse\b", r">None<", r"\b2\.0\b",
                   r"\d{4}-\d\d-\d\d", r"Decimal\("):  # fmt: skip
        assert not re.search(python, text), python


def test_every_preference_the_json_export_holds_has_a_printed_row(facilitator, person):
    fill_every_answer(person, facilitator)

    assert set(person_export(person)["preferences"]) == READABLE_PREFERENCE_KEYS


def test_json_export_keeps_slugs_and_numbers_for_machines(client, facilitator, person):
    fill_every_answer(person, facilitator)
    client.force_login(facilitator)

    data = json.loads(client.get(reverse("matching:export_json", args=[person.reference])).content)

    assert data["preferences"]["top_three"] == ["choirs-and-singing", "lunch-clubs"]
    assert data["preferences"]["max_travel_km"] == "2.0"
    assert data["preferences"]["delivery"] == ["in_person", "phone"]
