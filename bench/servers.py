"""The server search backends the bench measures beside the embedded one, from the environment.

Elasticsearch when ELASTICSEARCH_URL is set, OpenSearch when OPENSEARCH_URL is set (or both),
with the same settings the site reads (README: "Search backends"): the index, credentials,
timeout and certificate checks. Each gets an alias of its own (`<index>-<suffix>`), so the
bench never rebuilds the site's index; its indices have no replicas.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_INDEX = "common-ground-activities"
# name -> (backend class, the prefix of its environment variables, its credential options)
SERVER_BACKENDS = {
    "elasticsearch": (
        "search.backends.elasticsearch.ElasticsearchSearchBackend",
        "ELASTICSEARCH",
        {"api_key": "API_KEY"},
    ),
    "opensearch": (
        "search.backends.opensearch.OpenSearchSearchBackend",
        "OPENSEARCH",
        {"username": "USERNAME", "password": "PASSWORD"},
    ),
}


@dataclass(frozen=True)
class ServerBackend:
    name: str
    # settings.DIRECTORY_SEARCH for the bench's own alias on the server.
    setting: dict

    @property
    def alias(self) -> str:
        return self.setting["OPTIONS"]["index"]


def _flag(value: str) -> bool:
    return value.strip().lower() not in ("0", "false", "no", "off")


def server_backends(suffix: str, environ=os.environ) -> list[ServerBackend]:
    """Each server backend whose URL is set in `environ`, on the alias `<index>-<suffix>`."""
    found = []
    for name, (path, prefix, credentials) in SERVER_BACKENDS.items():
        url = environ.get(f"{prefix}_URL", "").strip()
        if not url:
            continue
        options = {
            "url": url,
            "index": f"{environ.get(f'{prefix}_INDEX') or DEFAULT_INDEX}-{suffix}",
            "timeout": float(environ.get(f"{prefix}_TIMEOUT") or 5.0),
            "verify_certs": _flag(environ.get(f"{prefix}_VERIFY_CERTS", "true")),
            "replicas": 0,
        }
        for option, variable in credentials.items():
            options[option] = environ.get(f"{prefix}_{variable}") or None
        found.append(ServerBackend(name, {"BACKEND": path, "OPTIONS": options}))
    return found
