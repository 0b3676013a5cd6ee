"""An Elasticsearch emulator for the contract suite: osmem-server behind a media-type shim.

`osmem-server` (PyPI, MIT; requirements-dev.txt) is an in-memory OpenSearch-compatible server
for tests, shipped as a static binary in its wheel. It runs queries, filters, aggregations,
suggesters, bulk and alias calls, and refuses unknown keys and bad values. It is an emulator,
not Elasticsearch: scores, tie order, stemming, highlight fragments and suggester output are
its own (see the README's search section for what still needs a real cluster).

The `elasticsearch` 9 client cannot talk to it directly, so a small loopback proxy sits in
between (the "media-type shim"):
- the client's `application/vnd.elasticsearch+json; compatible-with=9` Accept and Content-Type
  (and the NDJSON variant for `_bulk`) become `application/json` / `application/x-ndjson`,
  which an OpenSearch-compatible server answers rather than refusing with 406;
- every response carries `X-Elastic-Product: Elasticsearch` once, without which the client
  refuses it as not from Elasticsearch;
- `GET /` reports an Elasticsearch 9.x version, as the backend's `check()` asks for.

Every request the shim passes on is also handed to its observers (e.g. the specification
check in tests/search/es_spec.py) before it is forwarded.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.search.es_stub import LoopbackServer

ES_VERSION = "9.1.0"
JSON = "application/json"
NDJSON = "application/x-ndjson"
# Response headers the shim sets itself or that the proxying makes wrong.
_HOP_HEADERS = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "x-elastic-product",
}


@dataclass(frozen=True)
class ShimRequest:
    """One request as the client sent it, before the shim rewrote anything."""

    method: str
    path: str
    query: dict[str, list[str]]
    content_type: str
    raw: bytes

    @property
    def is_ndjson(self) -> bool:
        return "x-ndjson" in self.content_type or self.path.endswith("/_bulk")

    def documents(self) -> list:
        """The body as JSON: a list of lines for NDJSON, else [the one document] ([] if none)."""
        if not self.raw.strip():
            return []
        if self.is_ndjson:
            return [json.loads(line) for line in self.raw.decode().splitlines() if line.strip()]
        return [json.loads(self.raw)]


Observer = Callable[[ShimRequest], None]


def plain_media_type(value: str) -> str:
    """`application/vnd.elasticsearch+json; compatible-with=9` as a plain media type."""
    lowered = value.lower()
    if "vnd.elasticsearch+x-ndjson" in lowered:
        return NDJSON
    if "vnd.elasticsearch+json" in lowered:
        return JSON
    return value


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK hold each response with a body back for about 40 ms.
    disable_nagle_algorithm = True
    server: _ShimServer

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        shim = self.server.shim
        shim.observe(
            ShimRequest(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query),
                content_type=self.headers.get("Content-Type") or "",
                raw=raw,
            )
        )
        headers = {}
        for name, value in self.headers.items():
            if name.lower() in ("host", "connection", "content-length"):
                continue
            if name.lower() in ("accept", "content-type"):
                value = plain_media_type(value)
            headers[name] = value
        status, reply_headers, data = shim.forward(self.command, self.path, raw, headers)
        if self.command == "GET" and parts.path in ("", "/") and status == 200:
            data = _as_elasticsearch_info(data)
        self.send_response(status)
        for name, value in reply_headers:
            if name.lower() not in _HOP_HEADERS:
                self.send_header(name, value)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass  # keep test output clean


def _as_elasticsearch_info(data: bytes) -> bytes:
    """The server's `GET /` answer, reporting an Elasticsearch 9 version."""
    info = json.loads(data)
    version = dict(info.get("version") or {})
    version.pop("distribution", None)
    version.update(number=ES_VERSION, build_flavor="default")
    info["version"] = version
    info["tagline"] = "You Know, for Search"
    return json.dumps(info).encode()


class _ShimServer(LoopbackServer):
    shim: MediaTypeShim


class MediaTypeShim:
    """A loopback proxy in front of `upstream` (an http:// URL) for the Elasticsearch client."""

    def __init__(self, upstream: str):
        parts = urlsplit(upstream)
        self._upstream = (parts.hostname, parts.port)
        self._observers: list[Observer] = []
        self._lock = threading.Lock()
        self._local = threading.local()
        self._server = _ShimServer(("127.0.0.1", 0), _Handler)
        self._server.shim = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add_observer(self, observer: Observer) -> Callable[[], None]:
        """Hand every request to `observer` from now on; returns a function that stops it."""
        with self._lock:
            self._observers.append(observer)

        def remove():
            with self._lock:
                if observer in self._observers:
                    self._observers.remove(observer)

        return remove

    def observe(self, request: ShimRequest) -> None:
        with self._lock:
            observers = list(self._observers)
        for observer in observers:
            observer(request)

    def forward(self, method: str, target: str, body: bytes, headers: dict):
        """Send one request upstream on this thread's connection; (status, headers, body)."""
        for attempt in (1, 2):
            connection = getattr(self._local, "connection", None)
            if connection is None:
                connection = http.client.HTTPConnection(*self._upstream, timeout=120)
                self._local.connection = connection
            try:
                connection.request(method, target, body=body or None, headers=headers)
                response = connection.getresponse()
                data = response.read()
                return response.status, response.getheaders(), data
            except (http.client.HTTPException, ConnectionError):
                connection.close()
                self._local.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def start(self) -> MediaTypeShim:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class ElasticsearchEmulator:
    """osmem-server on a free loopback port with the media-type shim in front of it.

    `url` is the shim's (for the Elasticsearch 9 client); `server_url` the server's own.
    """

    def __init__(self):
        from osmem_server import OsmemServer

        # No seed, no Japanese analysis: an empty server, quick to start.
        self.server = OsmemServer.start(japanese=False, addr="127.0.0.1:0")
        try:
            self.shim = MediaTypeShim(self.server.url).start()
        except BaseException:
            self.server.close()
            raise

    @property
    def url(self) -> str:
        return self.shim.url

    @property
    def server_url(self) -> str:
        return self.server.url

    def close(self) -> None:
        try:
            self.shim.stop()
        finally:
            self.server.close()

    def __enter__(self) -> ElasticsearchEmulator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class OpenSearchEmulator:
    """osmem-server on a free loopback port, spoken to directly: it is OpenSearch-compatible,
    so the OpenSearch backend's client needs no shim. An emulator, not OpenSearch."""

    def __init__(self):
        from osmem_server import OsmemServer

        self.server = OsmemServer.start(japanese=False, addr="127.0.0.1:0")

    @property
    def url(self) -> str:
        return self.server.url

    def close(self) -> None:
        self.server.close()

    def __enter__(self) -> OpenSearchEmulator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
