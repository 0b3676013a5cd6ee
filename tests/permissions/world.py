"""The world the permission matrix is asked about: every role, and one of each kind of object.

Built once per test module (see test_matrix.world) inside a transaction that is rolled back
at the end, so each test sees exactly this world and nothing it leaves behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, Site, Workflow
from wagtail.users.models import UserProfile

from assets_directory.models import Activity, DirectoryIndexPage, Organisation
from assets_directory.services import claim_submit, registration_submit, report_submit
from casework.services import wellbeing_measure_ons4, wellbeing_score_record
from cms.models import SiteSettings
from coproduction.models import CapabilityItem, CapabilityTerm, GroupLink
from coproduction.models.people import READINESS_AREAS
from coproduction.services import (
    document_add,
    leader_add,
    link_record,
    partnership_accept,
    partnership_move,
    partnership_propose,
    readiness_submit,
    review_record,
)
from harvest import services as harvest_services
from harvest.models import DuplicatePair, HarvestConflict, HarvestedRecord, TermMapping
from harvest.readers import Item
from insights.models import EnglandRun
from matching.models import FollowUp, Team, TeamMembership
from matching.network import members_from_dicts
from matching.services import (
    ChosenActivity,
    NeedAnswer,
    follow_up_record,
    needs_save,
    network_map_save,
    plan_create,
    preferences_save,
)
from referrals.services import (
    SharedDetails,
    api_key_issue,
    api_key_revoke,
    referral_create,
    referral_status_change,
)
from referrals.status import Party
from search.models import ZeroResultSearch
from search.services import index_rebuild
from tests.conftest import make_editor
from tests.factories import (
    ActivityFactory,
    ActivityScheduleFactory,
    ModeratorFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
    VenueFactory,
    make_facilitator,
)
from tests.factories.coproduction import (
    AskFactory,
    CapabilityProfileFactory,
    ServiceTeamFactory,
    make_service_team_member,
)
from tests.harvest.conftest import service as harvested_service

# The columns of the matrix, in order.
ROLES = (
    "anon", "ed_a", "ed_b", "mod", "fac1", "lead1", "fac2", "lead2", "svc1", "svc2", "comm", "su",
)  # fmt: skip


# Titles that listings must show or leave out.
DRAFT_TITLE = "Zebra crossing club"
B_ACTIVITY_TITLE = "Community choir"
IMAGE_TITLE = "Knitting circle photo"
IMAGE_B_TITLE = "Choir on stage"
DOCUMENT_TITLE = "Knitting pattern leaflet"
REGISTRATION_NAME = "Wandle Walkers"
REPORT_MESSAGE = "The hall has moved to Garratt Lane"
NO_RESULTS_TERMS = "underwater basket weaving"
DUPLICATE_REASONS = "much the same title at venues within 100 m"
UNCLAIMED_TITLE = "Garratt Green Allotments"
CLAIMANT_NAME = "Grace Hopper"
ASK_TITLE = "Knitting for wellbeing in SW17"
PARTNERSHIP_TITLE = "Knit and cook together"
LEADER_NAME = "Priya S."
LEADER_EMAIL = "priya.private@leaders.example.net"
HIDDEN_LEADER_NAME = "Dev R."
HIDDEN_LEADER_EMAIL = "dev.private@leaders.example.net"
HARVEST_FEED_NAME = "Merton directory"
HARVESTED_TITLE = "Chair yoga"
HARVESTED_GONE_TITLE = "Tai chi"


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> user (None for anon)
    directory: Page | None = None
    org_a: Organisation | None = None
    org_b: Organisation | None = None
    activity_a: Page | None = None  # A's live activity: the page most actions are tried on
    activity_b: Page | None = None  # B's live activity, locked by the moderator
    draft_b: Page | None = None  # B's unpublished activity, waiting in the moderation workflow
    draft_task_state: object = None  # ...at the moderators' task
    venue_in_use: object = None  # A's activity meets there
    venue_spare: object = None  # used by nothing
    venue_a: object = None  # added by A's editors: theirs to correct
    image_a: object = None
    image_b: object = None  # in B's collection: A's editors may neither change nor use it
    document_a: object = None
    team1: Team | None = None
    team2: Team | None = None
    fac1_membership: object = None
    person: object = None  # a consented person of team 1 with a full record
    plan: object = None
    plan_item: object = None
    referral: object = None  # ...the person's referral to A's activity, not yet answered
    joined: object = None  # ...and an earlier one, going regularly: offered on their network
    wellbeing: object = None  # ...and their wellbeing score at the start
    api_key: object = None  # team 1's API key for the referral API, and its secret;
    api_key_raw: str = ""
    api_key2_raw: str = ""  # ...team 2's, and a revoked one of team 1's
    api_key_revoked_raw: str = ""
    england_run: object = None  # a finished analysis of England, with its file
    registration: object = None  # a pending group registration
    report: object = None  # an open problem report on A's activity
    unclaimed: Organisation | None = None  # a live organisation with no editors
    claim: object = None  # a pending claim on it
    no_results: object = None  # a recorded search with no results
    duplicate: object = None  # a likely duplicate pair (harvesting) waiting for a moderator
    superuser: object = None
    service_team1: object = None  # svc1 leads it
    service_team2: object = None  # svc2 is a member
    ask1: object = None  # service team 1's open ask
    partnership1: object = None  # team 1 with organisation A, waiting for A to accept
    reviewing: object = None  # team 1 with organisation A, being reviewed
    review: object = None  # ...its review, whose survey nobody has answered yet
    partnership_document: object = None  # ...a document A's editor keeps with it
    link_ab: object = None  # a current link from A to B (shared members), entered by A's editor
    term_spare: object = None  # a capability term nothing uses (the kitchen is A's)
    leader: object = None  # A's connector, who has agreed to be shown
    leader_hidden: object = None  # A's leader, whose consent is not recorded
    assessment: object = None  # A's readiness assessment, waiting for review
    harvest_feed: object = None  # a feed harvested twice (its address is never fetched)
    harvest_run: object = None  # ...its latest harvest
    harvest_record: object = None  # ...an activity from it, taken over, with a change waiting
    harvest_conflict: object = None  # ...that change
    harvest_org_record: object = None  # ...the activity's organisation, still the feed's
    harvest_term: object = None  # ...a term of the feed waiting to be mapped


def build_world() -> World:
    w = World()
    w.directory = DirectoryIndexPage.objects.get()

    # Roles ----------------------------------------------------------------------------------
    moderator = ModeratorFactory(username="moderator")
    w.org_a = OrganisationFactory(parent=w.directory, title="Tooting Knit and Natter")
    w.org_b = OrganisationFactory(parent=w.directory, title="Balham Community Choir")
    w.team1 = TeamFactory(name="Battersea PCN", slug="battersea-pcn")
    w.team2 = TeamFactory(name="Tooting Library Hub", slug="tooting-library-hub")
    w.superuser = get_user_model().objects.create_superuser("root", "root@example.org", "password")
    w.service_team1 = ServiceTeamFactory(name="Healthy Eating Team", slug="healthy-eating")
    w.service_team2 = ServiceTeamFactory(name="Memory Service", slug="memory-service")
    w.users = {
        "anon": None,
        "ed_a": make_editor(w.org_a, username="editor-a"),
        "ed_b": make_editor(w.org_b, username="editor-b"),
        "mod": moderator,
        "fac1": make_facilitator(w.team1, username="facilitator-1"),
        "lead1": make_facilitator(w.team1, username="lead-1", role="lead"),
        "fac2": make_facilitator(w.team2, username="facilitator-2"),
        "lead2": make_facilitator(w.team2, username="lead-2", role="lead"),
        "svc1": make_service_team_member(w.service_team1, username="service-1", role="lead"),
        "svc2": make_service_team_member(w.service_team2, username="service-2"),
        "comm": UserFactory(
            username="commissioner", groups=[Group.objects.get(name="Commissioners")]
        ),
        "su": w.superuser,
    }
    w.fac1_membership = TeamMembership.objects.get(user=w.users["fac1"])
    for organisation in (w.org_a, w.org_b):
        organisation.refresh_from_db()  # its editors group and collection were set by update()

    # Pages ----------------------------------------------------------------------------------
    w.venue_in_use = VenueFactory(name="St Anne's Hall")
    w.venue_spare = VenueFactory(name="Spare Room")
    # Added by A's editors and not yet looked at: in the moderators' review queue.
    w.venue_a = VenueFactory(
        name="Fircroft Room", organisation=w.org_a, changed_by_group_at=timezone.now()
    )
    w.activity_a = ActivityFactory(
        parent=w.org_a,
        title="Knit and natter",
        venue=w.venue_in_use,
        referral_route=Activity.ReferralRoute.TAKES_REFERRALS,
    )
    ActivityScheduleFactory(activity=w.activity_a)
    w.activity_a.save_revision(user=w.users["ed_a"]).publish()
    w.activity_b = ActivityFactory(parent=w.org_b, title=B_ACTIVITY_TITLE)
    w.activity_b.save_revision(user=moderator).publish()
    Page.objects.filter(pk=w.activity_b.pk).update(
        locked=True, locked_by=moderator, locked_at=timezone.now()
    )
    w.draft_b = ActivityFactory(parent=w.org_b, title=DRAFT_TITLE, live=False)
    # A session time, so that its calendar has something to leak.
    ActivityScheduleFactory(activity=w.draft_b, weekdays="thu")
    w.draft_b.save_revision(user=w.users["ed_b"], log_action=True)
    Workflow.objects.get(name="Moderators approval").start(w.draft_b, w.users["ed_b"])
    w.draft_task_state = w.draft_b.current_workflow_task_state

    # Images and documents in A's collection, and an image in B's ------------------------------
    w.image_a = get_image_model().objects.create(
        title=IMAGE_TITLE,
        file=get_test_image_file(),
        collection=w.org_a.collection,
        uploaded_by_user=w.users["ed_a"],
    )
    w.image_b = get_image_model().objects.create(
        title=IMAGE_B_TITLE,
        file=get_test_image_file(),
        collection=w.org_b.collection,
        uploaded_by_user=w.users["ed_b"],
    )
    # Its thumbnail as the admin's lists show it, made now: B's editor listing B's images must
    # not count as writing to the database.
    w.image_b.get_rendition("max-165x165")
    w.document_a = get_document_model().objects.create(
        title=DOCUMENT_TITLE,
        file=ContentFile(b"Cast on 40 stitches.", name="pattern.txt"),
        collection=w.org_a.collection,
        uploaded_by_user=w.users["ed_a"],
    )

    # Moderation data --------------------------------------------------------------------------
    w.registration = registration_submit(
        organisation_name=REGISTRATION_NAME,
        kind=Organisation.Kind.COMMUNITY_GROUP,
        description="Walks along the Wandle.",
        website="",
        email="walkers@example.org",
        phone="",
        postcode="SW18 4DJ",
        areas_served="SW18",
        contact_name="Ada Walker",
        contact_email="ada@example.org",
    )
    w.unclaimed = OrganisationFactory(parent=w.directory, title=UNCLAIMED_TITLE)
    w.claim = claim_submit(
        organisation=w.unclaimed,
        claimant_name=CLAIMANT_NAME,
        claimant_email="grace@example.org",
        claimant_role="Secretary",
        evidence="I can reply from the group's address.",
    )
    w.report = report_submit(activity=w.activity_a, kind="wrong_details", message=REPORT_MESSAGE)
    w.no_results = ZeroResultSearch.objects.create(terms=NO_RESULTS_TERMS, outcode="SW18")
    first, second = sorted([w.activity_a.pk, w.activity_b.pk])
    w.duplicate = DuplicatePair.objects.create(
        first_id=first, second_id=second, reasons=DUPLICATE_REASONS
    )

    # Coproduction: A's capability profile, team 1's ask, and a partnership A has to accept ----
    profile = CapabilityProfileFactory(organisation=w.org_a)
    CapabilityItem.objects.create(
        profile=profile, term=CapabilityTerm.objects.get(slug="asset-kitchen")
    )
    w.ask1 = AskFactory(team=w.service_team1, title=ASK_TITLE, areas=["SW17"])
    w.partnership1 = partnership_propose(
        team=w.service_team1,
        organisations=[w.org_a],
        by=w.users["svc1"],
        title=PARTNERSHIP_TITLE,
        ask=w.ask1,
    )

    w.reviewing = partnership_propose(
        team=w.service_team1, organisations=[w.org_a], by=w.users["svc1"], title="Tea and talk"
    )
    partnership_accept(partnership=w.reviewing, organisation=w.org_a, by=w.users["ed_a"])
    for stage in ("agreed", "delivering", "reviewing"):
        partnership_move(partnership=w.reviewing, to=stage, by=w.users["svc1"])
    w.review = review_record(
        partnership=w.reviewing, by=w.users["svc1"], held_on=timezone.localdate(), level=3
    )
    w.partnership_document = document_add(
        partnership=w.reviewing,
        by=w.users["ed_a"],
        title="Notes",
        upload=SimpleUploadedFile("notes.txt", b"Tea and talk notes", content_type="text/plain"),
    )

    # Links between groups, and the vocabulary -------------------------------------------------
    w.link_ab = link_record(
        from_organisation=w.org_a,
        to_organisation=w.org_b,
        kind=GroupLink.Kind.SHARED_MEMBERS,
        started_on=timezone.localdate(),
        by=w.users["ed_a"],
    )
    w.term_spare = CapabilityTerm.objects.create(
        kind=CapabilityTerm.Kind.SKILL, name="Bell ringing", slug="skill-bell-ringing"
    )

    # A's leaders (one has agreed to be shown, one not) and its readiness, waiting for review
    w.leader = leader_add(
        organisation=w.org_a,
        by=w.users["ed_a"],
        display_name=LEADER_NAME,
        role="connector",
        connects="Tamil families in SW17",
        email=LEADER_EMAIL,
        consent_given_on=timezone.localdate(),
    )
    w.leader_hidden = leader_add(
        organisation=w.org_a,
        by=w.users["ed_a"],
        display_name=HIDDEN_LEADER_NAME,
        role="leader",
        email=HIDDEN_LEADER_EMAIL,
    )
    w.assessment = readiness_submit(
        organisation=w.org_a, by=w.users["ed_a"], answers=dict.fromkeys(READINESS_AREAS, (2, ""))
    )

    # A person of team 1, with every part of a record ---------------------------------------
    facilitator = w.users["fac1"]
    w.person = PersonFactory(team=w.team1, display_name="Jo B", postcode="SW18 1AA")
    for members in (
        [{"circle": 1, "kind": "partner", "support": ["emotional"], "label": "A"}],
        [
            {"circle": 1, "kind": "partner", "support": ["emotional"], "label": "A"},
            {"circle": 3, "kind": "group", "label": "Choir"},
        ],
    ):
        network_map_save(person=w.person, by=facilitator, members=members_from_dicts(members))
    preferences_save(
        person=w.person,
        by=facilitator,
        interests=["arts-and-crafts", "walking"],
        top_three=["arts-and-crafts"],
    )
    needs_save(person=w.person, by=facilitator, needs=[NeedAnswer("lonely", "Quiet weeks")])
    w.plan = plan_create(
        person=w.person,
        by=facilitator,
        chosen=[ChosenActivity(activity_id=w.activity_a.pk, title=w.activity_a.title)],
    )
    w.plan_item = w.plan.items.get()
    follow_up_record(item=w.plan_item, by=facilitator, went=FollowUp.Went.NOT_YET)
    # ...referred to A's activity once before, and going regularly: the network page offers
    # to add A to their map.
    w.joined = referral_create(
        person=w.person,
        activity_id=w.activity_a.pk,
        by=facilitator,
        shared=SharedDetails(first_name="Jo"),
        consent_to_share=True,
    )
    for status in ("accepted", "completed"):
        w.joined = referral_status_change(referral=w.joined, party=Party.GROUP, status=status)
    # ...referred to A's activity, waiting for A's answer through the link in its e-mail.
    w.referral = referral_create(
        person=w.person,
        activity_id=w.activity_a.pk,
        by=facilitator,
        shared=SharedDetails(first_name="Jo", help_with="Meeting people"),
        consent_to_share=True,
    )
    w.api_key, w.api_key_raw = api_key_issue(team=w.team1, by=None, name="Practice record")
    _, w.api_key2_raw = api_key_issue(team=w.team2, by=None, name="Other practice")
    revoked, w.api_key_revoked_raw = api_key_issue(team=w.team1, by=None, name="Old system")
    api_key_revoke(key=revoked, by=None)
    w.england_run = EnglandRun.objects.create(
        status=EnglandRun.Status.DONE, districts_total=1, districts_done=1
    )
    w.england_run.file.save("england-gaps.csv", ContentFile(b"Local authority code\n"))
    w.wellbeing = wellbeing_score_record(
        person=w.person,
        by=facilitator,
        measure=wellbeing_measure_ons4(),
        answers={"life_satisfaction": 4, "worthwhile": 5, "happiness": 3, "anxiety": 6},
        taken_on=None,
        occasion="start",
    )

    # A feed harvested twice: the second harvest changes an activity a moderator took over
    # (a change to decide) and no longer has another (no longer in the feed).
    w.harvest_feed = harvest_services.feed_source_get_or_create(
        name=HARVEST_FEED_NAME, url="https://merton.example.invalid/openreferral/"
    )
    kept = harvested_service()
    gone = harvested_service(id="0d9f5f53-0d3a-4b8e-9a43-6a5a7c1b0002", name=HARVESTED_GONE_TITLE)

    def harvest(records):
        run = harvest_services.harvest_run_create(source=w.harvest_feed, origin="world.json")
        items = [Item(position=n, data=r, source_id=r["id"]) for n, r in enumerate(records, 1)]
        return harvest_services.harvest_items(run=run, items=items, complete=True)

    harvest([kept, gone])
    w.harvest_record = HarvestedRecord.objects.get(external_id=kept["id"])
    harvest_services.harvested_record_take_over(record=w.harvest_record, user=moderator)
    w.harvest_run = harvest([harvested_service(name=f"{HARVESTED_TITLE} at the library")])
    w.harvest_conflict = HarvestConflict.objects.get(record=w.harvest_record)
    w.harvest_org_record = HarvestedRecord.objects.get(
        source=w.harvest_feed, kind=HarvestedRecord.Kind.ORGANIZATION
    )
    w.harvest_term = TermMapping.objects.get(source=w.harvest_feed, key="term-exercise")

    # Rows made on first use (the site's settings, Wagtail's user profiles), made now so that
    # the only rows a request adds are the ones it means to.
    SiteSettings.for_site(Site.objects.get())
    for user in w.users.values():
        if user is not None:
            UserProfile.get_for_user(user)

    # The search index, for suggestions, the kiosk and /api/match.
    index_rebuild()
    return w
