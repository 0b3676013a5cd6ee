"""The network map reading: measures, types, feedback, suggestions and comparison. No database."""

import json

import pytest

from matching.network import (
    NETWORK_TYPE_LABELS,
    Member,
    compare_networks,
    members_from_dicts,
    network_metrics,
)
from matching.vocabulary import MEMBER_KINDS, SUPPORT_TYPES


def m(kind, circle=1, support=(), label="", frequency=None):
    return Member(
        circle=circle, kind=kind, support=frozenset(support), frequency=frequency, label=label
    )


def many(kind, count, **kwargs):
    return [m(kind, **kwargs) for _ in range(count)]


# A map that meets every "diverse" rule: 6 kinds, 4 of 8 beyond family and friends, groups.
DIVERSE = [
    m("partner", 1, {"emotional", "practical"}, "Pat"),
    m("family", 1, {"emotional", "practical"}),
    m("friend", 2, {"company", "emotional"}, "Sam"),
    m("professional", 2, {"information"}, "Dr Rao"),
    m("neighbour", 3, {"practical", "company"}),
    m("group", 3, {"company", "information"}, "Knit and natter"),
    m("place", 3, {"company"}, "Library"),
    m("pet", 1, {"company"}, "Bess"),
]


# --- Member validation ---------------------------------------------------------------------


def test_member_accepts_a_list_or_set_of_support_and_stores_a_frozenset():
    assert m("friend").support == frozenset()
    assert Member(circle=1, kind="friend", support=["company", "emotional"]).support == frozenset(
        {"company", "emotional"}
    )
    assert Member(circle=1, kind="friend", support={"company"}).support == frozenset({"company"})


def test_member_strips_spaces_around_its_label():
    assert m("friend", label="  Sam ").label == "Sam"


@pytest.mark.parametrize("circle", [0, 4, -1, "1", 1.0, True, None])
def test_member_refuses_a_circle_outside_one_to_three(circle):
    with pytest.raises(ValueError, match=r"^circle: must be 1 \(inner\), 2 \(middle\) or 3"):
        Member(circle=circle, kind="friend")


def test_member_refuses_an_unknown_kind_and_lists_the_kinds():
    with pytest.raises(
        ValueError, match=r"^kind: 'cousin' is not a kind of member\. Use one of: partner"
    ):
        Member(circle=1, kind="cousin")


def test_member_refuses_an_unknown_support_type():
    with pytest.raises(ValueError, match=r"^support: 'money' is not a type of support"):
        Member(circle=1, kind="friend", support=["company", "money"])


def test_member_refuses_support_given_as_a_single_string():
    # A bare string would otherwise be read letter by letter.
    with pytest.raises(ValueError, match=r"^support: must be a list"):
        Member(circle=1, kind="friend", support="company")


def test_member_refuses_an_unknown_frequency():
    with pytest.raises(ValueError, match=r"^frequency: 'hourly' is not a contact frequency"):
        Member(circle=1, kind="friend", frequency="hourly")


def test_member_refuses_a_label_longer_than_a_name():
    with pytest.raises(ValueError, match=r"^label: is 81 characters long"):
        Member(circle=1, kind="friend", label="x" * 81)


# --- members_from_dicts --------------------------------------------------------------------


def test_members_from_dicts_builds_members_with_defaults_for_optional_fields():
    members = members_from_dicts(
        [
            {
                "circle": 1,
                "kind": "family",
                "support": ["emotional"],
                "frequency": "weekly",
                "label": "Mum",
            },
            {"circle": "3", "kind": "place", "frequency": "", "label": None, "support": None},
        ]
    )
    assert members == [
        Member(
            circle=1,
            kind="family",
            support=frozenset({"emotional"}),
            frequency="weekly",
            label="Mum",
        ),
        Member(circle=3, kind="place"),
    ]


