"""The permission matrix: every role × every kind of object × every action, with the one answer
each cell must get, so that a leak anywhere fails the build.

Each cell is a real request through Django's test client, CSRF enforced, against the world of
tests/permissions/world.py (built once for the module). The roles, one column each:

    anon    an anonymous visitor
    ed_a    an editor of organisation A (its editors group, as approving a registration makes)
    ed_b    an editor of organisation B
    mod     a moderator (Wagtail's Moderators group, with the directory's rights)
    fac1    a facilitator of team 1          lead1   team 1's team lead
    fac2    a facilitator of team 2          lead2   team 2's team lead
    comm    a commissioner (the Commissioners group: matching.view_aggregates)
    su      a superuser, as a control: it may do whatever the code does not refuse everyone

Answers, after normalising how Django, Wagtail and our views say them:

    ALLOW   done: a GET answered 200 (a listing, or a page, that names an object shows it); a
            POST answered 2xx or redirected on success, having made the change it asks for.
    LOGIN   redirect to a sign-in page (anonymous visitors only).
    DENY    refused: 403, Wagtail's redirect to the admin home with "Sorry, you do not have
            permission", Wagtail's redirect of a signed-in account without admin access back to
            the admin's sign-in page, or any other redirect of a GET (the page explorer sends an
            editor from another organisation's pages to their own).
    HIDDEN  404: people's records never reveal that they exist to other teams.
    ABSENT  answered (200), but the object named is not in it: a listing narrowed to the
            reader's own objects.
    NOOP    a POST that was answered (a form shown again, a redirect, a list of what may not
            be done) without the change being made: a form that refuses a choice outside the
            reader's rights, Wagtail's bulk actions skipping what the reader may not touch.

Anything that is not ALLOW leaves the database as it was (every table's row count, and the
object's own state), except what a row's comment says a NOOP writes instead. The matrix is read
row by row: one action, then one answer per role.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    Page,
    PageViewRestriction,
    Site,
    Workflow,
    WorkflowState,
)

from assets_directory.models import (
    Activity,
    Category,
    Condition,
    GroupRegistration,
    ListingClaim,
    ListingReport,
    Venue,
)
from casework.models import CaseNote, WellbeingScore
from cms.models import SiteSettings
from coproduction.models import (
    Ask,
    CapabilityItem,
    CapabilityProfile,
    CapabilityTerm,
    DeliveryLog,
    GroupLeader,
    GroupLink,
    Partnership,
    PartnershipDocument,
    PartnershipGroup,
    PrincipleEvidence,
    ReadinessAssessment,
    Review,
    ServiceLine,
    SurveyResponse,
)
from coproduction.models.people import READINESS_AREAS
from harvest.models import (
    DuplicatePair,
    FeedSource,
    HarvestConflict,
    HarvestedRecord,
    HarvestRun,
    TermMapping,
)
from insights.models import EnglandRun
from matching.kiosk import state_seal
from matching.models import (
    Consent,
    FollowUp,
    NetworkMap,
    Person,
    Plan,
    Preferences,
    Team,
    TeamMembership,
)
from openreferral import ids as oruk_ids
from referrals.links import group_token
from referrals.models import ApiKey, Referral
from search.models import Concept, ZeroResultSearch
from tests.assets_directory.test_permissions import edit_post_data
from tests.db import row_counts
from tests.matching.test_preferences_views import PREFERENCES_POST

from .world import (
    ASK_TITLE,
    B_ACTIVITY_TITLE,
    CLAIMANT_NAME,
    DOCUMENT_TITLE,
    DRAFT_TITLE,
    DUPLICATE_REASONS,
    HARVEST_FEED_NAME,
    HARVESTED_GONE_TITLE,
    HARVESTED_TITLE,
    HIDDEN_LEADER_EMAIL,
    HIDDEN_LEADER_NAME,
    IMAGE_B_TITLE,
    IMAGE_TITLE,
    LEADER_EMAIL,
    LEADER_NAME,
    NO_RESULTS_TERMS,
    PARTNERSHIP_TITLE,
    REGISTRATION_NAME,
    REPORT_MESSAGE,
    ROLES,
    UNCLAIMED_TITLE,
    World,
    build_world,
)

# The matrix ---------------------------------------------------------------------------------
# Objects: team 1's person (and their plan); organisation A's page, its live activity and A's
# image and document; organisation B's live activity (locked by the moderator) and B's draft,
# waiting for moderation; a venue in use and a spare one; teams 1 and 2; a pending group
# registration, a problem report, a search with no results.

MATRIX = """
                         anon   ed_a   ed_b   mod    fac1   lead1  fac2   lead2  svc1   svc2   comm   su

# People's records. Only their own team's facilitators and leads; another team gets 404 (a
# reference cannot be probed); the directory's roles and the superuser get 403: records are not
# in the admin. Any of the team's facilitators may erase a record (it is audited).
people             GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  ABSENT ABSENT DENY   DENY   DENY   DENY
caseload           GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  ABSENT ABSENT DENY   DENY   DENY   DENY
person.add         GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  ALLOW  ALLOW  DENY   DENY   DENY   DENY
# ...into team 1: team 2's form offers only team 2.
person.add         POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  NOOP   NOOP   DENY   DENY   DENY   DENY
person             GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.details     GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.details     POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.consent     GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.consent     POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.network     GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.network     POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
# Adding a group they joined through a referral (offered on the network page) to their map.
person.network_add POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.compare     GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.preferences GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.preferences POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.top_three   GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.top_three   POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.needs       GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.needs       POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.about       GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.about       POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.suggestions GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.suggestions POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.plan        GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.plan_email  POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.follow_up   GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.follow_up   POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.refer       GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.refer       POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
# Referring from an activity's page: the link worker's own people to choose from, then the form.
refer.choose       GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  ABSENT ABSENT DENY   DENY   DENY   DENY
person.refer_page  GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.refer_page  POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.referral    GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.referral    POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.gp_message  GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.wellbeing   GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.wellbeing   POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.case        GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.case        POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.export_json GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.export      GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.erase       GET   LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
person.erase       POST  LOGIN  DENY   DENY   DENY   ALLOW  ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
# The audit log is the team lead's alone; it is 404 to a facilitator of the same team.
team1.audit        GET   LOGIN  DENY   DENY   DENY   HIDDEN ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
# So are the keys other systems use for the referral API (shown once, made and revoked by leads).
team1.api_keys     GET   LOGIN  DENY   DENY   DENY   HIDDEN ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
team1.api_keys     POST  LOGIN  DENY   DENY   DENY   HIDDEN ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
team1.api_key_off  POST  LOGIN  DENY   DENY   DENY   HIDDEN ALLOW  HIDDEN HIDDEN DENY   DENY   DENY   DENY
insights           GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.referrals GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.gaps      GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.gaps_csv  GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.first_csv GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.map       GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.map_csv   GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.trends    GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.trends_csv GET  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.report    GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.report_csv GET  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.england   GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.england_run POST LOGIN DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.england_progress GET LOGIN DENY DENY  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.england_csv GET LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.england_table_csv GET LOGIN DENY DENY DENY DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
# Searches that found nothing, counted: commissioners and moderators (who keep the directory).
insights.searches  GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
insights.searches_csv GET LOGIN DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW

# Coproduction. A service team's members see and act on their team's asks and partnerships
# (svc1 leads team 1, svc2 is in team 2); a group's editors see the partnerships their group is
# in and accept them (A is invited by team 1); commissioners and moderators, and the superuser,
# see everything and change nothing. To anyone else who takes part, another team's ask or
# partnership is 404.
copro.home         GET   LOGIN  ABSENT DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  ABSENT ALLOW  ALLOW
copro.matrix       GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  ABSENT ALLOW  ALLOW
copro.matrix_csv   GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  ABSENT ALLOW  ALLOW
copro.commission   GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
copro.commission_csv GET LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
copro.ask          GET   LOGIN  HIDDEN DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  HIDDEN ALLOW  ALLOW
copro.ask_add      GET   LOGIN  HIDDEN DENY   HIDDEN DENY   DENY   DENY   DENY   ALLOW  HIDDEN HIDDEN HIDDEN
copro.ask_add      POST  LOGIN  HIDDEN DENY   HIDDEN DENY   DENY   DENY   DENY   ALLOW  HIDDEN HIDDEN HIDDEN
copro.propose      POST  LOGIN  HIDDEN DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  HIDDEN DENY   DENY
copro.partnership  GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  HIDDEN ALLOW  ALLOW
copro.move         POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  HIDDEN DENY   DENY
copro.accept       POST  LOGIN  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   HIDDEN DENY   DENY
# Delivery and reviews are logged by the team; each partner (the team, each group) answers the
# review's survey once.
copro.delivery     POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  HIDDEN DENY   DENY
copro.review       POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  HIDDEN DENY   DENY
copro.survey       POST  LOGIN  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  HIDDEN DENY   DENY
# A partnership's documents: opened by whoever sees the partnership (moderators too), added by its
# partners, removed by whoever added one (A's editor, here) or its service team.
copro.document     GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  HIDDEN ALLOW  ALLOW
copro.document_add POST  LOGIN  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  HIDDEN DENY   DENY
copro.document_del POST  LOGIN  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  HIDDEN DENY   DENY
# Evidence of NHS England's ten principles: logged from a partnership's page by its team and by
# moderators; commissioners read it, and download it with their report.
copro.evidence     POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  HIDDEN DENY   ALLOW
copro.evidence_csv GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   ALLOW  ALLOW
# A group's links with other groups: kept by its editors and moderators, like its profile; 404
# to anyone else. A link is ended through either of its groups' pages (here A's).
copro.links        GET   LOGIN  ALLOW  HIDDEN ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN ALLOW
copro.link_add     POST  LOGIN  ALLOW  HIDDEN ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN ALLOW
copro.link_end     POST  LOGIN  ALLOW  HIDDEN ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN ALLOW
# Changing an ask: its team's members, and moderators (coproduction.change_ask); a commissioner
# sees it and may not change it; to others who take part it is 404.
copro.ask_edit     GET   LOGIN  HIDDEN DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  HIDDEN DENY   ALLOW
copro.ask_edit     POST  LOGIN  HIDDEN DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  HIDDEN DENY   ALLOW
# Coproduction's vocabulary (capability terms, service lines): moderators keep it in the admin.
# A term or service line in use is not deleted, even by an administrator.
term.add           POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
term.edit          POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
term.delete        POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
term_in_use.del    POST  LOGIN  DENY   DENY   NOOP   DENY   DENY   DENY   DENY   DENY   DENY   DENY   NOOP
serviceline.add    POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
serviceline_in_use.del POST LOGIN DENY DENY   NOOP   DENY   DENY   DENY   DENY   DENY   DENY   DENY   NOOP
# The network map: for everyone who takes part, moderators too. A partnership one may not open is
# on it as "a partnership": team 2's member sees team 1's partnership there, but not its title.
copro.network      GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  ABSENT ALLOW  ALLOW
copro.network_csv  GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  ABSENT ALLOW  ALLOW
copro.network_graphml GET LOGIN ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  ABSENT ALLOW  ALLOW
# A group's capability profile: kept by its editors, verified by moderators, read by service
# teams and commissioners; 404 to anyone else.
copro.profile      GET   LOGIN  ALLOW  HIDDEN ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN ALLOW  ALLOW  ALLOW  ALLOW
copro.profile      POST  LOGIN  ALLOW  HIDDEN DENY   HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN DENY
copro.verify       POST  LOGIN  DENY   HIDDEN ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN ALLOW
# A group's leaders and connectors: kept by its editors alone (404 to anyone else, moderators
# included). Those who have agreed are on the group's profile and written to through the site by
# service teams, commissioners and moderators (403 to anyone else); one who has not agreed is 404
# to them all. No page anywhere in the matrix holds a leader's e-mail address (test_row).
copro.leaders      GET   LOGIN  ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN
copro.leaders      POST  LOGIN  ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN
copro.leader_edit  GET   LOGIN  ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN
copro.leader_edit  POST  LOGIN  ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN
copro.leader_consent POST LOGIN ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN
copro.leader_withdraw POST LOGIN ALLOW HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN
copro.leader_delete POST LOGIN  ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN
copro.profile_leaders GET LOGIN ALLOW  HIDDEN ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN ALLOW  ALLOW  ALLOW  ALLOW
copro.contact      GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  ALLOW  ALLOW  ALLOW
copro.contact      POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   ALLOW  ALLOW  ALLOW  ALLOW
copro.contact_hidden GET LOGIN  DENY   DENY   HIDDEN DENY   DENY   DENY   DENY   HIDDEN HIDDEN HIDDEN HIDDEN
# A group's readiness: assessed by its editors, read by moderators and commissioners, reviewed by
# moderators from their waiting list.
copro.readiness    GET   LOGIN  ALLOW  HIDDEN ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN ALLOW  ALLOW
copro.readiness    POST  LOGIN  ALLOW  HIDDEN DENY   HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN DENY   DENY
copro.readiness_detail GET LOGIN ALLOW HIDDEN ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN ALLOW  ALLOW
copro.readiness_waiting GET LOGIN DENY DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
copro.readiness_review GET LOGIN DENY HIDDEN ALLOW  HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN DENY   ALLOW
copro.readiness_review POST LOGIN DENY HIDDEN ALLOW HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN DENY   ALLOW

