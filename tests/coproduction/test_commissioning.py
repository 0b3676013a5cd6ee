"""The commissioners' report: who sees it (commissioners and moderators, and no one by name in
it), its CSV downloads, its charts' figures against its tables, and the evidence log of NHS
England's ten principles, kept from a partnership's page by its team and moderators."""

import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from coproduction.models import Partnership, PrincipleEvidence
from coproduction.models.principles import BY_CODE, CHOICES, PRINCIPLES
from coproduction.services import (
    Refused,
    evidence_record,
    partnership_accept,
    partnership_move,
    partnership_propose,
    review_record,
)
from tests.factories import UserFactory
from tests.factories.coproduction import AskFactory, ServiceTeamFactory, make_service_team_member

HOSTILE = '<script>alert("x")</script>'
PAGE = "coproduction:commissioning"


@pytest.fixture
def team(db):
    return ServiceTeamFactory(name="Healthy Eating Team", areas=["SW17"])


@pytest.fixture
def member(team):
    return make_service_team_member(
        team, username="zed-member", first_name="Zebedee", last_name="Quill"
    )


@pytest.fixture
def other_team(db):
    return ServiceTeamFactory(name="Memory Service", areas=["SW18"])


@pytest.fixture
def other_member(other_team):
    return make_service_team_member(other_team, username="other-member")


@pytest.fixture
def commissioner(db):
    return UserFactory(username="cam", groups=[Group.objects.get(name="Commissioners")])


@pytest.fixture
def partnership(team, member, organisation, editor):
    partnership = partnership_propose(
        team=team, organisations=[organisation], by=member, title="Cooking together"
    )
    partnership_accept(partnership=partnership, organisation=organisation, by=editor)
    return partnership


@pytest.fixture
def other_partnership(other_team, other_member, other_organisation):
    return partnership_propose(
        team=other_team,
        organisations=[other_organisation],
        by=other_member,
        title="Memory café",
    )


def evidence_url(partnership):
    return reverse("coproduction:partnership_evidence", args=[partnership.pk])


# Who sees the report ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["commissioner", "moderator"])
def test_commissioners_and_moderators_see_every_teams_partnerships_and_no_one_by_name(
    client, request, who, partnership, other_partnership, member
):
    evidence_record(partnership=partnership, principle="vcse", note="The group hosts", by=member)
    evidence_record(
        partnership=other_partnership, principle="learn", note="Changed the leaflet", by=member
    )
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(PAGE))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    principles = page[page.index('id="principles"') :]
    assert "Cooking together" in principles and "Memory café" in principles
    for personal in ("Zebedee", "Quill", "zed-member", "@example.org", "knitter"):
        assert personal not in page, personal
    evidence = client.get(reverse(PAGE), {"format": "evidence-csv"}).content.decode("utf-8-sig")
    for personal in ("Zebedee", "Quill", "zed-member", "@example.org"):
        assert personal not in evidence, personal


def test_teams_group_editors_and_others_may_not_see_the_report(
    client, member, editor, partnership, other_member
):
    for user in (member, editor, other_member, UserFactory()):
        client.force_login(user)
        for query in ({}, {"format": "csv"}, {"format": "evidence-csv"}):
            assert client.get(reverse(PAGE), query).status_code == 403, (user, query)
    client.logout()
    response = client.get(reverse(PAGE), {"format": "evidence-csv"})
    assert response.status_code == 302 and "next=" in response.url


@pytest.mark.parametrize("wanted", ["xlsx", "CSV", "evidence", HOSTILE])
def test_an_unknown_format_is_a_plain_bad_request(client, commissioner, wanted):
    client.force_login(commissioner)
    response = client.get(reverse(PAGE), {"format": wanted})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "format=csv" in text and "format=evidence-csv" in text
    assert "<script>" not in text


# The evidence CSV --------------------------------------------------------------------------