def test_member_as_dict_reads_back_through_members_from_dicts():
    assert members_from_dicts([member.as_dict() for member in DIVERSE]) == DIVERSE


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"circle": 1, "kind": "cousin"}, r"^members\[3\]\.kind: 'cousin' is not a kind"),
        ({"circle": 7, "kind": "friend"}, r"^members\[3\]\.circle: must be 1"),
        ({"circle": "²", "kind": "friend"}, r"^members\[3\]\.circle: must be 1"),
        ({"kind": "friend"}, r"^members\[3\]\.circle: this field is required"),
        ({"circle": 1}, r"^members\[3\]\.kind: this field is required"),
        ({"circle": "", "kind": "friend"}, r"^members\[3\]\.circle: this field is required"),
        ({"circle": 1, "kind": ""}, r"^members\[3\]\.kind: this field is required"),
        ({"circle": 1, "kind": "friend", "support": ["hugs"]}, r"^members\[3\]\.support: 'hugs'"),
        ({"circle": 1, "kind": "friend", "support": "company"}, r"^members\[3\]\.support: must be"),
        (
            {"circle": 1, "kind": "friend", "frequency": "never"},
            r"^members\[3\]\.frequency: 'never'",
        ),
        ({"circle": 1, "kind": "friend", "label": 42}, r"^members\[3\]\.label: must be text"),
        ({"circle": 1, "kind": "friend", "suport": ["company"]}, r"^members\[3\]\.suport: not a"),
        (["friend", 1], r"^members\[3\]: expected an object with circle and kind, not list"),
    ],
)
def test_members_from_dicts_names_the_index_and_field_of_bad_input(bad, message):
    good = {"circle": 1, "kind": "friend"}
    with pytest.raises(ValueError, match=message):
        members_from_dicts([good, good, good, bad])


# --- Counting ------------------------------------------------------------------------------


def test_an_empty_map_has_zero_measures_and_a_gentle_starting_sentence():
    metrics = network_metrics([])
    assert metrics.size == 0
    assert metrics.by_circle == {1: 0, 2: 0, 3: 0}
    assert metrics.kinds == ()
    assert metrics.diversity == 0
    assert metrics.weak_tie_share == 0.0
    assert metrics.groups == 0
    assert metrics.support_sources == {slug: 0 for slug, _ in SUPPORT_TYPES}
    assert metrics.single_source_support == ()
    assert metrics.missing_support == tuple(slug for slug, _ in SUPPORT_TYPES)
    assert metrics.network_type == "empty"
    assert metrics.network_type_label == "Nothing mapped yet"
    assert metrics.feedback == (
        "There is nobody in your map yet. Start with the people, groups, pets and places "
        "that matter to you.",
    )
    assert metrics.wants_groups is True


def test_counts_members_by_circle_and_lists_kinds_in_vocabulary_order():
    metrics = network_metrics(
        [m("pet", 3), m("friend", 2), m("family", 1), m("family", 1), m("friend", 1), m("group", 3)]
    )
    assert metrics.size == 6
    assert metrics.by_circle == {1: 3, 2: 1, 3: 2}
    assert metrics.kinds == ("family", "friend", "group", "pet")
    assert metrics.diversity == 4
    assert metrics.groups == 1


def test_groups_count_groups_and_places_but_not_pets_or_neighbours():
    metrics = network_metrics([m("group"), m("place"), m("place"), m("pet"), m("neighbour")])
    assert metrics.groups == 3


def test_weak_tie_share_counts_neighbours_colleagues_groups_pets_and_places():
    members = [m(k) for k in ("neighbour", "colleague", "group", "pet", "place")]
    members += [m(k) for k in ("partner", "family", "friend", "professional", "friend")]
    assert network_metrics(members).weak_tie_share == 0.5
    assert network_metrics(members[5:]).weak_tie_share == 0.0
    assert network_metrics(members[:5]).weak_tie_share == 1.0


def test_support_sources_count_members_giving_each_type():
    metrics = network_metrics(DIVERSE)
    assert metrics.support_sources == {
        "emotional": 3,
        "practical": 3,
        "information": 2,
        "company": 5,
    }
    assert metrics.single_source_support == ()
    assert metrics.missing_support == ()


def test_support_given_by_exactly_one_member_is_single_source_and_by_nobody_is_missing():
    metrics = network_metrics(
        [
            m("partner", support={"emotional", "practical"}, label="Pat"),
            m("friend", support={"emotional"}),
            m("pet", support={"emotional"}),
        ]
    )
    assert metrics.support_sources == {
        "emotional": 3,
        "practical": 1,
        "information": 0,
        "company": 0,
    }
    assert metrics.single_source_support == ("practical",)
    assert metrics.missing_support == ("information", "company")


# --- Network types -------------------------------------------------------------------------


