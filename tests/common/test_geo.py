"""How distances are said: never more precisely than the place they are measured from."""

import pytest

from common.geo import distance_text


@pytest.mark.parametrize(
    ("metres", "text"),
    [(0, "under 50 m away"), (347, "350 m away"), (1234, "1.2 km away"), (12_400, "12 km away")],
)
def test_distances_from_a_point_are_exact(metres, text):
    assert distance_text(metres) == text


@pytest.mark.parametrize(
    ("metres", "text"),
    [
        (0, "in or near SW18"),
        (40, "in or near SW18"),
        (1_400, "in or near SW18"),
        (1_600, "about 2 km away"),
        (2_300, "about 2 km away"),
        (5_700, "about 6 km away"),
    ],
)
def test_distances_from_an_outward_code_are_rounded_to_its_size(metres, text):
    assert distance_text(metres, area="SW18") == text
