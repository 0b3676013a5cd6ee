"""Demo coproduction for `manage.py load_demo`: the seed's system, on the demo borough.

Seven service teams (one for each seeded service line), capability profiles of 25 of the demo
borough's groups (faith, cultural and peer groups among them), the teams' asks, and a dozen
partnerships at every stage of their lifecycle with delivery logs, reviews and survey answers;
a handful of groups' leaders and connectors (all but one with their consent recorded) and
readiness assessments (one waiting for a moderator's review).

Partnerships are made only through `coproduction.services`, so their history events are real;
each is then dated to the month it was proposed in (a few weeks before it starts), so that the
commissioners' report shows them over time. Several have evidence of NHS England's ten
principles for working with people and communities.
Every choice is fixed (the groups by their place in the directory, the dates by the calendar),
so two loads of one borough give the same system. Running it again changes nothing.
"""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assets_directory.models import Category, Organisation
from assets_directory.services import organisation_grant_editors

from .models import (
    Ask,
    CapabilityItem,
    CapabilityProfile,
    CapabilityTerm,
    GroupLeader,
    GroupLink,
    Partnership,
    PartnershipEvent,
    PartnershipGroup,
    ReadinessAssessment,
    ServiceLine,
    ServiceTeam,
    ServiceTeamMembership,
)
from .models.partnerships import SURVEY_QUESTIONS
from .models.people import READINESS_AREAS
from .services import (
    delivery_record,
    evidence_record,
    leader_add,
    partnership_accept,
    partnership_move,
    partnership_propose,
    readiness_review,
    readiness_submit,
    review_record,
    survey_answer,
)

SEED = 2026
PROFILES = 25
Kind = CapabilityTerm.Kind
Body = ServiceTeam.Body
Offer = Ask.Offer
Status = Ask.Status

# key: (username, password, role, first name, last name, team slug, membership role)
DEMO_TEAM_ACCOUNTS = {
    "teamlead": (
        "teamlead", "common-ground-teamlead",
        "Service team lead, Healthy Eating Team (coproduction)",
        "Tia", "Lead", "healthy-eating-team", ServiceTeamMembership.Role.LEAD,
    ),
    "teammember": (
        "teammember", "common-ground-teammember",
        "Service team member, Memory Assessment Service (coproduction)",
        "Tam", "Member", "memory-assessment-service", ServiceTeamMembership.Role.MEMBER,
    ),
}  # fmt: skip

# (slug, name, service line slug, body kind, body name, areas)
DEMO_SERVICE_TEAMS = (
    ("health-improvement-team", "Health Improvement Team", "health-promotion",
     Body.COUNCIL, "Wandsworth Council", ["SW11", "SW12", "SW15", "SW17", "SW18", "SW19"]),
    ("healthy-eating-team", "Healthy Eating Team", "healthy-cooking-and-eating",
     Body.COUNCIL, "Wandsworth Council", ["SW11", "SW17", "SW18"]),
    ("active-wandsworth", "Active Wandsworth", "exercise-and-physical-activity",
     Body.COUNCIL, "Wandsworth Council", ["SW11", "SW12", "SW15", "SW18"]),
    ("tooting-pcn-health-checks", "Tooting PCN Health Checks", "health-checks",
     Body.PCN, "Tooting Primary Care Network", ["SW17"]),
    ("memory-assessment-service", "Memory Assessment Service", "early-diagnosis-of-dementia",
     Body.NHS_TRUST, "South West London and St George's Mental Health NHS Trust",
     ["SW11", "SW12", "SW15", "SW17", "SW18", "SW19"]),
    ("long-term-conditions-team", "Diabetes and Long-Term Conditions Team",
     "self-management-of-long-term-conditions", Body.NHS_TRUST,
     "St George's University Hospitals NHS Foundation Trust", ["SW12", "SW17", "SW18", "SW19"]),
    ("talking-therapies-wandsworth", "Talking Therapies Wandsworth",
     "talking-therapies-and-family-therapy", Body.NHS_TRUST,
     "South West London and St George's Mental Health NHS Trust",
     ["SW11", "SW12", "SW15", "SW17", "SW18"]),
)  # fmt: skip

# Which kinds of group get a profile first: the ones a service team most needs to find. The
# groups are taken in turn from each kind (by their place in the directory), so every kind
# the borough has is among them.
KIND_ORDER = (
    Organisation.Kind.FAITH,
    Organisation.Kind.CULTURAL,
    Organisation.Kind.PEER,
    Organisation.Kind.SOCIAL_ENTERPRISE,
    Organisation.Kind.COMMUNITY_GROUP,
    Organisation.Kind.CARERS,
    Organisation.Kind.MENTAL_HEALTH,
    Organisation.Kind.CHARITY,
    Organisation.Kind.VOLUNTARY,
    Organisation.Kind.TRAINING,
    Organisation.Kind.STATUTORY,
)