def kinds(*names):
    return [m(name) for name in names]


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        # Three members or fewer is restricted however varied they are.
        (kinds("group", "place", "neighbour"), "restricted"),
        (kinds("friend"), "restricted"),
        # Four varied members are not.
        (kinds("group", "place", "neighbour", "friend"), "diverse"),
        # Two kinds and no wider ties is restricted at any size.
        (kinds(*["family"] * 5, *["friend"] * 5), "restricted"),
        (kinds(*["partner"] * 2, *["family"] * 6), "restricted"),
        # Three kinds without wider ties is not restricted...
        (kinds("family", "family", "friend", "professional"), "mixed"),
        # ... nor two kinds when one is a wider tie.
        (kinds("family", "family", "family", "neighbour"), "family-centred"),
    ],
)
def test_restricted_means_three_or_fewer_or_two_kinds_without_wider_ties(members, expected):
    assert network_metrics(members).network_type == expected


def test_formal_care_centred_starts_at_half_professionals():
    at_half = kinds("professional", "professional", "friend", "neighbour")
    assert network_metrics(at_half).network_type == "formal-care-centred"
    assert network_metrics(at_half).network_type_label == "Mostly health and care professionals"
    below_half = kinds("professional", "professional", "friend", "neighbour", "family")
    assert network_metrics(below_half).network_type != "formal-care-centred"


def test_formal_care_centred_wins_over_diverse():
    members = kinds(*["professional"] * 5, "neighbour", "group", "place", "pet", "friend")
    assert network_metrics(members).network_type == "formal-care-centred"


def test_family_centred_starts_at_sixty_percent_partner_or_family():
    at_sixty = kinds("partner", "family", "family", "friend", "neighbour")
    assert network_metrics(at_sixty).network_type == "family-centred"
    assert network_metrics(at_sixty).network_type_label == "Mostly family"
    below = kinds("partner", "family", "family", "family", "friend", "friend", "neighbour")
    assert network_metrics(below).network_type == "mixed"


def test_friend_centred_starts_at_half_friends():
    at_half = kinds("friend", "friend", "family", "neighbour")
    assert network_metrics(at_half).network_type == "friend-centred"
    below = kinds("friend", "friend", "family", "neighbour", "professional")
    assert network_metrics(below).network_type == "mixed"


def test_diverse_needs_four_kinds_thirty_percent_wider_ties_and_a_group_or_place():
    # 10 members, 4 kinds, exactly 3 wider ties (30%) of which one is a place.
    base = kinds("family", "family", "family", "friend", "friend", "friend", "professional")
    diverse = base + kinds("neighbour", "neighbour", "place")
    assert network_metrics(diverse).network_type == "diverse"
    assert network_metrics(diverse).network_type_label == "Wide and varied"
    # Same, but 2 of 10 wider ties (20%).
    assert network_metrics(base + kinds("friend", "neighbour", "place")).network_type == "mixed"
    # Same, but no group or place.
    assert network_metrics(base + kinds("neighbour", "neighbour", "neighbour")).network_type == (
        "mixed"
    )
    # Same, but only 3 kinds.
    three_kinds = kinds(*["family"] * 4, *["friend"] * 3, "place", "place", "place")
    assert network_metrics(three_kinds).network_type == "mixed"


def test_diverse_wins_over_family_and_friend_centred():
    mostly_family = kinds(*["family"] * 6, "friend", "neighbour", "group", "place")
    assert network_metrics(mostly_family).network_type == "diverse"
    half_friends = kinds(*["friend"] * 4, "family", "group", "pet", "place")
    assert network_metrics(half_friends).network_type == "diverse"


def test_mixed_when_no_rule_fits():
    members = kinds("family", "family", "friend", "professional", "neighbour")
    metrics = network_metrics(members)
    assert metrics.network_type == "mixed"
    assert metrics.network_type_label == "A mix of people"


def test_every_type_has_a_plain_label():
    assert set(NETWORK_TYPE_LABELS) == {
        "empty",
        "restricted",
        "formal-care-centred",
        "diverse",
        "family-centred",
        "friend-centred",
        "mixed",
    }
    assert all(label and label[0].isupper() for label in NETWORK_TYPE_LABELS.values())


# --- wants_groups --------------------------------------------------------------------------


def test_wants_groups_when_there_is_no_group_or_place():
    # Half wider ties, but none of them a group or place.
    assert network_metrics(kinds("friend", "friend", "neighbour", "pet")).wants_groups is True