# A's live activity in the Wagtail admin. Editors change their own pages through moderation:
# no publishing, unpublishing, deleting, moving, locking or privacy settings.
a.edit             GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.edit             POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# A's editor's "publish" saves a draft (that is all it writes): it goes live only through
# moderation.
a.publish          POST  LOGIN  NOOP   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.submit           POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.preview          POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.view_draft       GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.history          GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.usage            GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.unpublish        GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.unpublish        POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.delete           GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.delete           POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# Wagtail's bulk actions list what the reader may not delete, and delete nothing.
a.bulk_delete      POST  LOGIN  NOOP   NOOP   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.copy             GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.copy             POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.move             GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.move_to_b        POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.lock             POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.privacy          POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.public           GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
b.unlock           POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# Calendar files (.ics) of the session times of a live activity and of a live organisation's
# listed activities: anyone's. A draft's calendar is never public (below).
a.calendar         GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
org_a.calendar     GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW

# Organisation A's own page. Nobody copies an organisation, not even a superuser: a copy would
# be a second listing of one group, with nobody's rights (OrganisationPermissionTester).
# Deleting a page with activities under it takes Wagtail's bulk_delete right, which only
# administrators have: a moderator unpublishes.
org_a.edit         GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
org_a.add_activity GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
org_a.add_activity POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
org_a.copy         GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY
org_a.delete       POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW

# B's unpublished draft: B's editor may work on it (and delete it: it was never live), nobody
# else but moderators; only moderators review (task_preview) and approve it; it is never public,
# nor is its "report a problem" page or its calendar file.
draft.edit         GET   LOGIN  DENY   ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
draft.view_draft   GET   LOGIN  DENY   ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
draft.revision     GET   LOGIN  DENY   ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
draft.history      GET   LOGIN  DENY   ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
draft.compare      GET   LOGIN  DENY   ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
draft.workflow     GET   LOGIN  DENY   ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
draft.task_preview GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
draft.approve      POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
draft.delete       POST  LOGIN  DENY   ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
draft.public       GET   HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN
draft.report       GET   HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN
draft.calendar     GET   HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN

# Listings of pages, asked for B's draft (B's page, or B's live activity): never shown to A's
# editor.
chooser.search     GET   LOGIN  ABSENT ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
chooser.browse_dir GET   LOGIN  ABSENT ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
chooser.browse_b   GET   LOGIN  HIDDEN ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
pages.search       GET   LOGIN  ABSENT ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
pages.search_more  GET   LOGIN  ABSENT ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
pages.of_type      GET   LOGIN  ABSENT ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
explore_b          GET   LOGIN  DENY   ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
api.pages_search   GET   LOGIN  ABSENT ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
api.draft          GET   LOGIN  HIDDEN ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
dashboard          GET   LOGIN  ABSENT ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
report.history     GET   LOGIN  ABSENT ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
report.history_more GET   LOGIN  ABSENT ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
report.page_types  GET   LOGIN  ABSENT ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
report.workflows   GET   LOGIN  ABSENT ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
report.tasks       GET   LOGIN  ABSENT ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# Wagtail lists the pages the reader may publish (editors: none), and locked pages to those who
# may unlock them.
report.aging       GET   LOGIN  ABSENT ABSENT ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
report.locked      GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW

# A's image and document, in A's collection. A's editor manages them; B's never sees them.
images             GET   LOGIN  ALLOW  ABSENT ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
image.chooser      GET   LOGIN  ALLOW  ABSENT ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
image.chosen       GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
image.edit         GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
image.edit         POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
image.edit_multi   POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
image.usage        GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
image.delete       GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
image.delete       POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
image.delete_multi POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# An upload naming B's collection: A's editor's lands in A's collection, the only one offered.
image.add_to_b     POST  LOGIN  NOOP   ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
image.bulk_delete  POST  LOGIN  ALLOW  NOOP   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# B's image: A's editor can neither open it nor give it to A's activity (the form refuses a
# forged choice, whoever makes it: a group's pages show its own pictures).
image_b.edit       GET   LOGIN  DENY   ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
image_b.chosen     GET   LOGIN  DENY   ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.photo_a          POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
a.photo_b          POST  LOGIN  NOOP   DENY   NOOP   DENY   DENY   DENY   DENY   DENY   DENY   DENY   NOOP
documents          GET   LOGIN  ALLOW  ABSENT ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
document.chooser   GET   LOGIN  ALLOW  ABSENT ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
document.chosen    GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
document.edit      GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
document.edit      POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
document.usage     GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
document.delete    GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
document.delete    POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
document.add_to_b  POST  LOGIN  NOOP   ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
document.bulk_del  POST  LOGIN  ALLOW  NOOP   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# Documents in a collection without privacy settings are public files (linked from pages).
document.serve     GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW

# Venues are shared: editors list them and add new ones; only moderators change or delete
# shared ones. A venue that live activities use is not deleted, even by a moderator.
venues             GET   LOGIN  ALLOW  ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
venue.add          GET   LOGIN  ALLOW  ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
venue.add          POST  LOGIN  ALLOW  ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
venue.edit         GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
venue.edit         POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
venue.delete       GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
venue.delete       POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
venue_in_use.del   POST  LOGIN  DENY   DENY   NOOP   DENY   DENY   DENY   DENY   DENY   DENY   DENY   NOOP
# A group's editors correct the venues their group added, not another group's; they add one
# from the activity form's venue chooser as from the venue list.
venue_a.edit       GET   LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
venue_a.edit       POST  LOGIN  ALLOW  DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
venue_a.delete     POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
venue.chooser_add  POST  LOGIN  ALLOW  ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW

# Teams and who is in them: administrators only. A team lead cannot add people to a team.
teams              GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
team.add           POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
team.edit          GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
team.edit          POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# Team 1 holds a person's record: not deleted, even by an administrator (records are erased one
# by one). Team 2 holds none.
team.delete        POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   NOOP
team2.delete       POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
memberships        GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
membership.add     POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
membership.edit    POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
membership.delete  POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW

# The directory's moderation: group registrations, problem reports, searches with no results.
admin.home         GET   LOGIN  ALLOW  ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# The activity editor's session preview (words and next dates) is for anyone editing activities;
# it reads nothing stored but the public school holidays.
session_preview    GET   LOGIN  ALLOW  ALLOW  ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
registrations      GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
registration       GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
registration.decide GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
registration.decide POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# The review queue: B's draft waiting for approval and the pending registration, each decided
# in one POST. Only moderators (and the superuser); editors cannot approve even their own.
review             GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
review.approve     POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
review.changes     POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
review.reg.approve POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
review.reg.changes POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# A's venue, added by A's editors: its editors cannot pass it as checked themselves.
review.venue.approve POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
review.venue.changes POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
reports            GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
report             GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
report.edit        POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
report.delete      POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# Claims on a listing nobody looks after: moderators see and decide them; no group's editor sees
# anyone's claims.
claims             GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
claim              GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
claim.decide       GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
claim.decide       POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
review.claim.approve POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
review.claim.changes POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
no_results         GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
no_results.csv     GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# Evidence of gaps is kept: moderators read it and cannot delete it.
no_results.delete  POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
# Likely duplicates across harvested sources: moderators decide.
duplicates         GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
duplicate.decide   POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
category.add       POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
condition.add      POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
concept.add        POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW

# Harvesting other directories' feeds: moderators and administrators only, every page and every
# decision (a feed, harvest now, the crosswalk, a change to decide, taking a record over).
harvest.feeds      GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.feed_add   GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.feed_add   POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.feed       GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.feed_edit  GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.feed_edit  POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.now        POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.run        GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.records    GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.gone       GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.record     GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.take_over  POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.give_back  POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.terms      GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.term       POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.conflicts  GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.conflict   GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.accept     POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
harvest.refuse     POST  LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW

# The site's administration: administrators only.
users              GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
user.edit          POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
groups             GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
group.edit         GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
settings           GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
settings           POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
workflows          GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
workflow.disable   POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
workflow.tasks     GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
collections        GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
collection.edit    POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
sites              GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
redirects          GET   LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
redirect.add       POST  LOGIN  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW

# Public: anyone, signed in or not, and nothing about the visitor is stored.
kiosk              GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
kiosk.place        POST  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
api.match          POST  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
# The commissioners' open data: supply and gaps by area, nothing personal, for anyone.
api.insights_gaps  GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
# A group answers a referral through the signed link in its e-mail: the link is the key,
# whoever holds it, with no sign-in; a link changed by hand opens nothing, for anyone.
referral.answer    GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
referral.answer    POST  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
referral.bad_link  GET   HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN
# Anyone may ask to look after a listing nobody looks after; a listing its group looks after
# cannot be claimed by anyone (409).
claim_page         GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
claim_page         POST  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
org_a.claim        GET   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY
org_a.claim        POST  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY

# The Open Referral feed: anyone's, without a key, and read only (a POST is 405, a refusal). A
# draft is never in it, whoever asks: the feed is what the public directory lists.
oruk.root          GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
oruk.services      GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
oruk.services      POST  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY
oruk.service       GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
oruk.service       POST  DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY
oruk.draft         GET   HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN
oruk.sals          GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
oruk.sal           GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
oruk.draft_sal     GET   HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN HIDDEN
oruk.orgs          GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
oruk.org           GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
oruk.taxonomies    GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
oruk.taxonomy      GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
oruk.terms         GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
oruk.term          GET   ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW  ALLOW
# Its exports, in the admin (Reports, "Export the directory"): the page and a download, for
# moderators and administrators only. The download holds what the feed lists, no drafts.
oruk.export        GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
oruk.export_json   GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
oruk.export_csv    GET   LOGIN  DENY   DENY   ALLOW  DENY   DENY   DENY   DENY   DENY   DENY   DENY   ALLOW
"""

ANSWERS = ("ALLOW", "LOGIN", "DENY", "HIDDEN", "ABSENT", "NOOP")


def parse_matrix(text: str) -> dict[tuple[str, str], dict[str, str]]:
    rows = {}
    lines = [line for line in text.splitlines() if line.strip()]
    header, *body = lines
    assert tuple(header.split()) == ROLES, header
    for line in body:
        if line.lstrip().startswith("#"):
            continue
        name, method, *answers = line.split()
        assert len(answers) == len(ROLES), line
        assert set(answers) <= set(ANSWERS), line
        assert (name, method) not in rows, f"{name} {method} is listed twice"
        rows[name, method] = dict(zip(ROLES, answers, strict=True))
    return rows


EXPECTED = parse_matrix(MATRIX)


# How each action is asked --------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One action on one object. `url` and `data` are worked out from the world.

    shows: text that the answer names when allowed (a listing's object, a page's title); a
        200 without it is ABSENT.
    state: what a POST changes when allowed; read before and after the request.
    data: the POST's form data (JSON when `json` is set).
    csrf: whether the POST is a form that needs Django's CSRF token (everything but the API).
    stores_nothing: the database must be unchanged even when allowed (kiosk, match API).
    noop_writes: what a NOOP answer still writes, if anything (the row's comment says why).
    """

    url: Callable[[World], str]
    data: Callable[[World], dict] | None = None
    shows: Callable[[World], str] | None = None
    state: Callable[[World], object] | None = None
    json: bool = False
    csrf: bool = True
    stores_nothing: bool = False
    noop_writes: str = ""


