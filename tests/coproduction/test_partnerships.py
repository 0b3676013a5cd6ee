"""A partnership's life: proposed, accepted, agreed, delivering, reviewed, sustained or closed."""

import datetime

import pytest
from django.db import IntegrityError

from coproduction.models import Partnership, PartnershipEvent, Review
from coproduction.selectors import survey_summary
from coproduction.services import (
    PartnershipRefused,
    delivery_record,
    partnership_accept,
    partnership_move,
    partnership_propose,
    review_record,
    survey_answer,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.coproduction import AskFactory, ServiceTeamFactory

pytestmark = pytest.mark.django_db
Status = Partnership.Status
DAY = datetime.date(2027, 1, 15)
ANSWERS = {
    "shared_purpose": 4,
    "trust": 4,
    "commitment": 5,
    "clear_arrangements": 3,
    "communication": 4,
    "learning": 4,
}


@pytest.fixture
def lead(db):
    return UserFactory()


@pytest.fixture
def groups(directory):
    return OrganisationFactory(parent=directory), OrganisationFactory(parent=directory)


@pytest.fixture
def proposed(lead, groups):
    ask = AskFactory()
    return partnership_propose(team=ask.team, organisations=groups, by=lead, title="", ask=ask)


def agreed(partnership, groups, by):
    for group in groups:
        partnership_accept(partnership=partnership, organisation=group, by=by)
    return partnership_move(partnership=partnership, to=Status.AGREED, by=by)


def test_a_proposal_waits_for_every_group_and_takes_the_asks_title(proposed, groups):
    assert proposed.status == Status.PROPOSED
    assert proposed.title == proposed.ask.title
    assert set(proposed.organisations.all()) == set(groups)
    assert [e.kind for e in proposed.events.all()] == [PartnershipEvent.Kind.PROPOSED]


def test_it_cannot_be_agreed_before_every_group_accepts(proposed, groups, lead):
    partnership_accept(partnership=proposed, organisation=groups[0], by=lead)
    with pytest.raises(PartnershipRefused, match=f"Waiting for {groups[1].title} to accept"):
        partnership_move(partnership=proposed, to=Status.AGREED, by=lead)
    partnership_accept(partnership=proposed, organisation=groups[1], by=lead)
    assert partnership_move(partnership=proposed, to=Status.AGREED, by=lead).status == "agreed"


def test_a_group_accepts_once_and_only_its_own_place(proposed, groups, lead, directory):
    partnership_accept(partnership=proposed, organisation=groups[0], by=lead)
    with pytest.raises(PartnershipRefused, match="already accepted"):
        partnership_accept(partnership=proposed, organisation=groups[0], by=lead)
    stranger = OrganisationFactory(parent=directory)
    with pytest.raises(PartnershipRefused, match="is not in this partnership"):
        partnership_accept(partnership=proposed, organisation=stranger, by=lead)


def test_the_whole_life_is_kept_with_dates_and_who(proposed, groups, lead):
    agreed(proposed, groups, lead)
    partnership_move(partnership=proposed, to=Status.DELIVERING, by=lead)
    delivery_record(
        partnership=proposed,
        by=lead,
        period_start=DAY,
        period_end=DAY + datetime.timedelta(days=30),
        sessions=4,
        people_reached=37,
        reached_by_group={"Tamil": 20, "Somali": 17},
    )
    partnership_move(partnership=proposed, to=Status.REVIEWING, by=lead)
    review_record(
        partnership=proposed, by=lead, held_on=DAY, level=Review.Level.CO_DESIGN, co_design=True
    )
    partnership_move(partnership=proposed, to=Status.SUSTAINED, by=lead, note="Going well")
    moves = [
        (e.from_status, e.to_status)
        for e in proposed.events.filter(kind=PartnershipEvent.Kind.MOVED)
    ]
    assert moves == [
        ("proposed", "agreed"),
        ("agreed", "delivering"),
        ("delivering", "reviewing"),
        ("reviewing", "sustained"),
    ]
    assert all(e.by == lead and e.at for e in proposed.events.all())
    assert proposed.events.filter(kind=PartnershipEvent.Kind.ACCEPTED).count() == 2
    assert proposed.deliveries.get().reached_by_group == {"Tamil": 20, "Somali": 17}


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        (Status.PROPOSED, Status.DELIVERING, "A proposed partnership can become agreed or closed"),
        (Status.AGREED, Status.SUSTAINED, "can become delivering or closed, not sustained"),
        (Status.CLOSED, Status.AGREED, "closed: it cannot move again"),
    ],
)
def test_an_invalid_move_is_refused_with_the_reason(proposed, lead, start, to, message):
    Partnership.objects.filter(pk=proposed.pk).update(status=start)
    with pytest.raises(PartnershipRefused, match=message):
        partnership_move(partnership=proposed, to=to, by=lead)
    proposed.refresh_from_db()
    assert proposed.status == start
    assert not proposed.events.filter(kind=PartnershipEvent.Kind.MOVED).exists()


def test_an_unknown_stage_is_refused(proposed, lead):
    with pytest.raises(PartnershipRefused, match="'<b>finished</b>' is not a partnership stage"):
        partnership_move(partnership=proposed, to="<b>finished</b>", by=lead)


def test_closing_needs_a_reason(proposed, lead):
    with pytest.raises(PartnershipRefused, match="Say why"):
        partnership_move(partnership=proposed, to=Status.CLOSED, by=lead, note="  ")
    partnership_move(partnership=proposed, to=Status.CLOSED, by=lead, note="Funding ended")
    assert proposed.events.last().note == "Funding ended"


