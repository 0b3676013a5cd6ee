"""The words of the matching flow: circles, kinds of tie, support, needs. Slugs are stable
(they are stored and sent through the API); labels are plain English for people."""

CIRCLES = {
    1: "Inner circle: the people and things closest and most important to you",
    2: "Middle circle: important, but not as close",
    3: "Outer circle: people, groups, pets and places you see or use",
}

MEMBER_KINDS = (
    ("partner", "Partner"),
    ("family", "Family"),
    ("friend", "Friend"),
    ("neighbour", "Neighbour"),
    ("colleague", "Colleague or classmate"),
    ("professional", "Health or care professional"),
    ("group", "Group or organisation"),
    ("pet", "Pet"),
    ("place", "Place or activity"),
)

# Weak ties (Granovetter; Reeves et al. 2014): the ties beyond family and close friends that
# bring new information, company and a sense of belonging.
WEAK_TIE_KINDS = frozenset({"neighbour", "colleague", "group", "pet", "place"})
FAMILY_KINDS = frozenset({"partner", "family"})
FORMAL_KINDS = frozenset({"professional"})
GROUP_KINDS = frozenset({"group", "place"})

CONTACT_FREQUENCIES = (
    ("daily", "Most days"),
    ("weekly", "Every week"),
    ("monthly", "Every month"),
    ("rarely", "Less often"),
)

SUPPORT_TYPES = (
    ("emotional", "Someone to talk to"),
    ("practical", "Practical help"),
    ("information", "Advice and information"),
    ("company", "Company"),
)

# Needs a person may prioritise (PLANS), each with the directory categories that can help.
NEEDS = (
    ("lonely", "Feeling lonely", ("social-and-friendship", "befriending", "peer-support")),
    ("active", "Keeping active", ("physical-activity",)),
    ("condition", "Managing my condition", ("health-condition-support", "peer-support")),
    ("eating", "Eating well", ("food-and-cooking",)),
    ("mood", "Low mood or worry", ("mental-wellbeing",)),
    ("money", "Money worries", ("money-and-debt", "benefits")),
    ("housing", "Housing", ("housing",)),
    ("caring", "Caring for someone", ("carers-support",)),
    (
        "out-and-about",
        "Getting out and about",
        ("social-and-friendship", "walking", "volunteering"),
    ),
    (
        "learning",
        "Learning or work",
        ("learning-and-skills", "digital-skills", "work-and-employment"),
    ),
)

NEED_CATEGORIES = {slug: categories for slug, _, categories in NEEDS}
# Needs that only something in person can meet: a phone befriender is company, but it does not
# get anyone out of the house.
IN_PERSON_NEEDS = frozenset({"out-and-about"})
NEED_LABELS = {slug: label for slug, label, _ in NEEDS}
MEMBER_KIND_LABELS = dict(MEMBER_KINDS)
SUPPORT_LABELS = dict(SUPPORT_TYPES)

# What the person says of themselves so that suggestions fit them (all optional). Age bands,
# each with the youngest and oldest age it covers.
AGE_BANDS = (
    ("under_18", "Under 18", 0, 17),
    ("18_to_49", "18 to 49", 18, 49),
    ("50_to_64", "50 to 64", 50, 64),
    ("65_plus", "65 or over", 65, 120),
)
AGE_BAND_RANGES = {slug: (low, high) for slug, _, low, high in AGE_BANDS}
AGE_BAND_LABELS = {slug: label for slug, label, _, _ in AGE_BANDS}
# The single-sex groups that would suit someone, if any.
SINGLE_SEX_GROUPS = (("women", "Women-only groups"), ("men", "Men-only groups"))

# How a person can get about (the questionnaire's practical limits).
TRAVEL_MODES = (
    ("walk", "Walking"),
    ("wheelchair", "Wheelchair or mobility scooter"),
    ("bus", "Bus or train"),
    ("car", "Car or lift"),
    ("community-transport", "Community transport or dial-a-ride"),
)
TRAVEL_LABELS = dict(TRAVEL_MODES)