# The refer form, filled in as little as it may be.
REFER_FORM = {
    "first_name": "Jo", "contact": "", "contact_by": "phone", "help_with": "",
    "access_needs": "", "consent_to_share": "on", "consent_method": "spoken",
}  # fmt: skip


def person_url(name, *args):
    return lambda w: reverse(f"matching:{name}", args=[w.person.reference, *args])


def page_url(name, page, *args):
    return lambda w: reverse(f"wagtailadmin_pages:{name}", args=[getattr(w, page).pk, *args])


def snippet_url(model, view, obj=None):
    name = f"wagtailsnippets_{model}:{view}"
    if obj is None:
        return lambda w: reverse(name)
    return lambda w: reverse(name, args=[getattr(w, obj).pk])


def bulk_url(app_label, model, obj):
    return lambda w: (
        reverse("wagtail_bulk_action", args=[app_label, model, "delete"])
        + "?"
        + urlencode({"id": getattr(w, obj).pk})
    )


def query(url_name, *args, **params):
    return lambda w: f"{reverse(url_name, args=args)}?{urlencode(params)}"


def exists(model, obj):
    return lambda w: model.objects.filter(pk=getattr(w, obj).pk).exists()


def field_of(model, obj, name):
    return lambda w: (
        model.objects.filter(pk=getattr(w, obj).pk).values_list(name, flat=True).first()
    )


def count(model, **lookups):
    """Rows of `model`; a lookup given as a function of the world is worked out first."""
    return lambda w: model.objects.filter(
        **{k: v(w) if callable(v) else v for k, v in lookups.items()}
    ).count()


def activity_edit(w, **changes):
    return edit_post_data(Activity.objects.get(pk=w.activity_a.pk), **changes)


def draft_photo(w):
    """The photo of A's activity in its latest revision (what an editor's save writes)."""
    revision = Page.objects.get(pk=w.activity_a.pk).latest_revision
    return revision.content.get("photo") if revision else None


def in_progress(w):
    return WorkflowState.objects.filter(
        base_content_type__isnull=False,
        object_id=str(w.activity_a.pk),
        status=WorkflowState.STATUS_IN_PROGRESS,
    ).count()


def draft_workflow_status(w):
    return (
        WorkflowState.objects.filter(object_id=str(w.draft_b.pk))
        .values_list("status", flat=True)
        .first()
    )


def venue_data(name):
    return {
        "name": name,
        "address_1": "2 Garratt Lane",
        "address_2": "",
        "town": "London",
        "postcode": "SW18 4DJ",
        "latitude": "51.4489",
        "longitude": "-0.1971",
        "accessibility_notes": "",
    }


def user_edit_data(w):
    user = w.users["ed_a"]
    return {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "password1": "",
        "password2": "",
        "is_active": "on",
        "is_superuser": "on",
        "groups": [g.pk for g in user.groups.all()],
    }


PERSON_DETAILS = {
    "person-display_name": "Jo Bloggs",
    "person-postcode": "SW18 1AA",
    "person-email": "jo@example.org",
    "person-phone": "",
}
CONSENT = {
    "consent-keep_record": "on",
    "consent-contact_by_email": "on",
    "consent-count_in_statistics": "on",
    "consent-method": "written",
}
NETWORK = {
    "members-TOTAL_FORMS": "1",
    "members-INITIAL_FORMS": "0",
    "members-MIN_NUM_FORMS": "0",
    "members-MAX_NUM_FORMS": "60",
    "members-0-label": "Mum",
    "members-0-kind": "family",
    "members-0-circle": "1",
    "map-note": "",
}
TOP_THREE = {"top_three": ["walking"], "order-walking": "1"}
NEEDS = {"needs": ["active"], "priority-active": "1", "words-active": "Get out more"}
MATCH = {"near": "SW18 4DJ", "top_three": ["arts-and-crafts"]}


