"""A loopback stand-in for an Elasticsearch 9 node, for wire-level tests of the real client.

It records every request (method, path, query string, body; `_bulk` bodies as NDJSON lines) and
answers from routes the test sets up, with the headers the client insists on: without
`X-Elastic-Product: Elasticsearch` the client refuses the response as not from Elasticsearch.
A request no route answers gets a 599 reply naming it, so a test fails loudly rather than on
a guessed answer.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CONTENT_TYPE = "application/vnd.elasticsearch+json; compatible-with=9"
INFO = {
    "name": "stub-node",
    "cluster_name": "stub",
    "cluster_uuid": "stub-uuid",
    "version": {
        "number": "9.1.0",
        "build_flavor": "default",
        "lucene_version": "10.2.2",
        "minimum_wire_compatibility_version": "8.19.0",
        "minimum_index_compatibility_version": "8.0.0",
    },
    "tagline": "You Know, for Search",
}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    raw: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def json(self):
        return json.loads(self.raw) if self.raw else None

    @property
    def ndjson(self) -> list:
        return [json.loads(line) for line in self.raw.decode().splitlines() if line.strip()]

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


# A handler returns (status, JSON-able body or None).
Reply = tuple[int, object]
Handler = Callable[[Request], Reply]


def error(status: int, kind: str, reason: str, **extra) -> Reply:
    """An error reply shaped as Elasticsearch shapes them."""
    cause = {"type": kind, "reason": reason, **extra}
    return status, {"error": {"root_cause": [cause], **cause}, "status": status}


def bulk_ok(request: Request) -> Reply:
    """A `_bulk` reply where every action succeeded (deletes of unknown ids report 404)."""
    return 200, {"took": 1, "errors": False, "items": bulk_items(request)}


def bulk_items(request: Request, failures: dict[str, Reply] | None = None) -> list[dict]:
    """One result per action line; `failures` maps an _id to the `error()` reply it gets."""
    failures = failures or {}
    default_index = request.path.strip("/").split("/")[0]
    items = []
    for line in request.ndjson:
        if len(line) != 1:
            continue  # a document source line, not an action
        op, meta = next(iter(line.items()))
        if op not in ("index", "create", "update", "delete"):
            continue
        doc_id = str(meta.get("_id"))
        result = {"_index": meta.get("_index", default_index), "_id": doc_id}
        if doc_id in failures:
            status, body = failures[doc_id]
            # An item's error is the error object alone, without root_cause.
            item_error = dict(body["error"]) if body else None
            if item_error:
                item_error.pop("root_cause", None)
            result.update(status=status, error=item_error)
        elif op == "delete":
            result.update(status=200, result="deleted")
        else:
            result.update(status=201, result="created")
        items.append({op: result})
    return items


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK hold each response with a body back for about 40 ms.
    disable_nagle_algorithm = True
    server: _Server

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query),
            raw=raw,
            headers={k.lower(): v for k, v in self.headers.items()},
        )
        status, body = self.server.stub.answer(request)
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", self.server.stub.content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass  # keep test output clean


class LoopbackServer(ThreadingHTTPServer):
    """A threaded loopback server for tests (the stub's, the emulator's shim)."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up (a timeout being tested) is not the server's error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Server(LoopbackServer):
    stub: StubElasticsearch


class StubElasticsearch:
    """Routes are tried newest first; `GET /` (info) and `HEAD /` (ping) answer by default.

    `content_type` is what every reply says it is: Elasticsearch 9's by default, or plain JSON
    as OpenSearch answers (the `opensearch-py` client reads no other).
    """

    def __init__(self, *, content_type: str = CONTENT_TYPE):
        self.content_type = content_type
        self.requests: list[Request] = []
        self._routes: list[tuple[re.Pattern, re.Pattern, Handler]] = []
        self._lock = threading.Lock()
        self.route("GET", "/", 200, INFO)
        self.route("HEAD", "/", 200, None)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.stub = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, method: str, path: str, status: int | Handler = 200, body=None) -> None:
        """Answer `method path` (both regexes matched in full, e.g. "PUT|POST") with status
        and body, or with what a handler `request -> (status, body)` returns."""
        handler = status if callable(status) else (lambda _request: (status, body))
        with self._lock:
            self._routes.insert(0, (re.compile(method), re.compile(path), handler))

    def answer(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            routes = list(self._routes)
        for method, pattern, handler in routes:
            if method.fullmatch(request.method) and pattern.fullmatch(request.path):
                return handler(request)
        return error(599, "stub_no_route", f"no route for {request.method} {request.path}")

    def calls(self) -> list[tuple[str, str]]:
        """(method, path) of every request so far, in order."""
        return [(r.method, r.path) for r in self.requests]

    def start(self) -> StubElasticsearch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> StubElasticsearch:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def closed_port_url() -> str:
    """The URL of a loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