def test_wants_groups_when_wider_ties_are_under_thirty_percent():
    # A group, but 2 of 7 (29%) wider ties.
    members = kinds("family", "family", "friend", "friend", "friend", "group", "neighbour")
    assert network_metrics(members).wants_groups is True


def test_does_not_want_groups_with_a_group_and_thirty_percent_wider_ties():
    members = kinds(*["family"] * 4, *["friend"] * 3, "group", "neighbour", "pet")
    assert network_metrics(members).wants_groups is False
    assert network_metrics(DIVERSE).wants_groups is False


def hundred_with_wider_ties(weak):
    """100 members: `weak` wider ties (one of them a group), the rest friends."""
    return [m("group"), *many("neighbour", weak - 1), *many("friend", 100 - weak)]


FEW_WIDER_TIES = (
    "A few of your connections are beyond family and close friends. More of these, such as "
    "neighbours, groups or places you go to, can bring company and new ideas."
)
VOLUNTEERING = "Volunteering, which is a good way to meet people in your area and feel part of it."


@pytest.mark.parametrize(("weak", "few"), [(29, True), (30, False), (31, False)])
def test_wider_ties_are_few_below_thirty_percent_and_enough_from_thirty(weak, few):
    metrics = network_metrics(hundred_with_wider_ties(weak))
    assert metrics.weak_tie_share == weak / 100
    assert metrics.wants_groups is few
    assert (FEW_WIDER_TIES in metrics.feedback) is few
    assert (VOLUNTEERING in metrics.suggestions) is few
    assert ("volunteering" in metrics.suggested_categories) is few


# --- Feedback ------------------------------------------------------------------------------


def test_feedback_describes_size_circles_and_kinds():
    members = [*many("family", 3, circle=1), *many("friend", 2, circle=2), m("pet", 3)]
    feedback = network_metrics(members).feedback
    assert feedback[0] == (
        "Your network has 6 members: 3 in your inner circle, 2 in the middle circle and "
        "1 in the outer circle."
    )
    assert feedback[1] == "Your map includes family, friends and a pet."


def test_feedback_leaves_out_empty_circles_and_uses_the_singular():
    feedback = network_metrics([m("friend", 2)]).feedback
    assert feedback[0] == "Your network has 1 member: 1 in the middle circle."
    assert "Your map is small at the moment. That is common, and it can grow." in feedback


def test_feedback_says_where_most_support_comes_from():
    members = [
        m("partner", support={"emotional"}),
        m("family", support={"practical"}),
        m("family", support={"company"}),
        m("friend", support={"company"}),
        m("group"),
        m("place"),
    ]
    assert "Most of your support comes from family." in network_metrics(members).feedback


def hundred_supporters(kind, count):
    """100 members who each give some support: `count` of `kind`, the rest neighbours."""
    return [*many(kind, count, support={"emotional"}), *many("neighbour", 100 - count,
                                                             support={"company"})]  # fmt: skip


def share_sentence(feedback):
    found = [s for s in feedback if "of your support comes from" in s]
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize(
    ("kind", "count", "expected"),
    [
        # Family: from 60%.
        ("family", 59, None),
        ("family", 60, "Most of your support comes from family."),
        ("family", 61, "Most of your support comes from family."),
        ("partner", 60, "Most of your support comes from family."),
        ("family", 100, "All of your support comes from family."),
        # Professionals and friends: from half.
        ("professional", 49, None),
        ("professional", 50, "Half of your support comes from health or care professionals."),
        ("professional", 51, "Most of your support comes from health or care professionals."),
        ("friend", 49, None),
        ("friend", 50, "Half of your support comes from friends."),
        ("friend", 51, "Most of your support comes from friends."),
    ],
)
def test_where_support_comes_from_is_said_from_each_share_and_not_below_it(kind, count, expected):
    assert share_sentence(network_metrics(hundred_supporters(kind, count)).feedback) == expected


def test_the_support_share_counts_only_members_who_give_support():
    # 3 of the 5 who give support are family (60%), though only 3 of the 15 members are.
    members = [
        *many("family", 3, support={"practical"}),
        *many("neighbour", 2, support={"company"}),
        *many("friend", 10),
    ]
    assert share_sentence(network_metrics(members).feedback) == (
        "Most of your support comes from family."
    )