ACTIONS: dict[str, Action] = {
    # People's records
    "people": Action(lambda w: reverse("matching:people"), shows=lambda w: w.person.display_name),
    "person.add": Action(
        lambda w: reverse("matching:person_add"),
        data=lambda w: {
            "consent-keep_record": "on",
            "consent-method": "spoken",
            "person-display_name": "Sam K",
            "person-postcode": "SW18 2PU",
            "team-team": w.team1.pk,
        },
        state=count(Person, team=lambda w: w.team1),
    ),
    "person": Action(person_url("person"), shows=lambda w: w.person.display_name),
    "person.refer": Action(
        lambda w: reverse("referrals:refer", args=[w.person.reference]) + f"?item={w.plan_item.pk}",
        data=lambda w: {"item": w.plan_item.pk, **REFER_FORM},
        shows=lambda w: w.plan_item.title,
        state=count(Referral),
    ),
    "refer.choose": Action(
        lambda w: reverse("referrals:refer_choose", args=[w.activity_a.pk]),
        shows=lambda w: f"Refer {w.person.display_name}",
    ),
    "person.refer_page": Action(
        lambda w: (
            reverse("referrals:refer", args=[w.person.reference]) + f"?activity={w.activity_a.pk}"
        ),
        data=lambda w: {"activity": w.activity_a.pk, **REFER_FORM},
        shows=lambda w: w.activity_a.title,
        state=count(Referral),
    ),
    "person.gp_message": Action(
        lambda w: reverse("referrals:gp_message", args=[w.person.reference, w.referral.reference]),
    ),
    "caseload": Action(
        lambda w: reverse("casework:caseload") + "?worker=",
        shows=lambda w: w.person.display_name,
    ),
    "person.case": Action(
        lambda w: reverse("casework:case", args=[w.person.reference]),
        data=lambda w: {"action": "note", "note-text": "Rang to ask how the walk went."},
        shows=lambda w: "Add the note",
        state=count(CaseNote, person=lambda w: w.person),
    ),
    "person.wellbeing": Action(
        lambda w: reverse("casework:wellbeing", args=[w.person.reference]),
        data=lambda w: {
            "measure": "ons4",
            "life_satisfaction": "7",
            "worthwhile": "6",
            "happiness": "6",
            "anxiety": "4",
            "taken_on": timezone.localdate().isoformat(),
            "occasion": "follow_up",
        },
        shows=lambda w: "Record a score",
        state=count(WellbeingScore, person=lambda w: w.person),
    ),
    "person.referral": Action(
        lambda w: reverse("referrals:detail", args=[w.person.reference, w.referral.reference]),
        data=lambda w: {"status": "cancelled", "reason": "no_reply", "note": ""},
        shows=lambda w: w.referral.activity_title,
        state=field_of(Referral, "referral", "status"),
    ),
    "person.details": Action(
        person_url("person_edit"),
        data=lambda w: PERSON_DETAILS,
        state=field_of(Person, "person", "display_name"),
    ),
    "person.consent": Action(
        person_url("consent"),
        data=lambda w: CONSENT,
        state=count(Consent, person=lambda w: w.person),
    ),
    "person.network": Action(
        person_url("network"),
        data=lambda w: NETWORK,
        state=count(NetworkMap, person=lambda w: w.person),
    ),
    "person.network_add": Action(
        person_url("network_add_suggested"),
        data=lambda w: {"suggestion": f"referral-{w.joined.reference}"},
        state=count(NetworkMap, person=lambda w: w.person),
    ),
    "person.compare": Action(person_url("network_compare")),
    "person.preferences": Action(
        person_url("preferences"),
        data=lambda w: PREFERENCES_POST,
        state=lambda w: Preferences.objects.get(person=w.person).interests,
    ),
    "person.top_three": Action(
        person_url("top_three"),
        data=lambda w: TOP_THREE,
        state=lambda w: Preferences.objects.get(person=w.person).top_three,
    ),
    "person.needs": Action(
        person_url("needs"),
        data=lambda w: NEEDS,
        state=lambda w: list(w.person.needs.values_list("need", flat=True)),
    ),
    "person.about": Action(
        person_url("about"),
        data=lambda w: {"age_band": "65_plus", "single_sex": "", "young_children": "on"},
        state=lambda w: (
            Preferences.objects.filter(person=w.person)
            .values_list("age_band", "young_children")
            .first()
        ),
    ),
    "person.suggestions": Action(
        person_url("suggestions"),
        data=lambda w: {"activities": [w.activity_a.pk], "notes": "Try it on Tuesday"},
        state=count(Plan, person=lambda w: w.person),
    ),
    "person.plan": Action(lambda w: reverse("matching:plan", args=[w.person.reference, w.plan.pk])),
    "person.plan_email": Action(
        lambda w: reverse("matching:plan_email", args=[w.person.reference, w.plan.pk]),
        data=lambda w: {},
        state=lambda w: len(mail.outbox),
    ),
    "person.follow_up": Action(
        person_url("follow_up"),
        data=lambda w: {
            "item": w.plan_item.pk,
            f"item-{w.plan_item.pk}-went": "yes",
            f"item-{w.plan_item.pk}-kept_going": "yes",
        },
        state=count(FollowUp, item=lambda w: w.plan_item),
    ),
    "person.export_json": Action(person_url("export_json"), shows=lambda w: w.person.display_name),
    "person.export": Action(person_url("export_print"), shows=lambda w: w.person.display_name),
    "person.erase": Action(
        person_url("erase"), data=lambda w: {"confirm": "on"}, state=exists(Person, "person")
    ),
    "team1.audit": Action(lambda w: reverse("matching:audit_log", args=[w.team1.slug])),
    "team1.api_keys": Action(
        lambda w: reverse("referrals:api_keys", args=[w.team1.slug]),
        data=lambda w: {"name": "Another system"},
        shows=lambda w: "Practice record",
        state=count(ApiKey, team=lambda w: w.team1),
    ),
    "team1.api_key_off": Action(
        lambda w: reverse("referrals:api_keys", args=[w.team1.slug]),
        data=lambda w: {"revoke": w.api_key.pk},
        state=field_of(ApiKey, "api_key", "revoked_at"),
    ),
    "insights": Action(lambda w: reverse("matching:insights")),
    "insights.referrals": Action(lambda w: reverse("referrals:figures")),
    "insights.gaps": Action(lambda w: reverse("insights:gaps"), shows=lambda w: "Where the gaps"),
    "insights.gaps_csv": Action(
        lambda w: reverse("insights:gaps") + "?format=csv", shows=lambda w: "Gap score"
    ),
    "insights.first_csv": Action(
        lambda w: reverse("insights:gaps") + "?format=first-csv", shows=lambda w: "Gap added up"
    ),
    "insights.map": Action(lambda w: reverse("insights:map"), shows=lambda w: "small areas"),
    "insights.trends": Action(lambda w: reverse("insights:trends"), shows=lambda w: "Trends in"),
    "insights.trends_csv": Action(
        lambda w: reverse("insights:trends") + "?format=csv", shows=lambda w: "Month or quarter"
    ),
    "insights.report": Action(
        lambda w: reverse("insights:report"), shows=lambda w: "Where to coproduce first"
    ),
    "insights.report_csv": Action(
        lambda w: reverse("insights:report") + "?format=csv", shows=lambda w: "Share of residents"
    ),
    "insights.england": Action(lambda w: reverse("insights:england"), shows=lambda w: "England"),
    # Queued, not run: the run itself is the service's (tests/insights/test_england.py).
    "insights.england_run": Action(
        lambda w: reverse("insights:england"), data=lambda w: {}, state=count(EnglandRun)
    ),
    "insights.england_progress": Action(
        lambda w: reverse("insights:england_progress", args=[w.england_run.pk]),
        shows=lambda w: "districts_done",
    ),
    "insights.england_csv": Action(
        lambda w: reverse("insights:england_csv", args=[w.england_run.pk]),
    ),
    "insights.england_table_csv": Action(
        lambda w: reverse("insights:england") + "?format=csv",
        shows=lambda w: "Local authority code",
    ),
    "insights.map_csv": Action(
        lambda w: reverse("insights:map") + "?format=csv", shows=lambda w: "IMD decile"
    ),
    # The world's one search with no results is counted by area; its words, searched once,
    # are folded into "Other words".
    "insights.searches": Action(
        lambda w: reverse("search:zero_results_report"), shows=lambda w: "SW18"
    ),
    "insights.searches_csv": Action(
        lambda w: reverse("search:zero_results_report") + "?format=words-csv",
        shows=lambda w: "Other words",
    ),
    # Coproduction
    "copro.home": Action(lambda w: reverse("coproduction:home"), shows=lambda w: ASK_TITLE),
    "copro.matrix": Action(lambda w: reverse("coproduction:matrix"), shows=lambda w: ASK_TITLE),
    "copro.matrix_csv": Action(
        lambda w: reverse("coproduction:matrix") + "?format=csv", shows=lambda w: ASK_TITLE
    ),
    "copro.commission": Action(
        lambda w: reverse("coproduction:commissioning"), shows=lambda w: "Coverage and gaps"
    ),
    "copro.commission_csv": Action(lambda w: reverse("coproduction:commissioning") + "?format=csv"),
    "copro.ask": Action(
        lambda w: reverse("coproduction:ask", args=[w.ask1.pk]), shows=lambda w: ASK_TITLE
    ),
    "copro.ask_add": Action(
        lambda w: reverse("coproduction:ask_add", args=[w.service_team1.slug]),
        data=lambda w: {
            "title": "Chair exercise for carers",
            "service_line": w.service_team1.service_line_id,
            "areas_text": "SW18",
            "status": "open",
        },
        state=count(Ask),
    ),
    "copro.propose": Action(
        lambda w: reverse("coproduction:ask_propose", args=[w.ask1.pk]),
        data=lambda w: {"organisations": [w.org_a.pk], "title": "A second round"},
        state=count(Partnership),
    ),
    "copro.partnership": Action(
        lambda w: reverse("coproduction:partnership", args=[w.partnership1.pk]),
        shows=lambda w: PARTNERSHIP_TITLE,
    ),
    "copro.move": Action(
        lambda w: reverse("coproduction:partnership_move", args=[w.partnership1.pk]),
        data=lambda w: {"to": "closed", "note": "The funding ended"},
        state=field_of(Partnership, "partnership1", "status"),
    ),
    "copro.accept": Action(
        lambda w: reverse("coproduction:partnership_accept", args=[w.partnership1.pk]),
        data=lambda w: {"organisation": w.org_a.pk},
        state=count(PartnershipGroup, accepted_at__isnull=False),
    ),
    "copro.delivery": Action(
        lambda w: reverse("coproduction:partnership_delivery", args=[w.reviewing.pk]),
        data=lambda w: {
            "period_start": "2027-01-01",
            "period_end": "2027-01-31",
            "sessions": "3",
            "people_reached": "25",
        },
        state=count(DeliveryLog),
    ),
    "copro.review": Action(
        lambda w: reverse("coproduction:partnership_review", args=[w.reviewing.pk]),
        data=lambda w: {"held_on": "2027-02-01", "level": "4"},
        state=count(Review),
    ),
    "copro.survey": Action(
        lambda w: reverse("coproduction:review_survey", args=[w.reviewing.pk, w.review.pk]),
        data=lambda w: dict.fromkeys(
            (
                "shared_purpose",
                "trust",
                "commitment",
                "clear_arrangements",
                "communication",
                "learning",
            ),
            "4",
        ),  # fmt: skip
        state=count(SurveyResponse),
    ),
    "copro.document": Action(
        lambda w: reverse(
            "coproduction:document", args=[w.reviewing.pk, w.partnership_document.pk]
        ),
        shows=lambda w: "Tea and talk notes",
    ),
    "copro.document_add": Action(
        lambda w: reverse("coproduction:document_upload", args=[w.reviewing.pk]),
        data=lambda w: {
            "title": "Second leaflet",
            "file": SimpleUploadedFile("leaflet.txt", b"Leaflet", content_type="text/plain"),
        },
        state=count(PartnershipDocument),
    ),
    "copro.document_del": Action(
        lambda w: reverse(
            "coproduction:document_delete", args=[w.reviewing.pk, w.partnership_document.pk]
        ),
        data=lambda w: {},
        state=count(PartnershipDocument),
    ),
    "copro.profile": Action(
        lambda w: reverse("coproduction:profile", args=[w.org_a.pk]),
        data=lambda w: {"summary": "We knit, natter and cook.", "areas_text": "SW17"},
        shows=lambda w: "Kitchen",
        state=lambda w: CapabilityProfile.objects.get(organisation=w.org_a).summary,
    ),
    "copro.verify": Action(
        lambda w: reverse("coproduction:profile_verify", args=[w.org_a.pk]),
        data=lambda w: {
            "item": CapabilityItem.objects.get(profile__organisation=w.org_a).pk,
            "evidence": "Seen on a visit",
        },
        state=lambda w: CapabilityItem.objects.get(profile__organisation=w.org_a).verified_on,
    ),
    "copro.evidence": Action(
        lambda w: reverse("coproduction:partnership_evidence", args=[w.reviewing.pk]),
        data=lambda w: {"principle": "vcse", "note": "The group hosts the sessions"},
        state=count(PrincipleEvidence),
    ),
    "copro.evidence_csv": Action(
        lambda w: reverse("coproduction:commissioning") + "?format=evidence-csv",
        shows=lambda w: "Principle in the guidance",
    ),
    "copro.links": Action(
        lambda w: reverse("coproduction:links", args=[w.org_a.pk]), shows=lambda w: w.org_b.title
    ),
    "copro.link_add": Action(
        lambda w: reverse("coproduction:links", args=[w.org_a.pk]),
        data=lambda w: {
            "to_organisation": w.org_b.pk,
            "kind": "referrals",
            "started_on": "2026-11-02",
            "note": "",
        },
        state=count(GroupLink),
    ),
    "copro.link_end": Action(
        lambda w: reverse("coproduction:link_end", args=[w.org_a.pk, w.link_ab.pk]),
        data=lambda w: {f"end-{w.link_ab.pk}-ended_on": w.link_ab.started_on.isoformat()},
        state=field_of(GroupLink, "link_ab", "ended_on"),
    ),
    "copro.ask_edit": Action(
        lambda w: reverse("coproduction:ask_edit", args=[w.ask1.pk]),
        data=lambda w: {
            "title": "Knitting and cooking in SW17",
            "service_line": w.ask1.service_line_id,
            "areas_text": "SW17",
            "status": "open",
        },
        shows=lambda w: ASK_TITLE,
        state=field_of(Ask, "ask1", "title"),
    ),
    "term.add": Action(
        snippet_url("coproduction_capabilityterm", "add"),
        data=lambda w: {"kind": "skill", "name": "Juggling", "slug": "skill-juggling"},
        state=count(CapabilityTerm, slug="skill-juggling"),
    ),
    "term.edit": Action(
        snippet_url("coproduction_capabilityterm", "edit", "term_spare"),
        data=lambda w: {"kind": "skill", "name": "Change ringing", "slug": w.term_spare.slug},
        state=field_of(CapabilityTerm, "term_spare", "name"),
    ),
    "term.delete": Action(
        snippet_url("coproduction_capabilityterm", "delete", "term_spare"),
        data=lambda w: {},
        state=exists(CapabilityTerm, "term_spare"),
    ),
    "term_in_use.del": Action(
        lambda w: reverse(
            "wagtailsnippets_coproduction_capabilityterm:delete",
            args=[CapabilityTerm.objects.get(slug="asset-kitchen").pk],
        ),
        data=lambda w: {},
        state=lambda w: CapabilityTerm.objects.filter(slug="asset-kitchen").exists(),
    ),
    "serviceline.add": Action(
        snippet_url("coproduction_serviceline", "add"),
        data=lambda w: {"name": "Falls prevention", "slug": "falls-prevention", "sort_order": "0"},
        state=count(ServiceLine, slug="falls-prevention"),
    ),
    "serviceline_in_use.del": Action(
        lambda w: reverse(
            "wagtailsnippets_coproduction_serviceline:delete",
            args=[w.service_team1.service_line_id],
        ),
        data=lambda w: {},
        state=lambda w: ServiceLine.objects.filter(pk=w.service_team1.service_line_id).exists(),
    ),
    "copro.network": Action(
        lambda w: reverse("coproduction:network"), shows=lambda w: PARTNERSHIP_TITLE
    ),
    "copro.network_csv": Action(
        lambda w: reverse("coproduction:network") + "?format=csv",
        shows=lambda w: PARTNERSHIP_TITLE,
    ),
    "copro.network_graphml": Action(
        lambda w: reverse("coproduction:network") + "?format=graphml",
        shows=lambda w: PARTNERSHIP_TITLE,
    ),
    "copro.leaders": Action(
        lambda w: reverse("coproduction:leaders", args=[w.org_a.pk]),
        data=lambda w: {
            "display_name": "Amina H.",
            "role": "health_champion",
            "email": "amina.private@leaders.example.net",
        },
        shows=lambda w: HIDDEN_LEADER_NAME,
        state=count(GroupLeader),
    ),
    "copro.leader_edit": Action(
        lambda w: reverse("coproduction:leader_edit", args=[w.org_a.pk, w.leader.pk]),
        data=lambda w: {"display_name": "Priya Sharma", "role": "leader", "email": ""},
        shows=lambda w: LEADER_NAME,
        state=field_of(GroupLeader, "leader", "display_name"),
    ),
    "copro.leader_consent": Action(
        lambda w: reverse("coproduction:leader_consent", args=[w.org_a.pk, w.leader_hidden.pk]),
        data=lambda w: {"given_on": timezone.localdate().isoformat(), "wording": "Yes"},
        state=field_of(GroupLeader, "leader_hidden", "consent_given_on"),
    ),
    "copro.leader_withdraw": Action(
        lambda w: reverse("coproduction:leader_withdraw", args=[w.org_a.pk, w.leader.pk]),
        data=lambda w: {},
        state=field_of(GroupLeader, "leader", "consent_withdrawn_on"),
    ),
    "copro.leader_delete": Action(
        lambda w: reverse("coproduction:leader_delete", args=[w.org_a.pk, w.leader_hidden.pk]),
        data=lambda w: {},
        state=exists(GroupLeader, "leader_hidden"),
    ),
    "copro.profile_leaders": Action(
        lambda w: reverse("coproduction:profile", args=[w.org_a.pk]), shows=lambda w: LEADER_NAME
    ),
    "copro.contact": Action(
        lambda w: reverse("coproduction:leader_contact", args=[w.leader.pk]),
        data=lambda w: {"message": "Could we talk about the cooking sessions?"},
        shows=lambda w: LEADER_NAME,
        state=lambda w: len(mail.outbox),
    ),
    "copro.contact_hidden": Action(
        lambda w: reverse("coproduction:leader_contact", args=[w.leader_hidden.pk])
    ),
    "copro.readiness": Action(
        lambda w: reverse("coproduction:readiness", args=[w.org_a.pk]),
        data=lambda w: {
            **{f"score_{area}": "4" for area in READINESS_AREAS},
            **{f"note_{area}": "" for area in READINESS_AREAS},
        },
        shows=lambda w: w.org_a.title,
        state=lambda w: ReadinessAssessment.objects.get(pk=w.assessment.pk).scores(),
    ),
    "copro.readiness_detail": Action(
        lambda w: reverse("coproduction:readiness_detail", args=[w.assessment.pk]),
        shows=lambda w: "Waiting for review",
    ),
    "copro.readiness_waiting": Action(
        lambda w: reverse("coproduction:readiness_waiting"), shows=lambda w: w.org_a.title
    ),
    "copro.readiness_review": Action(
        lambda w: reverse("coproduction:readiness_review", args=[w.assessment.pk]),
        data=lambda w: {
            "reviewed_on": timezone.localdate().isoformat(),
            "notes": "Agreed: ask the CVS about a constitution.",
        },
        shows=lambda w: w.org_a.title,
        state=field_of(ReadinessAssessment, "assessment", "status"),
    ),
    # A's live activity
    "a.edit": Action(
        page_url("edit", "activity_a"),
        data=lambda w: activity_edit(w, title="Knit, natter and crochet"),
        state=field_of(Page, "activity_a", "draft_title"),
    ),
    "a.publish": Action(
        page_url("edit", "activity_a"),
        data=lambda w: activity_edit(w, title="Knit and stitch", **{"action-publish": "1"}),
        state=field_of(Page, "activity_a", "title"),
        noop_writes="a draft revision",
    ),
    "a.submit": Action(
        page_url("edit", "activity_a"),
        data=lambda w: activity_edit(w, title="Knit and stitch", **{"action-submit": "1"}),
        state=in_progress,
    ),
    "a.preview": Action(page_url("preview_on_edit", "activity_a"), data=activity_edit),
    "a.view_draft": Action(page_url("view_draft", "activity_a")),
    "a.history": Action(page_url("history", "activity_a")),
    "a.usage": Action(page_url("usage", "activity_a")),
    "a.unpublish": Action(
        page_url("unpublish", "activity_a"),
        data=lambda w: {},
        state=field_of(Page, "activity_a", "live"),
    ),
    "a.delete": Action(
        page_url("delete", "activity_a"), data=lambda w: {}, state=exists(Page, "activity_a")
    ),
    "a.bulk_delete": Action(
        bulk_url("wagtailcore", "page", "activity_a"),
        data=lambda w: {},
        state=exists(Page, "activity_a"),
    ),
    "a.copy": Action(
        page_url("copy", "activity_a"),
        data=lambda w: {
            "new_title": "Knit and natter (copy)",
            "new_slug": "knit-and-natter-copy",
            "new_parent_page": w.org_a.pk,
        },
        state=count(Page, slug="knit-and-natter-copy"),
    ),
    "a.move": Action(page_url("move", "activity_a")),
    "a.move_to_b": Action(
        lambda w: reverse("wagtailadmin_pages:move_confirm", args=[w.activity_a.pk, w.org_b.pk]),
        data=lambda w: {},
        state=lambda w: Page.objects.get(pk=w.activity_a.pk).get_parent().pk,
    ),
    "a.lock": Action(
        page_url("lock", "activity_a"),
        data=lambda w: {},
        state=field_of(Page, "activity_a", "locked"),
    ),
    "a.privacy": Action(
        page_url("set_privacy", "activity_a"),
        data=lambda w: {"restriction_type": "password", "password": "hush-hush"},
        state=count(PageViewRestriction, page=lambda w: w.activity_a),
    ),
    "a.public": Action(lambda w: w.activity_a.url, shows=lambda w: w.activity_a.title),
    "a.calendar": Action(
        lambda w: reverse("assets_directory:activity_calendar", args=[w.activity_a.uuid]),
        shows=lambda w: f"SUMMARY:{w.activity_a.title}",
    ),
    "org_a.calendar": Action(
        lambda w: reverse("assets_directory:organisation_calendar", args=[w.org_a.uuid]),
        shows=lambda w: f"SUMMARY:{w.activity_a.title}",
    ),
    "b.unlock": Action(
        page_url("unlock", "activity_b"),
        data=lambda w: {},
        state=field_of(Page, "activity_b", "locked"),
    ),
    # A's organisation page
    "org_a.edit": Action(page_url("edit", "org_a")),
    "org_a.add_activity": Action(
        lambda w: reverse(
            "wagtailadmin_pages:add", args=["assets_directory", "activity", w.org_a.pk]
        ),
        data=lambda w: activity_edit(w, title="Sock darning", slug="sock-darning"),
        state=count(Page, slug="sock-darning"),
    ),
    "org_a.copy": Action(page_url("copy", "org_a")),
    "org_a.delete": Action(
        page_url("delete", "org_a"), data=lambda w: {}, state=exists(Page, "org_a")
    ),
    # B's draft
    "draft.edit": Action(page_url("edit", "draft_b"), shows=lambda w: DRAFT_TITLE),
    "draft.view_draft": Action(page_url("view_draft", "draft_b"), shows=lambda w: DRAFT_TITLE),
    "draft.revision": Action(
        lambda w: reverse(
            "wagtailadmin_pages:revisions_view",
            args=[w.draft_b.pk, w.draft_b.latest_revision_id],
        ),
        shows=lambda w: DRAFT_TITLE,
    ),
    "draft.history": Action(page_url("history", "draft_b")),
    "draft.compare": Action(
        lambda w: reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[w.draft_b.pk, "earliest", w.draft_b.latest_revision_id],
        ),
        shows=lambda w: DRAFT_TITLE,
    ),
    "draft.workflow": Action(page_url("workflow_history", "draft_b"), shows=lambda w: DRAFT_TITLE),
    "draft.task_preview": Action(
        lambda w: reverse(
            "wagtailadmin_pages:workflow_preview", args=[w.draft_b.pk, w.draft_task_state.task_id]
        ),
        shows=lambda w: DRAFT_TITLE,
    ),
    "draft.approve": Action(
        lambda w: reverse(
            "wagtailadmin_pages:workflow_action",
            args=[w.draft_b.pk, "approve", w.draft_task_state.pk],
        ),
        data=lambda w: {"comment": ""},
        state=field_of(Page, "draft_b", "live"),
    ),
    "draft.delete": Action(
        page_url("delete", "draft_b"), data=lambda w: {}, state=exists(Page, "draft_b")
    ),
    "draft.public": Action(lambda w: w.draft_b.url_path.replace("/home", "", 1)),
    "draft.report": Action(lambda w: reverse("assets_directory:report", args=[w.draft_b.uuid])),
    "draft.calendar": Action(
        lambda w: reverse("assets_directory:activity_calendar", args=[w.draft_b.uuid])
    ),
    # Listings of pages
    "chooser.search": Action(
        query("wagtailadmin_choose_page_search", q="Zebra"), shows=lambda w: DRAFT_TITLE
    ),
    "chooser.browse_dir": Action(
        lambda w: reverse("wagtailadmin_choose_page_child", args=[w.directory.pk]),
        shows=lambda w: w.org_b.title,
    ),
    "chooser.browse_b": Action(
        lambda w: reverse("wagtailadmin_choose_page_child", args=[w.org_b.pk]),
        shows=lambda w: DRAFT_TITLE,
    ),
    "pages.search": Action(
        query("wagtailadmin_pages:search", q="Zebra"), shows=lambda w: DRAFT_TITLE
    ),
    "pages.search_more": Action(
        query("wagtailadmin_pages:search_results", q="Zebra"), shows=lambda w: DRAFT_TITLE
    ),
    "pages.of_type": Action(
        lambda w: reverse("wagtailadmin_pages:type_use", args=["assets_directory", "activity"]),
        shows=lambda w: DRAFT_TITLE,
    ),
    "explore_b": Action(
        lambda w: reverse("wagtailadmin_explore", args=[w.org_b.pk]), shows=lambda w: DRAFT_TITLE
    ),
    # The explorer menu's API: a search, and one page asked for by id.
    "api.pages_search": Action(
        lambda w: "/admin/api/main/pages/?search=Zebra", shows=lambda w: DRAFT_TITLE
    ),
    "api.draft": Action(
        lambda w: f"/admin/api/main/pages/{w.draft_b.pk}/", shows=lambda w: DRAFT_TITLE
    ),
    "dashboard": Action(lambda w: reverse("wagtailadmin_home"), shows=lambda w: DRAFT_TITLE),
    "report.history": Action(
        lambda w: reverse("wagtailadmin_reports:site_history"), shows=lambda w: DRAFT_TITLE
    ),
    "report.history_more": Action(
        lambda w: reverse("wagtailadmin_reports:site_history_results"), shows=lambda w: DRAFT_TITLE
    ),
    "report.page_types": Action(
        lambda w: reverse("wagtailadmin_reports:page_types_usage"), shows=lambda w: DRAFT_TITLE
    ),
    "report.workflows": Action(
        lambda w: reverse("wagtailadmin_reports:workflow"), shows=lambda w: DRAFT_TITLE
    ),
    "report.tasks": Action(
        lambda w: reverse("wagtailadmin_reports:workflow_tasks"), shows=lambda w: DRAFT_TITLE
    ),
    "report.aging": Action(
        lambda w: reverse("wagtailadmin_reports:aging_pages"), shows=lambda w: B_ACTIVITY_TITLE
    ),
    "report.locked": Action(
        lambda w: reverse("wagtailadmin_reports:locked_pages"), shows=lambda w: B_ACTIVITY_TITLE
    ),
    # A's image and document
    "images": Action(lambda w: reverse("wagtailimages:index"), shows=lambda w: IMAGE_TITLE),
    "image.chooser": Action(
        lambda w: reverse("wagtailimages_chooser:choose"), shows=lambda w: IMAGE_TITLE
    ),
    "image.chosen": Action(
        lambda w: reverse("wagtailimages_chooser:chosen", args=[w.image_a.pk]),
        shows=lambda w: IMAGE_TITLE,
    ),
    "image.edit": Action(
        lambda w: reverse("wagtailimages:edit", args=[w.image_a.pk]),
        data=lambda w: {
            "title": "Renamed photo",
            "collection": w.org_a.collection_id,
            "tags": "",
            "description": "",
        },
        state=field_of(get_image_model(), "image_a", "title"),
        shows=lambda w: IMAGE_TITLE,
    ),
    "image.edit_multi": Action(
        lambda w: reverse("wagtailimages:edit_multiple", args=[w.image_a.pk]),
        data=lambda w: {
            f"image-{w.image_a.pk}-title": "Renamed photo",
            f"image-{w.image_a.pk}-collection": w.org_a.collection_id,
            f"image-{w.image_a.pk}-tags": "",
            f"image-{w.image_a.pk}-description": "",
        },
        state=field_of(get_image_model(), "image_a", "title"),
    ),
    "image.usage": Action(lambda w: reverse("wagtailimages:image_usage", args=[w.image_a.pk])),
    "image.delete": Action(
        lambda w: reverse("wagtailimages:delete", args=[w.image_a.pk]),
        data=lambda w: {},
        state=exists(get_image_model(), "image_a"),
    ),
    "image.delete_multi": Action(
        lambda w: reverse("wagtailimages:delete_multiple", args=[w.image_a.pk]),
        data=lambda w: {},
        state=exists(get_image_model(), "image_a"),
    ),
    "image.add_to_b": Action(
        lambda w: reverse("wagtailimages:add"),
        data=lambda w: {
            "title": "Choir photo",
            "file": SimpleUploadedFile(
                "choir.png", get_test_image_file().file.getvalue(), content_type="image/png"
            ),
            "collection": w.org_b.collection_id,
        },
        state=count(get_image_model(), collection_id=lambda w: w.org_b.collection_id),
        noop_writes="the image, in A's collection",
    ),
    "image_b.edit": Action(
        lambda w: reverse("wagtailimages:edit", args=[w.image_b.pk]),
        shows=lambda w: IMAGE_B_TITLE,
    ),
    "image_b.chosen": Action(
        lambda w: reverse("wagtailimages_chooser:chosen", args=[w.image_b.pk]),
        shows=lambda w: IMAGE_B_TITLE,
    ),
    "a.photo_a": Action(
        page_url("edit", "activity_a"),
        data=lambda w: activity_edit(w, photo=w.image_a.pk, photo_alt="Knitters round a table"),
        state=draft_photo,
    ),
    "a.photo_b": Action(
        page_url("edit", "activity_a"),
        data=lambda w: activity_edit(w, photo=w.image_b.pk, photo_alt="A choir on stage"),
        state=draft_photo,
        noop_writes="the editor's page subscription and editing session, as any form shown again",
    ),
    "image.bulk_delete": Action(
        bulk_url("wagtailimages", "image", "image_a"),
        data=lambda w: {},
        state=exists(get_image_model(), "image_a"),
    ),
    "documents": Action(lambda w: reverse("wagtaildocs:index"), shows=lambda w: DOCUMENT_TITLE),
    "document.chooser": Action(
        lambda w: reverse("wagtaildocs_chooser:choose"), shows=lambda w: DOCUMENT_TITLE
    ),
    "document.chosen": Action(
        lambda w: reverse("wagtaildocs_chooser:chosen", args=[w.document_a.pk]),
        shows=lambda w: DOCUMENT_TITLE,
    ),
    "document.edit": Action(
        lambda w: reverse("wagtaildocs:edit", args=[w.document_a.pk]),
        data=lambda w: {
            "title": "Renamed leaflet",
            "collection": w.org_a.collection_id,
            "tags": "",
        },
        state=field_of(get_document_model(), "document_a", "title"),
        shows=lambda w: DOCUMENT_TITLE,
    ),
    "document.usage": Action(
        lambda w: reverse("wagtaildocs:document_usage", args=[w.document_a.pk])
    ),
    "document.delete": Action(
        lambda w: reverse("wagtaildocs:delete", args=[w.document_a.pk]),
        data=lambda w: {},
        state=exists(get_document_model(), "document_a"),
    ),
    "document.add_to_b": Action(
        lambda w: reverse("wagtaildocs:add"),
        data=lambda w: {
            "title": "Choir rota",
            "file": SimpleUploadedFile("rota.txt", b"Tuesdays", content_type="text/plain"),
            "collection": w.org_b.collection_id,
        },
        state=count(get_document_model(), collection_id=lambda w: w.org_b.collection_id),
        noop_writes="the document, in A's collection",
    ),
    "document.bulk_del": Action(
        bulk_url("wagtaildocs", "document", "document_a"),
        data=lambda w: {},
        state=exists(get_document_model(), "document_a"),
    ),
    "document.serve": Action(lambda w: w.document_a.url),
    # Venues
    "venues": Action(
        snippet_url("assets_directory_venue", "list"), shows=lambda w: w.venue_spare.name
    ),
    "venue.add": Action(
        snippet_url("assets_directory_venue", "add"),
        data=lambda w: venue_data("Garratt Lane Hall"),
        state=count(Venue, name="Garratt Lane Hall"),
    ),
    "venue.edit": Action(
        snippet_url("assets_directory_venue", "edit", "venue_spare"),
        data=lambda w: venue_data("Spare Room (upstairs)"),
        state=field_of(Venue, "venue_spare", "name"),
    ),
    "venue.delete": Action(
        snippet_url("assets_directory_venue", "delete", "venue_spare"),
        data=lambda w: {},
        state=exists(Venue, "venue_spare"),
    ),
    "venue_in_use.del": Action(
        snippet_url("assets_directory_venue", "delete", "venue_in_use"),
        data=lambda w: {},
        state=exists(Venue, "venue_in_use"),
    ),
    "venue_a.edit": Action(
        snippet_url("assets_directory_venue", "edit", "venue_a"),
        data=lambda w: venue_data("Fircroft Community Room"),
        state=field_of(Venue, "venue_a", "name"),
    ),
    "venue_a.delete": Action(
        snippet_url("assets_directory_venue", "delete", "venue_a"),
        data=lambda w: {},
        state=exists(Venue, "venue_a"),
    ),
    "venue.chooser_add": Action(
        lambda w: reverse("wagtailsnippetchoosers_assets_directory_venue:create"),
        data=lambda w: venue_data("Chooser Hall"),
        state=count(Venue, name="Chooser Hall"),
    ),
    # Teams
    "teams": Action(lambda w: reverse("team:index"), shows=lambda w: w.team1.name),
    "team.add": Action(
        lambda w: reverse("team:add"),
        data=lambda w: {"name": "Balham Hub", "slug": "balham-hub"},
        state=count(Team, slug="balham-hub"),
    ),
    "team.edit": Action(
        lambda w: reverse("team:edit", args=[w.team1.pk]),
        data=lambda w: {"name": "Renamed team", "slug": w.team1.slug},
        state=field_of(Team, "team1", "name"),
    ),
    "team.delete": Action(
        lambda w: reverse("team:delete", args=[w.team1.pk]),
        data=lambda w: {},
        state=exists(Team, "team1"),
    ),
    "team2.delete": Action(
        lambda w: reverse("team:delete", args=[w.team2.pk]),
        data=lambda w: {},
        state=exists(Team, "team2"),
    ),
    "memberships": Action(
        lambda w: reverse("teammembership:index"), shows=lambda w: w.users["fac1"].username
    ),
    "membership.add": Action(
        lambda w: reverse("teammembership:add"),
        data=lambda w: {"team": w.team1.pk, "user": w.users["comm"].pk, "role": "lead"},
        state=count(TeamMembership, team=lambda w: w.team1),
    ),
    "membership.edit": Action(
        lambda w: reverse("teammembership:edit", args=[w.fac1_membership.pk]),
        data=lambda w: {"team": w.team1.pk, "user": w.users["fac1"].pk, "role": "lead"},
        state=field_of(TeamMembership, "fac1_membership", "role"),
    ),
    "membership.delete": Action(
        lambda w: reverse("teammembership:delete", args=[w.fac1_membership.pk]),
        data=lambda w: {},
        state=exists(TeamMembership, "fac1_membership"),
    ),
    # Moderation
    "admin.home": Action(lambda w: reverse("wagtailadmin_home")),
    "session_preview": Action(
        query(
            "session_preview",
            frequency="monthly",
            weekdays="wed",
            nth="1",
            start_time="10:00",
            end_time="12:00",
        ),
        shows=lambda w: "First Wednesday of the month, 10:00 to 12:00",
    ),
    "registrations": Action(
        snippet_url("assets_directory_groupregistration", "list"),
        shows=lambda w: REGISTRATION_NAME,
    ),
    "registration": Action(
        snippet_url("assets_directory_groupregistration", "inspect", "registration"),
        shows=lambda w: REGISTRATION_NAME,
    ),
    "registration.decide": Action(
        lambda w: reverse("registration_decide", args=[w.registration.pk]),
        data=lambda w: {"decision": "approve"},
        state=field_of(GroupRegistration, "registration", "status"),
    ),
    "review": Action(
        lambda w: reverse("review_queue"),
        shows=lambda w: f"{DRAFT_TITLE}</h3>",
    ),
    "review.approve": Action(
        lambda w: reverse("review_approve", args=["page", w.draft_b.pk]),
        data=lambda w: {},
        state=draft_workflow_status,
    ),
    "review.changes": Action(
        lambda w: reverse("review_request_changes", args=["page", w.draft_b.pk]),
        data=lambda w: {f"page-{w.draft_b.pk}-reason": "Please add the price."},
        state=draft_workflow_status,
    ),
    "review.reg.approve": Action(
        lambda w: reverse("review_approve", args=["registration", w.registration.pk]),
        data=lambda w: {},
        state=field_of(GroupRegistration, "registration", "status"),
    ),
    "review.reg.changes": Action(
        lambda w: reverse("review_request_changes", args=["registration", w.registration.pk]),
        data=lambda w: {f"registration-{w.registration.pk}-reason": "We list groups in SW only."},
        state=field_of(GroupRegistration, "registration", "status"),
    ),
    "review.claim.approve": Action(
        lambda w: reverse("review_approve", args=["claim", w.claim.pk]),
        data=lambda w: {},
        state=field_of(ListingClaim, "claim", "status"),
    ),
    "review.claim.changes": Action(
        lambda w: reverse("review_request_changes", args=["claim", w.claim.pk]),
        data=lambda w: {f"claim-{w.claim.pk}-reason": "We could not reach the group."},
        state=field_of(ListingClaim, "claim", "status"),
    ),
    "review.venue.approve": Action(
        lambda w: reverse("review_approve", args=["venue", w.venue_a.pk]),
        data=lambda w: {},
        state=field_of(Venue, "venue_a", "changed_by_group_at"),
    ),
    "review.venue.changes": Action(
        lambda w: reverse("review_request_changes", args=["venue", w.venue_a.pk]),
        data=lambda w: {f"venue-{w.venue_a.pk}-reason": "Wrong postcode."},
        state=field_of(Venue, "venue_a", "changed_by_group_at"),
    ),
    "reports": Action(
        snippet_url("assets_directory_listingreport", "list"), shows=lambda w: w.activity_a.title
    ),
    "report": Action(
        snippet_url("assets_directory_listingreport", "inspect", "report"),
        shows=lambda w: REPORT_MESSAGE,
    ),
    "report.edit": Action(
        snippet_url("assets_directory_listingreport", "edit", "report"),
        data=lambda w: {"status": "resolved"},
        state=field_of(ListingReport, "report", "status"),
    ),
    "report.delete": Action(
        snippet_url("assets_directory_listingreport", "delete", "report"),
        data=lambda w: {},
        state=exists(ListingReport, "report"),
    ),
    "claims": Action(
        snippet_url("assets_directory_listingclaim", "list"), shows=lambda w: CLAIMANT_NAME
    ),
    "claim": Action(
        snippet_url("assets_directory_listingclaim", "inspect", "claim"),
        shows=lambda w: CLAIMANT_NAME,
    ),
    "claim.decide": Action(
        lambda w: reverse("claim_decide", args=[w.claim.pk]),
        data=lambda w: {"decision": "approve"},
        shows=lambda w: CLAIMANT_NAME,
        state=field_of(ListingClaim, "claim", "status"),
    ),
    "no_results": Action(
        snippet_url("search_zeroresultsearch", "list"), shows=lambda w: NO_RESULTS_TERMS
    ),
    "no_results.csv": Action(
        lambda w: reverse("wagtailsnippets_search_zeroresultsearch:list") + "?export=csv",
        shows=lambda w: NO_RESULTS_TERMS,
    ),
    "duplicates": Action(
        lambda w: reverse("harvest_duplicates"), shows=lambda w: DUPLICATE_REASONS
    ),
    "duplicate.decide": Action(
        lambda w: reverse("harvest_duplicate_decide", args=[w.duplicate.pk]),
        data=lambda w: {"keep": "apart"},
        state=field_of(DuplicatePair, "duplicate", "decision"),
    ),
    "no_results.delete": Action(
        snippet_url("search_zeroresultsearch", "delete", "no_results"),
        data=lambda w: {},
        state=exists(ZeroResultSearch, "no_results"),
    ),
    # Harvesting
    "harvest.feeds": Action(lambda w: reverse("harvest_feeds"), shows=lambda w: HARVEST_FEED_NAME),
    "harvest.feed_add": Action(
        lambda w: reverse("harvest_feed_add"),
        data=lambda w: {"name": "Sutton directory", "url": "https://sutton.example/openreferral/"},
        state=count(FeedSource),
    ),
    "harvest.feed": Action(
        lambda w: reverse("harvest_feed", args=[w.harvest_feed.pk]),
        shows=lambda w: HARVEST_FEED_NAME,
    ),
    "harvest.feed_edit": Action(
        lambda w: reverse("harvest_feed_edit", args=[w.harvest_feed.pk]),
        data=lambda w: {"name": "Merton", "url": w.harvest_feed.url, "harvest_every_hours": "24"},
        shows=lambda w: HARVEST_FEED_NAME,
        state=field_of(FeedSource, "harvest_feed", "name"),
    ),
    # From the feed's address: queued when the request's transaction commits, which in the
    # matrix it never does, so nothing is fetched.
    "harvest.now": Action(
        lambda w: reverse("harvest_feed_harvest", args=[w.harvest_feed.pk]),
        data=lambda w: {"from": "address"},
        state=count(HarvestRun),
    ),
    "harvest.run": Action(
        lambda w: reverse("harvest_run", args=[w.harvest_run.pk]),
        shows=lambda w: HARVEST_FEED_NAME,
    ),
    "harvest.records": Action(
        lambda w: reverse("harvest_records", args=[w.harvest_feed.pk]),
        shows=lambda w: HARVESTED_TITLE,
    ),
    "harvest.gone": Action(
        lambda w: reverse("harvest_records_gone", args=[w.harvest_feed.pk]),
        shows=lambda w: HARVESTED_GONE_TITLE,
    ),
    "harvest.record": Action(
        lambda w: reverse("harvest_record", args=[w.harvest_record.pk]),
        shows=lambda w: HARVESTED_TITLE,
    ),
    "harvest.take_over": Action(
        lambda w: reverse("harvest_record_take_over", args=[w.harvest_org_record.pk]),
        data=lambda w: {},
        state=field_of(HarvestedRecord, "harvest_org_record", "taken_over_at"),
    ),
    "harvest.give_back": Action(
        lambda w: reverse("harvest_record_give_back", args=[w.harvest_record.pk]),
        data=lambda w: {},
        state=field_of(HarvestedRecord, "harvest_record", "taken_over_at"),
    ),
    "harvest.terms": Action(
        lambda w: reverse("harvest_terms"), shows=lambda w: w.harvest_term.name
    ),
    "harvest.term": Action(
        lambda w: reverse("harvest_term_decide", args=[w.harvest_term.pk]),
        data=lambda w: {f"term-{w.harvest_term.pk}-category": Category.objects.first().pk},
        state=field_of(TermMapping, "harvest_term", "category_id"),
    ),
    "harvest.conflicts": Action(
        lambda w: reverse("harvest_conflicts"), shows=lambda w: HARVESTED_TITLE
    ),
    "harvest.conflict": Action(
        lambda w: reverse("harvest_conflict", args=[w.harvest_conflict.pk]),
        shows=lambda w: f"{HARVESTED_TITLE} at the library",
    ),
    "harvest.accept": Action(
        lambda w: reverse("harvest_conflict_accept", args=[w.harvest_conflict.pk]),
        data=lambda w: {},
        state=field_of(HarvestConflict, "harvest_conflict", "decision"),
    ),
    "harvest.refuse": Action(
        lambda w: reverse("harvest_conflict_refuse", args=[w.harvest_conflict.pk]),
        data=lambda w: {},
        state=field_of(HarvestConflict, "harvest_conflict", "decision"),
    ),
    "category.add": Action(
        snippet_url("assets_directory_category", "add"),
        data=lambda w: {"name": "Bell ringing", "slug": "bell-ringing", "sort_order": "0"},
        state=count(Category, slug="bell-ringing"),
    ),
    "condition.add": Action(
        snippet_url("assets_directory_condition", "add"),
        data=lambda w: {"name": "Tinnitus", "slug": "tinnitus", "sort_order": "0"},
        state=count(Condition, slug="tinnitus"),
    ),
    "concept.add": Action(
        snippet_url("search_concept", "add"),
        data=lambda w: {"phrases": "bell ringers", "words": "bell ringing", "audiences": ""},
        state=count(Concept, phrases="bell ringers"),
    ),
    # The site's administration
    "users": Action(lambda w: reverse("wagtailusers_users:index")),
    "user.edit": Action(
        lambda w: reverse("wagtailusers_users:edit", args=[w.users["ed_a"].pk]),
        data=user_edit_data,
        state=lambda w: get_user_model().objects.get(pk=w.users["ed_a"].pk).is_superuser,
    ),
    "groups": Action(lambda w: reverse("wagtailusers_groups:index")),
    "group.edit": Action(
        lambda w: reverse(
            "wagtailusers_groups:edit", args=[Group.objects.get(name="Moderators").pk]
        )
    ),
    "settings": Action(
        lambda w: reverse(
            "wagtailsettings:edit", args=["cms", "sitesettings", Site.objects.get().pk]
        ),
        data=lambda w: {
            "organisation_name": "Someone else",
            "contact_email": "",
            "contact_phone": "",
            "footer_text": "",
        },
        state=lambda w: SiteSettings.for_site(Site.objects.get()).organisation_name,
    ),
    "workflows": Action(lambda w: reverse("wagtailadmin_workflows:index")),
    "workflow.disable": Action(
        lambda w: reverse(
            "wagtailadmin_workflows:disable",
            args=[Workflow.objects.get(name="Moderators approval").pk],
        ),
        data=lambda w: {},
        state=lambda w: Workflow.objects.get(name="Moderators approval").active,
    ),
    "workflow.tasks": Action(lambda w: reverse("wagtailadmin_workflows:task_index")),
    "collections": Action(lambda w: reverse("wagtailadmin_collections:index")),
    "collection.edit": Action(
        lambda w: reverse("wagtailadmin_collections:edit", args=[w.org_a.collection_id]),
        data=lambda w: {"name": "Taken over", "parent": Collection.get_first_root_node().pk},
        state=lambda w: Collection.objects.get(pk=w.org_a.collection_id).name,
    ),
    "sites": Action(lambda w: reverse("wagtailsites:index")),
    "redirects": Action(lambda w: reverse("wagtailredirects:index")),
    "redirect.add": Action(
        lambda w: reverse("wagtailredirects:add"),
        data=lambda w: {
            "old_path": w.activity_a.url,
            "site": "",
            "is_permanent": "on",
            "redirect_link": "https://example.com/",
        },
        state=count(Redirect),
    ),
    # Public
    # /kiosk/ itself sends everyone to its first step (and forgets any earlier answers).
    "kiosk": Action(lambda w: reverse("matching:kiosk_step", args=["place"]), stores_nothing=True),
    "kiosk.place": Action(
        lambda w: reverse("matching:kiosk_step", args=["place"]),
        # A visit's first answer: the sealed (empty) answers so far travel with it.
        data=lambda w: {"state": state_seal({}), "go": "next", "near": "SW18"},
        stores_nothing=True,
    ),
    "api.match": Action(
        lambda w: reverse("matching:api_match"),
        data=lambda w: MATCH,
        json=True,
        csrf=False,
        stores_nothing=True,
    ),
    "api.insights_gaps": Action(
        lambda w: reverse("insights:api_gaps"), shows=lambda w: "Wandsworth", stores_nothing=True
    ),
    "referral.answer": Action(
        lambda w: reverse("referrals:answer", args=[group_token(w.referral)]),
        data=lambda w: {"status": "accepted", "note": ""},
        shows=lambda w: w.activity_a.title,
        state=lambda w: Referral.objects.get(pk=w.referral.pk).status,
    ),
    "referral.bad_link": Action(
        lambda w: reverse("referrals:answer", args=[group_token(w.referral)[:-3] + "abc"])
    ),
    "claim_page": Action(
        lambda w: reverse("assets_directory:claim", args=[w.unclaimed.uuid]),
        data=lambda w: {
            "claimant_name": "Ada Lovelace",
            "claimant_email": "ada.lovelace@example.org",
            "claimant_role": "",
            "evidence": "I am on the committee.",
            "agree": "on",
            "website_url": "",
        },
        shows=lambda w: UNCLAIMED_TITLE,
        state=count(ListingClaim, organisation=lambda w: w.unclaimed),
    ),
    "org_a.claim": Action(
        lambda w: reverse("assets_directory:claim", args=[w.org_a.uuid]),
        data=lambda w: {
            "claimant_name": "Ada Lovelace",
            "claimant_email": "ada.lovelace@example.org",
            "claimant_role": "",
            "evidence": "I am on the committee.",
            "agree": "on",
            "website_url": "",
        },
        state=count(ListingClaim, organisation=lambda w: w.org_a),
    ),
    "oruk.root": Action(
        lambda w: reverse("openreferral:api_details"), shows=lambda w: "HSDS-UK-3.0"
    ),
    "oruk.services": Action(
        lambda w: reverse("openreferral:services"),
        data=lambda w: {"name": "A forged service"},
        shows=lambda w: str(w.activity_a.uuid),
    ),
    "oruk.service": Action(
        lambda w: reverse("openreferral:service", args=[w.activity_a.uuid]),
        data=lambda w: {"name": "A forged name"},
        shows=lambda w: w.activity_a.title,
    ),
    "oruk.draft": Action(lambda w: reverse("openreferral:service", args=[w.draft_b.uuid])),
    "oruk.sals": Action(
        lambda w: reverse("openreferral:service_at_locations"),
        shows=lambda w: str(w.activity_a.uuid),
    ),
    "oruk.sal": Action(
        lambda w: reverse(
            "openreferral:service_at_location",
            args=[Activity.objects.values_list("location_uuid", flat=True).get(pk=w.activity_a.pk)],
        ),
        shows=lambda w: w.activity_a.title,
    ),
    "oruk.draft_sal": Action(
        lambda w: reverse(
            "openreferral:service_at_location",
            args=[Activity.objects.values_list("location_uuid", flat=True).get(pk=w.draft_b.pk)],
        )
    ),
    "oruk.orgs": Action(
        lambda w: reverse("openreferral:organizations"), shows=lambda w: str(w.org_a.uuid)
    ),
    "oruk.org": Action(
        lambda w: reverse("openreferral:organization", args=[w.org_a.uuid]),
        shows=lambda w: w.activity_a.title,
    ),
    "oruk.taxonomies": Action(
        lambda w: reverse("openreferral:taxonomies"), shows=lambda w: oruk_ids.taxonomy_id()
    ),
    "oruk.taxonomy": Action(
        lambda w: reverse("openreferral:taxonomy", args=[oruk_ids.taxonomy_id()]),
        shows=lambda w: oruk_ids.taxonomy_id(),
    ),
    "oruk.terms": Action(
        lambda w: reverse("openreferral:taxonomy_terms") + "?per_page=500",
        shows=lambda w: oruk_ids.term_id(w.activity_a.categories.first().pk),
    ),
    "oruk.term": Action(
        lambda w: reverse(
            "openreferral:taxonomy_term",
            args=[oruk_ids.term_id(w.activity_a.categories.first().pk)],
        ),
        shows=lambda w: oruk_ids.term_id(w.activity_a.categories.first().pk),
    ),
    "oruk.export": Action(
        lambda w: reverse("openreferral_export"), shows=lambda w: "Export the directory"
    ),
    "oruk.export_json": Action(
        lambda w: reverse("openreferral_export_download", args=["json"]),
        shows=lambda w: str(w.activity_a.uuid),
    ),
    "oruk.export_csv": Action(lambda w: reverse("openreferral_export_download", args=["csv"])),
}


