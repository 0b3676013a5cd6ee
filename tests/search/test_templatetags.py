"""Small display helpers of the search pages."""

import pytest

from search.templatetags.search_tags import tel_uri


@pytest.mark.parametrize(
    ("written", "uri"),
    [
        ("020 7946 0000", "tel:02079460000"),
        ("+44 (0)20 7946 0000", "tel:+442079460000"),
        ("07700 900123 (evenings)", "tel:07700900123"),
        ("javascript:alert(1)", ""),
        ("ask at the desk", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_numbers_become_tel_links_and_nothing_else_does(written, uri):
    assert tel_uri(written) == uri