def test_feedback_says_who_the_people_are_when_support_is_not_recorded():
    feedback = network_metrics(kinds("friend", "friend", "family", "neighbour")).feedback
    assert "Half of the people in your map are friends." in feedback
    assert "You have not said yet who gives you support." in feedback


def test_feedback_notes_when_there_are_no_groups_or_places():
    feedback = network_metrics(kinds("family", "friend", "neighbour", "pet")).feedback
    assert "You have no groups or places in your map yet." in feedback


def test_feedback_notes_when_there_is_nobody_beyond_family_friends_and_professionals():
    feedback = network_metrics(kinds("family", "friend", "friend", "professional")).feedback
    assert (
        "Your map does not include any neighbours, colleagues, groups, pets or places yet."
        in feedback
    )
    assert "You have no groups or places in your map yet." not in feedback


def test_feedback_names_the_only_source_of_a_support_type_when_labelled():
    members = [
        m("friend", support={"practical", "emotional"}, label="Sam"),
        m("family", support={"emotional"}),
    ]
    feedback = network_metrics(members).feedback
    assert "Only Sam gives you practical help. It could help to have others too." in feedback


def test_feedback_says_one_person_or_one_pet_when_the_only_source_has_no_label():
    members = [
        m("friend", support={"practical", "emotional"}),
        m("pet", support={"company", "emotional"}),
    ]
    feedback = network_metrics(members).feedback
    assert "Only one person gives you practical help. It could help to have others too." in feedback
    assert "Only one pet gives you company. It could help to have others too." in feedback


def test_feedback_names_missing_support():
    members = [m("friend", support={"practical"}), m("family", support={"practical"})]
    feedback = network_metrics(members).feedback
    assert "Nobody in your map gives you company at the moment." in feedback
    assert "Nobody in your map gives you emotional support at the moment." in feedback


def test_feedback_praises_a_diverse_map_and_avoids_jargon():
    feedback = network_metrics(DIVERSE).feedback
    assert any(sentence.startswith("You have a good mix of people") for sentence in feedback)
    for sentence in feedback:
        assert "weak tie" not in sentence.lower()
        assert sentence.endswith(".")


# --- Suggestions ---------------------------------------------------------------------------


def test_a_wide_well_supported_map_gets_no_suggestions():
    metrics = network_metrics(DIVERSE)
    assert metrics.suggestions == ()
    assert metrics.suggested_categories == ()


def test_an_empty_map_is_offered_groups_volunteering_and_places_but_not_support_guesses():
    metrics = network_metrics([])
    assert metrics.suggested_categories == (
        "social-and-friendship",
        "arts-and-crafts",
        "faith-and-culture",
        "volunteering",
        "physical-activity",
        "nature-and-gardening",
    )
    assert len(metrics.suggestions) == 3


def test_no_groups_suggests_social_craft_and_faith_groups():
    members = [x for x in DIVERSE if x.kind not in {"group", "place"}] + many("neighbour", 2)
    metrics = network_metrics(members)
    assert metrics.groups == 0
    assert metrics.suggested_categories[:3] == (
        "social-and-friendship",
        "arts-and-crafts",
        "faith-and-culture",
    )
    assert metrics.suggestions[0].startswith("Joining a group")


def test_few_wider_ties_suggests_volunteering():
    # 4 wider ties of 14 (29%).
    members = [*DIVERSE, *many("family", 6, support={"emotional", "practical"})]
    metrics = network_metrics(members)
    assert metrics.weak_tie_share < 0.3
    assert metrics.suggested_categories == ("volunteering",)
    assert metrics.suggestions == (
        "Volunteering, which is a good way to meet people in your area and feel part of it.",
    )


def test_no_place_suggests_walking_and_gardening():
    members = [member for member in DIVERSE if member.kind != "place"]
    metrics = network_metrics(members)
    assert metrics.suggested_categories == ("physical-activity", "nature-and-gardening")
    assert "walking group" in metrics.suggestions[0]


def test_each_thin_support_type_suggests_its_own_activity():
    # Take company, emotional support, information and practical help away one at a time.
    expected = {
        "company": ("social-and-friendship", "lunch clubs"),
        "emotional": ("peer-support", "peer support group"),
        "information": ("health-condition-support", "health condition"),
        "practical": ("befriending", "befriending"),
    }
    for support, (category, words) in expected.items():
        members = [
            Member(circle=x.circle, kind=x.kind, support=x.support - {support}, label=x.label)
            for x in DIVERSE
        ]
        metrics = network_metrics(members)
        assert metrics.suggested_categories == (category,), support
        assert words in metrics.suggestions[0].lower(), support