# The world, built once for the module ---------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every role and object, built once in a transaction that is rolled back after the
    module's last test. Each test runs in a savepoint inside it (pytest-django's `db`), so no
    test sees what another changed. Files and the search index go to directories of its own."""
    search = {
        "BACKEND": "search.backends.embedded.EmbeddedSearchBackend",
        "OPTIONS": {"path": str(tmp_path_factory.mktemp("search-index"))},
    }
    media = str(tmp_path_factory.mktemp("media"))
    with (
        override_settings(
            DIRECTORY_SEARCH=search,
            MEDIA_ROOT=media,
            PRIVATE_MEDIA_ROOT=str(tmp_path_factory.mktemp("private")),
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        built = build_world()
        yield built
        transaction.set_rollback(True)


# Asking, and reading the answer -----------------------------------------------------------------

CSRF_TOKEN = secrets.token_hex(16)  # 32 characters: Django's unmasked secret


def client_for(world: World, role: str, *, csrf_token: bool = True) -> Client:
    client = Client(enforce_csrf_checks=True)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    if csrf_token:
        client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
    return client


def ask(client: Client, world: World, action: Action, method: str, *, csrf_token: bool = True):
    url = action.url(world)
    if method == "GET":
        return client.get(url)
    data = dict(action.data(world))
    if action.json:
        return client.post(url, json.dumps(data), content_type="application/json")
    if csrf_token:
        data["csrfmiddlewaretoken"] = CSRF_TOKEN
    return client.post(url, data)


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def refused_by_wagtail(response) -> bool:
    """Wagtail's permission_denied(): a redirect to the admin home with an error message."""
    return any(m.level == messages.ERROR for m in messages.get_messages(response.wsgi_request))