# What a group reaches and offers, by words in its name. (kind, term name) pairs, and a phrase
# for its summary.
R = Kind
TITLE_RULES = (
    ("Islamic Centre", "brings Muslim families together for prayer, learning and iftars",
     [(R.COMMUNITY, "Muslim"), (R.COMMUNITY, "South Asian"), (R.COMMUNITY, "Somali"),
      (R.COMMUNITY, "Women"), (R.LANGUAGE, "Urdu"), (R.LANGUAGE, "Arabic"),
      (R.LANGUAGE, "Somali"), (R.ASSET, "Hall"), (R.ASSET, "Kitchen"), (R.SKILL, "Cooking"),
      (R.SKILL, "Running health events"), (R.PEOPLE, "Health champions")]),
    ("Parish Church", "opens its hall to everyone in the parish, of any faith or none",
     [(R.COMMUNITY, "Christian"), (R.AGE, "Older people (65 and over)"), (R.ASSET, "Hall"),
      (R.ASSET, "Kitchen"), (R.PEOPLE, "Befrienders")]),
    ("Polish", "keeps Polish families in touch, with a Saturday school and a social club",
     [(R.COMMUNITY, "Polish"), (R.LANGUAGE, "Polish"), (R.PEOPLE, "Interpreters"),
      (R.SKILL, "Translation"), (R.ASSET, "Meeting room")]),
    ("Caribbean", "is a social club for Caribbean elders, with dominoes, lunches and trips",
     [(R.COMMUNITY, "Black Caribbean"), (R.AGE, "Older people (65 and over)"),
      (R.CONDITION, "Diabetes"), (R.CONDITION, "Heart disease"), (R.ASSET, "Kitchen"),
      (R.SKILL, "Cooking")]),
    ("Diabetes", "is run by people living with type 2 diabetes, for each other",
     [(R.CONDITION, "Diabetes"), (R.COMMUNITY, "South Asian"), (R.LANGUAGE, "Gujarati")]),
    ("Kidney", "supports people on dialysis and their families",
     [(R.CONDITION, "Diabetes"), (R.COMMUNITY, "Carers")]),
    ("Breathe Easy", "helps people with lung conditions stay active and connected",
     [(R.CONDITION, "Breathing conditions"), (R.AGE, "Older people (65 and over)")]),
    ("Heart", "supports people after a heart attack or surgery",
     [(R.CONDITION, "Heart disease"), (R.SKILL, "Leading exercise")]),
    ("Dementia", "works for a neighbourhood where people with dementia feel welcome",
     [(R.CONDITION, "Dementia"), (R.COMMUNITY, "Carers"), (R.PEOPLE, "Befrienders")]),
    ("Memory", "runs a monthly café for people living with dementia and their carers",
     [(R.CONDITION, "Dementia"), (R.COMMUNITY, "Carers"), (R.AGE, "Older people (65 and over)")]),
    ("Stroke", "meets weekly for people recovering from a stroke",
     [(R.CONDITION, "Physical disability"), (R.CONDITION, "Heart disease")]),
    ("Arthritis", "helps people living with pain keep moving",
     [(R.CONDITION, "Physical disability"), (R.SKILL, "Leading exercise")]),
    ("Mind", "offers wellbeing cafés and peer support for people with mental health needs",
     [(R.CONDITION, "Mental health"), (R.SKILL, "Advice and advocacy")]),
    ("Wellbeing", "runs drop-in wellbeing sessions and mindfulness courses",
     [(R.CONDITION, "Mental health"), (R.SKILL, "Facilitation")]),
    ("Talking Together", "runs listening groups and bereavement support",
     [(R.CONDITION, "Mental health"), (R.COMMUNITY, "Men")]),
    ("Carers", "supports unpaid carers with breaks, advice and company",
     [(R.COMMUNITY, "Carers"), (R.CONDITION, "Dementia"), (R.SKILL, "Advice and advocacy")]),
    ("Kitchen", "cooks and eats together, and teaches cooking on a budget",
     [(R.ASSET, "Kitchen"), (R.SKILL, "Cooking"), (R.COMMUNITY, "Refugees and asylum seekers")]),
    ("Cook and Eat", "teaches healthy cooking on a budget to families",
     [(R.ASSET, "Kitchen"), (R.SKILL, "Cooking"), (R.AGE, "Children (0 to 11)")]),
    ("Food Bank", "runs a food pantry and signposts people to advice",
     [(R.SKILL, "Advice and advocacy"), (R.COMMUNITY, "Refugees and asylum seekers")]),
    ("Walking", "leads free health walks, at an easy pace, every week",
     [(R.ASSET, "Outdoor space"), (R.SKILL, "Leading exercise"),
      (R.AGE, "Older people (65 and over)")]),
    ("Ramblers", "leads longer walks across the borough and beyond",
     [(R.ASSET, "Outdoor space"), (R.SKILL, "Leading exercise")]),
    ("Friends of", "looks after the park and runs nature volunteering",
     [(R.ASSET, "Outdoor space")]),
    ("Tai Chi", "teaches tai chi for balance to older people",
     [(R.SKILL, "Leading exercise"), (R.AGE, "Older people (65 and over)")]),
    ("Move More", "runs chair yoga and gentle exercise",
     [(R.SKILL, "Leading exercise"), (R.ASSET, "Exercise equipment"),
      (R.CONDITION, "Physical disability")]),
    ("Dance", "runs tea dances and dance classes for all ages",
     [(R.SKILL, "Leading exercise"), (R.ASSET, "Hall")]),
    ("Swimming", "swims together, with sessions for women only",
     [(R.SKILL, "Leading exercise"), (R.COMMUNITY, "Women")]),
    ("Men's Shed", "is a workshop where men work shoulder to shoulder",
     [(R.COMMUNITY, "Men"), (R.AGE, "Older people (65 and over)"), (R.CONDITION, "Mental health")]),
    ("Repair", "fixes things together and keeps them out of landfill",
     [(R.COMMUNITY, "Men")]),
    ("Choir", "sings together every week, no auditions",
     [(R.SKILL, "Facilitation"), (R.ASSET, "Hall")]),
    ("Sing", "sings for better breathing with people with lung conditions",
     [(R.CONDITION, "Breathing conditions")]),
    ("Singers", "sings pop, folk and gospel together",
     [(R.COMMUNITY, "Black African")]),
    ("ESOL", "teaches English to people new to the country",
     [(R.COMMUNITY, "Refugees and asylum seekers"), (R.LANGUAGE, "Arabic"),
      (R.LANGUAGE, "Portuguese"), (R.LANGUAGE, "Tamil"), (R.SKILL, "Translation")]),
    ("Conversation", "runs conversation clubs in English and Spanish",
     [(R.LANGUAGE, "Spanish"), (R.LANGUAGE, "Portuguese"),
      (R.COMMUNITY, "Refugees and asylum seekers")]),
    ("Digital", "helps people get online with phones and computers",
     [(R.ASSET, "Computers and wifi"), (R.SKILL, "Digital help"),
      (R.AGE, "Older people (65 and over)")]),
    ("Get Online", "helps people get online, one to one",
     [(R.ASSET, "Computers and wifi"), (R.SKILL, "Digital help")]),
    ("Advice", "gives free advice on money, benefits and housing",
     [(R.SKILL, "Advice and advocacy"), (R.LANGUAGE, "Bengali")]),
    ("Money", "helps with debts, benefits and bills",
     [(R.SKILL, "Advice and advocacy")]),
    ("Stay and Play", "runs stay and play sessions for parents and little ones",
     [(R.AGE, "Children (0 to 11)"), (R.COMMUNITY, "Women")]),
    ("Youth", "runs youth clubs and holiday activities",
     [(R.AGE, "Young people (12 to 25)"), (R.COMMUNITY, "Black African")]),
    ("Family", "works with families, including family cooking",
     [(R.AGE, "Children (0 to 11)"), (R.SKILL, "Cooking")]),
    ("Lunch Club", "serves a hot lunch and company for older people",
     [(R.AGE, "Older people (65 and over)"), (R.ASSET, "Kitchen"),
      (R.ASSET, "Minibus or transport")]),
    ("Good Neighbours", "matches volunteer befrienders with older neighbours",
     [(R.AGE, "Older people (65 and over)"), (R.PEOPLE, "Befrienders")]),
    ("Age Friendly", "makes the neighbourhood easier to get about for older people",
     [(R.AGE, "Older people (65 and over)"), (R.ASSET, "Minibus or transport")]),
    ("Writers", "writes and shares poetry, memoir and stories",
     [(R.SKILL, "Facilitation"), (R.LANGUAGE, "Tamil"), (R.COMMUNITY, "Tamil")]),
    ("Book Group", "reads together, with large-print and audio books",
     [(R.CONDITION, "Sight loss"), (R.AGE, "Older people (65 and over)")]),
    ("Camera", "takes photo walks and runs exhibitions",
     [(R.ASSET, "Outdoor space"), (R.COMMUNITY, "LGBTQ+")]),
    ("History", "collects local memories and runs reminiscence sessions",
     [(R.CONDITION, "Dementia"), (R.AGE, "Older people (65 and over)"),
      (R.COMMUNITY, "Irish")]),
    ("Volunteer Centre", "finds, trains and supports volunteers for local groups",
     [(R.SKILL, "Facilitation"), (R.PEOPLE, "Volunteers")]),
    ("Time Bank", "swaps time and skills between neighbours",
     [(R.COMMUNITY, "Carers")]),
    ("Garden", "grows food and flowers together on a shared plot",
     [(R.ASSET, "Outdoor space"), (R.CONDITION, "Mental health")]),
    ("Grow", "grows food together and cooks what it grows",
     [(R.ASSET, "Outdoor space"), (R.SKILL, "Cooking")]),
    ("Allotment", "keeps allotments and shares seeds and know-how",
     [(R.ASSET, "Outdoor space")]),
    ("Knit", "knits, sews and chats over tea",
     [(R.COMMUNITY, "Women"), (R.AGE, "Older people (65 and over)")]),
    ("Stitchers", "sews together and mends clothes for the community",
     [(R.COMMUNITY, "Women")]),
    ("Craft", "makes things together, whatever your skill",
     [(R.CONDITION, "Learning disability")]),
)  # fmt: skip

