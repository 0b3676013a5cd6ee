"""Close spellings: the edit distance and the choice of a correction from the hits' words."""

from search.results import SearchHit
from search.spelling import correct, edit_distance


def hit(title: str, *categories: str) -> SearchHit:
    return SearchHit(
        id=1, title=title, organisation="", url="", summary="", categories=list(categories)
    )


def nothing_known(word: str) -> bool:
    return False


def test_edit_distance_counts_a_swap_of_neighbours_as_one_edit():
    assert edit_distance("chior", "choir", 2) == 1
    assert edit_distance("yogga", "yoga", 2) == 1
    assert edit_distance("gardn", "garden", 2) == 1
    assert edit_distance("excercise", "exercise", 2) == 1
    assert edit_distance("kitten", "sitting", 5) == 3


def test_edit_distance_stops_past_its_limit():
    assert edit_distance("yoga", "pottery", 1) == 2
    assert edit_distance("a", "abcdef", 2) == 3


def test_each_unknown_word_is_replaced_by_the_closest_word_of_the_hits():
    hits = [hit("Community choir", "choirs-and-singing"), hit("Choir practice")]
    assert correct("community chior", hits, known=nothing_known) == "community choir"


def test_the_most_common_of_equally_close_words_wins():
    hits = [hit("Walking group"), hit("Talking cafe"), hit("Walking football")]
    assert correct("dalking", hits, known=nothing_known) == "walking"


def test_words_that_find_something_as_they_are_stay():
    hits = [hit("Health walking")]
    assert correct("walks", hits, known=lambda word: word == "walks") == ""


def test_no_correction_when_nothing_is_close_enough_or_the_word_is_short():
    hits = [hit("Chair yoga")]
    # Three letters: never corrected; "pottery" is far from every word.
    assert correct("yga", hits, known=nothing_known) == ""
    assert correct("pottery", hits, known=nothing_known) == ""


def test_category_slugs_offer_their_words():
    hits = [hit("Tuesday group", "knitting-and-sewing")]
    assert correct("sewwing", hits, known=nothing_known) == "sewing"