def answer(response, *, role: str, method: str, shows: str | None) -> str:
    status = response.status_code
    if status == 404:
        return "HIDDEN"
    if status in (403, 409):
        # 409: refused because of the object's state, for everyone alike (a claim on a listing
        # its group already looks after): a refusal like 403.
        return "DENY"
    if status == 405:
        # A read-only endpoint (the Open Referral feed) refuses every other method alike.
        return "DENY"
    if status in (301, 302, 303):
        path = urlsplit(response["Location"]).path
        if path in (reverse(settings.LOGIN_URL), reverse("wagtailadmin_login")):
            # Wagtail sends a signed-in account without admin access to its sign-in page.
            return "LOGIN" if role == "anon" else "DENY"
        if path == reverse("wagtailadmin_home") and refused_by_wagtail(response):
            return "DENY"
        # A GET succeeds with the page asked for; a redirect elsewhere is a refusal.
        return "ALLOW" if method == "POST" else "DENY"
    if 200 <= status < 300:
        if shows is not None and shows not in body(response):
            return "ABSENT"
        return "ALLOW"
    return f"HTTP {status}"


def describe(response) -> str:
    where = f" to {response['Location']}" if response.has_header("Location") else ""
    return f"HTTP {response.status_code}{where}"


def changed_tables(before: dict, after: dict) -> dict:
    return {t: (before.get(t), after.get(t)) for t in before.keys() | after.keys()
            if before.get(t) != after.get(t)}  # fmt: skip


