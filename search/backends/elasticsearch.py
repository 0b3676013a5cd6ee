"""The Elasticsearch backend: the directory in an Elasticsearch 9 cluster.

Every request body, the index definition and the rebuild are shared with the OpenSearch backend
(`search.backends.cluster`); this module holds what is Elasticsearch's own: the `elasticsearch`
9 client, its errors, API keys, and what `check()` says of a server it cannot use.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

from elasticsearch import (
    ApiError,
    ConnectionTimeout,
    Elasticsearch,
    NotFoundError,
    TransportError,
    UnsupportedProductError,
    helpers,
)

from .base import SearchBackendError
from .cluster import (
    BULK_TIMEOUT,
    DEFAULT_INDEX,
    DEFAULT_TIMEOUT,
    ClusterSearchBackend,
    api_reason,
    bulk_reason,
)


def _media_type_refused(exc: ApiError) -> bool:
    """Whether the server refused the client's `compatible-with=9` media type, as an
    Elasticsearch 8 server does every request of a 9 client (HTTP 400
    media_type_header_exception), and as servers that do not know it do (HTTP 406)."""
    body = exc.body if isinstance(exc.body, dict | str) else ""
    text = str(body).lower()
    return "media_type_header_exception" in text or (
        exc.meta.status in (400, 406, 415) and ("compatible-with" in text or "media type" in text)
    )


class ElasticsearchSearchBackend(ClusterSearchBackend):
    """The directory in Elasticsearch 9, reached at `url` through the alias `index`.

    Options (settings.DIRECTORY_SEARCH["OPTIONS"]): those of every cluster backend (url, index,
    timeout, verify_certs, replicas; see `ClusterSearchBackend`), and api_key.
    """

    name = "elasticsearch"
    product = "Elasticsearch"
    setting_prefix = "ELASTICSEARCH"

    def __init__(
        self,
        *,
        url: str,
        index: str = DEFAULT_INDEX,
        timeout: float = DEFAULT_TIMEOUT,
        api_key: str | tuple[str, str] | None = None,
        verify_certs: bool | None = None,
        replicas: int = 1,
    ):
        super().__init__(
            url=url,
            index=index,
            timeout=timeout,
            api_key=api_key,
            verify_certs=verify_certs,
            replicas=replicas,
        )
        client_options = {"request_timeout": self.timeout}
        if api_key:
            client_options["api_key"] = api_key
        if verify_certs is not None:
            client_options["verify_certs"] = verify_certs
        # Making the client opens no connection: a backend can be loaded with the cluster down.
        self.client = Elasticsearch(url, **client_options)

    # Errors ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self, doing: str):
        try:
            yield
        except helpers.BulkIndexError as exc:
            raise SearchBackendError(
                self._rejected(len(exc.errors), bulk_reason(exc.errors, str(exc)), doing)
            ) from exc
        except ApiError as exc:
            reason = api_reason(exc.body, exc.message)
            raise SearchBackendError(self._refused(exc.meta.status, reason, doing)) from exc
        except TransportError as exc:
            raise SearchBackendError(self._unreachable(exc.message, doing)) from exc

    def _hint(self, reason: str) -> str:
        if "media_type_header_exception" in reason or "compatible-with" in reason:
            return (
                " The server does not speak the Elasticsearch 9 client's API: it is older than "
                "Elasticsearch 9, or not Elasticsearch, and this backend needs Elasticsearch 9."
            )
        return super()._hint(reason)

    # Engine calls ------------------------------------------------------------------------

    @property
    def _slow(self) -> Elasticsearch:
        """The client with a longer timeout, for bulk loads and whole-index operations."""
        return self.client.options(request_timeout=max(self.timeout, BULK_TIMEOUT))

    def _search_call(self, body: dict) -> dict:
        response = self._engine_call("search", self.client.search, index=self.alias, body=body)
        return response.body

    def _bulk(self, actions: list[dict], *, index: str, **params) -> None:
        # The caller sends one chunk at a time: one request each.
        helpers.bulk(self._slow, actions, index=index, chunk_size=max(len(actions), 1), **params)

    def _create_index(self, name: str, definition: dict) -> None:
        self._slow.indices.create(index=name, **definition)

    def _put_meta(self, name: str, meta: dict) -> None:
        self._slow.indices.put_mapping(index=name, meta=meta)

    def _refresh(self, name: str) -> None:
        self._slow.indices.refresh(index=name)

    def _alias_targets(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def _update_aliases(self, actions: list[dict]) -> None:
        self._slow.indices.update_aliases(actions=actions)

    def _delete_indices(self, names: list[str]) -> None:
        self._slow.indices.delete(index=",".join(names), ignore_unavailable=True)

    def _list_indices(self, pattern: str) -> dict:
        return self._slow.indices.get(
            index=pattern, expand_wildcards="open,closed", allow_no_indices=True
        ).body

    def close(self) -> None:
        self.client.close()

    # Health ------------------------------------------------------------------------------

    def check(self) -> list[str]:
        """Problems that stop search working, each in words an operator can act on: the
        cluster unreachable, credentials refused or lacking rights, a server this client cannot
        speak to (Elasticsearch 8 or older, OpenSearch), or no index yet."""
        client = self.client.options(request_timeout=self.timeout, max_retries=0)
        try:
            info = client.info()
            version = (info.body.get("version") or {}) if isinstance(info.body, dict) else {}
            problem = self._version_problem(version)
            if problem:
                return [problem]
            exists = client.indices.exists_alias(name=self.alias)
        except UnsupportedProductError:
            return [
                f"The server at {self.display_url} answers, but not as Elasticsearch (its "
                "responses lack Elasticsearch's product header): this backend needs "
                "Elasticsearch 9. Point ELASTICSEARCH_URL at an Elasticsearch 9 cluster, or "
                "for OpenSearch set SEARCH_BACKEND=opensearch and OPENSEARCH_URL."
            ]
        except ApiError as exc:
            return [self._refusal(exc)]
        except ConnectionTimeout:
            return [
                f"Elasticsearch at {self.display_url} is not reachable: it did not answer within "
                f"{self.timeout:g}s. Check that the cluster is up and not overloaded, or raise "
                "ELASTICSEARCH_TIMEOUT."
            ]
        except TransportError as exc:
            return [
                f"Elasticsearch at {self.display_url} is not reachable (timeout "
                f"{self.timeout:g}s): {exc.message}. Check ELASTICSEARCH_URL (scheme, host and "
                "port) and that the cluster is running."
            ]
        if not exists:
            return [self._missing_alias()]
        return []

    def _version_problem(self, version: dict) -> str | None:
        """Why the server that answered `GET /` is not one this backend works with, if so."""
        number = str(version.get("number") or "")
        if str(version.get("distribution") or "").lower() == "opensearch":
            return (
                f"The server at {self.display_url} is OpenSearch {number}, not Elasticsearch: "
                "this backend needs Elasticsearch 9. Set SEARCH_BACKEND=opensearch and "
                "OPENSEARCH_URL to use it, or point ELASTICSEARCH_URL at an Elasticsearch 9 "
                "cluster."
            )
        major = number.split(".")[0]
        if major.isdigit() and int(major) < 9:
            return (
                f"Elasticsearch at {self.display_url} is version {number}; this backend needs "
                "Elasticsearch 9 (its client speaks only to 9.x). Upgrade the cluster to "
                "Elasticsearch 9."
            )
        return None

    def _refusal(self, exc: ApiError) -> str:
        """A refused request during the check, in words."""
        code = exc.meta.status
        reason = str(api_reason(exc.body, exc.message) or "").rstrip(".")
        # A HEAD request's refusal has no body to give a reason.
        status = f"HTTP {code}" + (f": {reason}" if reason not in ("", "None") else "")
        if _media_type_refused(exc):
            return (
                f"Elasticsearch at {self.display_url} refused the Elasticsearch 9 client's "
                f"requests ({status}): the server is older than Elasticsearch 9 (8.x answers "
                "every request from a 9 client this way) or is not Elasticsearch. This backend "
                "needs Elasticsearch 9: upgrade the cluster, or point ELASTICSEARCH_URL at a 9.x "
                "one."
            )
        given = bool(self.options.get("api_key") or urlsplit(self.url).username)
        how = (
            "Set ELASTICSEARCH_API_KEY, or put user:password in ELASTICSEARCH_URL, for a user "
            "the cluster knows."
        )
        problem = self._credentials_problem(
            code, status, given=given, how=how, who="user or API key"
        )
        return problem or f"Elasticsearch at {self.display_url} refused a request ({status})."
