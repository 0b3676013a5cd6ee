"""The search contract against a cluster server, for the Elasticsearch and OpenSearch backends.

Each test gets its own alias (and so its own indices), named from its tmp_path and the process
id so that runs can share a cluster, and deletes them afterwards.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from search.backends.cluster import ClusterSearchBackend
from tests.search.contract import SearchBackendContract


class ClusterContract(SearchBackendContract):
    """The contract against the server at `self.server_url`, through `backend_class`."""

    backend_class: type[ClusterSearchBackend]
    server_url = ""

    @staticmethod
    def index_name(tmp_path) -> str:
        digest = hashlib.sha1(f"{os.getpid()}:{tmp_path}".encode()).hexdigest()[:16]
        return f"common-ground-test-{digest}"

    def make_backend(self, tmp_path):
        backend = self.backend_class(
            url=self.server_url, index=self.index_name(tmp_path), replicas=0
        )
        # A new backend starts with an empty live index; a second one shares the first's.
        if not backend._alias_targets():
            backend.rebuild([])
        return backend

    @pytest.fixture(autouse=True)
    def _delete_test_indices(self, tmp_path):
        yield
        name = self.index_name(tmp_path)
        backend = self.backend_class(url=self.server_url, index=name)
        try:
            # By name: clusters refuse wildcard deletes by default.
            names = sorted(backend._list_indices(f"{name}-*"))
            if names:
                backend._delete_indices(names)
        finally:
            backend.close()