# The tests ------------------------------------------------------------------------------------


def test_every_row_has_an_action_and_every_action_a_row():
    named = {name for name, _ in EXPECTED}
    assert named == set(ACTIONS)
    posts_without_data = [n for n, m in EXPECTED if m == "POST" and ACTIONS[n].data is None]
    assert posts_without_data == []


@dataclass
class Outcome:
    answer: str
    response: object
    state_changed: bool
    tables_changed: dict
    leaked: list = field(default_factory=list)


# Leaders' e-mail addresses are private: no page, for anyone, may hold one.
PRIVATE_ADDRESSES = (LEADER_EMAIL, HIDDEN_LEADER_EMAIL)


def leaked_addresses(response) -> list[str]:
    """The private addresses in the response's body (read once, and put back for answer())."""
    if response.streaming:
        content = b"".join(response.streaming_content)
        response.streaming_content = [content]
    else:
        content = response.content
    text = content.decode(errors="replace").lower()
    return [address for address in PRIVATE_ADDRESSES if address in text]


def try_cell(world: World, name: str, method: str, role: str) -> Outcome:
    """Make the request of one cell and read its answer, and what it changed."""
    action = ACTIONS[name]
    tracks_state = method == "POST" and action.state is not None
    client = client_for(world, role)
    state_before = action.state(world) if tracks_state else None
    rows_before = row_counts()

    response = ask(client, world, action, method)
    leaked = leaked_addresses(response)

    shows = action.shows(world) if action.shows and method == "GET" else None
    got = answer(response, role=role, method=method, shows=shows)
    state_changed = tracks_state and action.state(world) != state_before
    if got == "ALLOW" and tracks_state and not state_changed:
        got = "NOOP"
    return Outcome(got, response, state_changed, changed_tables(rows_before, row_counts()), leaked)


