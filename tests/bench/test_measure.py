"""The search benchmark: its measuring module imports under Django, its query and page mixes
still answer, and the floor target's arithmetic holds (bench/search_bench.py, bench/measure.py)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.http import QueryDict
from django.test import Client

from bench import measure
from bench.measure import FloorTarget, QueryResult, Timings
from bench.paths import BenchPaths
from search.params import parse_search_params
from tests.factories import ActivityFactory

ROOT = Path(__file__).resolve().parent.parent.parent


def ms(value: float) -> Timings:
    """Timings whose p50, p95 and mean are all `value` milliseconds."""
    return Timings([int(value * 1e6)] * 3)


@pytest.mark.parametrize(
    ("floor_ms", "applies", "limit_ms"),
    [
        # Under a millisecond, floor + 1 ms when it allows more than 3x the floor.
        (0.2, "floor + 1 ms", 1.2),
        (0.4, "floor + 1 ms", 1.4),
        # At 0.5 ms both allow 1.5 ms: the ratio applies; above it the ratio allows more.
        (0.5, "3x floor", 1.5),
        (0.6, "3x floor", 1.8),
        (0.9, "3x floor", 2.7),
        (2.0, "3x floor", 6.0),
        (10.0, "3x floor", 30.0),
    ],
)
def test_the_floor_target_is_3x_the_floor_or_floor_plus_1_ms_when_small(
    floor_ms, applies, limit_ms
):
    target = FloorTarget.of(floor_ms)
    assert target.applies == applies
    assert target.limit_ms == pytest.approx(limit_ms)
    assert target.ratio_ms == pytest.approx(3 * floor_ms)
    assert target.slack_ms == pytest.approx(floor_ms + 1)
    assert target.describe().endswith(f"; {applies} applies")


def test_a_query_meets_its_floor_target_up_to_the_limit_only():
    def result(api_ms, floor):
        return QueryResult("label", "q=walk", 1, 1, ms(api_ms), ms(api_ms), floor, "")

    assert result(1.1, ms(0.2)).floor_met is True
    assert result(1.3, ms(0.2)).floor_met is False
    assert result(5.9, ms(2.0)).floor_met is True
    assert result(6.1, ms(2.0)).floor_met is False
    assert result(6.1, ms(2.0)).ratio == pytest.approx(3.05)
    # No floor (a backend without the trace hook): neither met nor missed.
    assert result(1.0, None).floor_target is None
    assert result(1.0, None).floor_met is None


def test_timings_give_quantiles_in_milliseconds():
    timings = Timings([int(n * 1e6) for n in range(1, 101)])
    assert timings.n == 100
    assert timings.p50 == pytest.approx(50.5)
    assert timings.p95 == pytest.approx(95.05)
    assert timings.mean == pytest.approx(50.5)
    assert timings.total_s == pytest.approx(5.05)


def test_timed_callables_take_turns_for_the_runs_asked():
    calls = []
    timings = measure.timed(
        {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, 3, warmup=0
    )
    assert calls == ["a", "b"] * 3
    assert [timings[name].n for name in ("a", "b")] == [3, 3]


def test_the_query_mix_covers_every_keyword_and_answers(search_index, directory):
    mix = measure.query_mix()
    assert len({label for label, _ in mix}) == len({qs for _, qs in mix}) == len(mix)
    # The Wagtail comparison and the summary find each keyword's query by its query string.
    assert {f"q={word}" for word in measure.KEYWORDS} <= {qs for _, qs in mix}
    client = Client()
    for _label, qs in mix:
        parse_search_params(QueryDict(qs))
        assert client.get(f"/api/search?{qs}").status_code == 200, qs


def test_the_page_mix_answers(search_index, organisation):
    ActivityFactory(parent=organisation, title="Knit and natter")
    client = Client()
    for label, url in measure.page_mix():
        assert client.get(url).status_code == 200, label


def test_a_failed_request_is_kept_for_the_exit_code(capsys):
    failures = []

    class Response:
        status_code = 500
        content = b"Server Error"

    measure.failed(failures, "page", "/broken/", Response())
    assert failures == ["page: GET /broken/ answered 500"]
    assert "page: GET /broken/ answered 500" in capsys.readouterr().out


def test_the_bench_keeps_its_files_in_its_directory(tmp_path):
    paths = BenchPaths.under(tmp_path / "bench")
    assert paths.database == tmp_path / "bench" / "bench.sqlite3"
    assert paths.index == tmp_path / "bench" / "index"
    assert paths.media == tmp_path / "bench" / "media"
    paths.index.mkdir(parents=True)
    paths.database.write_text("")
    paths.media.mkdir()
    paths.remove_database_and_index()
    assert not paths.database.exists()
    assert not paths.index.exists()
    assert paths.media.exists()


def test_the_entry_point_runs_as_a_script():
    # As make bench and .ci/run start it: from the repository, by path, in a fresh process.
    done = subprocess.run(
        [sys.executable, "bench/search_bench.py", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--wagtail-budget" in done.stdout


def test_server_backends_come_from_their_urls_each_on_an_alias_of_its_own():
    from bench.servers import server_backends

    assert server_backends("bench", environ={}) == []
    environ = {
        "OPENSEARCH_URL": " https://search.example:9200 ",
        "OPENSEARCH_INDEX": "cg",
        "OPENSEARCH_USERNAME": "bench",
        "OPENSEARCH_PASSWORD": "s3cret",
        "OPENSEARCH_VERIFY_CERTS": "false",
        "ELASTICSEARCH_URL": "http://localhost:9200",
        "ELASTICSEARCH_API_KEY": "key",
    }
    elasticsearch, opensearch = server_backends("bench", environ=environ)
    assert elasticsearch.setting["BACKEND"].endswith("ElasticsearchSearchBackend")
    assert elasticsearch.alias == "common-ground-activities-bench"
    assert elasticsearch.setting["OPTIONS"]["api_key"] == "key"
    assert opensearch.setting["BACKEND"].endswith("OpenSearchSearchBackend")
    assert opensearch.setting["OPTIONS"] == {
        "url": "https://search.example:9200",
        "index": "cg-bench",
        "timeout": 5.0,
        "verify_certs": False,
        "replicas": 0,
        "username": "bench",
        "password": "s3cret",
    }


def test_the_query_mix_runs_on_a_server_backend_as_on_the_embedded_one(
    search_index, directory, opensearch_emulator, monkeypatch, capsys
):
    ActivityFactory(parent=directory, title="Walking group")
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    monkeypatch.setenv("OPENSEARCH_URL", opensearch_emulator.url)
    monkeypatch.setenv("OPENSEARCH_INDEX", "bench-test")
    failures = []
    (run,) = measure.run_server_backends(2, failures)
    assert failures == [] and run.problem == ""
    assert run.name == "opensearch" and run.alias == "bench-test-bench"
    assert [r.qs for r in run.results] == [qs for _, qs in measure.query_mix()]
    # The engine calls were traced and replayed: the floor is the server's.
    assert all(r.floor is not None and r.floor.n >= 2 for r in run.results)
    assert run.suggestions and run.rebuild_rate > 0
    measure.print_server_run(run)
    out = capsys.readouterr().out
    assert "On opensearch (alias bench-test-bench), the same query mix" in out
    assert "API p95 <= 25 ms for every query" in out


def test_a_server_backend_that_cannot_be_reached_is_a_failure(
    search_index, directory, monkeypatch, capsys
):
    from tests.search.es_stub import closed_port_url

    monkeypatch.setenv("ELASTICSEARCH_URL", closed_port_url())
    monkeypatch.setenv("ELASTICSEARCH_TIMEOUT", "1")
    monkeypatch.delenv("OPENSEARCH_URL", raising=False)
    failures = []
    (run,) = measure.run_server_backends(2, failures)
    assert run.results == [] and "could not be reached" in run.problem
    assert failures == [f"elasticsearch: {run.problem}"]
    measure.print_server_run(run)
    assert "[NOT met] not measured: Elasticsearch at" in capsys.readouterr().out
