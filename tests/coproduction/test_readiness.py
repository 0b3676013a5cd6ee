"""The readiness self-assessment ("fertile terrain"): a group's editors answer six areas, a
moderator reviews it with them, and the group sees how it has changed."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from coproduction.models import ReadinessAssessment
from coproduction.models.people import READINESS_AREAS
from coproduction.selectors import readiness_history, readiness_waiting
from coproduction.services import Refused, readiness_review, readiness_submit
from tests.conftest import make_editor
from tests.factories import UserFactory
from tests.factories.coproduction import ServiceTeamFactory, make_service_team_member

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script>'
AREAS = list(READINESS_AREAS)


def answers(*scores, note=""):
    return {area: (score, note) for area, score in zip(AREAS, scores, strict=True)}


def form_data(*scores, **notes):
    data = {f"score_{area}": str(score) for area, score in zip(AREAS, scores, strict=True)}
    data.update({f"note_{area}": notes.get(area, "") for area in AREAS})
    return data


@pytest.fixture
def waiting(organisation, editor):
    return readiness_submit(
        organisation=organisation, by=editor, answers=answers(1, 2, 3, 4, 2, 3, note="We try")
    )


@pytest.fixture
def commissioner(db):
    return UserFactory(username="commish", groups=[Group.objects.get(name="Commissioners")])


@pytest.fixture
def member(db):
    return make_service_team_member(ServiceTeamFactory(), username="eater")


def signed_in(client, user):
    client.force_login(user)
    return client


# Services ---------------------------------------------------------------------------------------


def test_submitting_keeps_six_answers_and_waits_for_review(waiting, editor):
    assert waiting.status == ReadinessAssessment.Status.WAITING
    assert waiting.submitted_by == editor
    assert waiting.scores() == dict(zip(AREAS, (1, 2, 3, 4, 2, 3), strict=True))
    low = {a.area: a.suggestion for a in waiting.answers.all() if a.low}
    assert set(low) == {"leadership", "structure", "links"}
    assert low["links"].startswith("Links:")
    assert all(not a.suggestion for a in waiting.answers.all() if not a.low)


def test_submitting_again_while_waiting_replaces_the_answers(waiting, organisation, editor):
    again = readiness_submit(
        organisation=organisation, by=editor, answers=answers(4, 4, 4, 4, 4, 4)
    )
    assert again.pk == waiting.pk
    assert ReadinessAssessment.objects.count() == 1
    assert set(again.scores().values()) == {4}


@pytest.mark.parametrize(
    "given, words",
    [
        ({a: (3, "") for a in AREAS[:5]}, "Resources is missing"),
        ({**answers(3, 3, 3, 3, 3, 3), "money": (3, "")}, "only the six areas"),
        (answers(0, 3, 3, 3, 3, 3), "Leadership: choose an answer from 1 to 4"),
        (answers(3, 5, 3, 3, 3, 3), "Structure: choose an answer from 1 to 4"),
        (answers(3, 3, 3, 3, 3, 3, note="x" * 1001), "1000 characters or fewer"),
        (answers(3, 3, 3, 3, 3, 3, note="bidi\u202eoverride"), "character that cannot be used"),
    ],
)
def test_submit_refuses_bad_answers_naming_the_area(organisation, editor, given, words):
    with pytest.raises(Refused, match=words):
        readiness_submit(organisation=organisation, by=editor, answers=given)
    assert not ReadinessAssessment.objects.exists()


def test_a_review_closes_it_and_a_second_review_is_refused(waiting, moderator):
    readiness_review(assessment=waiting, by=moderator, notes="Ask the CVS about a constitution.")
    waiting.refresh_from_db()
    assert waiting.status == ReadinessAssessment.Status.REVIEWED
    assert (waiting.reviewed_by, waiting.reviewed_on) == (moderator, timezone.localdate())
    with pytest.raises(Refused, match="already been reviewed"):
        readiness_review(assessment=waiting, by=moderator, notes="Again")


@pytest.mark.parametrize(
    "notes, day, words",
    [
        ("  ", None, "Enter what you agreed with the group"),
        ("Fine", datetime.date(2999, 1, 1), "cannot be in the future"),
        ("Fine", datetime.date(2000, 1, 1), "before the assessment was submitted"),
    ],
)
def test_review_refuses_bad_input(waiting, moderator, notes, day, words):
    with pytest.raises(Refused, match=words):
        readiness_review(assessment=waiting, by=moderator, notes=notes, reviewed_on=day)
    waiting.refresh_from_db()
    assert waiting.status == ReadinessAssessment.Status.WAITING


def test_after_a_review_a_new_assessment_starts_and_history_shows_the_change(
    waiting, organisation, editor, moderator
):
    readiness_review(assessment=waiting, by=moderator, notes="Agreed next steps")
    second = readiness_submit(
        organisation=organisation, by=editor, answers=answers(3, 2, 2, 4, 2, 3)
    )
    assert second.pk != waiting.pk
    history = readiness_history(organisation)
    assert [a.pk for a in history.assessments] == [waiting.pk, second.pk]
    by_area = {row.area: row for row in history.areas}
    assert by_area["leadership"].scores == (1, 3)
    assert by_area["leadership"].change == "Up 2"
    assert by_area["capacity"].change == "Down 1"
    assert by_area["trust"].change == "No change"
    assert list(readiness_waiting()) == [second]


# Pages ------------------------------------------------------------------------------------------


def test_editor_completes_the_assessment_through_the_form(client, editor, organisation):
    url = reverse("coproduction:readiness", args=[organisation.pk])
    page = signed_in(client, editor).get(url)
    assert page.status_code == 200
    assert "Leadership: Does the group have people who lead it" in page.content.decode()
    response = client.post(url, form_data(2, 3, 3, 1, 2, 4, trust="New to the area"))
    assert response.status_code == 302
    assessment = ReadinessAssessment.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert "Waiting for review" in detail
    assert "Trust: ask a partner group to introduce you" in detail
    assert "New to the area" in detail
    assert assessment.scores()["trust"] == 1


def test_the_form_refuses_missing_answers_naming_each_area(client, editor, organisation):
    data = form_data(2, 3, 3, 1, 2, 4)
    del data["score_capacity"]
    data["score_links"] = "9"
    response = signed_in(client, editor).post(
        reverse("coproduction:readiness", args=[organisation.pk]), data
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose an answer for capacity" in body
    assert "Links: Is the group in touch" in body and "Choose one of the options" in body
    assert not ReadinessAssessment.objects.exists()


def test_hostile_notes_are_shown_as_text(client, editor, organisation, moderator):
    assessment = readiness_submit(
        organisation=organisation, by=editor, answers=answers(1, 1, 1, 1, 1, 1, note=HOSTILE)
    )
    for user, url in (
        (editor, reverse("coproduction:readiness_detail", args=[assessment.pk])),
        (moderator, reverse("coproduction:readiness_review", args=[assessment.pk])),
        (editor, reverse("coproduction:readiness", args=[organisation.pk])),
    ):
        body = signed_in(client, user).get(url).content.decode()
        assert "<script>alert" not in body
        assert "&lt;script&gt;" in body


def test_who_may_read_the_readiness_of_a_group(
    client, waiting, organisation, other_organisation, moderator, commissioner, member
):
    pages = [
        reverse("coproduction:readiness", args=[organisation.pk]),
        reverse("coproduction:readiness_detail", args=[waiting.pk]),
    ]
    choir = make_editor(other_organisation, username="choir")
    for url in pages:
        for user in (moderator, commissioner):
            assert signed_in(client, user).get(url).status_code == 200
        for user in (choir, member):
            assert signed_in(client, user).get(url).status_code == 404
    # Reading is not assessing: only the group's editors send an assessment.
    post = signed_in(client, moderator).post(pages[0], form_data(4, 4, 4, 4, 4, 4))
    assert post.status_code == 403
    assert set(waiting.scores().values()) != {4}


def test_only_moderators_see_the_waiting_list_and_review(
    client, waiting, editor, moderator, commissioner
):
    waiting_list = reverse("coproduction:readiness_waiting")
    review = reverse("coproduction:readiness_review", args=[waiting.pk])
    for user in (editor, commissioner):
        assert signed_in(client, user).get(waiting_list).status_code == 403
        assert signed_in(client, user).get(review).status_code == 403
        assert (
            signed_in(client, user).post(review, {"reviewed_on": "2026-01-01", "notes": "x"})
        ).status_code == 403
    listing = signed_in(client, moderator).get(waiting_list).content.decode()
    assert waiting.organisation.title in listing and "Leadership (1)" in listing


def test_moderator_reviews_through_the_form_refusals_naming_fields(client, waiting, moderator):
    url = reverse("coproduction:readiness_review", args=[waiting.pk])
    bad = signed_in(client, moderator).post(url, {"reviewed_on": "not a date", "notes": ""})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "“Date you went through it with the group” must be a real date" in body
    assert "Enter what you agreed with the group" in body
    today = timezone.localdate().isoformat()
    good = client.post(url, {"reviewed_on": today, "notes": "Ask the CVS for help."})
    assert good.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == ReadinessAssessment.Status.REVIEWED
    assert "None waiting." in client.get(good["Location"]).content.decode()


def test_the_profile_leads_moderators_and_commissioners_to_readiness(
    client, organisation, moderator, commissioner, member
):
    profile = reverse("coproduction:profile", args=[organisation.pk])
    readiness = reverse("coproduction:readiness", args=[organisation.pk])
    waiting_list = reverse("coproduction:readiness_waiting")
    as_moderator = signed_in(client, moderator).get(profile).content.decode()
    assert readiness in as_moderator and waiting_list in as_moderator
    as_commissioner = signed_in(client, commissioner).get(profile).content.decode()
    assert readiness in as_commissioner and waiting_list not in as_commissioner
    as_team = signed_in(client, member).get(profile).content.decode()
    assert readiness not in as_team
