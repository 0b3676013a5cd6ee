"""The embedded (tantivy) backend against the backend contract."""

import pytest
import tantivy

from search.backends import SearchBackendError
from search.backends.embedded import EmbeddedSearchBackend
from search.query import DirectoryQuery

from .contract import SearchBackendContract


class TestEmbeddedBackend(SearchBackendContract):
    def make_backend(self, tmp_path):
        return EmbeddedSearchBackend(path=str(tmp_path / "index"))


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