def test_sustained_needs_a_review(proposed, groups, lead):
    agreed(proposed, groups, lead)
    partnership_move(partnership=proposed, to=Status.DELIVERING, by=lead)
    partnership_move(partnership=proposed, to=Status.REVIEWING, by=lead)
    with pytest.raises(PartnershipRefused, match="Record a review"):
        partnership_move(partnership=proposed, to=Status.SUSTAINED, by=lead)


def test_reviews_and_delivery_wait_for_their_stage(proposed, lead):
    with pytest.raises(PartnershipRefused, match="move it to reviewing first"):
        review_record(partnership=proposed, by=lead, held_on=DAY, level=Review.Level.ENGAGEMENT)
    with pytest.raises(PartnershipRefused, match="once it is delivering"):
        delivery_record(
            partnership=proposed,
            by=lead,
            period_start=DAY,
            period_end=DAY,
            sessions=1,
            people_reached=1,
        )


def test_delivery_counts_are_checked(proposed, groups, lead):
    agreed(proposed, groups, lead)
    partnership_move(partnership=proposed, to=Status.DELIVERING, by=lead)
    common = {"partnership": proposed, "by": lead, "sessions": 1, "people_reached": 1}
    with pytest.raises(PartnershipRefused, match="must end on or after"):
        delivery_record(**common, period_start=DAY, period_end=DAY - datetime.timedelta(days=1))
    with pytest.raises(PartnershipRefused, match="needs a name and a count"):
        delivery_record(**common, period_start=DAY, period_end=DAY, reached_by_group={"": 3})


def test_a_proposal_needs_a_published_group_and_the_teams_own_ask(lead, directory):
    team = ServiceTeamFactory()
    with pytest.raises(PartnershipRefused, match="at least one community group"):
        partnership_propose(team=team, organisations=[], by=lead, title="x")
    draft = OrganisationFactory(parent=directory, live=False, title="Quiet Group")
    with pytest.raises(PartnershipRefused, match="Quiet Group is not published"):
        partnership_propose(team=team, organisations=[draft], by=lead, title="x")
    group = OrganisationFactory(parent=directory)
    with pytest.raises(PartnershipRefused, match="another team"):
        partnership_propose(team=team, organisations=[group], by=lead, title="x", ask=AskFactory())


@pytest.fixture
def review(proposed, groups, lead):
    agreed(proposed, groups, lead)
    partnership_move(partnership=proposed, to=Status.DELIVERING, by=lead)
    partnership_move(partnership=proposed, to=Status.REVIEWING, by=lead)
    return review_record(
        partnership=proposed, by=lead, held_on=DAY, level=Review.Level.CO_PRODUCTION
    )


def test_the_survey_shows_where_partners_diverge_first(review, groups, lead):
    survey_answer(review=review, respondent=lead, answers=ANSWERS)
    survey_answer(
        review=review,
        respondent=UserFactory(),
        organisation=groups[0],
        answers={**ANSWERS, "trust": 1, "communication": 3},
    )
    summary = survey_summary(review)
    assert [(q.key, q.lowest, q.highest) for q in summary[:2]] == [
        ("trust", 1, 4),
        ("communication", 3, 4),
    ]
    assert summary[0].divergent and not summary[1].divergent
    assert summary[0].text == "We trust each other." and summary[0].answers == 2


def test_the_survey_takes_every_question_once_a_person(review, lead, directory):
    with pytest.raises(PartnershipRefused, match="every question"):
        survey_answer(review=review, respondent=lead, answers={"trust": 3})
    with pytest.raises(PartnershipRefused, match="1 \\(strongly disagree\\) to 5"):
        survey_answer(review=review, respondent=lead, answers={**ANSWERS, "trust": 6})
    with pytest.raises(PartnershipRefused, match="not in this partnership"):
        survey_answer(
            review=review,
            respondent=lead,
            organisation=OrganisationFactory(parent=directory),
            answers=ANSWERS,
        )
    survey_answer(review=review, respondent=lead, answers=ANSWERS)
    with pytest.raises(PartnershipRefused, match="already answered"):
        survey_answer(review=review, respondent=lead, answers=ANSWERS)


def test_the_database_refuses_an_answer_out_of_range(review, lead):
    from coproduction.models import SurveyResponse

    with pytest.raises(IntegrityError):
        SurveyResponse.objects.create(review=review, respondent=lead, **{**ANSWERS, "trust": 9})


def test_the_commissioners_overview_counts_stages_levels_and_groups(proposed, groups, lead):
    from coproduction.selectors import commissioning_overview

    agreed(proposed, groups, lead)
    partnership_move(partnership=proposed, to=Status.DELIVERING, by=lead)
    partnership_move(partnership=proposed, to=Status.REVIEWING, by=lead)
    review_record(partnership=proposed, by=lead, held_on=DAY, level=Review.Level.ENGAGEMENT)
    later = DAY + datetime.timedelta(days=90)
    review_record(partnership=proposed, by=lead, held_on=later, level=Review.Level.CO_DESIGN)
    overview = commissioning_overview()
    assert dict(overview.by_stage)["Reviewing"] == 1 and dict(overview.by_stage)["Proposed"] == 0
    # Only the latest review counts.
    assert dict(overview.by_level) == {
        "Informing": 0,
        "Consultation": 0,
        "Engagement": 0,
        "Co-design": 1,
        "Co-production": 0,
    }
    assert dict(overview.engaged)[proposed.team] == 2
    assert sum(sum(counts.values()) for _, counts in overview.by_month) == 1