# What each kind of group brings, whatever its name.
KIND_ITEMS = {
    Organisation.Kind.FAITH: [(R.ASSET, "Meeting room"), (R.SKILL, "Running health events")],
    Organisation.Kind.CULTURAL: [(R.ASSET, "Meeting room"), (R.AGE, "Working-age adults")],
    Organisation.Kind.PEER: [(R.PEOPLE, "Trained peer leaders"), (R.SKILL, "Peer support")],
    Organisation.Kind.CARERS: [(R.SKILL, "Peer support")],
    Organisation.Kind.MENTAL_HEALTH: [(R.SKILL, "Peer support")],
    Organisation.Kind.SOCIAL_ENTERPRISE: [(R.AGE, "Working-age adults")],
}

GOVERNANCE = ("Safeguarding policy", "Public liability insurance", "DBS-checked volunteers",
              "Written constitution")  # fmt: skip
VERIFIED_ON = datetime.date(2026, 3, 16)
# Links groups and moderators enter between groups (the network map): how many, and the two
# years they start in; one in six has ended after half a year.
DEMO_LINKS = 30
LINKS_FROM = datetime.date(2025, 1, 6)
LINK_KINDS = (GroupLink.Kind.SHARED_MEMBERS, GroupLink.Kind.JOINT_ACTIVITY,
              GroupLink.Kind.REFERRALS, GroupLink.Kind.REFERRALS, GroupLink.Kind.OTHER)  # fmt: skip
EVIDENCE = {
    Kind.GOVERNANCE: "Moderator saw the document, in date, at the group's visit in March 2026.",
    Kind.PEOPLE: "Moderator saw the group's training records.",
    Kind.ASSET: "Moderator visited the venue in March 2026.",
    Kind.SKILL: "Moderator joined a session in March 2026.",
}
OUTCODE = re.compile(r"\(([A-Z]{1,2}\d{1,2}[A-Z]?)\)")


@dataclass(frozen=True)
class DemoAsk:
    key: str
    team: str
    title: str
    description: str
    capabilities: tuple[str, ...]
    communities: tuple[str, ...]
    areas: tuple[str, ...]
    offers: tuple[str, ...]
    status: str = Status.OPEN
    most_deprived_fifth: bool = False
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