def test_support_given_by_only_one_member_also_counts_as_a_gap():
    members = [
        Member(circle=x.circle, kind=x.kind, support=x.support - {"emotional"}, label=x.label)
        for x in DIVERSE
    ]
    members[0] = m("partner", 1, {"emotional", "practical"}, "Pat")
    metrics = network_metrics(members)
    assert metrics.single_source_support == ("emotional",)
    assert metrics.suggested_categories == ("peer-support",)


def test_suggested_categories_are_not_repeated():
    # No groups and no company both point to social-and-friendship.
    members = [m("family", support={"emotional"}), m("friend"), m("neighbour")]
    categories = network_metrics(members).suggested_categories
    assert categories.count("social-and-friendship") == 1
    assert "peer-support" in categories


# --- as_dict -------------------------------------------------------------------------------


@pytest.mark.parametrize("members", [[], DIVERSE, kinds("family", "pet")])
def test_as_dict_is_json_ready_with_string_circle_keys_and_lists(members):
    metrics = network_metrics(members)
    data = json.loads(json.dumps(metrics.as_dict()))
    assert set(data["by_circle"]) == {"1", "2", "3"}
    assert data["kinds"] == list(metrics.kinds)
    assert data["feedback"] == list(metrics.feedback)
    assert data["network_type"] == metrics.network_type
    assert data["wants_groups"] is metrics.wants_groups


def test_as_dict_covers_every_field():
    metrics = network_metrics(DIVERSE)
    assert set(metrics.as_dict()) == set(metrics.__dataclass_fields__)


# --- compare_networks ----------------------------------------------------------------------


def test_compare_finds_added_removed_and_moved_members():
    before = [
        m("friend", 3, label="Sam"),
        m("family", 1, label="Mum"),
        m("colleague", 2, label="Jo"),
    ]
    after = [
        m("friend", 1, label="sam "),
        m("family", 1, label="Mum"),
        m("group", 3, label="Choir"),
    ]
    change = compare_networks(before, after)
    assert change.added == (m("group", 3, label="Choir"),)
    assert change.removed == (m("colleague", 2, label="Jo"),)
    assert change.moved == ((m("friend", 3, label="Sam"), m("friend", 1, label="sam")),)
    assert "Sam has moved from your outer circle to your inner circle." in change.summary
    assert "New in your map: Choir." in change.summary
    assert "No longer in your map: Jo." in change.summary


def test_compare_treats_same_label_but_different_kind_as_different_members():
    change = compare_networks([m("friend", 2, label="Alex")], [m("neighbour", 2, label="Alex")])
    assert change.added == (m("neighbour", 2, label="Alex"),)
    assert change.removed == (m("friend", 2, label="Alex"),)
    assert change.moved == ()


def test_compare_cannot_move_unlabelled_members_so_they_are_removed_and_added():
    change = compare_networks([m("neighbour", 3)], [m("neighbour", 2)])
    assert change.moved == ()
    assert change.removed == (m("neighbour", 3),)
    assert change.added == (m("neighbour", 2),)
    assert "No longer in your map: a neighbour." in change.summary


def test_compare_keeps_a_member_whose_support_changed_in_the_same_circle():
    before = [m("friend", 2, {"company"}, "Sam"), m("family", 1, {"practical"})]
    after = [m("friend", 2, {"company", "emotional"}, "Sam"), m("family", 1, {"practical"})]
    change = compare_networks(before, after)
    assert (change.added, change.removed, change.moved) == ((), (), ())
    assert change.summary == ("You have gained new kinds of support: emotional support.",)


def test_compare_pairs_two_members_sharing_a_label_with_the_right_partner():
    before = [m("family", 1, label="J"), m("family", 3, label="J")]
    after = [m("family", 3, label="J"), m("family", 2, label="J")]
    change = compare_networks(before, after)
    assert change.moved == ((m("family", 1, label="J"), m("family", 2, label="J")),)


