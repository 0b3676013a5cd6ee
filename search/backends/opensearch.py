"""The OpenSearch backend: the directory in an OpenSearch 2.x or 3.x cluster.

For deployments on a managed OpenSearch service. Every request body, the index definition and
the rebuild are shared with the Elasticsearch backend (`search.backends.cluster`); this module
holds what is OpenSearch's own: the `opensearch-py` client, its errors, user and password
credentials, what `check()` says of a server it cannot use, and the one request that differs
by version (OpenSearch before 2.12 does not know `must_exist` in an alias action).
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import urlsplit

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import ConnectionTimeout, TransportError

from .base import SearchBackendError
from .cluster import (
    BULK_TIMEOUT,
    DEFAULT_INDEX,
    DEFAULT_TIMEOUT,
    ClusterSearchBackend,
    api_reason,
    bulk_reason,
)

# The OpenSearch versions this backend is built and tested for (by major version).
SUPPORTED_MAJORS = (2, 3)
# The first version whose `_aliases` remove action takes `must_exist` (opensearch#11210).
MUST_EXIST_SINCE = (2, 12)


def _version_tuple(number: str) -> tuple[int, ...]:
    """(2, 11, 1) from "2.11.1", (3, 0, 0) from "3.0.0-beta1"; () if none."""
    parts = []
    for part in str(number or "").split("."):
        digits = re.match(r"\d+", part)
        if not digits:
            break
        parts.append(int(digits.group()))
    return tuple(parts)


class OpenSearchSearchBackend(ClusterSearchBackend):
    """The directory in OpenSearch 2.x or 3.x, reached at `url` through the alias `index`.

    Options (settings.DIRECTORY_SEARCH["OPTIONS"]): those of every cluster backend (url, index,
    timeout, verify_certs, replicas; see `ClusterSearchBackend`), and username and password for
    basic authentication (or user:password@ in the url).
    """

    name = "opensearch"
    product = "OpenSearch"
    setting_prefix = "OPENSEARCH"

    def __init__(
        self,
        *,
        url: str,
        index: str = DEFAULT_INDEX,
        timeout: float = DEFAULT_TIMEOUT,
        username: str | None = None,
        password: str | None = None,
        verify_certs: bool | None = None,
        replicas: int = 1,
    ):
        super().__init__(
            url=url,
            index=index,
            timeout=timeout,
            username=username,
            password=password,
            verify_certs=verify_certs,
            replicas=replicas,
        )
        self._client_options: dict = {"timeout": self.timeout}
        if username or password:
            self._client_options["http_auth"] = (username or "", password or "")
        if verify_certs is not None:
            self._client_options["verify_certs"] = verify_certs
        # Making the client opens no connection: a backend can be loaded with the cluster down.
        self.client = OpenSearch([url], **self._client_options)
        self._version: tuple[int, ...] | None = None

    # Errors ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self, doing: str):
        try:
            yield
        except helpers.BulkIndexError as exc:
            raise SearchBackendError(
                self._rejected(len(exc.errors), bulk_reason(exc.errors, str(exc)), doing)
            ) from exc
        except OpenSearchConnectionError as exc:
            # Refused connections, timeouts and TLS failures (ConnectionTimeout, SSLError).
            raise SearchBackendError(
                self._unreachable(self._connection_reason(exc), doing)
            ) from exc
        except TransportError as exc:
            reason = api_reason(exc.info, str(exc.error))
            raise SearchBackendError(self._refused(exc.status_code, reason, doing)) from exc

    @staticmethod
    def _connection_reason(exc: OpenSearchConnectionError) -> str:
        if isinstance(exc, ConnectionTimeout):
            return "the request timed out"
        return str(exc.info or exc.error)

    # Engine calls ------------------------------------------------------------------------

    @property
    def _slow_timeout(self) -> float:
        """The timeout of bulk loads and whole-index operations, longer than a search's."""
        return max(self.timeout, BULK_TIMEOUT)

    def _search_call(self, body: dict) -> dict:
        return self._engine_call("search", self.client.search, index=self.alias, body=body)

    def _bulk(self, actions: list[dict], *, index: str, **params) -> None:
        # The caller sends one chunk at a time: one request each.
        helpers.bulk(
            self.client,
            actions,
            index=index,
            chunk_size=max(len(actions), 1),
            request_timeout=self._slow_timeout,
            **params,
        )

    def _create_index(self, name: str, definition: dict) -> None:
        self.client.indices.create(index=name, body=definition, request_timeout=self._slow_timeout)

    def _put_meta(self, name: str, meta: dict) -> None:
        self.client.indices.put_mapping(
            index=name, body={"_meta": meta}, request_timeout=self._slow_timeout
        )

    def _refresh(self, name: str) -> None:
        self.client.indices.refresh(index=name, request_timeout=self._slow_timeout)

    def _alias_targets(self) -> list[str]:
        # ignore=404: no alias yet is an answer, not a failed request for the client to log.
        found = self.client.indices.get_alias(name=self.alias, ignore=404)
        if found.get("status") == 404 and "error" in found:
            return []
        return sorted(found)

    def _update_aliases(self, actions: list[dict]) -> None:
        self.client.indices.update_aliases(
            body={"actions": actions}, request_timeout=self._slow_timeout
        )

    def _delete_indices(self, names: list[str]) -> None:
        self.client.indices.delete(
            index=",".join(names), ignore_unavailable=True, request_timeout=self._slow_timeout
        )

    def _list_indices(self, pattern: str) -> dict:
        return self.client.indices.get(
            index=pattern,
            expand_wildcards="open,closed",
            allow_no_indices=True,
            request_timeout=self._slow_timeout,
        )

    def server_version(self) -> tuple[int, ...]:
        """The cluster's version, as (major, minor, patch), asked once per backend."""
        if self._version is None:
            info = self.client.info(request_timeout=self.timeout)
            self._version = _version_tuple((info.get("version") or {}).get("number"))
        return self._version

    def _alias_remove_action(self, name: str) -> dict:
        action = super()._alias_remove_action(name)
        if self.server_version() < MUST_EXIST_SINCE:
            # Refused as an unknown key before 2.12. Without it, a rebuild racing another one
            # could leave the alias on two indices; rebuilds are run one at a time.
            del action["remove"]["must_exist"]
        return action

    def close(self) -> None:
        self.client.close()

    # Health ------------------------------------------------------------------------------

    def check(self) -> list[str]:
        """Problems that stop search working, each in words an operator can act on: the
        cluster unreachable, credentials refused or lacking rights, a server this backend is not
        for (Elasticsearch, OpenSearch 1.x), or no index yet."""
        client = OpenSearch([self.url], **{**self._client_options, "max_retries": 0})
        try:
            info = client.info()
            version = (info.get("version") or {}) if isinstance(info, dict) else {}
            problem = self._version_problem(version)
            if problem:
                return [problem]
            exists = client.indices.exists_alias(name=self.alias)
        except ConnectionTimeout:
            return [
                f"OpenSearch at {self.display_url} is not reachable: it did not answer within "
                f"{self.timeout:g}s. Check that the cluster is up and not overloaded, or raise "
                "OPENSEARCH_TIMEOUT."
            ]
        except OpenSearchConnectionError as exc:
            return [
                f"OpenSearch at {self.display_url} is not reachable (timeout "
                f"{self.timeout:g}s): {self._connection_reason(exc)}. Check OPENSEARCH_URL "
                "(scheme, host and port) and that the cluster is running."
            ]
        except TransportError as exc:
            return [self._refusal(exc)]
        finally:
            client.close()
        if not exists:
            return [self._missing_alias()]
        return []

    def _version_problem(self, version: dict) -> str | None:
        """Why the server that answered `GET /` is not one this backend works with, if so."""
        number = str(version.get("number") or "")
        if str(version.get("distribution") or "").lower() != "opensearch":
            return (
                f"The server at {self.display_url} is not OpenSearch (it reports version "
                f"{number or 'unknown'} without OpenSearch's distribution name): for "
                "Elasticsearch set SEARCH_BACKEND=elasticsearch and ELASTICSEARCH_URL, or point "
                "OPENSEARCH_URL at an OpenSearch 2.x or 3.x cluster."
            )
        major = _version_tuple(number)[:1]
        if not major or major[0] not in SUPPORTED_MAJORS:
            return (
                f"OpenSearch at {self.display_url} is version {number}; this backend works with "
                "OpenSearch 2.x and 3.x. Upgrade the cluster, or point OPENSEARCH_URL at a "
                "supported one."
            )
        return None

    def _refusal(self, exc: TransportError) -> str:
        """A refused request during the check, in words."""
        code = exc.status_code
        reason = str(api_reason(exc.info, str(exc.error or "")) or "").rstrip(".")
        # A HEAD request's refusal has no body to give a reason.
        status = f"HTTP {code}" + (f": {reason}" if reason not in ("", "None") else "")
        given = bool(self.options.get("username") or urlsplit(self.url).username)
        how = (
            "Set OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD, or put user:password in "
            "OPENSEARCH_URL, for a user the cluster knows."
        )
        problem = (
            self._credentials_problem(code, status, given=given, how=how)
            if isinstance(code, int)
            else None
        )
        return problem or f"OpenSearch at {self.display_url} refused a request ({status})."
