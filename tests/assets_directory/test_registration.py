"""A group registers, a moderator approves it, and its editor publishes an activity."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import rich_text

from assets_directory.models import Activity, Category, GroupRegistration, Organisation
from tests.factories import OrganisationFactory, VenueFactory

REGISTER_URL = "/list-your-group/"


def valid_data(**changes):
    data = {
        "organisation_name": "Earlsfield Repair Café",
        "kind": "community_group",
        "description": "We fix broken things together, once a month.",
        "postcode": "sw18 4dj",
        "areas_served": "Earlsfield",
        "website": "https://repair.example.org",
        "email": "hello@repair.example.org",
        "phone": "020 8123 4567",
        "contact_name": "Priya Patel",
        "contact_email": "Priya@Example.org",
        "contact_phone": "",
        "contact_role": "Organiser",
        "message": "",
        "agree": "on",
        "website_url": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def submit(client, directory, django_capture_on_commit_callbacks):
    def _submit(**changes):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(REGISTER_URL, valid_data(**changes))

    return _submit


@pytest.mark.django_db
class TestRegistrationForm:
    def test_form_shows_labelled_fields(self, client, directory):
        body = client.get(REGISTER_URL).content.decode()
        assert '<label for="id_organisation_name">Name of your group</label>' in body
        assert '<label for="id_postcode">' in body
        assert "csrfmiddlewaretoken" in body

    def test_valid_registration_creates_unpublished_organisation_and_pending_account(
        self, submit, moderator, mailoutbox
    ):
        response = submit()
        assert response.status_code == 302
        assert response["Location"] == reverse("assets_directory:register_done")

        registration = GroupRegistration.objects.get()
        assert registration.status == GroupRegistration.Status.PENDING
        assert registration.postcode == "SW18 4DJ"
        organisation = registration.organisation.specific
        assert organisation.title == "Earlsfield Repair Café"
        assert not organisation.live
        assert organisation.kind == "community_group"
        user = registration.user
        assert not user.is_active
        assert user.email == "priya@example.org"
        assert not user.has_usable_password()

        recipients = {tuple(m.to) for m in mailoutbox}
        assert ("moderator@example.org",) in recipients
        assert ("priya@example.org",) in recipients

    def test_unpublished_organisation_is_not_public(self, client, submit):
        submit()
        organisation = Organisation.objects.get(title="Earlsfield Repair Café")
        assert client.get("/directory/earlsfield-repair-cafe/").status_code == 404
        assert not organisation.live

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("organisation_name", "", "Enter the name of your group."),
            ("contact_name", "", "Enter your name."),
            ("description", "", "Say what your group does."),
            ("kind", "", "Choose what kind of group it is."),
            (
                "contact_email",
                "not-an-email",
                "Enter your e-mail address in the right form, like name@example.com",
            ),
            ("postcode", "NOT A POSTCODE", "Enter a full postcode"),
            ("postcode", "SW99 9ZZ", "could not find SW99"),
            ("agree", "", "Confirm that you may list this group."),
            (
                "website",
                "javascript:alert(1)",
                "Enter a web address in the right form, like https://example.org",
            ),
        ],
    )
    def test_bad_input_shows_field_error_and_saves_nothing(self, submit, field, value, message):
        data = {field: value}
        if field == "agree":
            data = {"agree": ""}
        response = submit(**data)
        assert response.status_code == 400
        body = response.content.decode()
        assert "There is a problem" in body
        assert message in body
        assert f'href="#id_{field}"' in body
        assert GroupRegistration.objects.count() == 0
        assert Organisation.objects.count() == 0
        assert not get_user_model().objects.filter(email__iexact="priya@example.org").exists()

    def test_duplicate_name_of_listed_organisation_is_refused(self, submit, directory):
        OrganisationFactory(parent=directory, title="Earlsfield Repair Café")
        response = submit(organisation_name="  earlsfield   repair café ")
        assert response.status_code == 400
        assert "already listed or waiting to be checked" in response.content.decode()
        assert GroupRegistration.objects.count() == 0

    def test_duplicate_pending_registration_is_refused(self, submit):
        assert submit().status_code == 302
        response = submit(contact_email="someone.else@example.org")
        assert response.status_code == 400
        assert GroupRegistration.objects.count() == 1

    def test_honeypot_filled_saves_nothing_but_looks_normal(self, submit):
        response = submit(website_url="http://spam.example")
        assert response.status_code == 302
        assert GroupRegistration.objects.count() == 0
        assert Organisation.objects.count() == 0

    def test_mistakes_do_not_count_towards_the_limit(self, submit, settings):
        settings.PUBLIC_FORM_RATE_LIMIT = 2
        for _ in range(5):
            assert submit(organisation_name="").status_code == 400
        assert submit().status_code == 302
        assert GroupRegistration.objects.count() == 1

    def test_too_many_registrations_from_one_address_are_refused(self, submit, settings):
        settings.PUBLIC_FORM_RATE_LIMIT = 2
        for n in range(2):
            response = submit(
                organisation_name=f"Group {n}", contact_email=f"contact{n}@example.org"
            )
            assert response.status_code == 302
        response = submit(organisation_name="Group 3", contact_email="contact3@example.org")
        assert response.status_code == 429
        assert "Group 3" in response.content.decode()  # the answers are kept
        assert GroupRegistration.objects.count() == 2

    def test_too_many_registrations_for_one_email_address_are_refused(
        self, submit, settings, client
    ):
        settings.PUBLIC_FORM_TARGET_RATE_LIMIT = 1
        assert submit(organisation_name="Group A").status_code == 302
        response = client.post(
            reverse("assets_directory:register"),
            valid_data(organisation_name="Group B"),
            REMOTE_ADDR="192.0.2.77",
        )
        assert response.status_code == 429
        assert GroupRegistration.objects.count() == 1


def decide(client, registration, **data):
    return client.post(reverse("registration_decide", args=[registration.pk]), data)


@pytest.mark.django_db
class TestModeration:
    def test_moderator_sees_pending_registration(self, client, submit, moderator):
        submit()
        client.force_login(moderator)
        body = client.get(
            reverse("wagtailsnippets_assets_directory_groupregistration:list")
        ).content.decode()
        assert "Earlsfield Repair Café" in body
        assert "Approve or reject" in body

    def test_approval_publishes_activates_and_grants_own_subtree_only(
        self, client, submit, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        submit()
        registration = GroupRegistration.objects.get()
        mailoutbox.clear()
        client.force_login(moderator)
        with django_capture_on_commit_callbacks(execute=True):
            response = decide(client, registration, decision="approve")
        assert response.status_code == 302

        registration.refresh_from_db()
        assert registration.status == GroupRegistration.Status.APPROVED
        assert registration.decided_by == moderator
        organisation = registration.organisation.specific
        assert organisation.live
        user = registration.user
        user.refresh_from_db()
        assert user.is_active
        assert organisation.editors_group in user.groups.all()
        permissions = set(
            organisation.editors_group.page_permissions.values_list(
                "page_id", "permission__codename"
            )
        )
        assert permissions == {(organisation.pk, "add_page"), (organisation.pk, "change_page")}

        (email,) = mailoutbox
        assert email.to == ["priya@example.org"]
        assert "is now listed" in email.subject
        assert re.search(r"http://testserver/admin/password_reset/confirm/\S+/", email.body)

    def test_rejection_needs_a_reason_and_tells_the_group(
        self, client, submit, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        submit()
        registration = GroupRegistration.objects.get()
        mailoutbox.clear()
        client.force_login(moderator)
        response = decide(client, registration, decision="reject", reason="  ")
        assert response.status_code == 400
        assert "Give a reason" in response.content.decode()
        registration.refresh_from_db()
        assert registration.is_pending

        with django_capture_on_commit_callbacks(execute=True):
            decide(client, registration, decision="reject", reason="We only list groups in SW.")
        registration.refresh_from_db()
        assert registration.status == GroupRegistration.Status.REJECTED
        assert registration.organisation is None
        assert registration.user is None
        assert Organisation.objects.count() == 0
        (email,) = mailoutbox
        assert "We only list groups in SW." in email.body

    def test_decision_cannot_be_made_twice(self, client, submit, moderator):
        submit()
        registration = GroupRegistration.objects.get()
        client.force_login(moderator)
        decide(client, registration, decision="approve")
        decide(client, registration, decision="reject", reason="Changed my mind")
        registration.refresh_from_db()
        assert registration.status == GroupRegistration.Status.APPROVED

    def test_only_moderators_can_decide(self, client, submit, directory):
        from tests.factories import UserFactory

        submit()
        registration = GroupRegistration.objects.get()
        client.force_login(UserFactory(is_staff=False))
        response = decide(client, registration, decision="approve")
        assert response.status_code in (302, 403)
        registration.refresh_from_db()
        assert registration.is_pending


@pytest.mark.django_db
def test_new_group_registers_is_approved_and_publishes_an_activity(
    client, submit, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    """The whole journey from the issue: register, approve, set password, add, submit, publish."""
    submit()
    registration = GroupRegistration.objects.get()
    client.force_login(moderator)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, registration, decision="approve")
    client.logout()

    # The group's contact sets a password from the e-mailed link.
    link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+/)", mailoutbox[0].body)
    response = client.get(link.group(1), follow=True)
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url,
        {"new_password1": "a-long-Password-2026", "new_password2": "a-long-Password-2026"},
    )
    assert response.status_code == 302
    assert client.login(username=registration.user.username, password="a-long-Password-2026")

    # They add an activity and submit it for moderation.
    organisation = registration.organisation.specific
    venue = VenueFactory(name="Earlsfield Library")
    walking = Category.objects.get(slug="walking")
    add_url = reverse(
        "wagtailadmin_pages:add", args=["assets_directory", "activity", organisation.pk]
    )
    response = client.post(
        add_url,
        {
            "title": "Repair café",
            "slug": "repair-cafe",
            "summary": "Bring broken things and fix them with us.",
            "description": rich_text("<p>All welcome.</p>"),
            "categories": [walking.pk],
            "tags": "repair, fixing",
            "status": "running",
            "delivery": "in_person",
            "venue": venue.pk,
            "cost": "free",
            "booking": "drop_in",
            "capacity": "open",
            "referral_route": "drop_in",
            "carers_welcome": "on",
            "schedules-TOTAL_FORMS": "1",
            "schedules-INITIAL_FORMS": "0",
            "schedules-MIN_NUM_FORMS": "0",
            "schedules-MAX_NUM_FORMS": "1000",
            "schedules-0-frequency": "monthly",
            "schedules-0-weekdays": ["sat"],
            "schedules-0-nth": "1",
            "schedules-0-start_time": "10:00",
            "schedules-0-end_time": "13:00",
            "schedules-0-ORDER": "1",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "action-submit": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Activity.objects.get(slug="repair-cafe")
    assert not activity.live
    assert activity.get_latest_revision().as_object().schedules.first().weekdays == "sat"

    # The moderator approves it; it appears on the public site.
    client.force_login(moderator)
    state = WorkflowState.objects.get(object_id=str(activity.pk))
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[activity.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )
    client.logout()
    activity.refresh_from_db()
    assert activity.live
    body = client.get("/directory/earlsfield-repair-cafe/repair-cafe/").content.decode()
    assert "Repair café" in body
    assert "First Saturday of the month, 10:00 to 13:00" in body
    assert "Earlsfield Library" in body


@pytest.mark.django_db
class TestJunkCharacters:
    @pytest.mark.parametrize(
        "field, value",
        [
            ("organisation_name", "Balham\u202eriohC"),  # right-to-left override
            ("organisation_name", "Balham Choir\x1b[2J"),  # terminal escape
            ("contact_name", "Priya\u200b Patel"),  # zero-width space
            ("phone", "020 8123\u2066 4567"),  # bidi isolate
            ("contact_phone", "07700\x00900123"),  # NUL
            ("message", "Hello\u200fthere"),  # right-to-left mark
            ("description", "We sing\ufeff together"),  # byte-order mark
        ],
    )
    def test_control_and_format_characters_are_refused_with_the_field_named(
        self, submit, field, value
    ):
        response = submit(**{field: value})
        assert response.status_code == 400
        form = response.context["form"]
        assert field in form.errors
        assert "contains a character that cannot be used here" in form.errors[field][0]
        assert GroupRegistration.objects.count() == 0

    def test_names_are_stored_in_their_normal_form(self, submit, mailoutbox):
        response = submit(organisation_name="  Ｅａｒｌｓｆｉｅｌｄ   Repair\tCafé ")
        assert response.status_code == 302
        registration = GroupRegistration.objects.get()
        assert registration.organisation_name == "Earlsfield Repair Café"
        assert registration.organisation.title == "Earlsfield Repair Café"
        assert all("\t" not in m.subject and "Ｅ" not in m.subject for m in mailoutbox)

    @pytest.mark.parametrize(
        "lookalike",
        [
            "Earls\u200cfield Repair Café",  # a joiner is allowed, yet the same name
            "EARLSFIELD REPAIR CAFÉ",
            "Ｅａｒｌｓｆｉｅｌｄ Repair Café",
        ],
    )
    def test_duplicate_check_compares_normal_forms(self, submit, lookalike):
        assert submit().status_code == 302
        response = submit(organisation_name=lookalike, contact_email="second@example.org")
        assert response.status_code == 400
        assert GroupRegistration.objects.count() == 1

    def test_persian_names_keep_their_joiners(self, submit):
        response = submit(organisation_name="کتاب\u200cخانه محله")
        assert response.status_code == 302
        assert GroupRegistration.objects.get().organisation_name == "کتاب\u200cخانه محله"