def test_compare_summarises_growth_groups_support_and_type():
    before = [
        m("partner", 1, {"emotional", "practical"}, "Pat"),
        m("family", 1, {"emotional"}),
        m("friend", 2, {"emotional"}),
        m("professional", 2, {"information"}),
        m("family", 2),
    ]
    after = [
        *before,
        m("group", 3, {"company"}, "Walking group"),
        m("place", 3, {"company"}, "Community garden"),
        m("neighbour", 3),
    ]
    change = compare_networks(before, after)
    assert change.size_change == 3
    assert change.groups_change == 2
    assert change.diversity_change == 3
    assert change.weak_tie_share_change == pytest.approx(3 / 8)
    assert (change.type_before, change.type_after) == ("family-centred", "diverse")
    assert change.summary == (
        "Your network has grown from 5 to 8.",
        "New in your map: Walking group, Community garden and a neighbour.",
        "You now have 2 groups or places (before: none).",
        "You have new kinds of connection: a neighbour, a group and a place or activity.",
        "People, groups, pets and places beyond family and close friends now make up 38% of "
        "your map (before: 0%).",
        "You have gained new kinds of support: company.",
        "Your network has changed from “Mostly family” to “Wide and varied”.",
    )


def test_compare_summarises_a_smaller_map_without_blame():
    before = [m("friend", label="Sam", support={"practical"}), m("family"), m("group"), m("pet")]
    after = [m("family"), m("pet")]
    change = compare_networks(before, after)
    assert change.size_change == -2
    assert change.groups_change == -1
    assert "Your network has gone from 4 to 2." in change.summary
    assert "You now have no groups or places (before: 1)." in change.summary
    assert "Your map no longer includes friends or groups." in change.summary
    assert "Nobody in your map gives you practical help now." in change.summary


def test_compare_says_when_nothing_has_changed():
    change = compare_networks(DIVERSE, list(reversed(DIVERSE)))
    assert change.summary == ("Nothing has changed since your last map.",)
    assert (change.size_change, change.diversity_change, change.groups_change) == (0, 0, 0)
    assert change.weak_tie_share_change == 0.0


def test_compare_says_when_only_details_changed():
    before = [m("friend", 2, {"company"}, "Sam", "weekly"), m("friend", 2, {"company"})]
    after = [m("friend", 2, {"company"}, "Sam", "daily"), m("friend", 2, {"company"})]
    change = compare_networks(before, after)
    assert change.summary == ("Some details have changed, but the shape of your map is the same.",)


def test_compare_as_dict_holds_every_change_in_full():
    before = [
        m("friend", 3, {"company", "emotional"}, "Sam", "weekly"),
        m("colleague", 2, label="Jo"),
        m("family", 1, {"practical"}, "Mum", "daily"),
    ]
    after = [
        m("family", 1, {"practical"}, "Mum", "daily"),
        m("friend", 1, {"company", "emotional"}, "Sam", "weekly"),
        m("group", 3, {"company"}, "Choir"),
        m("group", 3, label="Knit club"),
        m("place", 3, {"information"}, "Library", "monthly"),
    ]
    sam = {"kind": "friend", "support": ["emotional", "company"], "frequency": "weekly",
           "label": "Sam"}  # fmt: skip
    assert compare_networks(before, after).as_dict() == {
        "added": [
            {"circle": 3, "kind": "group", "support": ["company"], "frequency": None,
             "label": "Choir"},
            {"circle": 3, "kind": "group", "support": [], "frequency": None, "label": "Knit club"},
            {"circle": 3, "kind": "place", "support": ["information"], "frequency": "monthly",
             "label": "Library"},
        ],
        "removed": [
            {"circle": 2, "kind": "colleague", "support": [], "frequency": None, "label": "Jo"},
        ],
        "moved": [{"before": {"circle": 3, **sam}, "after": {"circle": 1, **sam}}],
        "size_change": 2,
        "diversity_change": 1,
        # 3 of 5 wider ties after, 1 of 3 before.
        "weak_tie_share_change": 3 / 5 - 1 / 3,
        "groups_change": 3,
        "type_before": "restricted",
        "type_after": "diverse",
        "summary": [
            "Your network has grown from 3 to 5.",
            "New in your map: Choir, Knit club and Library.",
            "No longer in your map: Jo.",
            "Sam has moved from your outer circle to your inner circle.",
            "You now have 3 groups or places (before: none).",
            "You have new kinds of connection: groups and a place or activity.",
            "Your map no longer includes colleagues or classmates.",
            "People, groups, pets and places beyond family and close friends now make up 60% of "
            "your map (before: 33%).",
            "You have gained new kinds of support: advice and information.",
            "Your network has changed from “Small or close-knit” to “Wide and varied”.",
        ],
    }  # fmt: skip


