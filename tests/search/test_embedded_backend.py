"""The embedded (tantivy) backend against the backend contract."""

import pytest
import tantivy

from search.backends import SearchBackendError, embedded
from search.backends.embedded import EmbeddedSearchBackend
from search.query import DirectoryQuery, GeoPoint, Sort

from .contract import SearchBackendContract, at, corpus, doc


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