D = datetime.date
DEMO_ASKS = (
    DemoAsk("cooking-south-asian-women", "healthy-eating-team",
            "Healthy cooking sessions for South Asian women in SW17",
            "Six-week cooking courses in a community kitchen, in Urdu or Gujarati as well as "
            "English, with a dietitian at the first and last session.",
            ("Kitchen", "Cooking"), ("South Asian", "Women"), ("SW17",),
            (Offer.FUNDING, Offer.TRAINING), Status.OPEN, True, D(2026, 9, 1), D(2027, 3, 31)),
    DemoAsk("family-cooking", "healthy-eating-team", "Family cooking on a budget in Battersea",
            "After-school cooking for parents and children, using what the food pantry has.",
            ("Kitchen", "Cooking", "Volunteers"), ("Children (0 to 11)",), ("SW11",),
            (Offer.FUNDING, Offer.EQUIPMENT), Status.MATCHED, True),
    DemoAsk("health-champions", "health-improvement-team",
            "Health champions in faith communities",
            "Train members of faith groups to talk about screening, vaccinations and blood "
            "pressure with their own communities.",
            ("Health champions", "Running health events", "Hall"),
            ("Muslim", "Christian", "Black Caribbean"), ("SW11", "SW17", "SW18"),
            (Offer.FUNDING, Offer.TRAINING, Offer.STAFF_TIME), Status.MATCHED),
    DemoAsk("walks-diabetes", "active-wandsworth",
            "Health walks for people newly diagnosed with type 2 diabetes",
            "Weekly walks at an easy pace, with a peer who has been through it.",
            ("Leading exercise", "Outdoor space", "Peer support"), ("Diabetes",),
            ("SW11", "SW18"), (Offer.TRAINING, Offer.EQUIPMENT), Status.OPEN),
    DemoAsk("chair-exercise", "active-wandsworth",
            "Strength and balance classes for older people in Roehampton",
            "Falls prevention through chair exercise and tai chi.",
            ("Leading exercise", "Hall"), ("Older people (65 and over)",), ("SW15",),
            (Offer.FUNDING, Offer.VENUE_HIRE), Status.OPEN, True),
    DemoAsk("health-checks-community", "tooting-pcn-health-checks",
            "NHS Health Checks in community venues in Tooting",
            "Our nurses come to you: blood pressure, cholesterol and diabetes risk, where "
            "people already meet.",
            ("Hall", "Running health events", "Interpreters"),
            ("Black African", "Black Caribbean", "South Asian", "Men"), ("SW17",),
            (Offer.STAFF_TIME, Offer.FUNDING), Status.MATCHED, True),
    DemoAsk("memory-awareness", "memory-assessment-service",
            "Dementia awareness and early diagnosis with community groups",
            "Talks and memory cafés where people can ask about memory worries early.",
            ("Meeting room", "Befrienders", "Facilitation"), ("Dementia", "Carers"),
            ("SW11", "SW12", "SW18"), (Offer.TRAINING, Offer.STAFF_TIME), Status.MATCHED),
    DemoAsk("memory-polish-tamil", "memory-assessment-service",
            "Memory assessments explained in Polish and Tamil",
            "Help us reach families who do not come to the memory clinic until late.",
            ("Interpreters", "Translation"), ("Polish", "Tamil"), ("SW17", "SW18"),
            (Offer.FUNDING, Offer.TRAINING), Status.OPEN),
    DemoAsk("diabetes-peer", "long-term-conditions-team",
            "Peer-led diabetes self-management groups",
            "Trained peer leaders run structured education alongside our diabetes nurses.",
            ("Trained peer leaders", "Peer support", "Meeting room"), ("Diabetes",),
            ("SW12", "SW17"), (Offer.TRAINING, Offer.FUNDING), Status.MATCHED),
    DemoAsk("breathing", "long-term-conditions-team", "Singing and walking for better breathing",
            "For people with COPD after pulmonary rehabilitation.",
            ("Leading exercise", "Hall"), ("Breathing conditions",), ("SW18", "SW19"),
            (Offer.FUNDING,), Status.DRAFT),
    # No group can help with this one yet: the commissioners' report shows it as a gap.
    DemoAsk("deaf-families", "talking-therapies-wandsworth",
            "Family therapy for Deaf parents, in British Sign Language",
            "Sessions for Deaf parents and their children, with a BSL interpreter and transport "
            "to a quiet room near Wimbledon.",
            ("Interpreters", "Minibus or transport", "Digital help"),
            ("British Sign Language", "Hearing loss"), ("SW19",),
            (Offer.FUNDING, Offer.TRAINING), Status.OPEN),
    DemoAsk("mens-wellbeing", "talking-therapies-wandsworth",
            "Men's wellbeing conversations where men already meet",
            "Talking therapies practitioners at men's sheds and clubs, no referral needed.",
            ("Peer support", "Meeting room"), ("Men", "Mental health"), ("SW11", "SW15", "SW18"),
            (Offer.STAFF_TIME, Offer.TRAINING), Status.MATCHED),
)  # fmt: skip


@dataclass(frozen=True)
class Round:
    """One round of delivery and the review after it."""

    sessions: int
    people: int
    reached: dict
    level: int
    cos: str  # which of the four co-s: "c" commissioning, "d" design, "v" delivery, "a" assessment
    notes: str
    team: tuple[int, ...]  # survey answers, in the order of SURVEY_QUESTIONS
    groups: tuple[int, ...]
    # Where the partnership goes after this round's review; the next round (if any) starts
    # delivering again from reviewing, or goes on delivering while sustained.
    then: str = ""


@dataclass(frozen=True)
class DemoPartnership:
    title: str
    team: str
    ask: str | None
    # Words in a group's name (or kinds of group), best first; "editor" is the demo editor's.
    groups: tuple[tuple[str, ...], ...]
    status: str
    starts: datetime.date
    rounds: tuple[Round, ...] = ()
    # Groups (by position) that have not accepted yet, for a proposed partnership.
    waiting: tuple[int, ...] = ()
    close_note: str = ""
    resources: str = ""


