"""The embedded (tantivy) backend against the backend contract."""

from search.backends.embedded import EmbeddedSearchBackend

from .contract import SearchBackendContract


class TestEmbeddedBackend(SearchBackendContract):
    def make_backend(self, tmp_path):
        return EmbeddedSearchBackend(path=str(tmp_path / "index"))
