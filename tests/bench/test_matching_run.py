"""The bench's matching section: its people are valid answers, and it times and judges them."""

import pytest

from bench import matching_run
from bench.timing import Timings
from matching.answers import parse_match_request


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "answers"), matching_run.PROFILES, ids=lambda v: str(v)[:30])
def test_every_profile_is_a_valid_match_request(label, answers):
    near, profile, _ = parse_match_request(answers)
    assert near is not None and profile is not None


@pytest.mark.django_db
def test_the_section_times_each_profile_and_fails_none(search_index, organisation, capsys):
    failures: list[str] = []
    results = matching_run.run(2, failures)
    assert failures == []
    assert [r.label for r in results] == [label for label, _ in matching_run.PROFILES]
    assert all(r.timings.n >= 2 for r in results)
    assert "POST /api/match" in capsys.readouterr().out


def test_the_target_line_names_the_slowest_profile():
    fast = matching_run.MatchResult("fast", 3, Timings([10_000_000] * 3))
    slow = matching_run.MatchResult("slow", 3, Timings([150_000_000] * 3))
    (line,) = matching_run.summary_lines([fast, slow])
    assert line.startswith("[NOT met]") and "150.00 ms, slow" in line
    (line,) = matching_run.summary_lines([fast])
    assert line.startswith("[    met]")
    assert matching_run.summary_lines([])[0].startswith("[NOT met]")
