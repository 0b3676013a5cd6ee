"""The embedded (tantivy) backend against the backend contract."""

import os
import random
import signal
import string
import subprocess
import sys
from pathlib import Path

import pytest
import tantivy

from search.backends import SearchBackendError, embedded
from search.backends.embedded import EmbeddedSearchBackend
from search.query import DirectoryQuery, GeoPoint, Sort, fold_title, title_key

from .contract import ALL, SearchBackendContract, at, corpus, doc, idset

ROOT = Path(__file__).resolve().parents[2]


class TestEmbeddedBackend(SearchBackendContract):
    def make_backend(self, tmp_path):
        return EmbeddedSearchBackend(path=str(tmp_path / "index"))


class TestEmbeddedBackendWithTermSets(TestEmbeddedBackend):
    """The contract again with every filter on points a term-set query, as with many venues."""

    @pytest.fixture(autouse=True)
    def _term_sets(self, monkeypatch):
        monkeypatch.setattr(embedded, "MAX_POINT_TERMS", 0)


def test_index_from_an_older_schema_says_to_rebuild(tmp_path):
    old = tmp_path / "index" / "gen-old"
    old.mkdir(parents=True)
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=True)
    tantivy.Index(builder.build(), path=str(old))
    (tmp_path / "index" / "current").write_text("gen-old")

    backend = EmbeddedSearchBackend(path=str(tmp_path / "index"))
    with pytest.raises(SearchBackendError, match="rebuild_directory_index"):
        backend.search(DirectoryQuery())
    backend.rebuild([])
    assert backend.search(DirectoryQuery()).total == 0


def test_points_at_the_same_distance_sort_together_by_id(tmp_path):
    # East and west of a centre on longitude 0, two venues are exactly as far away: their
    # activities are one tie, ordered by id across both venues, on every page.
    backend = EmbeddedSearchBackend(path=str(tmp_path / "index"))
    east, west, beyond = at(51.0, 0.002), at(51.0, -0.002), at(51.0, 0.01)
    backend.index_documents(
        [doc(id=n, **east) for n in (2, 5, 6)]
        + [doc(id=n, **west) for n in (1, 3, 7)]
        + [doc(id=n, **beyond) for n in (4, 8)]
    )
    centre = GeoPoint(51.0, 0.0)
    for radius in (None, 500):
        seen = []
        for page in (1, 2, 3, 4):
            query = DirectoryQuery(
                near=centre, radius_m=radius, sort=Sort.DISTANCE, page=page, page_size=3
            )
            seen += [hit.id for hit in backend.search(query).hits]
        assert seen == ([1, 2, 3, 5, 6, 7, 4, 8] if radius is None else [1, 2, 3, 5, 6, 7])
    backend.close()


def test_facets_are_the_same_when_there_are_more_combinations_than_counted(tmp_path, monkeypatch):
    backend = EmbeddedSearchBackend(path=str(tmp_path / "index"))
    backend.index_documents(corpus())
    query = DirectoryQuery(facets=("categories", "days", "cost", "access", "delivery"))
    combined = backend.search(query).facets
    # Two combinations counted at most: the engine reports the rest as left out, and those
    # facets are counted value by value instead.
    monkeypatch.setattr(embedded, "SET_FACET_SIZE", 2)
    assert backend.search(query).facets == combined
    assert combined["access"] == {"step-free": 5, "accessible-toilet": 3, "hearing-loop": 2}
    backend.close()


def test_hits_kept_with_the_searcher_are_copied_for_each_search(tmp_path):
    backend = EmbeddedSearchBackend(path=str(tmp_path / "index"))
    backend.index_documents([doc(id=1, title="Walking group")])
    first = backend.search(DirectoryQuery(text="walking")).hits[0]
    first.next_session = "changed by the first caller"
    first.score = -1.0
    second = backend.search(DirectoryQuery(text="walking")).hits[0]
    assert second is not first
    assert second.next_session is None
    assert second.score > 0
    backend.close()


def test_a_search_after_an_update_sees_the_new_document_not_the_kept_hit(tmp_path):
    backend = EmbeddedSearchBackend(path=str(tmp_path / "index"))
    backend.index_documents([doc(id=1, title="Walking group", cost="free")])
    assert backend.search(DirectoryQuery(text="walking")).hits[0].cost == "free"
    backend.index_documents([doc(id=1, title="Walking group", cost="paid")])
    assert [h.cost for h in backend.search(DirectoryQuery(text="walking")).hits] == ["paid"]
    # Another process's commit (a new meta.json) is picked up the same way.
    other = EmbeddedSearchBackend(path=str(tmp_path / "index"))
    other.index_documents([doc(id=1, title="Walking group", cost="donation")])
    assert [h.cost for h in backend.search(DirectoryQuery(text="walking")).hits] == ["donation"]
    other.close()
    backend.close()


# A rebuild in another process, killed as the kernel's OOM killer or a deploy would kill it:
# no `except` or `finally` runs. `at` says when: half-way through the documents, or in the
# progress report that follows the swap of the live pointer (before the old generation goes).
KILLED_REBUILD = """
import os, signal, sys
import django
django.setup()
from search.backends.embedded import EmbeddedSearchBackend
from tests.search.contract import doc

path, at = sys.argv[1], sys.argv[2]

def kill(*args):
    os.kill(os.getpid(), signal.SIGKILL)

def documents():
    yield doc(id=901, title="Half built")
    if at == "loading":
        kill()
    yield doc(id=902, title="Half built too")

EmbeddedSearchBackend(path=path).rebuild(documents(), progress=kill if at == "swapped" else None)
"""


def kill_a_rebuild(path: Path, at: str) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cms.settings.test", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", KILLED_REBUILD, str(path), at],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()[-2000:]