def cell_problems(name: str, method: str, role: str, outcome: Outcome) -> list[str]:
    """What is wrong with one cell's outcome: its answer, or what a refusal changed."""
    action = ACTIONS[name]
    expected = EXPECTED[name, method][role]
    problems = []
    if outcome.answer != expected:
        problems.append(f"expected {expected}, got {outcome.answer} ({describe(outcome.response)})")
    if outcome.answer != "ALLOW":
        if outcome.state_changed:
            problems.append("refused, but changed the object")
        if outcome.tables_changed and not (outcome.answer == "NOOP" and action.noop_writes):
            problems.append(f"refused, but wrote to the database: {outcome.tables_changed}")
    if action.stores_nothing and outcome.tables_changed:
        problems.append(f"stored something: {outcome.tables_changed}")
    if outcome.leaked:
        problems.append(f"a leader's private address is on the page: {outcome.leaked}")
    return [f"{role}: {problem}" for problem in problems]


@pytest.mark.parametrize("name, method", list(EXPECTED), ids=[f"{n}:{m}" for n, m in EXPECTED])
def test_row(world, db, name, method):
    """One row of the matrix: the action asked by every role, each in a transaction of its own
    that is rolled back, so that what one role did is never seen by the next."""
    got, problems = {}, []
    for role in ROLES:
        cache.clear()  # rate limits
        mail.outbox.clear()
        with transaction.atomic():
            outcome = try_cell(world, name, method, role)
            transaction.set_rollback(True)
        got[role] = outcome.answer
        problems += cell_problems(name, method, role, outcome)

    def line(label, answers):
        return f"{label:9}" + "".join(f"{answers[role]:7}" for role in ROLES)

    assert problems == [], "\n".join(
        [
            f"{name} {method}",
            line("", {role: role for role in ROLES}),
            line("expected", EXPECTED[name, method]),
            line("got", got),
            *problems,
        ]
    )


POSTS = [
    (name, next(role for role in ROLES if EXPECTED[name, method][role] == "ALLOW"))
    for name, method in EXPECTED
    if method == "POST" and ACTIONS[name].csrf and "ALLOW" in EXPECTED[name, method].values()
]


@pytest.mark.parametrize("name, role", POSTS, ids=[f"{name}:{role}" for name, role in POSTS])
def test_post_without_csrf_token_is_refused(world, db, name, role):
    """Each form that changes something, posted by someone allowed to, but without the CSRF
    token a forged cross-site form could not know: refused, and nothing changed."""
    action = ACTIONS[name]
    client = client_for(world, role, csrf_token=False)
    state_before = action.state(world) if action.state else None
    rows_before = row_counts()

    response = ask(client, world, action, "POST", csrf_token=False)

    assert response.status_code == 403, describe(response)
    assert (action.state(world) if action.state else None) == state_before
    assert changed_tables(rows_before, row_counts()) == {}


def test_the_address_check_finds_a_leaders_address_in_a_page_or_a_download():
    page = HttpResponse(f"<p>Write to {LEADER_EMAIL.upper()}</p>")
    download = StreamingHttpResponse(iter([b"name,email\n", HIDDEN_LEADER_EMAIL.encode()]))
    assert leaked_addresses(page) == [LEADER_EMAIL]
    assert leaked_addresses(download) == [HIDDEN_LEADER_EMAIL]
    # The download can still be read afterwards, as answer() does.
    assert HIDDEN_LEADER_EMAIL in body(download)
    assert leaked_addresses(HttpResponse("No addresses here")) == []


# The referral API's keys ------------------------------------------------------------------------
# The API is not signed in to: a team's key is the only way in, so its matrix is by key. Columns:
# no key, team 1's key, team 2's key, and a revoked key of team 1's. Signed-in roles' sessions
# count for nothing there (the last test). Answers as above, and UNAUTH for 401 (no usable key);
# REFUSED is a 400 that names the person as not the key's team's, which says no more than a 404.

KEY_COLUMNS = ("none", "team1", "team2", "revoked")
KEY_MATRIX = """
                     none    team1   team2   revoked
api.referrals   GET  UNAUTH  ALLOW   ABSENT  UNAUTH
api.referrals   POST UNAUTH  ALLOW   REFUSED UNAUTH
api.referral    GET  UNAUTH  ALLOW   HIDDEN  UNAUTH
api.referral    PATCH UNAUTH ALLOW   HIDDEN  UNAUTH
"""
KEY_EXPECTED = {
    (line.split()[0], line.split()[1]): dict(zip(KEY_COLUMNS, line.split()[2:], strict=True))
    for line in KEY_MATRIX.strip().splitlines()[1:]
}


def _key_request(world: World, name: str, method: str, column: str):
    raw = {
        "none": None,
        "team1": world.api_key_raw,
        "team2": world.api_key2_raw,
        "revoked": world.api_key_revoked_raw,
    }[column]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
    client = Client(enforce_csrf_checks=True)
    if name == "api.referrals":
        url = reverse("referrals:api_referrals")
        if method == "GET":
            return client.get(url, **headers)
        body = {
            "person": str(world.person.reference),
            "activity_id": world.activity_a.pk,
            "first_name": "Jo",
            "consent_to_share": True,
        }
        return client.post(url, json.dumps(body), content_type="application/json", **headers)
    url = reverse("referrals:api_referral", args=[world.referral.reference])
    if method == "GET":
        return client.get(url, **headers)
    body = json.dumps({"status": "cancelled", "status_reason": "no_reply"})
    return client.patch(url, body, content_type="application/json", **headers)


def _key_state(world: World):
    return (
        Referral.objects.count(),
        Referral.objects.filter(pk=world.referral.pk).values_list("status", flat=True).get(),
    )


@pytest.mark.parametrize(
    "name, method", list(KEY_EXPECTED), ids=[f"{n}:{m}" for n, m in KEY_EXPECTED]
)
def test_api_key_row(world, db, name, method):
    problems = []
    for column in KEY_COLUMNS:
        cache.clear()
        with transaction.atomic():
            before, rows_before = _key_state(world), row_counts()
            response = _key_request(world, name, method, column)
            changed = _key_state(world) != before
            tables = changed_tables(rows_before, row_counts())
            transaction.set_rollback(True)
        status = response.status_code
        if status == 401:
            got = "UNAUTH"
        elif status == 400 and response.json().get("field") == "person":
            got = "REFUSED"
        elif status == 200 and method == "GET" and name == "api.referrals":
            ids = [r["id"] for r in response.json()["results"]]
            got = "ALLOW" if str(world.referral.reference) in ids else "ABSENT"
        else:
            got = answer(response, role=column, method="POST" if method != "GET" else "GET",
                         shows=None)  # fmt: skip
        if method != "GET" and got == "ALLOW" and not changed:
            got = "NOOP"
        expected = KEY_EXPECTED[name, method][column]
        if got != expected:
            problems.append(f"{column}: expected {expected}, got {got} ({describe(response)})")
        # Reading leaves no trace but the key's "last used"; a refusal writes nothing at all.
        writes = {t for t in tables if t != ApiKey._meta.db_table}
        if got != "ALLOW" and (changed or writes):
            problems.append(f"{column}: refused, but wrote to the database: {tables}")
    assert problems == [], f"{name} {method}\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ["fac1", "lead1", "su"])
def test_a_signed_in_session_is_not_an_api_key(world, db, role):
    """The API ignores sign-in cookies: a page a person has open cannot be made to call it."""
    client = client_for(world, role)
    assert client.get(reverse("referrals:api_referrals")).status_code == 401
    url = reverse("referrals:api_referral", args=[world.referral.reference])
    assert client.patch(url, "{}", content_type="application/json").status_code == 401