def test_compare_as_dict_is_json_ready():
    change = compare_networks(DIVERSE[:3], DIVERSE[1:])
    data = json.loads(json.dumps(change.as_dict()))
    assert data["removed"] == [DIVERSE[0].as_dict()]
    assert data["summary"] == list(change.summary)


def test_every_member_kind_has_sentence_wording():
    # A new kind in the vocabulary must not break the feedback sentences.
    members = [m(slug) for slug, _ in MEMBER_KINDS]
    assert network_metrics(members).feedback[1].startswith("Your map includes a partner, family")


# --- exact thresholds, messages and pairings ------------------------------------------------


def test_a_single_member_is_all_of_the_map():
    (share,) = [f for f in network_metrics([m("family")]).feedback if f.startswith("All")]
    assert share == "All of the people in your map are family."
    # One group of one member is 100% wider ties: not "few", so no more groups are wanted.
    assert network_metrics([m("group")]).wants_groups is False


def test_half_family_is_not_mostly_family_so_the_friends_are_named():
    feedback = network_metrics([m("family"), m("friend")]).feedback
    assert "Half of the people in your map are friends." in feedback


def test_one_professional_in_two_is_half_of_the_map():
    feedback = network_metrics([m("professional"), m("friend")]).feedback
    assert "Half of the people in your map are health or care professionals." in feedback


def test_a_third_professionals_or_friends_is_no_share_worth_a_sentence():
    feedback = network_metrics([m("professional"), m("friend"), m("neighbour")]).feedback
    assert not [f for f in feedback if "of the people in your map" in f]


def test_wider_ties_just_under_thirty_percent_are_not_diverse():
    # 2 of 7 (29%) are beyond family and friends, in four kinds with a group: mixed, not diverse.
    members = [*many("family", 2), *many("friend", 2), m("professional"), m("group"), m("pet")]
    metrics = network_metrics(members)
    assert (metrics.diversity, metrics.groups) == (5, 1)
    assert metrics.network_type != "diverse"
    assert any(
        f.startswith("A few of your connections are beyond family") for f in metrics.feedback
    )


def test_a_small_map_is_called_small_only_up_to_three_members():
    three = network_metrics([m("family"), m("friend"), m("partner")])
    four = network_metrics([*many("family", 2), *many("friend", 2)])
    small = "Your map is small at the moment. That is common, and it can grow."
    assert three.network_type == four.network_type == "restricted"
    assert small in three.feedback
    assert small not in four.feedback


def test_compare_names_one_group_in_the_singular():
    change = compare_networks([m("family")], [m("family"), m("group", 3, label="Choir")])
    assert "You now have 1 group or place (before: none)." in change.summary


def test_compare_gives_the_wider_tie_share_in_whole_percent():
    change = compare_networks([m("family")], [m("group", 3, label="Choir")])
    assert (
        "People, groups, pets and places beyond family and close friends now make up 100% of "
        "your map (before: 0%)." in change.summary
    )


def test_compare_pairs_exact_copies_first_so_the_right_member_moves():
    emotional = m("friend", 1, {"emotional"}, "Sam")
    practical = m("friend", 1, {"practical"}, "Sam")
    moved_out = m("friend", 2, {"emotional"}, "Sam")
    change = compare_networks([emotional, practical], [practical, moved_out])
    assert change.moved == ((emotional, moved_out),)


@pytest.mark.parametrize(("support", "name"), [(5, "int"), (None, "NoneType"), ({"x": 1}, "dict")])
def test_member_names_the_type_of_support_that_is_not_a_list(support, name):
    with pytest.raises(
        ValueError, match=rf"^support: must be a list of support types, not {name}\."
    ):
        Member(circle=1, kind="friend", support=support)


def test_member_names_the_type_of_a_label_that_is_not_text():
    with pytest.raises(ValueError, match=r"^label: must be text, not int\."):
        Member(circle=1, kind="friend", label=7)


def test_a_label_of_exactly_the_longest_length_is_kept():
    assert len(m("friend", label="x" * 80).label) == 80
    with pytest.raises(ValueError, match=r"^label: is 81 characters long"):
        m("friend", label="x" * 81)