def test_the_evidence_csv_lists_each_piece_by_principle_with_its_partnership_and_team(
    client, commissioner, partnership, other_partnership, member, other_member
):
    day = datetime.date(2026, 6, 1)
    evidence_record(
        partnership=partnership, principle="learn", note="Changed the menu", by=member,
        recorded_on=day,
    )  # fmt: skip
    evidence_record(
        partnership=other_partnership, principle="voices", note="=HYPERLINK(1)",
        by=other_member, recorded_on=day,
    )  # fmt: skip
    evidence_record(
        partnership=partnership, principle="voices", note="Members chose the dates", by=member,
        recorded_on=day,
    )  # fmt: skip
    client.force_login(commissioner)
    response = client.get(reverse(PAGE), {"format": "evidence-csv"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert 'filename="principles-evidence.csv"' in response["Content-Disposition"]
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0] == ("Principle,Principle in the guidance,Partnership,Team,Evidence,Date")
    assert len(rows) == 4
    # Principle 1 before principle 10; within a principle, partnerships A to Z.
    assert rows[1].startswith("1. People's voices at the centre of decisions,")
    assert ",Cooking together,Healthy Eating Team,Members chose the dates,2026-06-01" in rows[1]
    # A note that a spreadsheet would run as a formula is written as text.
    assert ",Memory café,Memory Service,'=HYPERLINK(1),2026-06-01" in rows[2]
    assert rows[3].startswith("10. Learn and build on local strengths,")


def test_the_gaps_csv_is_still_there(client, commissioner):
    client.force_login(commissioner)
    response = client.get(reverse(PAGE), {"format": "csv"})
    assert response.status_code == 200
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == "Ask,Team,Service line,Areas,Best fit,Best group"


# The charts' figures against the tables ------------------------------------------------------


class Tables(HTMLParser):
    """Each <table> on a page as {caption: [[cell text, ...], ...]} (the header row first)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._rows = self._cell = self._caption = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._cell = ""
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption, self._cell = self._cell.strip(), None
        elif tag in ("td", "th") and self._rows is not None and self._cell is not None:
            self._rows[-1].append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption] = self._rows
            self._rows = None


def charts_and_tables(page: str):
    found = re.search(
        r'<script id="commissioning-charts" type="application/json">(.*?)</script>', page, re.S
    )
    parser = Tables()
    parser.feed(page)
    return json.loads(found.group(1)), parser.tables


def test_each_charts_figures_are_the_figures_of_its_table(
    client, commissioner, partnership, other_partnership, member, team, search_index
):
    # An open ask no group is near: a gap.
    AskFactory(team=team, title="Cooking in SW17", areas=["SW17"])
    for stage in ("agreed", "delivering", "reviewing"):
        partnership_move(partnership=partnership, to=stage, by=member)
    review_record(partnership=partnership, by=member, held_on=timezone.localdate(), level=4)
    # Proposed three months earlier: the months between are kept, with nothing in them.
    Partnership.objects.filter(pk=other_partnership.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=92)
    )
    evidence_record(partnership=partnership, principle="vcse", note="Hosts it", by=member)
    evidence_record(partnership=partnership, principle="early", note="Asked first", by=member)
    client.force_login(commissioner)
    charts, tables = charts_and_tables(client.get(reverse(PAGE)).content.decode())

    def column(caption, number=1):
        return [int(row[number]) for row in tables[caption][1:]]

    def labels(caption):
        return [row[0] for row in tables[caption][1:]]

    level = "By the coproduction level their latest review reached"
    assert charts["by_level"]["labels"] == labels(level)
    assert charts["by_level"]["series"][0]["data"] == column(level) == [0, 0, 0, 1, 0]
    engaged = "Community groups in each team's partnerships that are not closed"
    assert (
        charts["engaged"]["labels"] == labels(engaged) == ["Healthy Eating Team", "Memory Service"]
    )
    assert charts["engaged"]["series"][0]["data"] == column(engaged) == [1, 1]
    months = "Partnerships proposed each month, by the stage each is at now"
    assert charts["over_time"]["labels"] == labels(months)
    assert len(labels(months)) >= 4
    header = tables[months][0][1:]
    assert [s["label"] for s in charts["over_time"]["series"]] == header
    for number, series in enumerate(charts["over_time"]["series"], 1):
        assert series["data"] == column(months, number), series["label"]
    assert sum(sum(s["data"]) for s in charts["over_time"]["series"]) == 2
    principles = "Principles and the partnerships that show them"
    assert charts["principles"]["series"][0]["data"] == column(principles)
    assert column(principles)[:5] == [0, 1, 0, 0, 1]
    lines = "Open asks by service line"
    assert charts["coverage"]["labels"] == labels(lines) == [team.service_line.name]
    assert [s["data"] for s in charts["coverage"]["series"]] == [
        column(lines, 2),
        column(lines, 3),
    ]
    assert column(lines) == [1] and column(lines, 3) == [1]
    # Each chart has its summary, which the page shows as text too.
    for chart in charts.values():
        assert chart["summary"]
    assert "2 partnerships proposed from" in charts["over_time"]["summary"]


def test_the_report_draws_from_a_script_that_puts_text_on_the_page_as_text(client, commissioner):
    client.force_login(commissioner)
    page = client.get(reverse(PAGE)).content.decode()
    for script in ("vendor/chartjs/chart.umd.min.js", "js/commissioning-charts.js"):
        assert script in page
    assert "css/commissioning.css" in page
    assert 'class="button button--secondary js-print" hidden' in page
    assert "use your browser’s own print" in page
    # Every chart starts hidden: without JavaScript the tables are the report.
    assert page.count('<figure class="chart"') == page.count("hidden>\n    <figcaption")


# The evidence form -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_the_team_and_moderators_log_evidence_from_the_partnerships_page(
    client, request, who, partnership
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = client.get(reverse("coproduction:partnership", args=[partnership.pk]))
    assert "Log evidence of a principle" in page.content.decode()
    response = client.post(
        evidence_url(partnership), {"principle": "excluded", "note": "  Reached carers  "}
    )
    assert response.status_code == 302
    evidence = PrincipleEvidence.objects.get()
    assert (evidence.partnership, evidence.principle, evidence.note) == (
        partnership,
        "excluded",
        "Reached carers",
    )
    assert evidence.recorded_by == user and evidence.recorded_on == timezone.localdate()
    shown = client.get(response.url).content.decode()
    assert "4. Reach people who are left out" in shown and "Reached carers" in shown


def test_commissioners_and_group_editors_read_the_evidence_and_may_not_log_it(
    client, commissioner, editor, partnership, member
):
    evidence_record(partnership=partnership, principle="vcse", note="The group hosts", by=member)
    for user in (commissioner, editor):
        client.force_login(user)
        page = client.get(reverse("coproduction:partnership", args=[partnership.pk]))
        assert "The group hosts" in page.content.decode()
        assert "Log evidence of a principle" not in page.content.decode()
        response = client.post(evidence_url(partnership), {"principle": "vcse", "note": "More"})
        assert response.status_code == 403
    assert PrincipleEvidence.objects.count() == 1


def test_another_team_cannot_find_the_partnership_and_anonymous_visitors_sign_in(
    client, other_member, partnership, other_partnership
):
    client.force_login(other_member)
    response = client.post(evidence_url(partnership), {"principle": "vcse", "note": "Hosts"})
    assert response.status_code == 404
    client.logout()
    response = client.post(evidence_url(partnership), {"principle": "vcse", "note": "Hosts"})
    assert response.status_code == 302 and "next=" in response.url
    assert not PrincipleEvidence.objects.exists()


def test_evidence_is_only_posted(client, member, partnership):
    client.force_login(member)
    assert client.get(evidence_url(partnership)).status_code == 405


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({"note": "Hosts"}, "principle", "Choose which principle this shows"),
        ({"principle": "nonsense", "note": "Hosts"}, "principle", "principle"),
        ({"principle": HOSTILE, "note": "Hosts"}, "principle", "principle"),
        ({"principle": "vcse", "note": "   "}, "note", "Enter what shows the principle"),
        ({"principle": "vcse", "note": "x" * 301}, "note", "300 characters"),
        ({"principle": "vcse", "note": "Hosts\x00 it"}, "note", "What shows it"),
        ({"principle": "vcse", "note": "Hosts \u202eti"}, "note", "What shows it"),
    ],
)
def test_bad_evidence_is_refused_naming_the_field(client, member, partnership, data, field, says):
    client.force_login(member)
    response = client.post(evidence_url(partnership), data)
    assert response.status_code == 400
    errors = response.context["evidence"].errors
    assert field in errors and says.lower() in " ".join(errors[field]).lower(), errors
    page = response.content.decode()
    assert "There is a problem" in page and 'id="id_evidence_note"' in page
    assert "<script>alert" not in page
    assert not PrincipleEvidence.objects.exists()


def test_the_same_evidence_twice_is_refused_in_words(client, member, partnership):
    client.force_login(member)
    data = {"principle": "vcse", "note": "The group hosts"}
    assert client.post(evidence_url(partnership), data).status_code == 302
    response = client.post(evidence_url(partnership), data)
    assert response.status_code == 400
    assert "That evidence is already in the log." in response.content.decode()
    assert PrincipleEvidence.objects.count() == 1


def test_a_hostile_note_is_kept_as_text_and_shown_as_text(
    client, member, commissioner, partnership
):
    client.force_login(member)
    assert (
        client.post(evidence_url(partnership), {"principle": "vcse", "note": HOSTILE}).status_code
        == 302
    )
    assert PrincipleEvidence.objects.get().note == HOSTILE
    page = client.get(reverse("coproduction:partnership", args=[partnership.pk])).content.decode()
    assert HOSTILE not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    client.force_login(commissioner)
    csv = client.get(reverse(PAGE), {"format": "evidence-csv"}).content.decode("utf-8-sig")
    assert HOSTILE.replace('"', '""') in csv


def test_the_service_refuses_what_the_form_cannot_send(partnership, member):
    with pytest.raises(Refused, match="ten principles"):
        evidence_record(partnership=partnership, principle="zzz", note="Hosts", by=member)
    with pytest.raises(Refused, match="future"):
        evidence_record(
            partnership=partnership,
            principle="vcse",
            note="Hosts",
            by=member,
            recorded_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    with pytest.raises(Refused, match="300"):
        evidence_record(partnership=partnership, principle="vcse", note="x" * 301, by=member)


# The ten principles ------------------------------------------------------------------------


def test_there_are_ten_principles_numbered_in_the_guidances_order_each_with_a_short_label():
    assert [p.number for p in PRINCIPLES] == list(range(1, 11))
    assert len(BY_CODE) == 10 and len(CHOICES) == 10
    for principle in PRINCIPLES:
        assert len(principle.code) <= 30
        assert len(principle.label) <= 45 and principle.label[0].isupper()
        assert principle.wording.endswith(".") and len(principle.wording) > len(principle.label)
    assert "excluded groups" in BY_CODE["excluded"].wording
    assert "voluntary, community and social enterprise" in BY_CODE["vcse"].wording


def test_the_report_is_worked_out_again_when_coproductions_data_changes(
    client, commissioner, team, member, organisation, search_index
):
    client.force_login(commissioner)
    assert "Cooking in SW17" not in client.get(reverse(PAGE)).content.decode()
    ask = AskFactory(team=team, title="Cooking in SW17", areas=["SW17"])
    page = client.get(reverse(PAGE)).content.decode()
    assert (
        "Cooking in SW17" in page and "Open asks with a group able to help: 0 of 1. Gaps: 1" in page
    )
    ask.status = "closed"
    ask.save()
    assert "Cooking in SW17" not in client.get(reverse(PAGE)).content.decode()
    partnership_propose(team=team, organisations=[organisation], by=member, title="Talk first")
    page = client.get(reverse(PAGE)).content.decode()
    assert "1 partnership proposed from" in page