A, B = (4, 4, 4, 4, 4, 4), (5, 4, 5, 4, 4, 4)
P = DemoPartnership
DEMO_PARTNERSHIPS = (
    P("Health walks for people newly diagnosed with type 2 diabetes", "active-wandsworth",
      "walks-diabetes", (("editor",), ("Diabetes", "peer")), "proposed", D(2026, 11, 2),
      waiting=(0,)),
    P("Memory assessments explained in Polish", "memory-assessment-service",
      "memory-polish-tamil", (("Polish", "faith"), ("Writers", "cultural")), "proposed",
      D(2026, 11, 9), waiting=(0, 1)),
    P("Strength and balance in the church hall", "active-wandsworth", "chair-exercise",
      (("Parish Church", "faith"), ("Tai Chi", "Move More", "Dance", "community_group")), "agreed",
      D(2026, 10, 5)),
    P("Cooking for diabetes with Caribbean elders", "long-term-conditions-team",
      "diabetes-peer", (("Caribbean", "faith"),), "agreed", D(2026, 10, 12)),
    P("Family cooking on a budget", "healthy-eating-team", "family-cooking",
      (("Cook and Eat", "Kitchen", "social_enterprise"), ("Family", "Stay and Play", "charity")),
      "delivering", D(2026, 4, 6),
      rounds=(Round(10, 64, {"Children (0 to 11)": 38, "Working-age adults": 26}, 0, "", "",
                    A, A),)),
    P("Memory café conversations", "memory-assessment-service", "memory-awareness",
      (("Memory", "Dementia", "peer"), ("History", "Book Group", "cultural")), "delivering",
      D(2026, 5, 4),
      rounds=(Round(8, 71, {"Older people (65 and over)": 52, "Carers": 19}, 0, "", "", A, A),),
      resources="Two memory nurses at each café; the group's volunteers and room."),
    P("Health champions in faith communities", "health-improvement-team", "health-champions",
      (("Islamic Centre", "faith"), ("Parish Church", "faith"), ("Caribbean", "faith")),
      "reviewing", D(2026, 2, 2),
      rounds=(Round(18, 240, {"Muslim": 120, "Christian": 70, "Black Caribbean": 50}, 3, "dv",
                    "Champions trained in every group; the mosque's women's group asked for "
                    "more sessions.", (5, 5, 5, 4, 5, 4), (4, 3, 5, 2, 2, 3)),)),
    P("NHS Health Checks at the Islamic Centre", "tooting-pcn-health-checks",
      "health-checks-community", (("Islamic Centre", "faith"),), "reviewing", D(2026, 3, 2),
      rounds=(Round(6, 132, {"Men": 81, "Women": 51}, 2, "v",
                    "Many more men came than to the surgery; the group wants a say in the "
                    "dates.", (4, 4, 4, 4, 4, 3), (3, 4, 4, 2, 3, 3)),)),
    P("Peer-led diabetes self-management", "long-term-conditions-team", "diabetes-peer",
      (("Diabetes", "peer"), ("Kidney", "Heart", "peer")), "sustained", D(2026, 1, 12),
      rounds=(
          Round(12, 86, {"South Asian": 40, "Black African": 22, "Other": 24}, 3, "dv",
                "Peer leaders trained; nurses still lead most sessions.", A, (4, 3, 4, 3, 3, 4)),
          Round(12, 104, {"South Asian": 48, "Black African": 30, "Other": 26}, 4, "dva",
                "Peer leaders now lead half the sessions and set the topics.", B,
                (5, 4, 5, 4, 4, 5), then="sustained"),
          Round(12, 121, {"South Asian": 55, "Black African": 36, "Other": 30}, 5, "cdva",
                "The group decides with us how next year's funding is spent.", B, B,
                then="sustained"),
      )),
    P("Men's wellbeing at the shed", "talking-therapies-wandsworth", "mens-wellbeing",
      (("Men's Shed", "Repair", "community_group"), ("Talking Together", "Mind", "mental_health")),
      "sustained", D(2026, 2, 16),
      rounds=(
          Round(20, 58, {"Men": 58}, 2, "v", "Men came for the shed and stayed to talk.",
                (4, 4, 3, 4, 4, 4), (4, 2, 4, 3, 2, 3)),
          Round(24, 77, {"Men": 77}, 4, "dv",
                "Shed members now co-design the sessions with the practitioners.", B, B,
                then="sustained"),
      )),
    P("Healthy cooking at the parish hall", "healthy-eating-team", None,
      (("Parish Church", "faith"),), "closed", D(2026, 6, 1),
      close_note="The hall's kitchen is being refurbished until 2027; we will ask again then."),
    P("Tamil writers' memory stories", "memory-assessment-service", None,
      (("Writers", "History", "cultural"),), "closed", D(2026, 2, 9),
      rounds=(Round(6, 35, {"Tamil": 21, "Older people (65 and over)": 14}, 2, "d",
                    "Good stories, but few people came forward for assessment.",
                    (3, 4, 3, 2, 2, 3), (4, 4, 2, 2, 3, 4), then="closed"),),
      close_note="The funding ended; the group keeps the memory stories going on its own."),
)  # fmt: skip


# How long before it starts a partnership was proposed, and each group accepted.
PROPOSED_BEFORE = datetime.timedelta(days=28)
ACCEPTED_AFTER = datetime.timedelta(days=6)

# Evidence of the principles, by partnership: (principle code, what shows it, days after the
# partnership starts that it was logged).
DEMO_EVIDENCE = {
    "Health champions in faith communities": (
        ("excluded", "Champions from three faith groups reach people who rarely come to the "
         "surgery or answer screening letters.", 60),
        ("vcse", "The three groups chose their champions and host the sessions; the team pays "
         "for their time.", 30),
        ("community_development", "The mosque's women's group now runs its own health "
         "mornings, with the champions' support.", 150),
    ),
    "NHS Health Checks at the Islamic Centre": (
        ("excluded", "132 health checks, most for men who had not had one at the surgery.", 90),
        ("needs", "The group asked for evening dates after Friday prayers; the practice "
         "changed its rota.", 100),
    ),
    "Peer-led diabetes self-management": (
        ("coproduce", "Peer leaders now lead half the sessions and set the topics.", 190),
        ("voices", "The group decides with the team how next year's funding is spent.", 280),
        ("learn", "Each round's review changed the next round: shorter sessions, more "
         "cooking.", 200),
    ),
    "Men's wellbeing at the shed": (
        ("community_development", "Men came for the shed and stayed to talk; the shed now "
         "runs a monthly open day.", 100),
        ("coproduce", "Shed members co-design the sessions with the practitioners.", 190),
        ("early", "Members were asked what would help before the sessions were planned, and "
         "told what changed.", 7),
    ),
    "Memory café conversations": (
        ("information", "A plain-English leaflet on memory assessment, written with the "
         "café's members.", 80),
        ("vcse", "The café's volunteers run each session; the memory nurses come as "
         "guests.", 40),
    ),
    "Family cooking on a budget": (
        ("needs", "Recipes built from what the food pantry has each week, as families "
         "asked.", 45),
    ),
    "Cooking for diabetes with Caribbean elders": (
        ("early", "The elders chose the recipes before the plan was written.", 14),
    ),
    "Tamil writers' memory stories": (
        ("learn", "Few came forward for assessment: the team changed how it explains "
         "referral to other groups.", 100),
    ),
}  # fmt: skip