def entries(path: Path) -> set[str]:
    return {entry.name for entry in path.iterdir()}


def test_rebuilds_killed_half_way_leave_only_the_live_generation(tmp_path):
    path = tmp_path / "index"
    backend = EmbeddedSearchBackend(path=str(path))
    backend.rebuild(corpus())
    live = (path / "current").read_text()
    for _ in range(3):
        kill_a_rebuild(path, "loading")
        # The live index is untouched by each kill.
        assert (path / "current").read_text() == live
        assert idset(backend, include_not_running=True) == ALL
    # Each rebuild cleared what the one killed before it left: they never pile up. Only the
    # last one's half-built generation is there, for the next rebuild to clear.
    generations = {name for name in entries(path) if name.startswith("gen-")}
    assert len(generations) == 2 and live in generations

    during = {}

    def documents():
        during["entries"] = entries(path)
        yield from corpus()

    backend.rebuild(documents())
    new = (path / "current").read_text()
    # While it wrote, only the live generation and its own were there; now only its own.
    assert during["entries"] == {"current", "writer.lock", live, new}
    assert entries(path) == {"current", "writer.lock", new}
    assert idset(backend, include_not_running=True) == ALL
    backend.close()


def test_a_rebuild_killed_after_its_swap_leaves_the_old_generation_to_the_next_one(tmp_path):
    path = tmp_path / "index"
    backend = EmbeddedSearchBackend(path=str(path))
    backend.rebuild(corpus())
    old = (path / "current").read_text()

    kill_a_rebuild(path, "swapped")

    # The new generation went live whole before the kill; the old one is left over.
    swapped = (path / "current").read_text()
    assert swapped != old
    assert idset(backend, include_not_running=True) == {901, 902}
    assert entries(path) == {"current", "writer.lock", old, swapped}
    backend.rebuild(corpus())
    assert entries(path) == {"current", "writer.lock", (path / "current").read_text()}
    assert idset(backend, include_not_running=True) == ALL
    backend.close()


def test_title_rank_never_orders_against_the_title_key():
    # The page of an A to Z listing is found by title_rank: it may tie titles, never reverse
    # two. Random titles of letters, digits, punctuation, accents and other scripts.
    chars = string.ascii_letters + string.digits + " '-&.,()/!~éÉøßæ\u2019\u0410\u0436\u4e2d"
    rng = random.Random(2026)
    titles = ["".join(rng.choices(chars, k=rng.randint(0, 14))) for _ in range(20_000)]
    ordered = sorted(range(len(titles)), key=lambda i: title_key(titles[i], i))
    ranks = [embedded.title_rank(fold_title(titles[i])) for i in ordered]
    assert ranks == sorted(ranks)
    assert max(ranks) < 2**63
    assert len(set(ranks)) > len(ranks) // 2  # and it tells most titles apart


def test_a_trace_holds_every_engine_call_a_text_search_makes(tmp_path):
    # What the benchmark's floor replays: the search, the facet counts, and a snippet for each
    # hit, each answering as it did for the backend.
    backend = EmbeddedSearchBackend(path=str(tmp_path / "index"))
    backend.index_documents(corpus())
    query = DirectoryQuery(text="choir", facets=("cost",))
    backend.search(query)  # hits decoded once and kept: the traced search is a steady one
    calls = []
    with backend.trace(calls.append):
        results = backend.search(query)
    names = [call.name for call in calls]
    assert sorted(set(names)) == [
        "aggregate", "doc", "search", "snippet", "snippet_generator", "snippet_size",
    ]  # fmt: skip
    assert names.count("search") == 1 and names.count("aggregate") == 1
    assert names.count("doc") == names.count("snippet") == len(results.hits) == 3
    (search,) = [call for call in calls if call.name == "search"]
    assert search.replay().count == results.total
    (aggregate,) = [call for call in calls if call.name == "aggregate"]
    assert {b["key"] for b in aggregate.replay()["cost"]["buckets"]} == set(results.facets["cost"])
    snippets = [call.replay() for call in calls if call.name == "snippet"]
    assert snippets == [hit.snippet for hit in results.hits]
    backend.close()


def test_a_trace_of_a_search_by_distance_replays_its_pages(tmp_path):
    backend = EmbeddedSearchBackend(path=str(tmp_path / "index"))
    backend.index_documents(corpus())
    query = DirectoryQuery(near=GeoPoint(51.4489, -0.1971), sort=Sort.DISTANCE, page_size=5)
    calls = []
    with backend.trace(calls.append):
        results = backend.search(query)
    names = {call.name for call in calls}
    # The index's points, read once per searcher, then a count by point and the page's slices.
    assert {"terms_with_prefix", "aggregate", "search"} <= names
    pages = [call.replay() for call in calls if call.name == "search"]
    assert sum(len(page.hits) for page in pages) == len(results.hits) == 5
    backend.close()


def test_a_circle_asked_again_is_worked_out_once_and_stays_right(monkeypatch):
    keys = [embedded.point_key(51.45 + i / 100, -0.19) for i in range(5)]
    points = embedded._Points([(key, 1) for key in keys])
    measured = []
    real = embedded.haversine_m
    monkeypatch.setattr(embedded, "haversine_m", lambda *a: measured.append(a) or real(*a))
    centre = GeoPoint(51.45, -0.19)
    first = points.within(centre, 2_500)
    assert [key for _, key in first] == keys[:3]
    counted = len(measured)
    assert points.within(centre, 2_500) == first and len(measured) == counted
    # Another radius, or another centre, is worked out afresh.
    assert [key for _, key in points.within(centre, 1_200)] == keys[:2]
    assert {key for _, key in points.within(GeoPoint(51.48, -0.19), 1_200)} == set(keys[2:])
    assert len(measured) > counted