L = GroupLeader.Role
DEMO_LEADERS = (
    ("Priya S.", L.CONNECTOR, "Tamil families in SW17", datetime.date(2026, 2, 3)),
    ("Pastor James", L.LEADER, "The church's older members and their carers",
     datetime.date(2026, 2, 10)),
    ("Amina H.", L.HEALTH_CHAMPION, "Somali women in Tooting", datetime.date(2026, 3, 2)),
    ("Tom W.", L.PEER_LEADER, "Men living with diabetes", datetime.date(2026, 4, 20)),
    ("Grace O.", L.CONNECTOR, "Young carers and their schools", datetime.date(2026, 5, 5)),
    # Not agreed yet: kept for the group's editors only.
    ("Dev R.", L.LEADER, "The Saturday football players", None),
)  # fmt: skip

# (group's place among the profiled, submitted on, the six scores, reviewed on, review notes)
DEMO_READINESS = (
    (0, datetime.date(2025, 10, 6), (2, 1, 2, 3, 1, 2), datetime.date(2025, 10, 20),
     "We agreed to write a constitution with the CVS, and to ask the Tamil group to introduce "
     "us to the health trainers."),
    (0, datetime.date(2026, 4, 13), (3, 3, 2, 3, 2, 2), datetime.date(2026, 4, 27),
     "Much stronger structure. Next: a second volunteer to share the leading."),
    (1, datetime.date(2026, 5, 18), (4, 3, 3, 4, 3, 2), datetime.date(2026, 6, 1),
     "Ready to take on a partnership; the team will pay for room hire."),
    (0, datetime.date(2026, 10, 5), (3, 4, 3, 4, 3, 2), None, ""),
)  # fmt: skip


def _term(kind: str, name: str) -> CapabilityTerm:
    return CapabilityTerm.objects.get(kind=kind, name=name)


def _user(username: str, *, first: str = "", last: str = "", password: str | None = None):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@example.org", "first_name": first, "last_name": last},
    )
    if created:
        if password:
            user.set_password(password)
        else:
            # Someone the demo needs (a team's lead, a group's editor) but who cannot sign in.
            user.set_unusable_password()
        user.save()
    return user


def _accounts() -> list[tuple[str, str, str]]:
    return [(role, username, password) for username, password, role, *_ in
            DEMO_TEAM_ACCOUNTS.values()]  # fmt: skip


# The directory's kinds of activity that count as each seed service line's supply in the
# commissioners' figures (a line linked to none is left out of them).
DEMO_LINE_CATEGORIES = {
    "health-promotion": ("walking", "cooking-classes", "mindfulness-and-relaxation",
                         "heart-health"),
    "healthy-cooking-and-eating": ("cooking-classes", "community-meals", "lunch-clubs"),
    "exercise-and-physical-activity": ("physical-activity",),
    "health-checks": ("heart-health", "diabetes"),
    "early-diagnosis-of-dementia": ("dementia",),
    "self-management-of-long-term-conditions": ("health-condition-support",),
    "talking-therapies-and-family-therapy": ("peer-support", "bereavement",
                                             "parent-and-baby-groups"),
}  # fmt: skip


def ensure_demo_service_line_categories() -> int:
    """Link each seed service line that has no kinds of activity yet to its demo ones (those
    that exist); returns how many lines were linked."""
    linked = 0
    for line in ServiceLine.objects.filter(slug__in=DEMO_LINE_CATEGORIES, categories__isnull=True):
        found = Category.objects.filter(slug__in=DEMO_LINE_CATEGORIES[line.slug])
        if found:
            line.categories.set(found)
            linked += 1
    return linked


def ensure_demo_coproduction() -> list[tuple[str, str, str]]:
    """The demo coproduction system (once); returns the (role, username, password) of its
    accounts every time."""
    ensure_demo_service_line_categories()
    slugs = [slug for slug, *_ in DEMO_SERVICE_TEAMS]
    if not ServiceTeam.objects.filter(slug__in=slugs).exists():
        with transaction.atomic():
            _Builder().build()
    return _accounts()


class _Builder:
    def __init__(self):
        self.moderator = get_user_model().objects.filter(username="moderator").first()
        self.editor = get_user_model().objects.filter(username="editor").first()
        self.editor_org = Organisation.objects.order_by("path").first()
        self.leads: dict[str, object] = {}
        self.group_users: dict[int, object] = {}

    def build(self) -> None:
        teams = self._teams()
        profiled = self._profiles()
        asks = self._asks(teams)
        if profiled:
            for spec in DEMO_PARTNERSHIPS:
                self._partnership(spec, teams, asks, profiled)
            self._links(profiled)
            self._leaders(profiled)
            self._readiness(profiled)

    def _links(self, groups: list[Organisation]) -> None:
        """DEMO_LINKS links between the profiled groups, the same each time: each group to the
        next (a chain, so the map is connected through some groups only), then chords."""
        rng = random.Random(f"{SEED}-links")
        pairs = list(zip(groups, groups[1:], strict=False))[: DEMO_LINKS // 2]
        others = [(a, b) for i, a in enumerate(groups) for b in groups[i + 2 :]]
        pairs += rng.sample(others, min(len(others), DEMO_LINKS - len(pairs)))
        for number, (a, b) in enumerate(pairs):
            started_on = LINKS_FROM + datetime.timedelta(days=rng.randint(0, 700))
            GroupLink.objects.create(
                from_organisation=a,
                to_organisation=b,
                kind=rng.choice(LINK_KINDS),
                started_on=started_on,
                ended_on=started_on + datetime.timedelta(days=182) if number % 6 == 5 else None,
                note="Entered for the demo.",
                created_by=self.moderator,
            )

    # Leaders and readiness --------------------------------------------------------------

    def _editors_first(self, groups: list[Organisation]) -> list[Organisation]:
        """The demo editor's group first, so that signing in as them shows leaders and
        readiness."""
        return sorted(groups, key=lambda organisation: organisation != self.editor_org)

    def _leaders(self, groups: list[Organisation]) -> None:
        """DEMO_LEADERS on the first groups (the demo editor's first); the last has not agreed
        yet, so only its group's editors see them."""
        groups = self._editors_first(groups)
        for number, (name, role, connects, agreed_on) in enumerate(DEMO_LEADERS):
            organisation = groups[number % len(groups)]
            leader_add(
                organisation=organisation,
                by=self._group_user(organisation),
                display_name=name,
                role=role,
                connects=connects,
                email=f"demo-leader-{number + 1}@example.org",
                consent_given_on=agreed_on,
            )

    def _readiness(self, groups: list[Organisation]) -> None:
        """DEMO_READINESS: a group's assessments over time, reviewed or waiting."""
        groups = self._editors_first(groups)
        for position, submitted_on, scores, reviewed_on, notes in DEMO_READINESS:
            organisation = groups[position % len(groups)]
            assessment = readiness_submit(
                organisation=organisation,
                by=self._group_user(organisation),
                answers={
                    area: (score, "") for area, score in zip(READINESS_AREAS, scores, strict=True)
                },
            )
            # Dated as the demo's story has it, not by the day it is loaded.
            ReadinessAssessment.objects.filter(pk=assessment.pk).update(
                submitted_at=datetime.datetime.combine(
                    submitted_on, datetime.time(10), tzinfo=datetime.UTC
                )
            )
            if reviewed_on:
                readiness_review(
                    assessment=assessment, by=self.moderator, notes=notes, reviewed_on=reviewed_on
                )

    # Teams and their people -------------------------------------------------------------

    def _teams(self) -> dict[str, ServiceTeam]:
        lines = {line.slug: line for line in ServiceLine.objects.all()}
        teams = {}
        for slug, name, line, body_kind, body_name, areas in DEMO_SERVICE_TEAMS:
            teams[slug] = ServiceTeam.objects.create(
                slug=slug,
                name=name,
                service_line=lines[line],
                body_kind=body_kind,
                body_name=body_name,
                areas=areas,
                contact_email=f"{slug}@example.nhs.uk"
                if body_kind != Body.COUNCIL
                else f"{slug}@example.gov.uk",
            )
        for username, password, _, first, last, team, role in DEMO_TEAM_ACCOUNTS.values():
            user = _user(username, first=first, last=last, password=password)
            ServiceTeamMembership.objects.get_or_create(
                team=teams[team], user=user, defaults={"role": role}
            )
            if role == ServiceTeamMembership.Role.LEAD:
                self.leads[team] = user
        # Every other team has a lead too, who cannot sign in: who proposes and reviews.
        for slug, team in teams.items():
            if slug not in self.leads:
                self.leads[slug] = _user(f"lead-{slug}"[:150], first="Team", last="Lead")
                ServiceTeamMembership.objects.create(
                    team=team, user=self.leads[slug], role=ServiceTeamMembership.Role.LEAD
                )
        return teams

    def _asks(self, teams) -> dict[str, Ask]:
        lines = {team.slug: team.service_line for team in teams.values()}
        asks = {}
        for spec in DEMO_ASKS:
            ask = Ask.objects.create(
                team=teams[spec.team],
                title=spec.title,
                description=spec.description,
                service_line=lines[spec.team],
                areas=list(spec.areas),
                most_deprived_fifth=spec.most_deprived_fifth,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                offers=list(spec.offers),
                status=spec.status,
                created_by=self.leads[spec.team],
            )
            capabilities = CapabilityTerm.objects.filter(
                kind__in=CapabilityTerm.CAPABILITY_KINDS, name__in=spec.capabilities
            )
            communities = CapabilityTerm.objects.filter(
                kind__in=CapabilityTerm.REACH_KINDS, name__in=spec.communities
            )
            # An ask that silently lost a term would match other groups than it says.
            unknown = (set(spec.capabilities) - {t.name for t in capabilities}) | (
                set(spec.communities) - {t.name for t in communities}
            )
            if unknown:
                raise RuntimeError(f"Demo asks name unknown terms: {sorted(unknown)}")
            ask.capabilities.set(capabilities)
            ask.communities.set(communities)
            asks[spec.key] = ask
        return asks

    # Capability profiles ----------------------------------------------------------------

    def _chosen(self) -> list[Organisation]:
        """PROFILES groups, the demo editor's first, then in turn from each kind."""
        by_kind: dict[str, list[Organisation]] = {}
        for organisation in Organisation.objects.live().order_by("path"):
            by_kind.setdefault(organisation.kind, []).append(organisation)
        order = [k for k in KIND_ORDER if k in by_kind] + sorted(set(by_kind) - set(KIND_ORDER))
        chosen = [self.editor_org] if self.editor_org and self.editor_org.live else []
        # Then the groups the demo partnerships are written for, where the borough has them.
        everyone = [o for kind in order for o in by_kind[kind]]
        for spec in DEMO_PARTNERSHIPS:
            for wants in spec.groups:
                words = [w for w in wants if w not in Organisation.Kind.values and w != "editor"]
                if any(w in o.title for w in words for o in chosen):
                    continue  # one group of that sort is enough
                found = next((o for w in words for o in everyone if w in o.title), None)
                if found is not None and len(chosen) < PROFILES:
                    chosen.append(found)
                    by_kind[found.kind].remove(found)
        while len(chosen) < PROFILES and any(by_kind.values()):
            for kind in order:
                if by_kind.get(kind) and len(chosen) < PROFILES:
                    organisation = by_kind[kind].pop(0)
                    if organisation not in chosen:
                        chosen.append(organisation)
        return chosen

    def _profiles(self) -> list[Organisation]:
        chosen = self._chosen()
        for organisation in chosen:
            self._profile(organisation)
        return chosen

    def _profile(self, organisation: Organisation) -> CapabilityProfile:
        # Its own seed, so one group's profile does not change when another's does.
        rng = random.Random(f"{SEED}-{organisation.slug}")
        phrase, items = "runs activities for local people", []
        for words, rule_phrase, rule_items in TITLE_RULES:
            if words in organisation.title:
                phrase, items = rule_phrase, list(rule_items)
                break
        items += KIND_ITEMS.get(organisation.kind, [])
        if not any(kind in CapabilityTerm.REACH_KINDS for kind, _ in items):
            # Everyone reaches someone: a group whose name says nothing says whom it reaches.
            items.append((R.AGE, rng.choice(["Working-age adults", "Older people (65 and over)"])))
        items += [(R.PEOPLE, "Volunteers"), (R.GOVERNANCE, "Safeguarding policy")]
        items += [(R.GOVERNANCE, g) for g in rng.sample(GOVERNANCE[1:], k=rng.randint(0, 2))]
        if organisation.charity_number:
            items.append((R.GOVERNANCE, "Registered charity"))
        found = OUTCODE.search(organisation.areas_served or "")
        areas = [found.group(1)] if found else []
        years = rng.randint(2, 40)
        profile = CapabilityProfile.objects.create(
            organisation=organisation,
            summary=(
                f"{organisation.title} {phrase}. We have been going for {years} years and "
                "would welcome working with health and council services."
            ),
            areas=areas,
            years_active=years,
            updated_by=self.editor if organisation == self.editor_org else None,
        )
        for kind, name in dict.fromkeys(items):
            count = None
            if kind == R.PEOPLE:
                count = rng.randint(3, 40) if name == "Volunteers" else rng.randint(1, 8)
            # Governance is checked at the moderator's visit; other things now and then.
            verified = kind in EVIDENCE and (kind == R.GOVERNANCE or rng.random() < 0.4)
            if kind == R.GOVERNANCE and rng.random() < 0.25:
                verified = False  # some groups have not been visited yet
            CapabilityItem.objects.create(
                profile=profile,
                term=_term(kind, name),
                count=count,
                verified_on=VERIFIED_ON + datetime.timedelta(days=rng.randint(0, 60))
                if verified
                else None,
                verified_by=self.moderator if verified else None,
                evidence=EVIDENCE[kind] if verified else "",
            )
        return profile

    # Partnerships -----------------------------------------------------------------------

    def _group_user(self, organisation: Organisation):
        """Who speaks for a group: the demo editor for theirs, an editor of it otherwise."""
        if organisation == self.editor_org and self.editor is not None:
            return self.editor
        if organisation.pk not in self.group_users:
            user = _user(f"group-{organisation.slug}"[:150], first="Group", last="Editor")
            user.groups.add(organisation_grant_editors(organisation=organisation))
            self.group_users[organisation.pk] = user
        return self.group_users[organisation.pk]

    def _pick(self, wants: tuple[str, ...], profiled, taken) -> Organisation | None:
        if wants == ("editor",):
            return self.editor_org if self.editor_org in profiled else None
        for want in wants:
            for organisation in profiled:
                if organisation in taken:
                    continue
                if want in organisation.title or want == organisation.kind:
                    return organisation
        return next((o for o in profiled if o not in taken and o != self.editor_org), None)

    def _partnership(self, spec: DemoPartnership, teams, asks, profiled) -> None:
        groups: list[Organisation] = []
        waiting = []
        for position, wants in enumerate(spec.groups):
            organisation = self._pick(wants, profiled, groups)
            if organisation is not None:
                groups.append(organisation)
                if position in spec.waiting:
                    waiting.append(organisation)
        if not groups:
            return
        lead = self.leads[spec.team]
        partnership = partnership_propose(
            team=teams[spec.team],
            organisations=groups,
            by=lead,
            title=spec.title,
            ask=asks.get(spec.ask) if spec.ask else None,
        )
        for organisation in groups:
            if organisation not in waiting:
                partnership_accept(
                    partnership=partnership,
                    organisation=organisation,
                    by=self._group_user(organisation),
                )
        self._date(partnership, spec.starts)
        for kind, note, days in DEMO_EVIDENCE.get(spec.title, ()):
            evidence_record(
                partnership=partnership,
                principle=kind,
                note=note,
                by=lead,
                recorded_on=spec.starts + datetime.timedelta(days=days),
            )
        if spec.status == "proposed":
            return
        if spec.status == "closed" and not spec.rounds:
            partnership_move(partnership=partnership, to="closed", by=lead, note=spec.close_note)
            return
        partnership_move(partnership=partnership, to="agreed", by=lead)
        if spec.status == "agreed":
            return
        for number, round_ in enumerate(spec.rounds):
            partnership.refresh_from_db(fields=["status"])
            if partnership.status in ("agreed", "reviewing"):
                partnership_move(partnership=partnership, to="delivering", by=lead)
            period_start = spec.starts + datetime.timedelta(days=91 * number)
            period_end = period_start + datetime.timedelta(days=83)
            delivery_record(
                partnership=partnership,
                by=lead,
                period_start=period_start,
                period_end=period_end,
                sessions=round_.sessions,
                people_reached=round_.people,
                reached_by_group=round_.reached,
                resources_exchanged=spec.resources
                or "Funding and training from the team; the group's venue and volunteers.",
                outcomes=round_.notes,
            )
            if not round_.level:
                continue  # still delivering: not reviewed yet
            partnership_move(partnership=partnership, to="reviewing", by=lead)
            self._review(partnership, round_, groups, lead, period_end)
            if round_.then:
                note = spec.close_note if round_.then == "closed" else ""
                partnership_move(partnership=partnership, to=round_.then, by=lead, note=note)

    @staticmethod
    def _date(partnership: Partnership, starts: datetime.date) -> None:
        """Date the proposal (and each acceptance) before the partnership starts, as it was."""
        proposed = timezone.make_aware(
            datetime.datetime.combine(starts - PROPOSED_BEFORE, datetime.time(10))
        )
        Partnership.objects.filter(pk=partnership.pk).update(created_at=proposed)
        events = PartnershipEvent.objects.filter(partnership=partnership)
        events.filter(kind=PartnershipEvent.Kind.PROPOSED).update(at=proposed)
        events.filter(kind=PartnershipEvent.Kind.ACCEPTED).update(at=proposed + ACCEPTED_AFTER)
        PartnershipGroup.objects.filter(partnership=partnership, accepted_at__isnull=False).update(
            accepted_at=proposed + ACCEPTED_AFTER
        )

    def _review(self, partnership, round_: Round, groups, lead, period_end) -> None:
        review = review_record(
            partnership=partnership,
            by=lead,
            held_on=period_end + datetime.timedelta(days=7),
            level=round_.level,
            co_commissioning="c" in round_.cos,
            co_design="d" in round_.cos,
            co_delivery="v" in round_.cos,
            co_assessment="a" in round_.cos,
            notes=round_.notes,
        )
        questions = list(SURVEY_QUESTIONS)
        survey_answer(
            review=review, respondent=lead, answers=dict(zip(questions, round_.team, strict=True))
        )
        for organisation in groups:
            survey_answer(
                review=review,
                respondent=self._group_user(organisation),
                organisation=organisation,
                answers=dict(zip(questions, round_.groups, strict=True)),
            )
